import { Types } from 'mongoose';
import { z } from 'zod';
import { actorTag, type Actor } from '../auth/actor.ts';
import { findInstitutionFor, scopeFilter } from '../auth/scope.ts';
import { recordAudit } from '../audit/service.ts';
import { Conflict, NotFound, ValidationError } from '../errors.ts';
import { recordEvents } from '../events/service.ts';
import { InstitutionModel } from '../institutions/model.ts';
import { rigaToday } from '../shared/dates.ts';
import { guardedUpdate } from '../shared/claims.ts';
import { DeviceModel, DeviceNeedModel, deviceStatuses, deviceTypes, ShipmentModel } from './model.ts';
import { moveDevice, moveNeed } from './transitions.ts';
import { calendarDay, optionalText } from '../http/fields.ts';
import { escapeRegex } from '../shared/regex.ts';

const day = calendarDay();
const serial = z.string().trim().min(1, 'serial_required').max(80).transform((s) => s.toUpperCase());

export const DeviceInputSchema = z.object({
  serial,
  type: z.enum(deviceTypes),
  make: optionalText(100),
  model: optionalText(100),
  condition: z.string().trim().max(100).default('new'),
});

export const ShipmentInputSchema = z.object({
  reference: z.string().trim().min(1).max(100),
  receivedAt: day,
  note: optionalText(500),
  devices: z.array(DeviceInputSchema).min(1).max(5000),
});

