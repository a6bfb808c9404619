import { DeliveryFailed } from '../../errors.ts';
import type { Channel, Outgoing, SendResult } from './types.ts';

export type SmsConfig = { url: string; token: string; sender: string; timeoutMs: number };

/** Why a provider refused: its own words when it gives them, else the HTTP status. */
async function reasonOf(res: Response): Promise<{ code: string; message: string }> {
  const text = (await res.text().catch(() => '')).slice(0, 300);
  try {
    const body = JSON.parse(text) as { code?: unknown; error?: { code?: unknown; message?: unknown } | string; message?: unknown };
    const e = typeof body.error === 'object' && body.error ? body.error : {};
    const code = String(e.code ?? body.code ?? (typeof body.error === 'string' ? body.error : '') ?? '');
    return { code, message: String(e.message ?? body.message ?? text) || `HTTP ${res.status}` };
  } catch {
    return { code: '', message: text || `HTTP ${res.status}` };
  }
}

/**
 * SMS through a generic JSON HTTP provider: `POST url` with `{to, from, text, reference}` and a
 * bearer token; the answer's `id` is kept for delivery receipts. 4xx means the provider will never
 * take this message (an invalid number becomes a contact task), 429 and 5xx are worth retrying,
 * and no answer at all after the request went out leaves the outcome unknown.
 * Another provider needs only another function returning a Channel.
 */
export function smsChannel(cfg: SmsConfig): Channel {
  return {
    name: 'sms',
    async send(m: Outgoing): Promise<SendResult> {
      let res: Response;
      try {
        res = await fetch(cfg.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${cfg.token}` },
          body: JSON.stringify({ to: m.to, from: cfg.sender, text: m.body, reference: m.id }),
          signal: AbortSignal.timeout(cfg.timeoutMs),
        });
      } catch (err) {
        const e = err as Error & { cause?: { code?: string } };
        // Refused or unresolved: nothing reached the provider. A timeout: it may have been sent.
        if (e.name === 'TimeoutError') throw new DeliveryFailed('no_answer', 'the SMS provider did not answer in time', { outcomeUnknown: true });
        throw new DeliveryFailed('provider_unreachable', e.cause?.code ?? e.message);
      }
      if (res.ok) {
        const body = (await res.json().catch(() => ({}))) as { id?: unknown; status?: unknown };
        return { providerId: body.id == null ? null : String(body.id), delivered: body.status === 'delivered' };
      }
      const reason = await reasonOf(res);
      if (res.status === 429 || res.status >= 500) throw new DeliveryFailed('provider_unavailable', `${res.status} ${reason.message}`);
      const badNumber = /number|recipient|msisdn|phone/i.test(`${reason.code} ${reason.message}`);
      if (res.status === 401 || res.status === 403) throw new DeliveryFailed('provider_auth', `${res.status} ${reason.message}`, { permanent: true });
      throw new DeliveryFailed(badNumber ? 'invalid_number' : 'provider_rejected', `${res.status} ${reason.message}`, { permanent: true, contactProblem: badNumber });
    },
    async close() {},
  };
}
