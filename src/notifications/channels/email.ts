import nodemailer from 'nodemailer';
import { DeliveryFailed } from '../../errors.ts';
import type { Channel, Outgoing, SendResult } from './types.ts';

type SmtpError = Error & { code?: string; responseCode?: number; command?: string; response?: string };

/**
 * Sorts an SMTP failure: 5xx is permanent (a 5xx to the recipient is a bounce, so the contact is
 * wrong), 4xx and connection trouble are transient, and a connection lost once the message body
 * was on its way may have delivered it, so its outcome is unknown.
 */
export function classifySmtpError(err: SmtpError): DeliveryFailed {
  const reason = (err.response ?? err.message).slice(0, 300);
  const rc = err.responseCode;
  if (rc && rc >= 500) {
    const toRecipient = err.command === 'RCPT TO' || err.code === 'EENVELOPE';
    return new DeliveryFailed(toRecipient ? 'recipient_rejected' : 'smtp_rejected', reason, { permanent: true, contactProblem: toRecipient });
  }
  if (rc && rc >= 400) return new DeliveryFailed('smtp_temporary', reason);
  if (err.command === 'DATA' || err.command === 'DATA end') return new DeliveryFailed('no_answer', reason, { outcomeUnknown: true });
  return new DeliveryFailed('smtp_unreachable', reason);
}

/**
 * E-mail over SMTP (`SMTP_URL`), pooled so a batch reuses a few connections. The Message-ID is
 * made from the message's own id, so a copy that did slip through twice is recognisable.
 */
export function emailChannel(smtpUrl: string, from: string): Channel {
  const transport = nodemailer.createTransport(smtpUrl.includes('pool=') ? smtpUrl : `${smtpUrl}${smtpUrl.includes('?') ? '&' : '?'}pool=true&maxConnections=5`);
  const domain = from.match(/@([^>\s]+)/)?.[1] ?? 'localhost';
  return {
    name: 'email',
    async send(m: Outgoing): Promise<SendResult> {
      try {
        const info = await transport.sendMail({ from, to: m.to, subject: m.subject, text: m.body, messageId: `<${m.id}@${domain}>` });
        if (info.rejected?.length) throw new DeliveryFailed('recipient_rejected', String(info.response ?? 'rejected'), { permanent: true, contactProblem: true });
        return { providerId: info.messageId ?? null, delivered: false };
      } catch (err) {
        if (err instanceof DeliveryFailed) throw err;
        throw classifySmtpError(err as SmtpError);
      }
    },
    async close() {
      transport.close();
    },
  };
}
