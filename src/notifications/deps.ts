import type { PersonalCodeKey } from '../pupils/personalCodes.ts';

/** Hands message ids to the senders (BullMQ in the worker and API; see jobs/notifyQueue.ts). */
export interface MessageQueue {
  /**
   * Queues sending of these messages; `sms` ones go through the rate-limited SMS queue, after
   * `smsDelayMs` (the quiet hours). Job ids come from the message ids (and `salt` for a deliberate resend), so a
   * repeated call does not queue the same work twice.
   */
  enqueue(batches: { sms: string[]; other: string[] }, opts?: { smsDelayMs?: number; salt?: string }): Promise<void>;
}

/** What building messages needs: where links point, which channels exist, a clock, a queue. */
export type NotifyDeps = {
  /** The secret the contact hashes (opt-out tokens) are made with. */
  key: PersonalCodeKey;
  /** The service's public address, for the status page and opt-out links. */
  baseUrl: string;
  configured: { email: boolean; sms: boolean };
  queue: MessageQueue;
  /** Injected so tests can stand at any hour (quiet hours, deadlines, reminders). */
  now: () => Date;
};
