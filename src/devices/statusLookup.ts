import type { Types } from 'mongoose';
import { InstitutionModel } from '../institutions/model.ts';
import type { StatusItem } from '../status/registry.ts';
import { DeviceNeedModel } from './model.ts';
import { needStatusFacts, needStatusFields, readNeedStatus, type NeedForStatus } from './needStatuses.ts';

// Institutions change rarely and every lookup needs one: kept for a minute per process.
const institutionTtlMs = 60_000;
const institutions = new Map<string, { at: number; value: { name: string; address: string } | null }>();

async function institutionOf(id: Types.ObjectId) {
  const key = String(id);
  const hit = institutions.get(key);
  if (hit && Date.now() - hit.at < institutionTtlMs) return hit.value;
  const doc = await InstitutionModel.findById(id, { name: 1, address: 1 }).lean();
  const value = doc ? { name: doc.name, address: doc.address ?? '' } : null;
  institutions.set(key, { at: Date.now(), value });
  return value;
}

/** The facts from the need's entry (needStatuses.ts); from the need itself while it has none. */
async function factsFor(code: string) {
  // The reads go to the collections through the driver, not mongoose queries: nothing here needs
  // casting, and building and running a mongoose query cost the API about 0.1 ms of CPU per lookup.
  const entry = await readNeedStatus(code);
  if (entry) return entry;
  const need = await DeviceNeedModel.collection.findOne<NeedForStatus>({ referenceCode: code }, { projection: needStatusFields });
  return need ? needStatusFacts(need) : null;
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
