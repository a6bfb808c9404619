import { Types } from 'mongoose';
import { z } from 'zod';
import { actorTag, type Actor } from '../auth/actor.ts';
import { recordAudit } from '../audit/service.ts';
import { Conflict, NotFound, ValidationError } from '../errors.ts';
import { recordEvents } from '../events/service.ts';
import { rigaToday } from '../shared/dates.ts';
import { DeliveryRunModel, DeliveryStopModel } from './deliveryModel.ts';
import { calendarDay, optionalText } from '../http/fields.ts';
import { relations } from '../pupils/relations.ts';
import { handOver } from './handoverService.ts';
import { DeviceModel, DeviceNeedModel } from './model.ts';
import { withPupils } from './needsService.ts';
import type { DeviceSettings } from './settings.ts';
import { withInstitutionCodes } from './stockService.ts';
import { moveNeed } from './transitions.ts';

export const RunInputSchema = z.object({
  day: calendarDay(),
  courier: optionalText(200),
  needs: z.array(z.string()).max(2000).optional(),
});

export const StopOutcomeSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('delivered'), receivedBy: z.string().trim().min(1, 'collected_by_required').max(200), relation: z.enum(relations) }),
  z.object({ outcome: z.literal('failed'), reason: z.string().trim().min(1, 'reason_required').max(500) }),
]);

/**
 * The area an address belongs to, for grouping a route: its postcode when it has one (`LV-3401`),
 * else its street without the house number, else the town.
 */
export function areaOf(address: string): string {
  const postcode = /\bLV[-\s]?(\d{4})\b/i.exec(address);
  if (postcode) return `LV-${postcode[1]}`;
  const street = address.split(',')[0]!.replace(/\s+\d.*$/, '').trim();
  return street || address.trim();
}

/** Home-delivery needs with a device that are not on a run yet: what a new run can take. */
export async function deliveryCandidates() {
  const needs = await DeviceNeedModel.find({ status: 'allocated', deliveryMethod: 'home' }, { history: 0 }).sort({ priority: 1, createdAt: 1 }).limit(2000).lean();
  return withPupils(needs);
}

/**
 * Builds a run for a day from the chosen home-delivery needs (all candidates when none are named):
 * each need goes `out_for_delivery` with a guarded update, so a need already on another run is
 * skipped; stops are ordered by area, then address.
 */
export async function createRun(actor: Actor, input: z.infer<typeof RunInputSchema>, ip: string | null) {
  if (input.day < rigaToday()) throw new ValidationError('date_in_past');
  const chosen = input.needs?.length ? input.needs.filter((id) => Types.ObjectId.isValid(id)) : (await deliveryCandidates()).map((c) => String(c.need._id));
  if (!chosen.length) throw new ValidationError('no_deliveries');
  const run = await DeliveryRunModel.create({ day: input.day, courier: input.courier, createdBy: actorTag(actor) });
  const taken = [];
  for (const id of chosen) {
    const need = await moveNeed(id, ['allocated'], 'out_for_delivery', actor, { guard: { deliveryMethod: 'home' }, set: { delivery: { run: run._id, day: input.day } } });
    if (need) taken.push(need);
  }
  if (!taken.length) {
    await DeliveryRunModel.deleteOne({ _id: run._id });
    throw new Conflict('no_deliveries');
  }
  const stops = taken
    .map((n) => ({ need: n._id, institution: n.institution, address: n.address ?? '', area: areaOf(n.address ?? '') }))
    .sort((a, b) => a.area.localeCompare(b.area, 'lv') || a.address.localeCompare(b.address, 'lv'));
  await DeliveryStopModel.insertMany(stops.map((s, i) => ({ ...s, run: run._id, order: i + 1 })));
  await recordEvents(taken.map((n) => ({ type: 'device.out_for_delivery', subject: { kind: 'deviceNeed', id: n._id }, institution: n.institution, pupil: n.pupil, data: { day: input.day } })));
  await recordAudit({ actor, action: 'delivery_run.create', target: { type: 'deliveryRun', id: String(run._id), label: input.day }, ip, details: { stops: stops.length, skipped: chosen.length - taken.length } });
  return { id: String(run._id), day: run.day, stops: stops.length, skipped: chosen.length - taken.length };
}