export const DeviceListQuerySchema = z.object({
  status: z.enum(deviceStatuses).optional(),
  type: z.enum(deviceTypes).optional(),
  institution: z.string().trim().max(40).optional(),
  q: z.string().trim().max(80).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

export const MoveSchema = z.object({ institution: z.string().trim().max(40).nullable() });

export const ReturnSchema = z.object({
  condition: z.enum(['good', 'damaged', 'faulty']),
  date: day.optional(),
  note: optionalText(500),
});

/** A device by serial within the actor's scope (principals: devices at their institution). */
export async function findDeviceFor(actor: Actor, serialNo: string) {
  const device = await DeviceModel.findOne({ serial: serialNo.trim().toUpperCase(), ...scopeFilter(actor) }).lean();
  if (!device) throw new NotFound('device_not_found');
  return device;
}

/**
 * Registers a ministry shipment typed in by hand. Serials are checked before anything is written,
 * so a list with a serial already in stock (or twice in itself) changes nothing.
 */
export async function registerShipment(actor: Actor, input: z.infer<typeof ShipmentInputSchema>, ip: string | null) {
  const serials = input.devices.map((d) => d.serial);
  const twice = serials.find((s, i) => serials.indexOf(s) !== i);
  if (twice) throw new ValidationError('serial_repeated', undefined, { serial: twice });
  const existing = await DeviceModel.find({ serial: { $in: serials } }, { serial: 1 }).lean();
  if (existing.length) throw new Conflict('serial_exists', undefined, { serials: existing.map((d) => d.serial) });
  const shipment = await ShipmentModel.create({ reference: input.reference, receivedAt: input.receivedAt, note: input.note });
  const now = new Date();
  try {
    await DeviceModel.insertMany(
      input.devices.map((d) => ({ ...d, status: 'in_stock', institution: null, shipment: shipment._id, stockedAt: now, history: [{ status: 'in_stock', at: now, by: actorTag(actor), note: input.reference }] })),
    );
  } catch (err) {
    // Someone stored one of these serials in the same instant: undo this shipment's devices.
    await DeviceModel.deleteMany({ shipment: shipment._id });
    await ShipmentModel.deleteOne({ _id: shipment._id });
    if ((err as { code?: number }).code === 11000) throw new Conflict('serial_exists');
    throw err;
  }
  await recordAudit({ actor, action: 'shipment.create', target: { type: 'shipment', id: String(shipment._id), label: input.reference }, ip, details: { devices: serials.length } });
  return { id: String(shipment._id), reference: shipment.reference, receivedAt: shipment.receivedAt, devices: serials.length };
}

/** Adds one device to the office's stock (e.g. a late item of a shipment). */
export async function addDevice(actor: Actor, input: z.infer<typeof DeviceInputSchema> & { shipment?: string }, ip: string | null) {
  if (await DeviceModel.exists({ serial: input.serial })) throw new Conflict('serial_exists', undefined, { serials: [input.serial] });
  const now = new Date();
  const device = await DeviceModel.create({ ...input, shipment: input.shipment && Types.ObjectId.isValid(input.shipment) ? input.shipment : null, stockedAt: now, history: [{ status: 'in_stock', at: now, by: actorTag(actor), note: null }] }).catch((err: { code?: number }) => {
    throw err.code === 11000 ? new Conflict('serial_exists', undefined, { serials: [input.serial] }) : err;
  });
  await recordAudit({ actor, action: 'device.create', target: { type: 'device', id: String(device._id), label: device.serial }, ip });
  return device.toObject();
}

/** Devices in the actor's scope, filtered; each with its institution's code. */
export async function listDevices(actor: Actor, q: z.infer<typeof DeviceListQuerySchema>) {
  const filter: Record<string, unknown> = { ...scopeFilter(actor) };
  if (q.status) filter.status = q.status;
  if (q.type) filter.type = q.type;
  if (q.institution === '-') filter.institution = actor.role === 'coordinator' ? null : { $in: [] };
  else if (q.institution) filter.institution = (await findInstitutionFor(actor, q.institution))._id;
  if (q.q) filter.serial = { $regex: escapeRegex(q.q.toUpperCase()) };
  const devices = await DeviceModel.find(filter, { history: 0 }).sort({ stockedAt: 1, serial: 1 }).limit(q.limit).lean();
  return withInstitutionCodes(devices);
}

/** Adds the institution code to each record holding an `institution` id. */
export async function withInstitutionCodes<T extends { institution?: Types.ObjectId | null }>(rows: T[]) {
  const ids = [...new Set(rows.map((r) => r.institution).filter(Boolean).map(String))];
  const insts = ids.length ? await InstitutionModel.find({ _id: { $in: ids } }, { code: 1, name: 1 }).lean() : [];
  const byId = new Map(insts.map((i) => [String(i._id), i]));
  return rows.map((r) => ({ ...r, institutionCode: r.institution ? (byId.get(String(r.institution))?.code ?? null) : null, institutionName: r.institution ? (byId.get(String(r.institution))?.name ?? null) : null }));
}

/** Moves a device in stock to another institution's stock (or back to the office's, with null). */
export async function moveDeviceTo(actor: Actor, serialNo: string, code: string | null, ip: string | null) {
  const device = await findDeviceFor(actor, serialNo);
  const target = code ? await findInstitutionFor(actor, code) : null;
  const moved = await guardedUpdate<typeof device>(DeviceModel, device._id, ['in_stock'], {}, {
    $set: { institution: target?._id ?? null },
    $push: { history: { status: 'in_stock', at: new Date(), by: actorTag(actor), note: `moved:${target?.code ?? 'office'}` } },
  });
  if (!moved) throw new Conflict('device_not_in_stock', undefined, { status: device.status });
  await recordAudit({ actor, action: 'device.move', target: { type: 'device', id: String(device._id), label: device.serial }, institution: target?.code ?? null, ip });
  return moved;
}

/**
 * A handed-over device comes back: `faulty` ends its life as faulty, otherwise it is returned
 * (and the coordinator may put it back in stock). The pupil's need becomes `returned`.
 */
export async function recordReturn(actor: Actor, serialNo: string, input: z.infer<typeof ReturnSchema>, ip: string | null) {
  const device = await findDeviceFor(actor, serialNo);
  if (device.status !== 'handed_over') throw new Conflict('device_not_handed_over', undefined, { status: device.status });
  const to = input.condition === 'faulty' ? 'faulty' : 'returned';
  const date = input.date ?? rigaToday();
  const back = await moveDevice(device._id, ['handed_over'], to, actor, { set: { condition: input.condition, returnedAt: date }, note: input.note });
  if (!back) throw new Conflict('device_not_handed_over');
  if (device.need) {
    const need = await moveNeed(device.need, ['delivered'], 'returned', actor, { note: input.condition });
    if (need) await recordEvents([{ type: 'device.returned', subject: { kind: 'deviceNeed', id: need._id }, institution: need.institution, pupil: need.pupil, data: { condition: input.condition, date } }]);
  }
  await recordAudit({ actor, action: 'device.return', target: { type: 'device', id: String(device._id), label: device.serial }, ip, details: { condition: input.condition } });
  return back;
}

/** A returned device in good order goes back into the stock it was returned to. */
export async function restockDevice(actor: Actor, serialNo: string, ip: string | null) {
  const device = await findDeviceFor(actor, serialNo);
  const back = await moveDevice(device._id, ['returned'], 'in_stock', actor, { set: { need: null, handover: null, stockedAt: new Date() } });
  if (!back) throw new Conflict('device_not_returned', undefined, { status: device.status });
  await recordAudit({ actor, action: 'device.restock', target: { type: 'device', id: String(device._id), label: device.serial }, ip });
  return back;
}

/** Devices out with pupils, soonest due first; `overdue` when the return date has passed. */
export async function listDueBack(actor: Actor, today = rigaToday(), limit = 2000) {
  const devices = await DeviceModel.find({ ...scopeFilter(actor), status: 'handed_over' }, { history: 0 }).sort({ 'handover.returnBy': 1, serial: 1 }).limit(limit).lean();
  const needs = await DeviceNeedModel.find({ _id: { $in: devices.map((d) => d.need).filter(Boolean) } }, { pupil: 1 }).lean();
  const pupilOf = new Map(needs.map((n) => [String(n._id), n.pupil]));
  const rows = await withInstitutionCodes(devices);
  return rows.map((d) => ({ device: d, pupil: d.need ? (pupilOf.get(String(d.need)) ?? null) : null, overdue: !!d.handover?.returnBy && d.handover.returnBy < today }));
}

/** Devices in stock for more than `days` days (oldest first), for the dashboard's warning. */
export async function listStaleStock(actor: Actor, days: number, now = new Date()) {
  const before = new Date(now.getTime() - days * 86_400_000);
  const devices = await DeviceModel.find({ ...scopeFilter(actor), status: 'in_stock', stockedAt: { $lt: before } }, { history: 0 }).sort({ stockedAt: 1 }).limit(2000).lean();
  return withInstitutionCodes(devices);
}
