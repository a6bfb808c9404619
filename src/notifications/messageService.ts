import { createHash } from 'node:crypto';
import type { Types } from 'mongoose';
import type { Actor } from '../auth/actor.ts';
import { recordAudit } from '../audit/service.ts';
import { Conflict, NotFound } from '../errors.ts';
import type { Lang } from '../i18n/index.ts';
import { guardedUpdate } from '../shared/claims.ts';
import { insertAll } from '../shared/bulkWrites.ts';
import { contactHash, optedOut, optOutUrl } from './contacts.ts';
import type { NotifyDeps } from './deps.ts';
import { MessageModel, sendableStatuses, type ChannelName, type Message } from './model.ts';
import { findByIds } from '../shared/byIds.ts';
import { smsAllowedFrom } from './quietHours.ts';
import { renderTemplate, templates, type TemplateName, type TemplateParams } from './templates.ts';
import { escapeRegex } from '../shared/regex.ts';

/** A message to be made: from an event or a reminder, to one recipient on one channel. */
export type MessageDraft = {
  /** What it is about, deterministic: an event's key or a reminder's (`reminder.uncollected:ID:1`). */
  event: string;
  template: TemplateName;
  language: Lang;
  /** Who, stable across runs: `guardian:PUPIL`, `parent:REQUEST`, `user:ID`. */
  recipientRef: string;
  recipient: { kind: 'guardian' | 'staff'; address: string; name?: string | null; user?: Types.ObjectId | null };
  channel: ChannelName;
  institution?: Types.ObjectId | null;
  pupil?: Types.ObjectId | null;
  params: TemplateParams;
};

/** The message id: a hash of event + recipient + channel, so the same message is always the same record. */
export function messageId(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 24);
}

const chunk = 1000;

/**
 * Makes the messages (once: the key is unique) and queues every one of them still waiting to go,
 * including ones an earlier, interrupted run made but never queued. A guardian who opted out gets
 * no non-essential message: it is kept as `suppressed`, so the log says why nothing went.
 */
export async function createMessages(drafts: MessageDraft[], deps: NotifyDeps): Promise<{ made: number; queued: number }> {
  if (!drafts.length) return { made: 0, queued: 0 };
  const now = deps.now();
  const hashes = new Map(drafts.map((d) => [d, contactHash(deps.key, d.recipient.address)]));
  const out = await optedOut([...hashes.values()]);
  const smsFrom = smsAllowedFrom(now);
  const docs = drafts.map((d) => {
    const key = `${d.event}|${d.recipientRef}|${d.channel}`;
    const def = templates[d.template];
    const suppressed = !def.essential && d.recipient.kind === 'guardian' && out.has(hashes.get(d)!);
    const held = d.channel === 'sms' && smsFrom > now;
    const link = def.audience === 'guardian' && !def.essential ? optOutUrl(deps.baseUrl, deps.key, d.recipient.address) : undefined;
    const text = renderTemplate(d.template, d.language, d.params, link);
    return {
      _id: messageId(key),
      key,
      event: d.event,
      template: d.template,
      essential: def.essential,
      language: d.language,
      channel: d.channel,
      recipient: { kind: d.recipient.kind, address: d.recipient.address, name: d.recipient.name ?? null, user: d.recipient.user ?? null },
      institution: d.institution ?? null,
      pupil: d.pupil ?? null,
      subject: text.subject,
      body: text.body,
      // An SMS made at night shows as held until the morning, when its delayed job sends it.
      status: suppressed ? 'suppressed' : held ? 'held' : 'queued',
      notBefore: held && !suppressed ? smsFrom : null,
      failure: suppressed ? { code: 'opted_out', message: null } : { code: null, message: null },
    };
  });
  let made = 0;
  let queued = 0;
  for (let i = 0; i < docs.length; i += chunk) {
    const part = docs.slice(i, i + chunk);
    const existing = await insertAll(MessageModel, part);
    made += part.length - existing.size;
    // What was just made is known to wait; one made earlier (a run cut off before queueing it, or
    // simply made before) is looked up, and queued only if it still waits.
    const fresh = part.filter((d, j) => !existing.has(j) && d.status !== 'suppressed');
    await enqueue(fresh, deps);
    queued += fresh.length + (await queueWaiting(part.filter((_, j) => existing.has(j)).map((d) => d._id), deps));
  }
  return { made, queued };
}

/**
 * Queues again what waits longer than any backoff would make it wait: jobs lost with a Redis that
 * restarted empty, or messages made by a run that died before queueing them. Sending claims each
 * message, so a job that turns out to be still alive costs a skipped duplicate, never a second copy.
 */
