import { z } from 'zod';
import { actorTag, type Actor, type AnyActor } from '../auth/actor.ts';
import { recordAudit } from '../audit/service.ts';
import { Conflict, NotFound } from '../errors.ts';
import { recordEvents } from '../events/service.ts';
import { InstitutionModel } from '../institutions/model.ts';
import { PupilModel } from '../pupils/model.ts';
import { relations } from '../pupils/relations.ts';
import { addDays, rigaToday } from '../shared/dates.ts';
import { guardedUpdate } from '../shared/claims.ts';
import { calendarDay } from '../http/fields.ts';
import { DeviceModel, type DeviceNeed } from './model.ts';
import { findNeedFor, institutionCode } from './needsService.ts';
import { moveDevice, moveNeed } from './transitions.ts';
import type { DeviceSettings } from './settings.ts';
import type { Types } from 'mongoose';

const day = calendarDay();


export const HandoverSchema = z.object({
  serial: z.string().trim().min(1, 'serial_required').max(80).transform((s) => s.toUpperCase()),
  collectedBy: z.string().trim().min(1, 'collected_by_required').max(200),
  relation: z.enum(relations),
  date: day.optional(),
  returnBy: day.optional(),
});
export type HandoverInput = z.infer<typeof HandoverSchema>;

type NeedLike = Pick<DeviceNeed, 'status' | 'institution' | 'pupil'> & { _id: Types.ObjectId; device?: Types.ObjectId | null };

/**
 * Hands the need's allocated device to whoever collected it: the device becomes `handed_over`, the
 * need `delivered`. The serial must be the one allocated to this pupil; another pupil's device is a
 * 409 and nothing changes. Used at school and by the courier's delivered stop.
 */
export async function handOver(actor: AnyActor, need: NeedLike, input: HandoverInput, settings: DeviceSettings, from: readonly DeviceNeed['status'][]) {
  const device = await DeviceModel.findOne({ serial: input.serial }, { need: 1, status: 1 }).lean();
  if (!device) throw new NotFound('device_not_found');
  if (!need.device || String(need.device) !== String(device._id)) {
    throw new Conflict(device.need && String(device.need) !== String(need._id) ? 'device_allocated_to_other_pupil' : 'device_not_allocated_to_need');
  }
  if (!from.includes(need.status)) throw new Conflict('need_not_ready_for_handover', undefined, { status: need.status });
  const date = input.date ?? rigaToday();
  const handover = { collectedBy: input.collectedBy, relation: input.relation, date, returnBy: input.returnBy ?? addDays(date, settings.loanDays), recordedBy: actorTag(actor) };
  const given = await moveDevice(device._id, ['allocated'], 'handed_over', actor, { guard: { need: need._id }, set: { handover } });
  if (!given) throw new Conflict('device_not_allocated_to_need', undefined, { status: device.status });
  const delivered = await moveNeed(need._id, from, 'delivered', actor, { set: { handover }, guard: { device: device._id } });
  if (!delivered) {
    // The need moved on meanwhile (cancelled): the device goes back to being allocated to it, not lost.
    await guardedUpdate(DeviceModel, device._id, ['handed_over'], { need: need._id }, { $set: { status: 'allocated', handover: null } });
    throw new Conflict('need_not_ready_for_handover');
  }
  await recordEvents([{ type: 'device.handed_over', subject: { kind: 'deviceNeed', id: need._id }, institution: need.institution, pupil: need.pupil, data: { date } }]);
  return delivered;
}

/** The principal (or coordinator) records a hand-over at school. */
export async function recordHandover(actor: Actor, needId: string, input: HandoverInput, settings: DeviceSettings, ip: string | null) {
  const need = await findNeedFor(actor, needId);
  const delivered = await handOver(actor, need, input, settings, ['allocated', 'ready_for_pickup']);
  await recordAudit({ actor, action: 'device.handover', target: { type: 'deviceNeed', id: needId, label: input.serial }, institution: await institutionCode(need.institution), pupil: String(need.pupil), ip, details: { relation: input.relation } });
  return delivered;
}

/** What the printable loan agreement shows, in the guardian's language (no personal code). */
export async function loanAgreement(actor: Actor, needId: string) {
  const need = await findNeedFor(actor, needId);
  if (!need.device) throw new Conflict('need_has_no_device');
  const [pupil, device, inst] = await Promise.all([
    PupilModel.findById(need.pupil, { firstName: 1, lastName: 1, class: 1, guardian: 1 }).lean(),
    DeviceModel.findById(need.device, { serial: 1, type: 1, make: 1, model: 1, condition: 1 }).lean(),
    InstitutionModel.findById(need.institution, { code: 1, name: 1, address: 1 }).lean(),
  ]);
  if (!pupil || !device || !inst) throw new NotFound('need_not_found');
  return { need, pupil, device, institution: inst, language: pupil.guardian?.language ?? 'lv' };
}
