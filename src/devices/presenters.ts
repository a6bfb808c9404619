import type { listDeviceNeeds } from './needsService.ts';

type NeedWithPupil = Awaited<ReturnType<typeof listDeviceNeeds>>[number];

/** A need as lists show it: the pupil's name and class, the masked personal code, never the full one. */
export function presentNeed({ need, pupil }: NeedWithPupil) {
  return {
    id: String(need._id),
    firstName: pupil?.firstName ?? null,
    lastName: pupil?.lastName ?? null,
    class: pupil?.class ?? null,
    personalCode: pupil?.personalCodeMasked ?? null,
    deviceType: need.deviceType,
    priority: need.priority ?? null,
    deliveryMethod: need.deliveryMethod,
    status: need.status,
    referenceCode: need.referenceCode,
    createdAt: need.createdAt ? need.createdAt.toISOString() : null,
  };
}
