import { Router } from 'express';
import { actorOf, requireRole, requireStaff } from '../auth/scope.ts';
import { parseInput } from '../http/parse.ts';
import { translator } from '../i18n/index.ts';
import { BatchInputSchema, confirmBatch, createBatch, findBatch, listBatches, presentBatch } from './batchService.ts';
import { CardHandoverSchema, CardListQuerySchema, CardNumbersSchema, LoadedSchema, assignNumbers, cardTotals, findCardFor, listCards, markLoaded, recordCardHandover, showCard } from './cardService.ts';
import { supplierOrder } from './supplierOrder.ts';

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Food-card batches and cards. The office (coordinators) makes batches, confirms a waiting one,
 * downloads the supplier's order, enters card numbers and marks cards loaded; staff list cards,
 * record the hand-over at school and see the uncollected ones, a principal for their own school
 * only (another school's card is a 404).
 */
export function foodCardApiRoutes(): Router {
  const router = Router();
  // The card is looked up within the caller's scope before the body is read, so another
  // institution's card answers 404 whatever the body holds.
  router.param('cardId', async (req, _res, next, id: string) => {
    await findCardFor(actorOf(req), id);
    next();
  });
  router.get('/api/food-periods/:periodId/batches', requireRole('coordinator'), async (req, res) => {
    res.json({ items: await listBatches(String(req.params.periodId)) });
  });
  router.post('/api/food-periods/:periodId/batches', requireRole('coordinator'), async (req, res) => {
    const result = await createBatch(actorOf(req), String(req.params.periodId), parseInput(BatchInputSchema, req.body), req.ip ?? null);
    res.status(result.created ? 201 : 200).json(result);
  });
  router.get('/api/food-batches/:batchId', requireRole('coordinator'), async (req, res) => {
    res.json(await presentBatch(await findBatch(String(req.params.batchId))));
  });
  router.post('/api/food-batches/:batchId/confirm', requireRole('coordinator'), async (req, res) => {
    res.json(await confirmBatch(actorOf(req), String(req.params.batchId), req.ip ?? null));
  });
  router.get('/api/food-batches/:batchId/order.xlsx', requireRole('coordinator'), async (req, res) => {
    const t = translator(req.lang);
    const { file, seq } = await supplierOrder(String(req.params.batchId), t);
    res.type(xlsxType).attachment(`${t('foodcards.order.fileName')}-${seq}.xlsx`).send(file);
  });
  router.post('/api/food-batches/:batchId/numbers', requireRole('coordinator'), async (req, res) => {
    res.json(await assignNumbers(actorOf(req), String(req.params.batchId), parseInput(CardNumbersSchema, req.body), req.ip ?? null));
  });
  router.post('/api/food-batches/:batchId/loaded', requireRole('coordinator'), async (req, res) => {
    res.json(await markLoaded(actorOf(req), String(req.params.batchId), parseInput(LoadedSchema, req.body), req.ip ?? null));
  });
  // Staff routes: a principal sees and hands over their own school's cards only.
  router.get('/api/food-periods/:periodId/card-totals', requireStaff(), async (req, res) => {
    res.json(await cardTotals(actorOf(req), String(req.params.periodId)));
  });
  router.get('/api/food-cards', requireStaff(), async (req, res) => {
    res.json(await listCards(actorOf(req), parseInput(CardListQuerySchema, req.query)));
  });
  router.get('/api/food-cards/uncollected', requireStaff(), async (req, res) => {
    res.json(await listCards(actorOf(req), parseInput(CardListQuerySchema, req.query), true));
  });
  router.get('/api/food-cards/:cardId', requireStaff(), async (req, res) => {
    res.json(await showCard(actorOf(req), String(req.params.cardId)));
  });
  router.post('/api/food-cards/:cardId/handover', requireStaff(), async (req, res) => {
    res.json(await recordCardHandover(actorOf(req), String(req.params.cardId), parseInput(CardHandoverSchema, req.body), req.ip ?? null));
  });
  return router;
}