export async function requeueStuck(deps: NotifyDeps, olderThanMs = 15 * 60 * 1000, limit = 2000): Promise<number> {
  const now = deps.now();
  const before = new Date(now.getTime() - olderThanMs);
  // One query per status: a plain status equality is what the embedded database can look up by
  // index (an `$or` or `$in` there reads the whole collection).
  const found = await Promise.all([
    MessageModel.find({ status: 'queued', updatedAt: { $lt: before } }, { _id: 1 }).limit(limit).lean(),
    MessageModel.find({ status: 'retrying', updatedAt: { $lt: before } }, { _id: 1 }).limit(limit).lean(),
    MessageModel.find({ status: 'held', notBefore: { $lt: before } }, { _id: 1 }).limit(limit).lean(),
  ]);
  const stuck = found.flat();
  if (!stuck.length) return 0;
  return queueWaiting(stuck.map((m) => String(m._id)), deps, `s${Math.floor(now.getTime() / olderThanMs)}`);
}

/** Queues those of these messages that are still waiting to be sent. */
export async function queueWaiting(ids: string[], deps: NotifyDeps, salt?: string): Promise<number> {
  let queued = 0;
  const now = deps.now();
  for (let i = 0; i < ids.length; i += chunk) {
    const found = await findByIds<{ _id: string; channel: string; status: string }>(MessageModel, ids.slice(i, i + chunk), { channel: 1, status: 1 });
    const waiting = found.filter((m) => (sendableStatuses as readonly string[]).includes(m.status));
    await enqueue(waiting, deps, salt, now);
    queued += waiting.length;
  }
  return queued;
}

async function enqueue(messages: Array<{ _id: string; channel: string }>, deps: NotifyDeps, salt?: string, now = deps.now()): Promise<void> {
  if (!messages.length) return;
  const sms = messages.filter((m) => m.channel === 'sms').map((m) => String(m._id));
  const other = messages.filter((m) => m.channel !== 'sms').map((m) => String(m._id));
  await deps.queue.enqueue({ sms, other }, { smsDelayMs: smsAllowedFrom(now).getTime() - now.getTime(), salt });
}

export type MessageFilter = { status?: string; channel?: string; template?: string; institution?: Types.ObjectId; q?: string; from?: Date; to?: Date };

/** The message log, newest first, filtered; coordinators only (the routes check the role). */
export async function listMessages(filter: MessageFilter, limit = 100, skip = 0): Promise<{ items: Message[]; total: number }> {
  const q: Record<string, unknown> = {};
  if (filter.status) q.status = filter.status;
  if (filter.channel) q.channel = filter.channel;
  if (filter.template) q.template = filter.template;
  if (filter.institution) q.institution = filter.institution;
  if (filter.q) q['recipient.address'] = { $regex: escapeRegex(filter.q.trim().toLowerCase()), $options: 'i' };
  if (filter.from || filter.to) q.createdAt = { ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lt: filter.to } : {}) };
  const [items, total] = await Promise.all([MessageModel.find(q).sort({ createdAt: -1, _id: -1 }).skip(skip).limit(limit).lean(), MessageModel.countDocuments(q)]);
  return { items: items as unknown as Message[], total };
}

/** One message of the log. */
export async function getMessage(id: string): Promise<Message> {
  const m = await MessageModel.findById(id).lean();
  if (!m) throw new NotFound('message_not_found');
  return m as unknown as Message;
}

/** Counts per status, for the log's header and the dashboard. */
export async function messageCounts(): Promise<Record<string, number>> {
  const rows = await MessageModel.aggregate<{ _id: string; n: number }>([{ $group: { _id: '$status', n: { $sum: 1 } } }]);
  return Object.fromEntries(rows.map((r) => [r._id, r.n]));
}

const resendable = ['failed', 'unknown', 'sent', 'delivered'] as const;

/**
 * The coordinator sends a message again (after fixing a contact, or one whose outcome is unknown):
 * back to `queued` with a fresh attempt count, audited. An opted-out guardian stays opted out.
 */
export async function resendMessage(actor: Actor, id: string, deps: NotifyDeps, ip: string | null): Promise<Message> {
  const m = await getMessage(id);
  if (m.status === 'suppressed') throw new Conflict('message_opted_out');
  if (!(resendable as readonly string[]).includes(m.status)) throw new Conflict('message_not_resendable');
  const done = await guardedUpdate<Message & { _id: string }>(MessageModel, m._id, resendable, {}, {
    $set: { status: 'queued', attempts: 0, notBefore: null, failure: { code: null, message: null } },
    $inc: { resends: 1 },
  });
  if (!done) throw new Conflict('message_not_resendable');
  await recordAudit({ actor, action: 'notification.resend', target: { type: 'message', id: m._id, label: m.template }, ip, details: { previous: m.status, channel: m.channel } });
  await queueWaiting([m._id], deps, `r${done.resends}`);
  return done;
}
