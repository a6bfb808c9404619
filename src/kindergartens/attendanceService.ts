import { Types } from 'mongoose';
import { z } from 'zod';
import { actorTag, type Actor } from '../auth/actor.ts';
import { findInstitutionFor } from '../auth/scope.ts';
import { recordAudit } from '../audit/service.ts';
import { ValidationError } from '../errors.ts';
import type { InstitutionDoc } from '../institutions/model.ts';
import { isBaseOn } from '../institutions/service.ts';
import { isCalendarDay, rigaMoment, rigaToday } from '../shared/dates.ts';
import { normalizeHeader } from '../../imports/headers.ts';
import { touchDays } from './daySummaries.ts';
import { groupsOf } from './designationService.ts';
import { AttendanceModel, type Attendance } from './model.ts';
import { childrenInGroup } from './placementService.ts';
import { returnDeadline } from './settings.ts';

/** A head count typed in a form or sent as JSON: a whole number from 0, with a code for each way it can be wrong. */
const count = () =>
  z.unknown().transform((v, ctx) => {
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
      ctx.addIssue({ code: 'custom', message: 'count_required' });
      return z.NEVER;
    }
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*[+-]?\d+([.,]\d+)?\s*$/.test(v) ? Number(v.replace(',', '.')) : NaN;
    if (!Number.isFinite(n)) ctx.addIssue({ code: 'custom', message: 'not_a_number' });
    else if (n < 0) ctx.addIssue({ code: 'custom', message: 'count_negative' });
    else if (!Number.isInteger(n)) ctx.addIssue({ code: 'custom', message: 'count_not_whole' });
    else if (n > 10_000) ctx.addIssue({ code: 'custom', message: 'count_too_large' });
    else return n;
    return z.NEVER;
  });

// Counted by ticking the children present: present is the number ticked.
const TickedLineSchema = z.object({ group: z.string().trim().min(1), children: z.array(z.string()).max(1000), registered: count().optional() });
const CountedLineSchema = z.object({ group: z.string().trim().min(1), registered: count(), present: count() });

/**
 * A group line is read by its shape (with `children`: ticked; without: counted) rather than as a
 * plain union, which would answer only "invalid_union" and lose the count's own code
 * (count_negative, not_a_number …) that the form and the API show.
 */
const ReturnLineSchema = z.unknown().transform((v, ctx): z.infer<typeof TickedLineSchema> | z.infer<typeof CountedLineSchema> => {
  const ticked = typeof v === 'object' && v !== null && 'children' in v;
  const r = (ticked ? TickedLineSchema : CountedLineSchema).safeParse(v);
  if (r.success) return r.data;
  for (const issue of r.error.issues) ctx.addIssue({ ...issue });
  return z.NEVER;
});

export const ReturnInputSchema = z.object({
  groups: z.array(ReturnLineSchema).min(1, 'no_groups').max(50),
});
export type ReturnInput = z.infer<typeof ReturnInputSchema>;

/** Whether a return for `day` made at `now` is late: after the deadline (Riga time) of that day. */
export function isLate(day: string, deadline: string, now: Date): boolean {
  return now.getTime() > rigaMoment(day, deadline).getTime();
}

async function kindergartenFor(actor: Actor, code: string): Promise<InstitutionDoc> {
  const inst = await findInstitutionFor(actor, code);
  if (inst.type !== 'kindergarten') throw new ValidationError('not_a_kindergarten');
  return inst;
}

function checkDay(day: string, now: Date): void {
  if (!isCalendarDay(day)) throw new ValidationError('invalid_date');
  if (day > rigaToday(now)) throw new ValidationError('day_in_future', undefined, { day });
}

/** What the return form of a kindergarten and day shows: each group, its capacity, what was sent, and the children to tick. */
export async function getReturn(actor: Actor, code: string, day: string, now = new Date()) {
  const inst = await kindergartenFor(actor, code);
  checkDay(day, now);
  const deadline = await returnDeadline();
  const groups = await groupsOf([inst._id]);
  const sent = await AttendanceModel.find({ institution: inst._id, day }).lean();
  const byGroup = new Map(sent.map((a) => [String(a.group), a]));
  const rows = [];
  for (const g of groups) {
    const a = byGroup.get(g.id);
    rows.push({
      id: g.id,
      name: g.name,
      capacity: g.capacity,
      placed: g.placed,
      children: await childrenInGroup(g._id, day),
      submitted: a ? { registered: a.registered, present: a.present, late: a.late, at: a.submittedAt ?? a.updatedAt, by: a.submittedBy, ticked: (a.presentChildren ?? []).map(String) } : null,
    });
  }
  return { inst, day, base: isBaseOn(inst, day), deadline, dueAt: rigaMoment(day, deadline), lateNow: isLate(day, deadline, now), groups: rows };
}

