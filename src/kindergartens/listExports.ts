import { Router } from 'express';
import { requireRole } from '../auth/scope.ts';
import { parseInput } from '../http/parse.ts';
import { given, text } from '../web/formValues.ts';
import { exportRowCap, sendListExport, type ListColumn } from '../web/listExport.ts';
import { listRequests, RequestListQuerySchema, waitingPosition } from './placementService.ts';
import { presentRequest } from './presenters.ts';
import { requestStatusLabel, sectorLabel } from './views/common.ts';

type RequestRow = ReturnType<typeof presentRequest>;

const requestColumns: ListColumn<RequestRow>[] = [
  { header: 'exports.columns.firstName', value: (r) => r.firstName, width: 16 },
  { header: 'exports.columns.lastName', value: (r) => r.lastName, width: 18 },
  { header: 'kindergartens.page.requests.columns.personalCode', value: (r) => r.personalCode, width: 14 },
  { header: 'kindergartens.page.requests.columns.employer', value: (r) => r.employer, width: 24 },
  { header: 'kindergartens.page.requests.columns.sector', value: (r, t) => sectorLabel(t, r.sector), width: 18 },
  { header: 'kindergartens.page.requests.columns.neededFrom', value: (r) => r.neededFrom, kind: 'day' },
  { header: 'kindergartens.page.requests.columns.status', value: (r, t) => requestStatusLabel(t, r.status), width: 20 },
  { header: 'exports.columns.queuePosition', value: (r) => r.position, kind: 'number' },
  { header: 'kindergartens.page.requests.columns.received', value: (r) => r.receivedAt, kind: 'time', width: 17 },
  { header: 'kindergartens.page.requests.columns.reference', value: (r) => r.referenceCode, width: 16 },
];

/** The requests for a place as a workbook: the list page's guard, filters and service call, without the page size. */
export function kindergartenListExports(): Router {
  const router = Router();
  router.get('/kindergartens/requests.xlsx', requireRole('coordinator'), async (req, res) => {
    const filters = { status: text(req.query, 'status'), q: text(req.query, 'q') };
    const q = parseInput(RequestListQuerySchema, given(filters));
    const items = await listRequests({ ...q, limit: exportRowCap });
    // As on the page: unfiltered by text the list comes by arrival, so counting gives the queue.
    let waiting = 0;
    const rows: RequestRow[] = [];
    for (const r of items) rows.push(presentRequest(r, { position: r.status !== 'waiting' ? null : filters.q ? await waitingPosition(r) : ++waiting }));
    await sendListExport(req, res, { name: 'exports.files.requests', columns: requestColumns, rows });
  });
  return router;
}
