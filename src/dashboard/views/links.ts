import type { InstitutionFigures } from '../figures.ts';

/** A path with its query, empty values left out. */
export function withQuery(path: string, params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/**
 * The list behind each figure of a line, filtered to the line's institution. The totals line and
 * the office's own stock have no code, so theirs are the unfiltered lists.
 */
export function figureLinks(row: Pick<InstitutionFigures, 'code'>, periodId: string | null) {
  const institution = row.code ?? undefined;
  const stock = withQuery('/devices/stock', { status: 'in_stock', institution });
  return {
    needed: withQuery('/devices', { institution }),
    awaitingApproval: withQuery('/devices', { institution, status: 'registered' }),
    allocated: withQuery('/devices', { institution, status: 'allocated' }),
    handedOver: withQuery('/devices', { institution, status: 'delivered' }),
    outstanding: withQuery('/devices', { institution }),
    inStock: stock,
    staleStock: stock,
    entitled: periodId ? withQuery(`/foodcards/periods/${periodId}/entitlements`, { institution }) : '/foodcards',
    issued: withQuery('/foodcards/cards', { period: periodId, institution }),
    collected: withQuery('/foodcards/cards', { period: periodId, institution, status: 'collected' }),
    uncollected: withQuery('/foodcards/cards', { period: periodId, institution, status: 'loaded' }),
    failed: withQuery('/notifications', { status: 'failed', institution }),
    tasks: institution ? `/institutions/${encodeURIComponent(institution)}#contact-tasks` : '/institutions',
    kindergarten: institution ? `/kindergartens/${encodeURIComponent(institution)}` : '/kindergartens',
  };
}
export type FigureLinks = ReturnType<typeof figureLinks>;
