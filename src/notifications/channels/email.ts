import net from 'node:net';
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

type SocketOptions = { host?: string; port?: number | string; secure?: boolean; localAddress?: string; connectionTimeout?: number };

/**
 * Opens the TCP connection to the SMTP server with Nagle's algorithm off (TCP_NODELAY), which
 * nodemailer leaves on. It writes a message's body and the closing "\r\n.\r\n" as two writes,
 * and with Nagle on the second waits for the server's delayed ACK of the first (40 ms on Linux):
 * that capped each pooled connection at about 22 messages a second whatever the server's speed.
 * nodemailer still does the rest on this socket: TLS for smtps:, STARTTLS, the SMTP dialogue.
 */
export function connectWithoutDelay(o: SocketOptions, callback: (err: Error | null, socketOptions?: { connection: net.Socket }) => void): void {
  const socket = net.connect({ host: o.host || 'localhost', port: Number(o.port) || (o.secure ? 465 : 587), localAddress: o.localAddress, noDelay: true });
  const timer = setTimeout(() => socket.destroy(Object.assign(new Error('Connection timeout'), { code: 'ETIMEDOUT' })), o.connectionTimeout || 2 * 60 * 1000);
  const failed = (err: Error) => {
    clearTimeout(timer);
    callback(err);
  };
  socket.once('error', failed);
  socket.once('connect', () => {
    clearTimeout(timer);
    socket.removeListener('error', failed);
    callback(null, { connection: socket });
  });
}

/**
 * E-mail over SMTP (`SMTP_URL`), pooled so a batch reuses a few connections. The Message-ID is
 * made from the message's own id, so a copy that did slip through twice is recognisable.
 */
export function emailChannel(smtpUrl: string, from: string): Channel {
  const transport = nodemailer.createTransport(smtpUrl.includes('pool=') ? smtpUrl : `${smtpUrl}${smtpUrl.includes('?') ? '&' : '?'}pool=true&maxConnections=5`);
  // nodemailer's documented hook for custom sockets (it is missing from its type definitions).
  (transport as unknown as { getSocket: typeof connectWithoutDelay }).getSocket = connectWithoutDelay;
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
