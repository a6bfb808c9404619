import { Router, type Request } from 'express';
import type { Actor } from '../auth/actor.ts';
import { actorOf, requireRole, requireStaff } from '../auth/scope.ts';
import { parseInput } from '../http/parse.ts';
import { given, text } from '../web/formValues.ts';
import { exportRowCap, sendListExport, type ListColumn } from '../web/listExport.ts';
import { listRuns } from './deliveryService.ts';
import { listDeviceNeeds, NeedListQuerySchema } from './needsService.ts';
import { presentDevice, presentNeed } from './presenters.ts';
import { DeviceListQuerySchema, listDevices, listDueBack, withInstitutionCodes } from './stockService.ts';
import { deviceStatusLabel, needStatusLabel } from './views/common.ts';

/** The needs list's filters as the page reads them from the query (a principal's institution is their own). */
export function needFilters(req: Request, actor: Actor) {
  return {
    q: text(req.query, 'q'),
    status: text(req.query, 'status'),
    deviceType: text(req.query, 'deviceType'),
    deliveryMethod: text(req.query, 'deliveryMethod'),
    institution: actor.role === 'coordinator' ? text(req.query, 'institution') : '',
  };
}

/** The stock list's filters as the page reads them from the query. */
export function stockFilters(req: Request, actor: Actor) {
  return { status: text(req.query, 'status'), type: text(req.query, 'type'), institution: actor.role === 'coordinator' ? text(req.query, 'institution') : '', q: text(req.query, 'q') };
}

type NeedRow = ReturnType<typeof presentNeed> & { institution: string | null };
type DeviceRow = ReturnType<typeof presentDevice>;
type DueRow = { device: DeviceRow; overdue: boolean };
type RunRow = Awaited<ReturnType<typeof listRuns>>[number];

const needColumns: ListColumn<NeedRow>[] = [
  { header: 'exports.columns.firstName', value: (n) => n.firstName, width: 16 },
  { header: 'exports.columns.lastName', value: (n) => n.lastName, width: 18 },
  { header: 'devices.page.class', value: (n) => n.class },
  { header: 'devices.page.personalCode', value: (n) => n.personalCode, width: 14 },
  { header: 'devices.page.institution', value: (n) => n.institution },
  { header: 'devices.page.deviceType', value: (n, t) => t(`devices.types.${n.deviceType}`) },
  { header: 'devices.page.priority', value: (n) => n.priority, kind: 'number' },
  { header: 'devices.page.deliveryMethod', value: (n, t) => t(`devices.page.delivery.${n.deliveryMethod}`) },
  { header: 'devices.page.status', value: (n, t) => needStatusLabel(t, n.status), width: 24 },
  { header: 'devices.page.referenceCode', value: (n) => n.referenceCode, width: 16 },
  { header: 'exports.columns.registeredAt', value: (n) => n.createdAt, kind: 'time', width: 17 },
];

const deviceColumns: ListColumn<DeviceRow>[] = [
  { header: 'devices.page.serial', value: (d) => d.serial, width: 18 },
  { header: 'devices.page.deviceType', value: (d, t) => t(`devices.types.${d.type}`) },
  { header: 'devices.page.make', value: (d) => d.make },
  { header: 'devices.page.model', value: (d) => d.model, width: 18 },
  { header: 'devices.page.status', value: (d, t) => deviceStatusLabel(t, d.status), width: 20 },
  { header: 'devices.page.institution', value: (d, t) => d.institution ?? t('devices.page.stock.office') },
  { header: 'exports.columns.institutionName', value: (d) => d.institutionName, width: 30 },
  { header: 'devices.page.stock.since', value: (d) => d.stockedAt, kind: 'time', width: 17 },
];

const dueColumns: ListColumn<DueRow>[] = [
  { header: 'devices.page.serial', value: (r) => r.device.serial, width: 18 },
  { header: 'devices.page.deviceType', value: (r, t) => t(`devices.types.${r.device.type}`) },
  { header: 'devices.page.institution', value: (r) => r.device.institution },
  { header: 'exports.columns.institutionName', value: (r) => r.device.institutionName, width: 30 },
  { header: 'devices.page.need.collectedBy', value: (r) => r.device.handover?.collectedBy, width: 22 },
  { header: 'devices.page.need.relation', value: (r, t) => (r.device.handover ? t(`devices.page.relations.${r.device.handover.relation}`) : null) },
  { header: 'devices.page.need.handoverDate', value: (r) => r.device.handover?.date, kind: 'day' },
  { header: 'devices.page.need.returnBy', value: (r) => r.device.handover?.returnBy, kind: 'day' },
  { header: 'exports.columns.overdue', value: (r, t) => (r.overdue ? t('exports.yes') : t('exports.no')) },
];

const runColumns: ListColumn<RunRow>[] = [
  { header: 'devices.page.deliveries.day', value: (r) => r.run.day, kind: 'day' },
  { header: 'devices.page.deliveries.courier', value: (r) => r.run.courier, width: 20 },
  { header: 'devices.page.deliveries.stops', value: (r) => r.total, kind: 'number' },
  { header: 'devices.page.stopStatus.pending', value: (r) => r.pending, kind: 'number' },
  { header: 'devices.page.stopStatus.delivered', value: (r) => r.delivered, kind: 'number' },
  { header: 'devices.page.stopStatus.failed', value: (r) => r.failed, kind: 'number' },
];

/**
 * The device lists as workbooks, each at its page's path + `.xlsx` with the page's guard, filters
 * and service call (which scope by actor), only without the page size.
 */
export function deviceListExports(): Router {
  const router = Router();

  router.get('/devices.xlsx', requireStaff(), async (req, res) => {
    const actor = actorOf(req);
    const q = parseInput(NeedListQuerySchema, given(needFilters(req, actor)));
    const items = await listDeviceNeeds(actor, { ...q, limit: exportRowCap });
    const codes = await withInstitutionCodes(items.map((i) => ({ institution: i.need.institution })));
    const rows = items.map((item, i) => ({ ...presentNeed(item), institution: codes[i]?.institutionCode ?? null }));
    await sendListExport(req, res, { name: 'exports.files.needs', columns: needColumns, rows });
  });

  router.get('/devices/stock.xlsx', requireStaff(), async (req, res) => {
    const actor = actorOf(req);
    const q = parseInput(DeviceListQuerySchema, given(stockFilters(req, actor)));
    const rows = (await listDevices(actor, { ...q, limit: exportRowCap })).map(presentDevice);
    await sendListExport(req, res, { name: 'exports.files.stock', columns: deviceColumns, rows });
  });

  router.get('/devices/due-back.xlsx', requireStaff(), async (req, res) => {
    const rows = (await listDueBack(actorOf(req), undefined, exportRowCap)).map((r) => ({ device: presentDevice(r.device), overdue: r.overdue }));
    await sendListExport(req, res, { name: 'exports.files.dueBack', columns: dueColumns, rows });
  });

  router.get('/devices/deliveries.xlsx', requireRole('coordinator'), async (req, res) => {
    await sendListExport(req, res, { name: 'exports.files.deliveries', columns: runColumns, rows: await listRuns(exportRowCap) });
  });

  return router;
}
