import type { Message } from './model.ts';

/** A message as the log shows it; the text only in the one-message view. */
export function presentMessage(m: Message, withText = false) {
  return {
    id: m._id,
    template: m.template,
    event: m.event,
    channel: m.channel,
    language: m.language,
    essential: m.essential,
    status: m.status,
    recipient: { kind: m.recipient.kind, address: m.recipient.address, name: m.recipient.name ?? null },
    institution: m.institution ? String(m.institution) : null,
    pupil: m.pupil ? String(m.pupil) : null,
    attempts: m.attempts ?? 0,
    resends: m.resends ?? 0,
    failure: m.failure?.code ? { code: m.failure.code, message: m.failure.message ?? null } : null,
    notBefore: m.notBefore ?? null,
    createdAt: m.createdAt,
    sentAt: m.sentAt ?? null,
    deliveredAt: m.deliveredAt ?? null,
    ...(withText ? { subject: m.subject ?? '', body: m.body } : {}),
  };
}
