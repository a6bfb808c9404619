import { DeliveryFailed } from '../errors.ts';
import { claim } from '../shared/claims.ts';
import { mapLimit } from '../shared/concurrency.ts';
import { findByIds } from '../shared/byIds.ts';
import type { PersonalCodeKey } from '../pupils/personalCodes.ts';
import type { Channels } from './channels/types.ts';
import { contactHash, optedOut } from './contacts.ts';
import { MessageModel, sendableStatuses, type Message } from './model.ts';
import { smsAllowedFrom } from './quietHours.ts';
import { openContactTask } from './taskService.ts';

export type SendDeps = {
  channels: Channels;
  key: PersonalCodeKey;
  now: () => Date;
};

/** One sending attempt: who is trying (the job and its try), and whether it is the last try. */
export type Attempt = { owner: string; last: boolean };

export type SendOutcome =
  | { id: string; result: 'sent' | 'delivered' | 'failed' | 'unknown' | 'suppressed' | 'skipped' }
  | { id: string; result: 'retry'; reason: string }
  | { id: string; result: 'held'; until: Date };

// A message `sending` for longer than this belongs to a worker that died mid-send.
const sendingStaleMs = 5 * 60 * 1000;

/**
 * Sends these messages, each at most once: claimed with a guarded update (unique claim on the
 * message's version) and marked `sending` before the channel is called, recorded after. A message
 * found `sending` by a later try of the same job, or long after, was interrupted mid-send: it may
 * or may not have gone, so it becomes `unknown` for a person to decide, never silently resent.
 */
export async function sendMessages(ids: string[], attempt: Attempt, deps: SendDeps, concurrency = 8): Promise<SendOutcome[]> {
  const docs = await findByIds<Message>(MessageModel, ids);
  const out = await optedOut(docs.filter((m) => m.recipient.kind === 'guardian' && !m.essential).map((m) => contactHash(deps.key, m.recipient.address)));
  const found = new Set(docs.map((m) => m._id));
  const missing: SendOutcome[] = ids.filter((id) => !found.has(id)).map((id) => ({ id, result: 'skipped' }));
  // A failure (the database away) ends this try once the sends already started have ended (see
  // mapLimit); messages not yet started wait for the job's next try.
  const done = await mapLimit(docs, concurrency, (m) => sendOne(m, attempt, deps, out));
  return [...done, ...missing];
}

async function sendOne(m: Message, attempt: Attempt, deps: SendDeps, out: Set<string>): Promise<SendOutcome> {
  const now = deps.now();
  if (m.status === 'sending') {
    const interrupted = m.claimedBy === attempt.owner || now.getTime() - new Date(m.updatedAt as Date).getTime() > sendingStaleMs;
    if (!interrupted) return { id: m._id, result: 'skipped' };
    await MessageModel.updateOne({ _id: m._id, status: 'sending' }, { $set: { status: 'unknown', failure: { code: 'interrupted', message: null } } });
    return { id: m._id, result: 'unknown' };
  }
  if (!sendableStatuses.includes(m.status)) return { id: m._id, result: 'skipped' };
  if (!m.essential && m.recipient.kind === 'guardian' && out.has(contactHash(deps.key, m.recipient.address))) {
    await MessageModel.updateOne({ _id: m._id, status: m.status }, { $set: { status: 'suppressed', failure: { code: 'opted_out', message: null } } });
    return { id: m._id, result: 'suppressed' };
  }
  if (m.channel === 'sms') {
    const from = smsAllowedFrom(now);
    if (from > now) {
      await MessageModel.updateOne({ _id: m._id, status: m.status }, { $set: { status: 'held', notBefore: from } });
      return { id: m._id, result: 'held', until: from };
    }
  }
  const channel = deps.channels[m.channel];
  if (!channel) {
    // Configuration changed under a queued message: say so rather than guess another channel.
    await MessageModel.updateOne({ _id: m._id, status: m.status }, { $set: { status: 'failed', failure: { code: 'channel_not_configured', message: m.channel } } });
    return { id: m._id, result: 'failed' };
  }
  if (!(await claim(`messages:${m._id}:${m.version ?? 0}`, now, attempt.owner))) return { id: m._id, result: 'skipped' };
  await MessageModel.updateOne({ _id: m._id }, { $set: { status: 'sending', claimedBy: attempt.owner }, $inc: { attempts: 1, version: 1 } });
  let r: Awaited<ReturnType<typeof channel.send>>;
  try {
    r = await channel.send({ id: m._id, to: m.recipient.address, subject: m.subject ?? '', body: m.body });
  } catch (err) {
    const e = err instanceof DeliveryFailed ? err : new DeliveryFailed('send_error', (err as Error).message);
    const failure = { code: e.code, message: e.message };
    if (e.outcomeUnknown) {
      await MessageModel.updateOne({ _id: m._id }, { $set: { status: 'unknown', failure } });
      return { id: m._id, result: 'unknown' };
    }
    if (e.permanent || attempt.last) {
      await MessageModel.updateOne({ _id: m._id }, { $set: { status: 'failed', failure } });
      if (e.contactProblem) await taskFor(m, failure);
      return { id: m._id, result: 'failed' };
    }
    await MessageModel.updateOne({ _id: m._id }, { $set: { status: 'retrying', failure } });
    return { id: m._id, result: 'retry', reason: e.code };
  }
  // Recorded outside the try above: the message has gone, so a failure to record it (the database
  // away for a moment) must not be taken for a failed send and retried, which mailed it twice. It
  // stays `sending`, and the job's next try marks it unknown for a person to check.
  const status = r.delivered ? 'delivered' : 'sent';
  await MessageModel.updateOne(
    { _id: m._id },
    { $set: { status, sentAt: deps.now(), deliveredAt: r.delivered ? deps.now() : null, providerId: r.providerId, notBefore: null, failure: { code: null, message: null } } },
  );
  return { id: m._id, result: status };
}

async function taskFor(m: Message, reason: { code: string; message: string }) {
  if (m.recipient.kind !== 'guardian' || !m.pupil || !m.institution) return;
  await openContactTask({ institution: m.institution, pupil: m.pupil, channel: m.channel, address: m.recipient.address, message: m._id, reason });
}

/**
 * A delivery receipt from the SMS provider (by its id or our reference): delivered, or failed, in
 * which case a bad number becomes a contact task. Unknown ids are ignored.
 */
export async function recordReceipt(input: { id?: string; reference?: string; status: 'delivered' | 'failed'; reason?: string }, now = new Date()): Promise<boolean> {
  const filter = input.reference ? { _id: input.reference } : { providerId: input.id };
  const m = (await MessageModel.findOne({ ...filter, channel: 'sms' }).lean()) as unknown as Message | null;
  if (!m) return false;
  if (input.status === 'delivered') {
    await MessageModel.updateOne({ _id: m._id }, { $set: { status: 'delivered', deliveredAt: now } });
    return true;
  }
  const failure = { code: 'undeliverable', message: (input.reason ?? '').slice(0, 300) || null };
  await MessageModel.updateOne({ _id: m._id }, { $set: { status: 'failed', failure } });
  await taskFor(m, { code: failure.code, message: failure.message ?? '' });
  return true;
}
