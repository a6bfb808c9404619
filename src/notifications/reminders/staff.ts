import type { Types } from 'mongoose';
import { DeviceModel, DeviceNeedModel } from '../../devices/model.ts';
import { ImportModel } from '../../imports/model.ts';
import { InstitutionModel } from '../../institutions/model.ts';
import { isBaseOn } from '../../institutions/service.ts';
import { AttendanceModel } from '../../kindergartens/model.ts';
import { returnDeadline } from '../../kindergartens/settings.ts';
import { rigaMoment, rigaToday } from '../../shared/dates.ts';
import { formatDay } from '../../web/format.ts';
import type { NotifyDeps } from '../deps.ts';
import type { MessageDraft } from '../messageService.ts';
import { coordinators, principalsOf, staffChannel, type StaffRecipient } from '../recipients.ts';
import type { ReminderSettings } from '../settings.ts';
import type { TemplateName, TemplateParams } from '../templates.ts';

const dayMs = 86_400_000;

function toStaff(event: string, template: TemplateName, r: StaffRecipient, deps: NotifyDeps, params: TemplateParams, institution: Types.ObjectId | null): MessageDraft {
  return {
    event,
    template,
    language: r.language,
    recipientRef: `user:${r.id}`,
    recipient: { kind: 'staff', address: r.email, name: r.name, user: r.id },
    channel: staffChannel(deps.configured),
    institution,
    params,
  };
}

/**
 * The heads of base kindergartens whose return for today is still missing once the deadline has
 * passed: one reminder per kindergarten and day (a return is all groups or none, so any row of
 * the day means it was sent).
 */
export async function attendanceMissing(deps: NotifyDeps, settings: ReminderSettings): Promise<MessageDraft[]> {
  if (!settings.attendanceMissing.enabled) return [];
  const now = deps.now();
  const today = rigaToday(now);
  const deadline = await returnDeadline();
  if (now < rigaMoment(today, deadline)) return [];
  const kindergartens = (await InstitutionModel.find({ type: 'kindergarten' }, { name: 1, code: 1, basePeriods: 1 }).lean()).filter((k) => isBaseOn(k, today));
  if (!kindergartens.length) return [];
  const sent = new Set((await AttendanceModel.distinct('institution', { day: today, institution: { $in: kindergartens.map((k) => k._id) } })).map(String));
  const missing = kindergartens.filter((k) => !sent.has(String(k._id)));
  const heads = await principalsOf(missing.map((k) => k._id));
  return missing.flatMap((k) =>
    (heads.get(String(k._id)) ?? []).map((h) =>
      toStaff(`reminder.attendance_missing:${k._id}:${today}`, 'attendance_missing', h, deps, {
        institution: k.name,
        day: formatDay(today, h.language),
        deadline,
        url: `${deps.baseUrl}/kindergartens/${encodeURIComponent(k.code)}/attendance/${today}`,
      }, k._id),
    ),
  );
}

/**
 * During the device campaign, the principals of schools whose needs list has not changed (by form
 * or by an upload) in the last N days; at most once in each N-day window of the campaign. Two
 * plain queries for what did change (FerretDB has no $max in $group), the rest is subtraction.
 */
export async function needsStale(deps: NotifyDeps, settings: ReminderSettings): Promise<MessageDraft[]> {
  const s = settings.needsStale;
  const now = deps.now();
  const today = rigaToday(now);
  if (!s.enabled || !s.campaignFrom || today < s.campaignFrom || (s.campaignTo && today > s.campaignTo)) return [];
  const campaignDays = Math.floor((now.getTime() - rigaMoment(s.campaignFrom, '00:00').getTime()) / dayMs);
  if (campaignDays < s.days) return [];
  const since = new Date(now.getTime() - s.days * dayMs);
  const [schools, changed, uploaded] = await Promise.all([
    InstitutionModel.find({ type: 'school' }, { name: 1, code: 1 }).lean(),
    DeviceNeedModel.distinct('institution', { updatedAt: { $gte: since } }),
    ImportModel.distinct('institutionCode', { kind: 'device-needs', status: 'succeeded', createdAt: { $gte: since } }),
  ]);
  const fresh = new Set([...changed.map(String), ...uploaded.map(String)]);
  const stale = schools.filter((k) => !fresh.has(String(k._id)) && !fresh.has(k.code));
  const principals = await principalsOf(stale.map((k) => k._id));
  const window = Math.floor(campaignDays / s.days);
  return stale.flatMap((k) =>
    (principals.get(String(k._id)) ?? []).map((p) =>
      toStaff(`reminder.needs_stale:${k._id}:${s.campaignFrom}:${window}`, 'needs_stale', p, deps, { institution: k.name, days: s.days, url: `${deps.baseUrl}/devices` }, k._id),
    ),
  );
}

/** The coordinators, once a day: devices in stock unallocated for N days, and loans overdue for return. */
export async function coordinatorDigests(deps: NotifyDeps, settings: ReminderSettings): Promise<MessageDraft[]> {
  const now = deps.now();
  const today = rigaToday(now);
  const [stock, overdue] = await Promise.all([
    settings.stockUnallocated.enabled ? DeviceModel.countDocuments({ status: 'in_stock', stockedAt: { $lt: new Date(now.getTime() - settings.stockUnallocated.days * dayMs) } }) : 0,
    settings.returnsOverdue.enabled ? DeviceModel.countDocuments({ status: 'handed_over', 'handover.returnBy': { $lt: today } }) : 0,
  ]);
  if (!stock && !overdue) return [];
  const people = await coordinators();
  const url = `${deps.baseUrl}/devices`;
  return people.flatMap((c) => [
    ...(stock ? [toStaff(`reminder.stock_unallocated:${today}`, 'stock_unallocated', c, deps, { count: stock, days: settings.stockUnallocated.days, url }, null)] : []),
    ...(overdue ? [toStaff(`reminder.returns_overdue:${today}`, 'returns_overdue', c, deps, { count: overdue, url }, null)] : []),
  ]);
}
