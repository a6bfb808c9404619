import { Types } from 'mongoose';
import { z } from 'zod';
import { actorTag, type Actor } from '../auth/actor.ts';
import { findInstitutionFor, scopeFilter } from '../auth/scope.ts';
import { InstitutionModel } from '../institutions/model.ts';
import { recordAudit } from '../audit/service.ts';
import { Conflict, NotFound, ValidationError } from '../errors.ts';
import { recordEvents } from '../events/service.ts';
import { guardedUpdate } from '../shared/claims.ts';
import { PupilModel } from '../pupils/model.ts';
import { checkedContact, checkedPersonalCode, findOrCreatePupil } from '../pupils/identity.ts';
import { deliveryMethods, DeviceModel, deviceTypes, DeviceNeedModel, needStatuses, type NeedStatus } from './model.ts';
import { effectivePriority } from './priority.ts';
import { newReferenceCode } from './referenceCode.ts';
import { moveNeed, releaseDevice } from './transitions.ts';
import { syncNeedEntries, type NeedWithEntries } from './needEntries.ts';
import type { DeviceSettings } from './settings.ts';
import { calendarDay, optionalText } from '../http/fields.ts';
import { escapeRegex } from '../shared/regex.ts';


export const NeedListQuerySchema = z.object({
  institution: z.string().trim().max(40).optional(),
  status: z.enum(needStatuses).optional(),
  deviceType: z.enum(deviceTypes).optional(),
  deliveryMethod: z.enum(deliveryMethods).optional(),
  q: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
export type NeedListQuery = z.infer<typeof NeedListQuerySchema>;

export const NeedInputSchema = z
  .object({
    institution: z.string().trim().max(40).optional(),
    firstName: z.string().trim().min(1).max(100),
    lastName: z.string().trim().min(1).max(100),
    class: z.string().trim().min(1).max(20),
    personalCode: z.string().trim().min(1).max(20),
    guardianName: optionalText(200),
    guardianPhone: optionalText(40),
    guardianEmail: optionalText(200),
    language: z.enum(['lv', 'ru', 'en']).default('lv'),
    deviceType: z.enum(deviceTypes),
    reason: optionalText(500),
    priority: z.coerce.number().int().min(1, 'invalid_priority').max(5, 'invalid_priority').optional(),
    deliveryMethod: z.enum(deliveryMethods).default('pickup'),
    address: optionalText(300),
  })
  .refine((v) => v.deliveryMethod !== 'home' || !!v.address, { message: 'address_needed_for_delivery', path: ['address'] });
export type NeedInput = z.infer<typeof NeedInputSchema>;

// In an edit a field left out stays as it is; an empty one is cleared.
const changedText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v === undefined ? undefined : v || null));

export const NeedChangeSchema = z
  .object({
    deviceType: z.enum(deviceTypes).optional(),
    reason: changedText(500),
    priority: z.coerce.number().int().min(1, 'invalid_priority').max(5, 'invalid_priority').optional(),
    deliveryMethod: z.enum(deliveryMethods).optional(),
    address: changedText(300),
  })
  .strict();
export type NeedChange = z.infer<typeof NeedChangeSchema>;

export const CancelSchema = z.object({ reason: z.string().trim().min(1, 'reason_required').max(500) });


/** A need by id within the actor's scope; 404 for another institution's need, as for a missing one. */
export async function findNeedFor(actor: Actor, id: string) {
  if (!Types.ObjectId.isValid(id)) throw new NotFound('need_not_found');
  const need = await DeviceNeedModel.findOne({ _id: id, ...scopeFilter(actor) }).lean();
  if (!need) throw new NotFound('need_not_found');
  return need;
}

/**
 * The device needs in the actor's scope, filtered, with each pupil's name, class and masked personal
 * code. Pupils are read with a second query rather than a join, which FerretDB does not have.
 */
