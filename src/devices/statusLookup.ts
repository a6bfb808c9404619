import { InstitutionModel } from '../institutions/model.ts';
import type { StatusItem } from '../status/registry.ts';
import { DeviceNeedModel } from './model.ts';
import { needStatusFields, readNeedStatus, syncNeedStatus, type NeedForStatus } from './needStatuses.ts';

// Institutions change rarely and every lookup needs one: kept for a minute per process.
const institutionTtlMs = 60_000;
const institutions = new Map<string, { at: number; value: { name: string; address: string } | null }>();

async function institutionOf(key: string) {
  const hit = institutions.get(key);
  if (hit && Date.now() - hit.at < institutionTtlMs) return hit.value;
  const doc = await InstitutionModel.findById(key, { name: 1, address: 1 }).lean();
  const value = doc ? { name: doc.name, address: doc.address ?? '' } : null;
  institutions.set(key, { at: Date.now(), value });
  return value;
}

/**
 * The facts from the need's entry in Redis (needStatuses.ts); while it has none, from the need
 * itself, and the entry is written then unless a change wrote one meanwhile.
 */
async function factsFor(code: string) {
  const entry = await readNeedStatus(code);
  if (entry) return entry;
  // Through the driver, not a mongoose query: nothing here needs casting.
  const need = await DeviceNeedModel.collection.findOne<NeedForStatus>({ referenceCode: code }, { projection: needStatusFields });
  return need ? syncNeedStatus(need, new Date(), 'fill') : null;
}

/**
 * What a parent sees of a device need: the pupil's first name, the steps with their days, and the
 * pickup place and hours or the delivery day. Nothing else: no surname, code, address or device.
 */
export async function deviceStatusLookup(code: string): Promise<StatusItem[]> {
  const facts = await factsFor(code);
  if (!facts) return [];
  const details: Record<string, string | null> = { deviceType: facts.deviceType, deliveryMethod: facts.deliveryMethod };
  if (facts.status === 'ready_for_pickup') {
    const inst = await institutionOf(facts.institution);
    details.pickupPlace = inst ? [inst.name, inst.address].filter(Boolean).join(', ') : null;
    details.pickupHours = facts.pickupHours;
    details.pickupFrom = facts.pickupFrom;
  }
  if (facts.status === 'out_for_delivery') details.deliveryDay = facts.deliveryDay;
  return [{ kind: 'device', firstName: facts.firstName, status: facts.status, steps: facts.steps, details }];
}
