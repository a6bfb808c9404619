import { DeviceModel, DeviceNeedModel } from '../devices/model.ts';
import { allocatedStates, handedStates, type DeviceCounts } from '../devices/reportService.ts';
import { FoodCardModel } from '../foodcards/cardModel.ts';
import { EntitlementModel, FoodPeriodModel } from '../foodcards/model.ts';
import { InstitutionModel } from '../institutions/model.ts';
import { isBaseOn } from '../institutions/service.ts';
import { ContactTaskModel, MessageModel } from '../notifications/model.ts';
import { addDays, rigaToday } from '../shared/dates.ts';

/** How many weeks the dashboard's charts look back, this week included. */
export const chartWeeks = 8;

export type DeviceFigures = DeviceCounts;
export type FoodFigures = { entitled: number; issued: number; collected: number; uncollected: number };
export type MessageFigures = { failed: number; tasks: number };
export type Weekly = { handedOver: number[]; collected: number[] };

/** One institution's line of the dashboard. The office's own stock is the line with `code` null. */
export type InstitutionFigures = {
  id: string | null;
  code: string | null;
  name: string;
  type: 'school' | 'kindergarten' | 'office';
  base: boolean;
  devices: DeviceFigures;
  food: FoodFigures;
  messages: MessageFigures;
  weekly: Weekly;
};

export type Figures = {
  computedAt: Date;
  /** The Monday (YYYY-MM-DD) each weekly figure begins on, oldest first. */
  weeks: string[];
  period: { id: string; name: string } | null;
  staleDays: number;
  rows: InstitutionFigures[];
};


const zeroDevices = (): DeviceFigures => ({ needed: 0, awaitingApproval: 0, allocated: 0, handedOver: 0, outstanding: 0, inStock: 0, staleStock: 0 });
const zeroRow = (id: string | null, code: string | null, name: string, type: InstitutionFigures['type'], base: boolean): InstitutionFigures => ({
  id,
  code,
  name,
  type,
  base,
  devices: zeroDevices(),
  food: { entitled: 0, issued: 0, collected: 0, uncollected: 0 },
  messages: { failed: 0, tasks: 0 },
  weekly: { handedOver: Array(chartWeeks).fill(0), collected: Array(chartWeeks).fill(0) },
});

/** The Mondays of the last `chartWeeks` weeks in Riga, oldest first. */
export function weekStarts(now: Date): string[] {
  const today = rigaToday(now);
  const weekday = (new Date(today + 'T00:00:00Z').getUTCDay() + 6) % 7; // Monday 0
  const monday = addDays(today, -weekday);
  return Array.from({ length: chartWeeks }, (_, i) => addDays(monday, -7 * (chartWeeks - 1 - i)));
}

/** The index of the week a moment falls in, or -1 outside the charts. */
function weekOf(weeks: string[], at: Date | string | null | undefined): number {
  if (!at) return -1;
  const day = rigaToday(new Date(at));
  if (day < weeks[0]!) return -1;
  let i = weeks.length - 1;
  while (i > 0 && day < weeks[i]!) i -= 1;
  return i;
}

/** The food period the dashboard counts: the latest one begun by today, else the first to come. */
async function currentPeriod(today: string) {
  const begun = await FoodPeriodModel.findOne({ from: { $lte: today } }, { name: 1 }).sort({ from: -1 }).lean();
  return begun ?? (await FoodPeriodModel.findOne({}, { name: 1 }).sort({ from: 1 }).lean());
}

/**
 * Every institution's figures, counted from the records themselves. Each collection is read once
 * with only the fields counted, side by side; this is the dashboard's whole cost, paid by a
 * background job (see service.ts) rather than by each morning visit.
 */
export async function computeFigures(staleDays: number, now = new Date()): Promise<Figures> {
  const today = rigaToday(now);
  const weeks = weekStarts(now);
  const staleBefore = new Date(now.getTime() - staleDays * 86_400_000);
  const period = await currentPeriod(today);
  const [institutions, needs, devices, entitlements, cards, failed, tasks] = await Promise.all([
    InstitutionModel.find({}, { code: 1, name: 1, type: 1, basePeriods: 1 }).lean(),
    DeviceNeedModel.find({}, { institution: 1, status: 1, 'history.status': 1, 'history.at': 1 }).lean(),
    DeviceModel.find({}, { institution: 1, status: 1, stockedAt: 1 }).lean(),
    period ? EntitlementModel.find({ period: period._id }, { institution: 1, cents: 1 }).lean() : [],
    FoodCardModel.find({}, { institution: 1, period: 1, status: 1, 'history.status': 1, 'history.at': 1 }).lean(),
    MessageModel.find({ status: 'failed' }, { institution: 1 }).lean(),
    ContactTaskModel.find({ status: 'open' }, { institution: 1 }).lean(),
  ]);
  const office = zeroRow(null, null, '', 'office', false);
  const rows = new Map<string, InstitutionFigures>(
    institutions.map((i) => [String(i._id), zeroRow(String(i._id), i.code, i.name, i.type as 'school' | 'kindergarten', i.type === 'kindergarten' && isBaseOn(i, today))]),
  );
  const rowOf = (id: unknown) => (id ? rows.get(String(id)) : undefined);

  for (const n of needs) {
    const row = rowOf(n.institution);
    if (!row || n.status === 'cancelled') continue;
    const d = row.devices;
    d.needed += 1;
    if (n.status === 'registered') d.awaitingApproval += 1;
    if (allocatedStates.has(n.status)) d.allocated += 1;
    if (handedStates.has(n.status)) d.handedOver += 1;
    else d.outstanding += 1;
    const handed = n.history?.find((h) => h.status === 'delivered');
    const w = weekOf(weeks, handed?.at);
    if (w >= 0) row.weekly.handedOver[w]! += 1;
  }
  for (const dev of devices) {
    if (dev.status !== 'in_stock') continue;
    const d = (rowOf(dev.institution) ?? office).devices;
    d.inStock += 1;
    if (dev.stockedAt && dev.stockedAt < staleBefore) d.staleStock += 1;
  }
  for (const e of entitlements) {
    const row = rowOf(e.institution);
    if (row && e.cents > 0) row.food.entitled += 1;
  }
  const periodId = period ? String(period._id) : null;
  for (const c of cards) {
    const row = rowOf(c.institution);
    if (!row) continue;
    const collectedAt = c.history?.find((h) => h.status === 'collected')?.at;
    const w = weekOf(weeks, collectedAt);
    if (w >= 0) row.weekly.collected[w]! += 1;
    if (String(c.period) !== periodId) continue;
    row.food.issued += 1;
    if (c.status === 'collected') row.food.collected += 1;
    else row.food.uncollected += 1;
  }
  // A failed message to the office's own staff has no institution; it counts on the office's line.
  for (const m of failed) (rowOf(m.institution) ?? office).messages.failed += 1;
  for (const t of tasks) {
    const row = rowOf(t.institution);
    if (row) row.messages.tasks += 1;
  }
  const sorted = [...rows.values()].sort((a, b) => a.name.localeCompare(b.name, 'lv'));
  return {
    computedAt: now,
    weeks,
    period: period ? { id: String(period._id), name: period.name } : null,
    staleDays,
    rows: office.devices.inStock || office.messages.failed ? [office, ...sorted] : sorted,
  };
}