export async function listDeviceNeeds(actor: Actor, query: NeedListQuery) {
  const filter: Record<string, unknown> = { ...scopeFilter(actor) };
  if (query.institution) filter.institution = (await findInstitutionFor(actor, query.institution))._id;
  if (query.status) filter.status = query.status;
  if (query.deviceType) filter.deviceType = query.deviceType;
  if (query.deliveryMethod) filter.deliveryMethod = query.deliveryMethod;
  if (query.q) {
    // A name or class search finds the pupils first, within the same scope.
    const re = { $regex: escapeRegex(query.q), $options: 'i' };
    const pupilFilter = { ...scopeFilter(actor), ...(filter.institution ? { institution: filter.institution } : {}), $or: [{ firstName: re }, { lastName: re }, { class: re }] };
    const ids = (await PupilModel.find(pupilFilter, { _id: 1 }).limit(5000).lean()).map((p) => p._id);
    const byCode = /^[A-Za-z0-9-]{4,}$/.test(query.q) ? [{ referenceCode: { $regex: '^' + escapeRegex(query.q.toUpperCase()) } }] : [];
    filter.$or = [{ pupil: { $in: ids } }, ...byCode];
  }
  const needs = await DeviceNeedModel.find(filter, { history: 0 }).sort({ priority: 1, createdAt: 1, _id: 1 }).limit(query.limit).lean();
  return withPupils(needs);
}

/** Adds each need's pupil (without the encrypted code) in one query. */
export async function withPupils<N extends { pupil: Types.ObjectId }>(needs: N[]) {
  const pupils = await PupilModel.find({ _id: { $in: needs.map((n) => n.pupil) } }, { personalCodeEnc: 0, personalCodeHash: 0 }).lean();
  const byId = new Map(pupils.map((p) => [String(p._id), p]));
  return needs.map((need) => ({ need, pupil: byId.get(String(need.pupil)) ?? null }));
}

/**
 * Registers a need from the form: the pupil is found by personal code in the institution, or
 * created; a pupil of another institution or one who already has a need is a 409.
 */
export async function registerNeed(actor: Actor, input: NeedInput, settings: DeviceSettings, ip: string | null) {
  const institution = input.institution ?? actor.institutionCode;
  if (!institution) throw new ValidationError('institution_required');
  const inst = await findInstitutionFor(actor, institution);
  const code = checkedPersonalCode(input.personalCode);
  const { phone, email } = checkedContact(input.guardianPhone, input.guardianEmail);
  const guardian = { name: input.guardianName, phone, email, language: input.language };
  const pupil = await findOrCreatePupil(settings.personalCodeKey, inst._id, code, { firstName: input.firstName, lastName: input.lastName, class: input.class, guardian });
  if (await DeviceNeedModel.exists({ pupil: pupil._id })) throw new Conflict('need_exists');

  const now = new Date();
  let need;
  for (let attempt = 0; ; attempt++) {
    try {
      need = await DeviceNeedModel.create({
        institution: inst._id,
        pupil: pupil._id,
        firstName: pupil.firstName,
        deviceType: input.deviceType,
        reason: input.reason,
        priority: effectivePriority(input.priority, input.class),
        deliveryMethod: input.deliveryMethod,
        address: input.address,
        referenceCode: newReferenceCode(),
        status: 'registered',
        history: [{ status: 'registered', at: now, by: actorTag(actor), note: null }],
      });
      break;
    } catch (err) {
      const dup = (err as { code?: number; keyPattern?: Record<string, unknown> }).code === 11000;
      // Two forms for one pupil at once: the second is told, as with the check above.
      if (dup && (err as { keyPattern?: Record<string, unknown> }).keyPattern?.pupil) throw new Conflict('need_exists');
      if (!dup || attempt >= 3) throw err;
    }
  }
  await syncNeedEntries(need.toObject());
  await recordEvents([{ type: 'device.need_registered', key: `device.need_registered:${need._id}`, subject: { kind: 'deviceNeed', id: need._id }, institution: inst._id, pupil: pupil._id }]);
  await recordAudit({ actor, action: 'device_need.create', target: { type: 'deviceNeed', id: String(need._id) }, institution: inst.code, pupil: String(pupil._id), ip });
  return need.toObject();
}

const editable: readonly NeedStatus[] = ['registered', 'approved'];

/** Changes a need's device type, reason, priority or delivery while it is not yet on its way. */
export async function changeNeed(actor: Actor, id: string, change: NeedChange, ip: string | null) {
  const need = await findNeedFor(actor, id);
  const set = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
  const method = (set.deliveryMethod as string | undefined) ?? need.deliveryMethod;
  const address = 'address' in set ? set.address : need.address;
  if (method === 'home' && !address) throw new ValidationError('address_needed_for_delivery');
  const updated = await guardedUpdate<NeedWithEntries & { version?: number }>(DeviceNeedModel, need._id, editable, {}, { $set: set });
  if (!updated) throw new Conflict('need_not_editable', undefined, { status: need.status });
  await syncNeedEntries(updated);
  await recordAudit({ actor, action: 'device_need.update', target: { type: 'deviceNeed', id }, institution: await institutionCode(need.institution), ip, details: { fields: Object.keys(set) } });
  return updated;
}

