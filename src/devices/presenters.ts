import type { Types } from 'mongoose';

type PupilLite = { firstName: string; lastName: string; class?: string | null; personalCodeMasked?: string | null; guardian?: { name?: string | null; phone?: string | null; email?: string | null; language?: string | null } | null } | null;
type NeedLite = {
  _id: Types.ObjectId;
  deviceType: string;
  priority?: number | null;
  deliveryMethod?: string | null;
  status: string;
  referenceCode: string;
  createdAt?: Date | null;
};
type HistoryEntry = { status: string; at: Date; by?: string | null; note?: string | null };
type NeedFull = NeedLite & {
  reason?: string | null;
  address?: string | null;
  device?: Types.ObjectId | null;
  pickup?: { from?: string | null; hours?: string | null } | null;
  delivery?: { day?: string | null } | null;
  handover?: { collectedBy: string; relation: string; date: string; returnBy?: string | null } | null;
  history?: HistoryEntry[];
};

/** A need as lists show it: the pupil's name and class, the masked personal code, never the full one. */
export function presentNeed({ need, pupil }: { need: NeedLite; pupil: PupilLite }) {
  return {
    id: String(need._id),
    firstName: pupil?.firstName ?? null,
    lastName: pupil?.lastName ?? null,
    class: pupil?.class ?? null,
    personalCode: pupil?.personalCodeMasked ?? null,
    deviceType: need.deviceType,
    priority: need.priority ?? null,
    deliveryMethod: need.deliveryMethod ?? 'pickup',
    status: need.status,
    referenceCode: need.referenceCode,
    createdAt: need.createdAt ? need.createdAt.toISOString() : null,
  };
}

/** One need with everything staff may see: guardian contact, device, pickup, delivery, hand-over and the whole history. */
export function presentNeedDetail({ need, pupil }: { need: NeedFull; pupil: PupilLite }, extra: { institution: string | null; serial: string | null }) {
  return {
    ...presentNeed({ need, pupil }),
    institution: extra.institution,
    reason: need.reason ?? null,
    address: need.address ?? null,
    guardian: { name: pupil?.guardian?.name ?? null, phone: pupil?.guardian?.phone ?? null, email: pupil?.guardian?.email ?? null, language: pupil?.guardian?.language ?? 'lv' },
    device: extra.serial,
    pickup: need.pickup?.from ? { from: need.pickup.from, hours: need.pickup.hours ?? null } : null,
    delivery: need.delivery?.day ? { day: need.delivery.day } : null,
    handover: need.handover ? { collectedBy: need.handover.collectedBy, relation: need.handover.relation, date: need.handover.date, returnBy: need.handover.returnBy ?? null } : null,
    history: (need.history ?? []).map((h) => ({ status: h.status, at: h.at.toISOString(), by: h.by ?? null, note: h.note ?? null })),
  };
}

type DeviceLite = {
  _id: Types.ObjectId;
  serial: string;
  type: string;
  make?: string | null;
  model?: string | null;
  condition?: string | null;
  status: string;
  stockedAt?: Date | null;
  handover?: { collectedBy: string; relation: string; date: string; returnBy?: string | null } | null;
  institutionCode?: string | null;
  institutionName?: string | null;
};

/** A device for lists and its own view. */
export function presentDevice(d: DeviceLite) {
  return {
    id: String(d._id),
    serial: d.serial,
    type: d.type,
    make: d.make ?? null,
    model: d.model ?? null,
    condition: d.condition ?? null,
    status: d.status,
    institution: d.institutionCode ?? null,
    institutionName: d.institutionName ?? null,
    stockedAt: d.stockedAt ? d.stockedAt.toISOString() : null,
    handover: d.handover ? { collectedBy: d.handover.collectedBy, relation: d.handover.relation, date: d.handover.date, returnBy: d.handover.returnBy ?? null } : null,
  };
}