/** Runs, newest day first, with their stop counts. */
export async function listRuns(limit = 200) {
  const runs = await DeliveryRunModel.find().sort({ day: -1, createdAt: -1 }).limit(limit).lean();
  const stops = await DeliveryStopModel.find({ run: { $in: runs.map((r) => r._id) } }, { run: 1, status: 1 }).lean();
  const byRun = Map.groupBy(stops, (s) => String(s.run));
  return runs.map((r) => {
    const mine = byRun.get(String(r._id)) ?? [];
    return { run: r, total: mine.length, pending: mine.filter((s) => s.status === 'pending').length, delivered: mine.filter((s) => s.status === 'delivered').length, failed: mine.filter((s) => s.status === 'failed').length };
  });
}

/** One run with its stops, each with the pupil's name, the guardian's contact and the device (the route sheet). */
export async function getRun(id: string) {
  if (!Types.ObjectId.isValid(id)) throw new NotFound('run_not_found');
  const run = await DeliveryRunModel.findById(id).lean();
  if (!run) throw new NotFound('run_not_found');
  const stops = await withInstitutionCodes(await DeliveryStopModel.find({ run: run._id }).sort({ order: 1 }).lean());
  const needs = await DeviceNeedModel.find({ _id: { $in: stops.map((s) => s.need) } }, { pupil: 1, device: 1, deviceType: 1 }).lean();
  const needById = new Map(needs.map((n) => [String(n._id), n]));
  const pupils = new Map((await withPupils(needs)).map((p) => [String(p.need._id), p.pupil]));
  const devices = await DeviceModel.find({ _id: { $in: needs.map((n) => n.device).filter(Boolean) } }, { serial: 1, make: 1, model: 1 }).lean();
  const deviceById = new Map(devices.map((d) => [String(d._id), d]));
  return {
    run,
    stops: stops.map((s) => {
      const need = needById.get(String(s.need));
      return { stop: s, pupil: pupils.get(String(s.need)) ?? null, device: need?.device ? (deviceById.get(String(need.device)) ?? null) : null };
    }),
  };
}

/**
 * The courier's answer for one stop. Delivered: the device is handed over to whoever received it.
 * Failed: the need goes back to `allocated` with the reason, ready for another run.
 */
export async function markStop(actor: Actor, runId: string, stopId: string, input: z.infer<typeof StopOutcomeSchema>, settings: DeviceSettings, ip: string | null) {
  if (!Types.ObjectId.isValid(runId) || !Types.ObjectId.isValid(stopId)) throw new NotFound('stop_not_found');
  const stop = await DeliveryStopModel.findOne({ _id: stopId, run: runId }).lean();
  if (!stop) throw new NotFound('stop_not_found');
  if (stop.status !== 'pending') throw new Conflict('stop_already_marked', undefined, { status: stop.status });
  const need = await DeviceNeedModel.findById(stop.need).lean();
  if (!need) throw new NotFound('need_not_found');
  const run = await DeliveryRunModel.findById(runId, { day: 1 }).lean();

  if (input.outcome === 'delivered') {
    const device = need.device ? await DeviceModel.findById(need.device, { serial: 1 }).lean() : null;
    if (!device) throw new Conflict('need_has_no_device');
    await handOver(actor, need, { serial: device.serial, collectedBy: input.receivedBy, relation: input.relation, date: run?.day ?? rigaToday() }, settings, ['out_for_delivery']);
  } else {
    const back = await moveNeed(need._id, ['out_for_delivery'], 'allocated', actor, { note: input.reason, set: { delivery: { run: null, day: null } } });
    if (!back) throw new Conflict('need_not_out_for_delivery', undefined, { status: need.status });
    await recordEvents([{ type: 'device.delivery_failed', subject: { kind: 'deviceNeed', id: need._id }, institution: need.institution, pupil: need.pupil }]);
  }
  const set = input.outcome === 'delivered' ? { status: 'delivered', receivedBy: input.receivedBy, relation: input.relation, at: new Date() } : { status: 'failed', reason: input.reason, at: new Date() };
  await DeliveryStopModel.updateOne({ _id: stop._id, status: 'pending' }, { $set: set });
  await recordAudit({ actor, action: `delivery_stop.${input.outcome}`, target: { type: 'deliveryStop', id: stopId }, ip });
  return { id: stopId, status: set.status };
}
