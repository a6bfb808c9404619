import { Router } from 'express';
import { actorOf, requireRole, requireStaff } from '../auth/scope.ts';
import { parseInput } from '../http/parse.ts';
import { translator } from '../i18n/index.ts';
import { ShipmentModel } from './model.ts';
import { presentDevice } from './presenters.ts';
import { deviceFigures, ministryReport } from './reportService.ts';
import type { DeviceSettings } from './settings.ts';
import {
  addDevice,
  DeviceInputSchema,
  DeviceListQuerySchema,
  findDeviceFor,
  listDevices,
  listDueBack,
  listStaleStock,
  MoveSchema,
  moveDeviceTo,
  recordReturn,
  registerShipment,
  restockDevice,
  ReturnSchema,
  ShipmentInputSchema,
  withInstitutionCodes,
} from './stockService.ts';

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Stock API: shipments, devices, moves between institutions, returns, due-back and stale lists, the ministry report. */
export function stockApiRoutes(settings: DeviceSettings): Router {
  const router = Router();
  // Scope first: another institution's device answers 404 whatever the body holds.
  router.param('serial', async (req, _res, next, serial: string) => {
    await findDeviceFor(actorOf(req), serial);
    next();
  });
  router.post('/api/shipments', requireRole('coordinator'), async (req, res) => {
    res.status(201).json(await registerShipment(actorOf(req), parseInput(ShipmentInputSchema, req.body), req.ip ?? null));
  });
  router.get('/api/shipments', requireRole('coordinator'), async (_req, res) => {
    const shipments = await ShipmentModel.find().sort({ receivedAt: -1, createdAt: -1 }).limit(500).lean();
    res.json({ items: shipments.map((s) => ({ id: String(s._id), reference: s.reference, receivedAt: s.receivedAt, fromImport: !!s.importId })) });
  });

  router.get('/api/devices', requireStaff(), async (req, res) => {
    const devices = await listDevices(actorOf(req), parseInput(DeviceListQuerySchema, req.query));
    res.json({ items: devices.map(presentDevice) });
  });
  router.post('/api/devices', requireRole('coordinator'), async (req, res) => {
    const device = await addDevice(actorOf(req), parseInput(DeviceInputSchema, req.body), req.ip ?? null);
    res.status(201).json(presentDevice(device));
  });
  router.get('/api/devices/due-back', requireStaff(), async (req, res) => {
    const rows = await listDueBack(actorOf(req));
    res.json({ items: rows.map((r) => ({ ...presentDevice(r.device), overdue: r.overdue })) });
  });
  router.get('/api/devices/stale', requireStaff(), async (req, res) => {
    const rows = await listStaleStock(actorOf(req), settings.staleStockDays);
    res.json({ days: settings.staleStockDays, items: rows.map(presentDevice) });
  });
  router.get('/api/devices/:serial', requireStaff(), async (req, res) => {
    const [device] = await withInstitutionCodes([await findDeviceFor(actorOf(req), String(req.params.serial))]);
    res.json(presentDevice(device!));
  });
  router.post('/api/devices/:serial/move', requireRole('coordinator'), async (req, res) => {
    const { institution } = parseInput(MoveSchema, req.body);
    const moved = await moveDeviceTo(actorOf(req), String(req.params.serial), institution, req.ip ?? null);
    res.json(presentDevice((await withInstitutionCodes([moved]))[0]!));
  });
  router.post('/api/devices/:serial/return', requireStaff(), async (req, res) => {
    const back = await recordReturn(actorOf(req), String(req.params.serial), parseInput(ReturnSchema, req.body), req.ip ?? null);
    res.json(presentDevice((await withInstitutionCodes([back]))[0]!));
  });
  router.post('/api/devices/:serial/restock', requireRole('coordinator'), async (req, res) => {
    const back = await restockDevice(actorOf(req), String(req.params.serial), req.ip ?? null);
    res.json(presentDevice((await withInstitutionCodes([back]))[0]!));
  });

  router.get('/api/reports/devices', requireRole('coordinator'), async (req, res) => {
    res.json({ items: await deviceFigures(actorOf(req)) });
  });
  router.get('/api/reports/devices.xlsx', requireRole('coordinator'), async (req, res) => {
    const t = translator(req.lang);
    const file = await ministryReport(actorOf(req), t);
    res.type(xlsxType).attachment(`${t('devices.report.fileName')}.xlsx`).send(file);
  });
  return router;
}
