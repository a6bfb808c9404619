import { Types } from 'mongoose';
import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { recordAudit } from '../audit/service.ts';
import { recordEvents } from '../events/service.ts';
import { InstitutionModel } from '../institutions/model.ts';
import { mapLimit } from '../shared/concurrency.ts';
import { proposeAllocation, type Proposal } from './allocation.ts';
import { DeviceModel, DeviceNeedModel } from './model.ts';
import { readOpenNeeds, readOpenNeedsFromNeeds } from './openNeeds.ts';
import { moveDevice, moveNeed, releaseDevice } from './transitions.ts';

export const ConfirmSchema = z.object({
  matches: z
    .array(z.object({ need: z.string().trim().min(1), serial: z.string().trim().min(1).max(80).transform((s) => s.toUpperCase()) }))
    .min(1)
    .max(20_000),
});

const orphanAfterMs = 10 * 60 * 1000;

/**
 * A device can be left claimed without its need (a process stopped between the two writes of a
 * confirmation). Such a device points at a need that does not point back; it goes back to stock
 * before a proposal is made, so nothing stays stuck.
 */
export async function releaseOrphanedAllocations(actor: Actor, now = new Date()): Promise<number> {
  // Only claims older than a confirmation can take, so one still in progress is never undone.
  const settled = new Date(now.getTime() - orphanAfterMs);
  const allocated = await DeviceModel.find({ status: 'allocated', updatedAt: { $lt: settled } }, { need: 1 }).lean();
  if (!allocated.length) return 0;
  // A need points at a device only while allocated, ready for pickup or out for delivery. One
  // equality query per status, because FerretDB reads a whole collection for an `$in` on ids.
  const holding = await Promise.all(['allocated', 'ready_for_pickup', 'out_for_delivery'].map((status) => DeviceNeedModel.find({ status }, { device: 1 }).lean()));
  const pointsBack = new Set(holding.flat().filter((n) => n.device).map((n) => `${n._id}:${n.device}`));
  let released = 0;
  for (const d of allocated) {
    if (d.need && pointsBack.has(`${d.need}:${d._id}`)) continue;
    if (await releaseDevice(d._id, d.need!, actor, 'orphaned_allocation')) released += 1;
  }
  return released;
}

/** Loads in-stock devices and approved needs without a device, and proposes matches (nothing is written). */
export async function buildProposal(actor: Actor): Promise<Proposal & { institutions: Record<string, { code: string; name: string }> }> {
  await releaseOrphanedAllocations(actor);
  // The waiting needs come from their small entries (openNeeds.ts); until those are built, from
  // the needs themselves.
  const [devices, needs] = await Promise.all([
    DeviceModel.find({ status: 'in_stock' }, { serial: 1, type: 1, institution: 1, stockedAt: 1 }).lean(),
    readOpenNeeds().then((entries) => entries ?? readOpenNeedsFromNeeds()),
  ]);
  const proposal = proposeAllocation(
    devices.map((d) => ({ id: String(d._id), serial: d.serial, type: d.type, institution: d.institution ? String(d.institution) : null, stockedAt: d.stockedAt?.getTime() ?? 0 })),
    needs,
  );
  const ids = [...new Set(proposal.matches.map((m) => m.institution))];
  const insts = await InstitutionModel.find({ _id: { $in: ids } }, { code: 1, name: 1 }).lean();
  return { ...proposal, institutions: Object.fromEntries(insts.map((i) => [String(i._id), { code: i.code, name: i.name }])) };
}

export type ConfirmResult = { need: string; serial: string; ok: boolean; code?: string };

/**
 * Confirms matches one by one. The device is claimed with a guarded update (only from `in_stock`),
 * then the need (only from `approved`, only without a device); when the need cannot follow, the
 * device is released. Two coordinators confirming the same proposal at once therefore never
 * allocate one device twice or give one need two devices: the second claim finds nothing to take.
 */
export async function confirmAllocation(actor: Actor, input: z.infer<typeof ConfirmSchema>, ip: string | null): Promise<ConfirmResult[]> {
  const results = await mapLimit(input.matches, 8, async (m): Promise<ConfirmResult> => {
    const base = { need: m.need, serial: m.serial };
    if (!Types.ObjectId.isValid(m.need)) return { ...base, ok: false, code: 'need_not_found' };
    const need = await DeviceNeedModel.findById(m.need, { status: 1, deviceType: 1, institution: 1 }).lean();
    if (!need) return { ...base, ok: false, code: 'need_not_found' };
    if (need.status === 'cancelled') return { ...base, ok: false, code: 'need_cancelled' };
    if (need.status !== 'approved') return { ...base, ok: false, code: 'need_not_approved' };
    const device = await DeviceModel.findOne({ serial: m.serial }, { type: 1, status: 1 }).lean();
    if (!device) return { ...base, ok: false, code: 'device_not_found' };
    if (device.type !== need.deviceType) return { ...base, ok: false, code: 'device_type_mismatch' };

    const claimed = await moveDevice(device._id, ['in_stock'], 'allocated', actor, { set: { need: need._id, institution: need.institution } });
    if (!claimed) return { ...base, ok: false, code: 'device_not_in_stock' };
    const allocated = await moveNeed(need._id, ['approved'], 'allocated', actor, { guard: { device: null }, set: { device: device._id } });
    if (!allocated) {
      await releaseDevice(device._id, need._id, actor, 'need_taken');
      return { ...base, ok: false, code: 'need_not_approved' };
    }
    await recordEvents([{ type: 'device.allocated', subject: { kind: 'deviceNeed', id: need._id }, institution: need.institution, pupil: allocated.pupil, data: { serial: m.serial } }]);
    return { ...base, ok: true };
  });
  await recordAudit({ actor, action: 'device.allocate', ip, details: { confirmed: results.filter((r) => r.ok).length, refused: results.filter((r) => !r.ok).length } });
  return results;
}