type Planned = { group: { _id: Types.ObjectId; name: string; capacity: number }; registered: number; present: number; children: Types.ObjectId[] | undefined };

/**
 * Records a kindergarten's return for a day, all groups or none: every group is checked first
 * (it must exist; ticked children must be placed in it), so one wrong line changes nothing. A
 * return after the day's deadline is accepted and marked late, and changing a return after the
 * deadline is audited as a late edit. Present above capacity is accepted (children are not sent
 * home) and flagged in the answer and on the monitoring view at once.
 */
export async function submitReturn(actor: Actor, code: string, day: string, input: ReturnInput, ip: string | null, now = new Date()) {
  const inst = await kindergartenFor(actor, code);
  checkDay(day, now);
  if (!isBaseOn(inst, day)) throw new ValidationError('not_base_that_day', undefined, { day });
  const groups = await groupsOf([inst._id]);
  const byKey = new Map<string, (typeof groups)[number]>();
  for (const g of groups) {
    byKey.set(g.id, g);
    byKey.set(normalizeHeader(g.name), g);
  }
  const problems: Array<{ field: string; code: string }> = [];
  const planned: Planned[] = [];
  const seen = new Set<string>();
  for (const [i, line] of input.groups.entries()) {
    const g = byKey.get(line.group) ?? byKey.get(normalizeHeader(line.group));
    if (!g) {
      problems.push({ field: `groups.${i}.group`, code: 'unknown_group' });
      continue;
    }
    if (seen.has(g.id)) problems.push({ field: `groups.${i}.group`, code: 'duplicate_group' });
    seen.add(g.id);
    if ('children' in line) {
      const placed = await childrenInGroup(g._id, day);
      const ids = new Set(placed.map((c) => c.id));
      const ticked = [...new Set(line.children)];
      if (ticked.some((c) => !ids.has(c))) problems.push({ field: `groups.${i}.children`, code: 'unknown_child' });
      const children = placed.filter((c) => ticked.includes(c.id)).map((c) => c.id);
      planned.push({ group: g, registered: line.registered ?? placed.length, present: children.length, children: children.map((c) => new Types.ObjectId(c)) });
    } else planned.push({ group: g, registered: line.registered, present: line.present, children: undefined });
  }
  if (problems.length) throw new ValidationError(problems[0]!.code, undefined, { fields: problems });

  const deadline = await returnDeadline();
  const late = isLate(day, deadline, now);
  const by = actorTag(actor);
  const results = [];
  for (const p of planned) {
    const before = (await AttendanceModel.findOne({ group: p.group._id, day }).lean()) as (Attendance & { _id: Types.ObjectId }) | null;
    const change = { at: now, by, registered: p.registered, present: p.present, late, source: 'form' };
    const set: Record<string, unknown> = { registered: p.registered, present: p.present, capacity: p.group.capacity, presentChildren: p.children ?? [], submittedBy: by };
    if (!before) Object.assign(set, { institution: inst._id, group: p.group._id, day, submittedAt: now, late });
    await AttendanceModel.updateOne({ group: p.group._id, day }, { $set: set, $push: { history: change } }, { upsert: true }).catch(async (err: { code?: number }) => {
      // Two heads sending the same group at once: the second one's upsert met the first one's record.
      if (err.code !== 11000) throw err;
      await AttendanceModel.updateOne({ group: p.group._id, day }, { $set: { registered: p.registered, present: p.present, presentChildren: p.children ?? [], submittedBy: by }, $push: { history: change } });
    });
    const changed = !before || before.registered !== p.registered || before.present !== p.present;
    await recordAudit({
      actor,
      action: late ? (before ? 'attendance.late_edit' : 'attendance.late_return') : 'attendance.return',
      target: { type: 'attendance', id: String(p.group._id), label: `${p.group.name} ${day}` },
      institution: inst.code,
      ip,
      details: { day, group: p.group.name, registered: p.registered, present: p.present, previous: before ? { registered: before.registered, present: before.present } : null, changed },
    });
    results.push({ group: p.group.name, groupId: String(p.group._id), registered: p.registered, present: p.present, capacity: p.group.capacity, overCapacity: p.present > p.group.capacity, late: before ? before.late : late });
  }
  await touchDays([day]);
  return { institution: inst.code, day, late, deadline, groups: results };
}