/** The coordinator approves registered needs; each one that is no longer registered is reported, not changed. */
export async function approveNeeds(actor: Actor, ids: string[], ip: string | null) {
  const results: Array<{ id: string; ok: boolean; code?: string }> = [];
  for (const id of ids) {
    const need = Types.ObjectId.isValid(id) ? await moveNeed(id, ['registered'], 'approved', actor) : null;
    if (need) {
      await recordEvents([{ type: 'device.need_approved', subject: { kind: 'deviceNeed', id: need._id }, institution: need.institution, pupil: need.pupil }]);
      results.push({ id, ok: true });
    } else {
      const current = Types.ObjectId.isValid(id) ? await DeviceNeedModel.findById(id, { status: 1 }).lean() : null;
      results.push({ id, ok: false, code: current ? 'need_not_registered' : 'need_not_found' });
    }
  }
  await recordAudit({ actor, action: 'device_need.approve', target: { type: 'deviceNeed', id: ids.length === 1 ? ids[0]! : null }, ip, details: { count: results.filter((r) => r.ok).length } });
  return results;
}

const cancellable: readonly NeedStatus[] = ['registered', 'approved', 'allocated', 'ready_for_pickup'];

/** Cancels a need that has not left yet; an allocated device goes back to stock. */
export async function cancelNeed(actor: Actor, id: string, reason: string, ip: string | null) {
  const need = await findNeedFor(actor, id);
  const cancelled = await moveNeed(need._id, cancellable, 'cancelled', actor, { note: reason, set: { device: null } });
  if (!cancelled) throw new Conflict('need_not_cancellable', undefined, { status: need.status });
  if (need.device) await releaseDevice(need.device, need._id, actor, 'need_cancelled');
  await recordEvents([{ type: 'device.need_cancelled', subject: { kind: 'deviceNeed', id: need._id }, institution: need.institution, pupil: need.pupil }]);
  await recordAudit({ actor, action: 'device_need.cancel', target: { type: 'deviceNeed', id }, institution: await institutionCode(need.institution), ip });
  return cancelled;
}

export const ReadySchema = z.object({
  from: calendarDay(),
  hours: z.string().trim().min(1, 'hours_required').max(200),
});

/** The school has the device: the guardian may collect it from `from`, during `hours`. */
export async function markReadyForPickup(actor: Actor, id: string, input: z.infer<typeof ReadySchema>, ip: string | null) {
  const need = await findNeedFor(actor, id);
  if (need.deliveryMethod !== 'pickup') throw new Conflict('need_is_home_delivery');
  const ready = await moveNeed(need._id, ['allocated', 'ready_for_pickup'], 'ready_for_pickup', actor, { set: { pickup: input } });
  if (!ready) throw new Conflict('need_not_allocated', undefined, { status: need.status });
  await recordEvents([{ type: 'device.ready_for_pickup', subject: { kind: 'deviceNeed', id: need._id }, institution: need.institution, pupil: need.pupil, data: { from: input.from } }]);
  await recordAudit({ actor, action: 'device_need.ready', target: { type: 'deviceNeed', id }, institution: await institutionCode(need.institution), ip });
  return ready;
}

/** One need with its pupil, institution code and device serial, for its page and API view. */
export async function getNeed(actor: Actor, id: string) {
  const need = await findNeedFor(actor, id);
  const [[withPupil], institution, device] = await Promise.all([
    withPupils([need]),
    institutionCode(need.institution),
    need.device ? DeviceModel.findById(need.device, { serial: 1 }).lean() : null,
  ]);
  return { ...withPupil!, institution, serial: device?.serial ?? null };
}

/** An institution's code for the audit log. */
export async function institutionCode(id: Types.ObjectId | null | undefined): Promise<string | null> {
  if (!id) return null;
  return (await InstitutionModel.findById(id, { code: 1 }).lean())?.code ?? null;
}
