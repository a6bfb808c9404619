import { Router } from 'express';
import { z } from 'zod';
import { actorOf, requireRole } from '../auth/scope.ts';
import { parseInput } from '../http/parse.ts';
import { translator } from '../i18n/index.ts';
import { listInstitutions } from '../institutions/service.ts';
import { listBatches } from '../foodcards/batchService.ts';
import { listPeriods } from '../foodcards/periodService.ts';
import { supplierOrder } from '../foodcards/supplierOrder.ts';
import { periodOf } from '../kindergartens/monitoringService.ts';
import { rigaToday } from '../shared/dates.ts';
import { xlsxType } from '../web/listExport.ts';
import { send, viewOf } from '../web/pageSupport.ts';
import { reportsView, type BatchChoice } from './view.ts';

// The supplier-order form offers the confirmed batches of this many latest periods.
const periodsShown = 12;

const SupplierOrderQuerySchema = z.object({ batch: z.string().trim().min(1, 'batch_required').max(40) });

/**
 * The coordinator's reports page: the ministry's device report, a food-card batch's supplier
 * order and the kindergartens' attendance summary, each with a small form for its parameters.
 * Coordinators only: the device report and the supplier order are the office's (a head downloads
 * their own kindergarten's attendance from the kindergarten page).
 */
export function reportPages(): Router {
  const router = Router();
  const coordinator = requireRole('coordinator');

  router.get('/reports', coordinator, async (req, res) => {
    const v = viewOf(req);
    const actor = actorOf(req);
    const periods = (await listPeriods()).slice(0, periodsShown);
    const batches: BatchChoice[] = [];
    for (const p of periods) {
      for (const b of await listBatches(String(p._id))) if (b.status === 'confirmed') batches.push({ id: b.id, period: p.name, seq: b.seq, cards: b.cards, topUps: b.topUps });
    }
    const kindergartens = (await listInstitutions(actor)).filter((i) => i.type === 'kindergarten').map((i) => ({ code: i.code, name: i.name }));
    send(res, v, v.t('reports.title'), reportsView(v, { batches, kindergartens, attendance: periodOf({}, rigaToday()) }));
  });

  // The order of the batch chosen in the form (the same workbook as the batch's own download).
  router.get('/reports/supplier-order.xlsx', coordinator, async (req, res) => {
    const t = translator(req.lang);
    const { batch } = parseInput(SupplierOrderQuerySchema, req.query);
    const { file, seq } = await supplierOrder(batch, t);
    res.set('Cache-Control', 'no-store').type(xlsxType).attachment(`${t('foodcards.order.fileName')}-${seq}.xlsx`).send(file);
  });

  return router;
}
