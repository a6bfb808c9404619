import type { AnyActor, Actor } from '../auth/actor.ts';
import { AuditEventModel } from './model.ts';
import { escapeRegex } from '../shared/regex.ts';

export type AuditInput = {
  actor: AnyActor;
  action: string;
  target?: { type: string; id?: string | null; label?: string | null };
  institution?: string | null;
  /** The pupil concerned, when the target is not the pupil itself (a need, a card). */
  pupil?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
};

function actorFields(actor: AnyActor) {
  if (actor.kind === 'user') return { kind: 'user', id: actor.id, email: actor.email, role: actor.role };
  if (actor.kind === 'system') return { kind: 'system', id: actor.name, email: null, role: null };
  return { kind: actor.kind, id: null, email: null, role: null };
}

/** Appends one event to the audit log. Never pass personal codes or passwords in details. */
export async function recordAudit(input: AuditInput): Promise<void> {
  await AuditEventModel.create({
    actor: actorFields(input.actor),
    action: input.action,
    target: { type: input.target?.type ?? null, id: input.target?.id ?? null, label: input.target?.label ?? null },
    institution: input.institution ?? null,
    pupil: input.pupil ?? (input.target?.type === 'pupil' ? (input.target.id ?? null) : null),
    ip: input.ip ?? null,
    details: input.details ?? {},
  });
}

export type AuditQuery = { actor?: string; action?: string; institution?: string; pupils?: string[]; from?: Date; to?: Date; limit: number };

/** Coordinators search the log by person, action, institution and date; newest first. */
export async function searchAudit(_actor: Actor, q: AuditQuery) {
  const filter: Record<string, unknown> = {};
  if (q.actor) filter['actor.email'] = { $regex: escapeRegex(q.actor.toLowerCase()) };
  if (q.action) filter.action = { $regex: '^' + escapeRegex(q.action) };
  if (q.institution) filter.institution = q.institution;
  if (q.pupils) filter.pupil = q.pupils.length === 1 ? q.pupils[0] : { $in: q.pupils };
  const at: Record<string, Date> = {};
  if (q.from) at.$gte = q.from;
  if (q.to) at.$lt = q.to;
  if (Object.keys(at).length) filter.at = at;
  const rows = await AuditEventModel.find(filter).sort({ at: -1, _id: -1 }).limit(q.limit).lean();
  return rows.map((r) => ({
    id: String(r._id),
    at: r.at.toISOString(),
    actor: r.actor,
    action: r.action,
    target: r.target,
    institution: r.institution,
    pupil: r.pupil ?? null,
    ip: r.ip,
    details: r.details,
  }));
}
