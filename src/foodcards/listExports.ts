import { Router } from 'express';
import { actorOf, findInstitutionFor, requireStaff } from '../auth/scope.ts';
import { parseInput } from '../http/parse.ts';
import { given, text } from '../web/formValues.ts';
import { exportRowCap, sendListExport, type ListColumn } from '../web/listExport.ts';
import { CardListQuerySchema, listCards } from './cardService.ts';
import { EntitlementListQuerySchema, listEntitlements } from './entitlementService.ts';
import { ExpiringQuerySchema, expiringStatuses } from './familyStatusService.ts';
import { listPeriods } from './periodService.ts';
import { statusLabel } from './views/common.ts';

type CardRow = Awaited<ReturnType<typeof listCards>>['items'][number];
type EntitlementRow = Awaited<ReturnType<typeof listEntitlements>>['items'][number];
type StatusRow = Awaited<ReturnType<typeof expiringStatuses>>[number];

const cardColumns: ListColumn<CardRow>[] = [
  { header: 'foodcards.page.cards.institution', value: (c) => c.institution },
  { header: 'exports.columns.firstName', value: (c) => c.firstName, width: 16 },
  { header: 'exports.columns.lastName', value: (c) => c.lastName, width: 18 },
  { header: 'foodcards.page.cards.class', value: (c) => c.class },
  { header: 'foodcards.page.cards.number', value: (c) => c.number, width: 18 },
  { header: 'exports.columns.status', value: (c, t) => t(`status.steps.foodcard.${c.status}`), width: 24 },
  { header: 'exports.columns.amount', value: (c) => c.amount.issuedCents, kind: 'money' },
  { header: 'foodcards.page.cards.readyFrom', value: (c) => c.readyFrom, kind: 'day' },
  { header: 'foodcards.page.cards.collectedBy', value: (c) => c.handover?.collectedBy, width: 22 },
  { header: 'foodcards.page.cards.relation', value: (c, t) => (c.handover?.relation ? t(`foodcards.page.cards.relations.${c.handover.relation}`, { defaultValue: c.handover.relation }) : null) },
  { header: 'foodcards.page.cards.date', value: (c) => c.handover?.date, kind: 'day' },
  { header: 'exports.columns.referenceCode', value: (c) => c.referenceCode, width: 16 },
];

const entitlementColumns: ListColumn<EntitlementRow>[] = [
  { header: 'foodcards.page.entitlements.columns.institution', value: (e) => e.institution },
  { header: 'exports.columns.firstName', value: (e) => e.firstName, width: 16 },
  { header: 'exports.columns.lastName', value: (e) => e.lastName, width: 18 },
  { header: 'foodcards.page.entitlements.columns.class', value: (e) => e.class },
  { header: 'foodcards.page.entitlements.columns.personalCode', value: (e) => e.personalCode, width: 14 },
  { header: 'foodcards.page.entitlements.columns.status', value: (e, t) => statusLabel(t, e.status), width: 20 },
  { header: 'exports.columns.validFrom', value: (e) => e.validFrom, kind: 'day' },
  { header: 'exports.columns.validTo', value: (e) => e.validTo, kind: 'day' },
  { header: 'foodcards.page.entitlements.columns.days', value: (e) => e.days, kind: 'number' },
  { header: 'exports.columns.amount', value: (e) => e.cents, kind: 'money' },
];

const statusColumns: ListColumn<StatusRow>[] = [
  { header: 'foodcards.page.statuses.columns.institution', value: (s) => s.institution },
  { header: 'exports.columns.firstName', value: (s) => s.firstName, width: 16 },
  { header: 'exports.columns.lastName', value: (s) => s.lastName, width: 18 },
  { header: 'foodcards.page.statuses.columns.class', value: (s) => s.class },
  { header: 'foodcards.page.statuses.columns.personalCode', value: (s) => s.personalCode, width: 14 },
  { header: 'foodcards.page.statuses.columns.status', value: (s, t) => statusLabel(t, s.status), width: 20 },
  { header: 'exports.columns.validFrom', value: (s) => s.validFrom, kind: 'day' },
  { header: 'foodcards.page.statuses.columns.validTo', value: (s) => s.validTo, kind: 'day' },
];

/**
 * The food-card lists as workbooks (cards at school, a period's amounts, family statuses about to
 * expire), each with its page's guard, filters and service call, without the page size. A
 * principal gets their own institution's rows only: the services scope by actor.
 */
export function foodcardListExports(): Router {
  const router = Router();

  router.get('/foodcards/cards.xlsx', requireStaff(), async (req, res) => {
    const actor = actorOf(req);
    // As the page: the period asked for, else the latest; the office may narrow to one institution.
    const wanted = text(req.query, 'period').trim() || (await listPeriods()).map((p) => String(p._id))[0];
    const code = actor.role === 'principal' ? '' : text(req.query, 'institution').trim();
    const rows = wanted ? (await listCards(actor, { ...parseInput(CardListQuerySchema, given({ period: wanted, institution: code })), limit: exportRowCap })).items : [];
    await sendListExport(req, res, { name: 'exports.files.cards', columns: cardColumns, rows });
  });

  router.get('/foodcards/periods/:periodId/entitlements.xlsx', requireStaff(), async (req, res) => {
    const actor = actorOf(req);
    const code = text(req.query, 'institution').trim() || (actor.role === 'principal' ? (actor.institutionCode ?? '') : '');
    const inst = code ? await findInstitutionFor(actor, code) : null;
    const q = parseInput(EntitlementListQuerySchema, given({ institution: inst?.code }));
    const list = await listEntitlements(actor, String(req.params.periodId), { ...q, limit: exportRowCap });
    await sendListExport(req, res, { name: 'exports.files.entitlements', columns: entitlementColumns, rows: list.items });
  });

  router.get('/foodcards/statuses.xlsx', requireStaff(), async (req, res) => {
    const typedDays = text(req.query, 'days');
    const q = parseInput(ExpiringQuerySchema, /^\d{1,3}$/.test(typedDays) ? { days: typedDays } : {});
    const rows = await expiringStatuses(actorOf(req), { days: q.days }, undefined, exportRowCap);
    await sendListExport(req, res, { name: 'exports.files.statuses', columns: statusColumns, rows });
  });

  return router;
}
