import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { Types } from 'mongoose';
import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { scopeFilter } from '../auth/scope.ts';
import { ValidationError } from '../errors.ts';
import { calendarDay } from '../http/fields.ts';
import type { TFunction } from '../i18n/index.ts';
import { GroupModel, InstitutionModel } from '../institutions/model.ts';
import { addDays, daysBetween, rigaToday } from '../shared/dates.ts';
import { exportValue } from '../shared/xlsxExport.ts';
import { isLate } from './attendanceService.ts';
import { addUp, dayFigures, type DayFigures } from './daySummaries.ts';
import { baseKindergartensOn, everyGroup, groupsOf } from './designationService.ts';
import { AttendanceModel } from './model.ts';
import { returnDeadline } from './settings.ts';

export const DayQuerySchema = z.object({ day: calendarDay().optional() });
export const PeriodQuerySchema = z
  .object({ from: calendarDay().optional(), to: calendarDay().optional(), institution: z.string().trim().max(40).optional() })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: 'period_reversed', path: ['to'] });

// The longest period one chart or export covers: a school year and a little more.
const maxPeriodDays = 400;

/** A period from a query: the last six weeks to today by default, at most `maxPeriodDays` long. */
export function periodOf(q: { from?: string | undefined; to?: string | undefined }, today = rigaToday()) {
  const to = q.to ?? today;
  const from = q.from ?? addDays(to, -41);
  if (from > to) throw new ValidationError('period_reversed');
  if (daysBetween(from, to).length > maxPeriodDays) throw new ValidationError('period_too_long', undefined, { max: maxPeriodDays });
  return { from, to };
}

/**
 * The coordinator's view of one day (a head sees their own kindergarten the same way): every base
 * kindergarten with present / capacity, each group's return or its absence, and the groups over
 * capacity. A return not yet in is "missing" only once the deadline has passed; before, it is due.
 */
export async function monitorDay(actor: Actor, day: string = rigaToday(), now = new Date()) {
  const fields = { group: 1, registered: 1, present: 1, late: 1, submittedAt: 1, capacity: 1 };
  // A coordinator's view covers every kindergarten, so nothing waits for the list of base ones:
  // the kindergartens, every group with its seats and the day's returns are read side by side,
  // and groups of kindergartens that are not base on the day are left out here. On the embedded
  // FerretDB each read costs mostly the decoding of what it returns, and three reads in a row
  // (kindergartens, their groups, the groups' seats) made the view over 200 base kindergartens
  // about 15% slower (scripts/bench/attendance). A head's view reads their own kindergarten's
  // groups and returns after it, as before.
  const coordinator = actor.role === 'coordinator';
  const [kindergartens, cityGroups, cityReturns, deadline] = await Promise.all([
    baseKindergartensOn(actor, day),
    coordinator ? everyGroup() : null,
    coordinator ? AttendanceModel.find({ day }, fields).lean() : null,
    returnDeadline(),
  ]);
  const ids = kindergartens.map((k) => k._id);
  const base = new Set(ids.map(String));
  const [groups, returns] = await Promise.all([
    cityGroups ? cityGroups.filter((g) => base.has(String(g.institution))) : groupsOf(ids),
    cityReturns ?? AttendanceModel.find({ day, institution: { $in: ids } }, fields).lean(),
  ]);
  const returnOf = new Map(returns.map((r) => [String(r.group), r]));
  const groupsByKg = new Map<string, typeof groups>();
  for (const g of groups) {
    const key = String(g.institution);
    if (!groupsByKg.has(key)) groupsByKg.set(key, []);
    groupsByKg.get(key)!.push(g);
  }
  const overdue = isLate(day, deadline, now);
  const rows = kindergartens.map((k) => {
    const gs = (groupsByKg.get(String(k._id)) ?? []).map((g) => {
      const r = returnOf.get(g.id);
      return {
        id: g.id,
        name: g.name,
        capacity: g.capacity,
        placed: g.placed,
        registered: r?.registered ?? null,
        present: r?.present ?? null,
        late: r?.late ?? false,
        submitted: !!r,
        overCapacity: !!r && r.present > g.capacity,
      };
    });
    const capacity = gs.reduce((s, g) => s + g.capacity, 0);
    const present = gs.reduce((s, g) => s + (g.present ?? 0), 0);
    const registered = gs.reduce((s, g) => s + (g.registered ?? 0), 0);
    return {
      code: k.code,
      name: k.name,
      address: k.address ?? '',
      capacity,
      present,
      registered,
      groups: gs,
      missing: gs.filter((g) => !g.submitted).map((g) => g.name),
      overCapacity: gs.filter((g) => g.overCapacity).map((g) => g.name),
      complete: gs.length > 0 && gs.every((g) => g.submitted),
    };
  });
  const totals = {
    kindergartens: rows.length,
    groups: groups.length,
    capacity: rows.reduce((s, r) => s + r.capacity, 0),
    present: rows.reduce((s, r) => s + r.present, 0),
    registered: rows.reduce((s, r) => s + r.registered, 0),
    missing: rows.reduce((s, r) => s + r.missing.length, 0),
    overCapacity: rows.reduce((s, r) => s + r.overCapacity.length, 0),
  };
  return { day, deadline, overdue, kindergartens: rows, totals };
}

