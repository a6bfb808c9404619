import type { Actor } from '../auth/actor.ts';
import { DashboardFiguresModel } from './model.ts';
import { computeFigures, type Figures, type InstitutionFigures } from './figures.ts';

const latest = 'latest';

/**
 * How old the kept figures may be before a visit counts them itself: a worker counts them every
 * minute, so older figures mean no worker is running, and the page must not go on showing them.
 */
export const maxFiguresAgeMs = 10 * 60_000;

/** Counts every institution's figures and keeps them; run by the worker's `dashboard` schedule. */
export async function refreshDashboard(staleDays: number, now = new Date()): Promise<Figures> {
  const figures = await computeFigures(staleDays, now);
  await DashboardFiguresModel.replaceOne({ _id: latest }, { _id: latest, computedAt: figures.computedAt, figures: JSON.stringify(figures) }, { upsert: true });
  return figures;
}

// A count this process is making for its visitors: while no worker runs, the morning's first
// visits would otherwise each read the whole city at once.
let counting: Promise<Figures> | null = null;

/** The kept figures, counted now when there are none yet or they are older than `maxFiguresAgeMs`. */
export async function currentFigures(staleDays: number, now = new Date()): Promise<Figures> {
  const kept = await DashboardFiguresModel.findById(latest).lean();
  if (kept && typeof kept.figures === 'string' && now.getTime() - new Date(kept.computedAt).getTime() <= maxFiguresAgeMs) {
    const f = JSON.parse(kept.figures) as Figures;
    if (f.staleDays === staleDays) return { ...f, computedAt: new Date(f.computedAt) };
  }
  counting ??= refreshDashboard(staleDays, now).finally(() => (counting = null));
  return counting;
}

export type DashboardQuery = { type?: 'school' | 'kindergarten' | 'office'; q?: string; sort: SortKey; page: number };
export const sortKeys = ['name', 'outstanding', 'staleStock', 'uncollected', 'failed', 'tasks'] as const;
export type SortKey = (typeof sortKeys)[number];
export const dashboardPageSize = 50;

const sortValue: Record<Exclude<SortKey, 'name'>, (r: InstitutionFigures) => number> = {
  outstanding: (r) => r.devices.outstanding,
  staleStock: (r) => r.devices.staleStock,
  uncollected: (r) => r.food.uncollected,
  failed: (r) => r.messages.failed,
  tasks: (r) => r.messages.tasks,
};

const sum = (rows: InstitutionFigures[], pick: (r: InstitutionFigures) => number) => rows.reduce((s, r) => s + pick(r), 0);

/** The totals of a set of lines, in the shape of one line, weekly figures added week by week. */
export function totalOf(rows: InstitutionFigures[], weeks: number): InstitutionFigures {
  const d = (k: keyof InstitutionFigures['devices']) => sum(rows, (r) => r.devices[k]);
  const f = (k: keyof InstitutionFigures['food']) => sum(rows, (r) => r.food[k]);
  return {
    id: null,
    code: null,
    name: '',
    type: 'office',
    base: false,
    devices: { needed: d('needed'), awaitingApproval: d('awaitingApproval'), allocated: d('allocated'), handedOver: d('handedOver'), outstanding: d('outstanding'), inStock: d('inStock'), staleStock: d('staleStock') },
    food: { entitled: f('entitled'), issued: f('issued'), collected: f('collected'), uncollected: f('uncollected') },
    messages: { failed: sum(rows, (r) => r.messages.failed), tasks: sum(rows, (r) => r.messages.tasks) },
    weekly: {
      handedOver: Array.from({ length: weeks }, (_, i) => sum(rows, (r) => r.weekly.handedOver[i] ?? 0)),
      collected: Array.from({ length: weeks }, (_, i) => sum(rows, (r) => r.weekly.collected[i] ?? 0)),
    },
  };
}

/**
 * What one reader sees of the figures: a coordinator every line (filtered, sorted and a page of
 * them), a principal only their own institution's. The totals cover the reader's whole scope.
 */
export function dashboardFor(actor: Actor, figures: Figures, query: DashboardQuery) {
  const scope = actor.role === 'coordinator' ? figures.rows : figures.rows.filter((r) => r.id !== null && r.id === actor.institutionId);
  const total = totalOf(scope, figures.weeks.length);
  const needle = query.q?.trim().toLocaleLowerCase('lv');
  let rows = scope.filter((r) => (!query.type || r.type === query.type) && (!needle || r.name.toLocaleLowerCase('lv').includes(needle) || (r.code ?? '').toLocaleLowerCase('lv').includes(needle)));
  if (query.sort !== 'name') {
    const value = sortValue[query.sort];
    rows = [...rows].sort((a, b) => value(b) - value(a) || a.name.localeCompare(b.name, 'lv'));
  }
  const pages = Math.max(1, Math.ceil(rows.length / dashboardPageSize));
  const page = Math.min(query.page, pages);
  return {
    computedAt: figures.computedAt,
    weeks: figures.weeks,
    period: figures.period,
    staleDays: figures.staleDays,
    total,
    matching: rows.length,
    page,
    pages,
    rows: rows.slice((page - 1) * dashboardPageSize, page * dashboardPageSize),
  };
}
export type DashboardView = ReturnType<typeof dashboardFor>;
