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
 * or by an upload) for N days; again every N days while it stays so.
 */
export async function needsStale(deps: NotifyDeps, settings: ReminderSettings): Promise<MessageDraft[]> {
  const s = settings.needsStale;
  const now = deps.now();
  const today = rigaToday(now);
  if (!s.enabled || !s.campaignFrom || today < s.campaignFrom || (s.campaignTo && today > s.campaignTo)) return [];
  const schools = await InstitutionModel.find({ type: 'school' }, { name: 1, code: 1 }).lean();
  const [needUpdates, uploads] = await Promise.all([
    DeviceNeedModel.aggregate<{ _id: Types.ObjectId; at: Date }>([{ $group: { _id: '$institution', at: { $max: '$updatedAt' } } }]),
    ImportModel.aggregate<{ _id: string; at: Date }>([{ $match: { kind: 'device-needs', status: 'succeeded' } }, { $group: { _id: '$institutionCode', at: { $max: '$createdAt' } } }]),
  ]);
  const byInst = new Map(needUpdates.map((u) => [String(u._id), new Date(u.at).getTime()]));
  const byCode = new Map(uploads.map((u) => [u._id, new Date(u.at).getTime()]));
  const start = rigaMoment(s.campaignFrom, '00:00').getTime();
  const stale = schools
    .map((k) => {
      const since = Math.max(start, byInst.get(String(k._id)) ?? 0, byCode.get(k.code) ?? 0);
      return { k, since, days: Math.floor((now.getTime() - since) / dayMs) };
    })
    .filter((x) => x.days >= s.days);
  const principals = await principalsOf(stale.map((x) => x.k._id));
  return stale.flatMap(({ k, since, days }) =>
    (principals.get(String(k._id)) ?? []).map((p) =>
      toStaff(`reminder.needs_stale:${k._id}:${since}:${Math.floor(days / s.days)}`, 'needs_stale', p, deps, { institution: k.name, days, url: `${deps.baseUrl}/devices` }, k._id),
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