/**
 * Occupancy per day over a period: present and capacity of the returns made. The coordinator's
 * figures cover every kindergarten and come from the kept day summaries; a head's cover their own
 * kindergarten and are added up from its few records.
 */
export async function occupancy(actor: Actor, period: { from: string; to: string }, institution?: string): Promise<DayFigures[]> {
  const days = daysBetween(period.from, period.to);
  if (actor.role === 'coordinator' && !institution) return dayFigures(days);
  const inst = await InstitutionModel.findOne({ ...(institution ? { code: institution } : {}), ...scopeFilter(actor, '_id') }, { _id: 1 }).lean();
  if (!inst) return days.map((d) => addUp(d, []));
  const rows = await AttendanceModel.find({ institution: inst._id, day: { $gte: period.from, $lte: period.to } }, { day: 1, registered: 1, present: 1, capacity: 1 }).lean();
  const byDay = new Map<string, typeof rows>();
  for (const r of rows) {
    if (!byDay.has(r.day)) byDay.set(r.day, []);
    byDay.get(r.day)!.push(r);
  }
  return days.map((d) => addUp(d, byDay.get(d) ?? []));
}

/**
 * Streams every return of a period (within the actor's scope) as an .xlsx workbook, one row per
 * group and day, read with a cursor so a whole school year of returns never sits in memory.
 * Names are written as text cells, never as formulas.
 */
export async function exportAttendance(actor: Actor, period: { from: string; to: string }, t: TFunction, out: Writable, institution?: string): Promise<void> {
  const filter: Record<string, unknown> = { ...scopeFilter(actor), day: { $gte: period.from, $lte: period.to } };
  if (institution) {
    const inst = await InstitutionModel.findOne({ code: institution, ...scopeFilter(actor, '_id') }, { _id: 1 }).lean();
    filter.institution = inst?._id ?? new Types.ObjectId();
  }
  const institutions = await InstitutionModel.find({ type: 'kindergarten', ...scopeFilter(actor, '_id') }, { code: 1, name: 1 }).lean();
  const instById = new Map(institutions.map((i) => [String(i._id), i]));
  const groups = await GroupModel.find({ institution: { $in: institutions.map((i) => i._id) } }, { name: 1 }).lean();
  const groupName = new Map(groups.map((g) => [String(g._id), g.name]));

  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(t('kindergartens.export.sheet').slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  const keys = ['day', 'institutionCode', 'institution', 'group', 'capacity', 'registered', 'present', 'overCapacity', 'submittedAt', 'late'];
  ws.columns = keys.map((k) => ({ header: t(`kindergartens.export.columns.${k}`), key: k, width: k === 'institution' ? 32 : 14 }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  const cursor = AttendanceModel.find(filter, { history: 0, presentChildren: 0 }).sort({ day: 1, institution: 1, group: 1 }).lean().cursor();
  for await (const a of cursor) {
    const inst = instById.get(String(a.institution));
    const over = a.capacity !== null && a.capacity !== undefined && a.present > a.capacity;
    ws.addRow(
      [
        a.day,
        inst?.code,
        inst?.name,
        groupName.get(String(a.group)),
        a.capacity ?? null,
        a.registered,
        a.present,
        t(over ? 'kindergartens.export.yes' : 'kindergartens.export.no'),
        a.submittedAt ? a.submittedAt.toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : null,
        t(a.late ? 'kindergartens.export.yes' : 'kindergartens.export.no'),
      ].map(exportValue),
    ).commit();
  }
  ws.commit();
  await wb.commit();
}
