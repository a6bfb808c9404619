import { Types } from 'mongoose';
import type { Actor } from '../auth/actor.ts';
import { canAccessInstitution } from '../auth/scope.ts';
import { recordAudit } from '../audit/service.ts';
import { AuditEventModel } from '../audit/model.ts';
import { DeviceModel, DeviceNeedModel } from '../devices/model.ts';
import { FoodCardModel } from '../foodcards/cardModel.ts';
import { EntitlementModel, FamilyStatusModel, FoodPeriodModel } from '../foodcards/model.ts';
import { GroupModel, InstitutionModel } from '../institutions/model.ts';
import { PlacementRequestModel } from '../kindergartens/model.ts';
import { MessageModel } from '../notifications/model.ts';
import { NotFound } from '../errors.ts';
import { findByIds } from '../shared/byIds.ts';
import { PupilModel } from './model.ts';
import { decryptPersonalCode, type PersonalCodeKey } from './personalCodes.ts';

export type HistoryEntry = { at: string; area: 'device' | 'kindergarten' | 'foodcard' | 'message' | 'audit'; status: string; by: string | null };

/**
 * The pupil within the reader's scope; 404 alike for an unknown id and another institution's pupil.
 * The encrypted code is read only for the one caller that shows it.
 */
async function pupilFor(actor: Actor, id: string, withCode = false) {
  const pupil = Types.ObjectId.isValid(id) ? await PupilModel.findById(id, withCode ? { searchKeys: 0 } : { personalCodeEnc: 0, searchKeys: 0 }).lean() : null;
  if (!pupil || !canAccessInstitution(actor, pupil.institution)) throw new NotFound('pupil_not_found');
  return pupil;
}

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : '');

/**
 * Everything the service holds about one child, for the child page: the pupil and guardian, the
 * device request and its device, an active kindergarten place, the family status, the amounts and
 * cards of each period, the messages sent about them, and one history of it all, newest first.
 * Only the masked personal code is here; the full one is `revealPersonalCode`, audited.
 */
export async function getChild(actor: Actor, id: string) {
  const pupil = await pupilFor(actor, id);
  const coordinator = actor.role === 'coordinator';
  const [institution, need, placement, familyStatus, entitlements, cards, messages, audit] = await Promise.all([
    InstitutionModel.findById(pupil.institution, { code: 1, name: 1 }).lean(),
    DeviceNeedModel.findOne({ pupil: pupil._id }).lean(),
    // An active place request carries the child's code hash as its key (see kindergartens/model.ts).
    PlacementRequestModel.findOne({ activeKey: pupil.personalCodeHash }, { 'child.personalCodeEnc': 0, searchKeys: 0 }).lean(),
    FamilyStatusModel.findOne({ pupil: pupil._id }).lean(),
    EntitlementModel.find({ pupil: pupil._id }).lean(),
    FoodCardModel.find({ pupil: pupil._id }).lean(),
    MessageModel.find({ pupil: pupil._id }, { template: 1, channel: 1, status: 1, createdAt: 1, language: 1 }).sort({ createdAt: -1 }).limit(50).lean(),
    coordinator ? AuditEventModel.find({ pupil: String(pupil._id) }).sort({ at: -1 }).limit(50).lean() : [],
  ]);
  const [device, periods, placeInst, group] = await Promise.all([
    need?.device ? DeviceModel.findById(need.device, { serial: 1, type: 1, make: 1, model: 1, status: 1 }).lean() : null,
    findByIds<{ _id: unknown; name: string; from: string; to: string }>(FoodPeriodModel, [...entitlements.map((e) => e.period), ...cards.map((c) => c.period)], { name: 1, from: 1, to: 1 }),
    placement?.institution ? InstitutionModel.findById(placement.institution, { code: 1, name: 1 }).lean() : null,
    placement?.group ? GroupModel.findById(placement.group, { name: 1 }).lean() : null,
  ]);
  const periodName = new Map(periods.map((p) => [String(p._id), p.name]));
  const history: HistoryEntry[] = [
    ...(need?.history ?? []).map((h) => ({ at: iso(h.at), area: 'device' as const, status: h.status, by: h.by ?? null })),
    ...(placement?.history ?? []).map((h) => ({ at: iso(h.at), area: 'kindergarten' as const, status: h.status, by: h.by ?? null })),
    ...cards.flatMap((c) => (c.history ?? []).map((h) => ({ at: iso(h.at), area: 'foodcard' as const, status: h.status, by: h.by ?? null }))),
    ...messages.map((m) => ({ at: iso(m.createdAt as Date), area: 'message' as const, status: m.template, by: null })),
    ...audit.map((a) => ({ at: iso(a.at), area: 'audit' as const, status: a.action, by: a.actor?.email ?? a.actor?.kind ?? null })),
  ].sort((a, b) => b.at.localeCompare(a.at));
  return {
    id: String(pupil._id),
    firstName: pupil.firstName,
    lastName: pupil.lastName,
    class: pupil.class ?? '',
    personalCodeMasked: pupil.personalCodeMasked,
    institution: institution ? { code: institution.code, name: institution.name } : null,
    guardian: pupil.guardian ?? null,
    need: need
      ? { id: String(need._id), status: need.status, deviceType: need.deviceType, deliveryMethod: need.deliveryMethod, referenceCode: need.referenceCode, device: device ? { id: String(device._id), serial: device.serial, make: device.make ?? '', model: device.model ?? '' } : null }
      : null,
    placement: placement
      ? { id: String(placement._id), status: placement.status, referenceCode: placement.referenceCode, institution: placeInst ? { code: placeInst.code, name: placeInst.name } : null, group: group?.name ?? null, placedFrom: placement.placedFrom ?? null }
      : null,
    familyStatus: familyStatus ? { status: familyStatus.status, validFrom: familyStatus.validFrom, validTo: familyStatus.validTo } : null,
    food: [
      ...entitlements.map((e) => ({ kind: 'entitlement' as const, id: String(e._id), period: periodName.get(String(e.period)) ?? '', cents: e.cents, status: null as string | null, number: null as string | null, referenceCode: null as string | null })),
      ...cards.map((c) => ({ kind: 'card' as const, id: String(c._id), period: periodName.get(String(c.period)) ?? '', cents: c.cents, status: c.status, number: c.number ?? null, referenceCode: c.referenceCode ?? null })),
    ],
    messages: messages.map((m) => ({ id: String(m._id), template: m.template, channel: m.channel, status: m.status, at: iso(m.createdAt as Date) })),
    history,
  };
}
export type ChildView = Awaited<ReturnType<typeof getChild>>;

/**
 * The pupil's full personal code, for those whose work needs it (a coordinator, or the head of the
 * pupil's institution checking who collects a device). Every view is written to the audit log
 * before the code is returned, so no view goes unrecorded.
 */
export async function revealPersonalCode(actor: Actor, key: PersonalCodeKey, id: string, ip: string | null): Promise<string> {
  const pupil = await pupilFor(actor, id, true);
  const inst = await InstitutionModel.findById(pupil.institution, { code: 1 }).lean();
  await recordAudit({
    actor,
    action: 'pupil.personal_code_view',
    target: { type: 'pupil', id: String(pupil._id), label: `${pupil.firstName} ${pupil.lastName} (${pupil.personalCodeMasked})` },
    institution: inst?.code ?? null,
    ip,
  });
  return decryptPersonalCode(key, pupil.personalCodeEnc);
}
