import type { PlacementRequest } from './model.ts';

/** A request as lists show it: the personal code masked, no contacts. */
export function presentRequest(r: PlacementRequest, extra: { position?: number | null; group?: string | null; institution?: string | null } = {}) {
  return {
    id: String(r._id),
    firstName: r.child.firstName,
    lastName: r.child.lastName,
    personalCode: r.child.personalCodeMasked,
    birthDate: r.child.birthDate ?? null,
    employer: r.employer,
    sector: r.sector,
    neededFrom: r.neededFrom,
    preferredArea: r.preferredArea ?? null,
    status: r.status,
    receivedAt: r.receivedAt.toISOString(),
    referenceCode: r.referenceCode,
    institution: extra.institution ?? null,
    group: extra.group ?? null,
    placedFrom: r.placedFrom ?? null,
    position: extra.position ?? null,
  };
}

/** A request on its own page: the parent's contacts and the history as well. */
export function presentRequestDetail(r: PlacementRequest, extra: { position: number | null; group: string | null; institution: { code: string; name: string } | null }) {
  return {
    ...presentRequest(r, { position: extra.position, group: extra.group, institution: extra.institution?.code ?? null }),
    institutionName: extra.institution?.name ?? null,
    parent: { name: r.parent?.name ?? null, phone: r.parent?.phone ?? null, email: r.parent?.email ?? null, language: r.parent?.language ?? 'lv' },
    note: r.note ?? null,
    history: (r.history ?? []).map((h) => ({ status: h.status, at: h.at.toISOString(), by: h.by, note: h.note ?? null })),
  };
}
