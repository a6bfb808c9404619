import { Types } from 'mongoose';
import type { DeviceNeedRow } from '../../../imports/kinds/deviceNeeds.ts';
import { DeviceNeedModel } from '../../devices/model.ts';
import { syncNeedEntriesById } from '../../devices/needEntries.ts';
import { newReferenceCode } from '../../devices/referenceCode.ts';
import { effectivePriority } from '../../devices/priority.ts';
import { recordEvents } from '../../events/service.ts';
import { perPupil } from './perPupil.ts';
import { openPupils } from './pupils.ts';
import { RecordBook, type Stored } from './recordBook.ts';
import type { OpenApplier } from './types.ts';

// Until a device is on its way the school may still correct the need; after that a list cannot change it.
const editable = new Set(['registered', 'approved']);

type NeedDoc = Stored & { pupil: Types.ObjectId; status: string };

/** Creates or updates each pupil and their device need (one need per pupil, with a reference code). */
export const openDeviceNeeds: OpenApplier<DeviceNeedRow> = async (ctx) => {
  const savePupils = await openPupils(ctx);
  const loaded = ctx.institutionId ? ((await DeviceNeedModel.find({ institution: ctx.institutionId }, '-history -createdAt -updatedAt').lean()) as unknown as NeedDoc[]) : [];
  const needs = new RecordBook<NeedDoc>(
    ctx,
    {
      model: DeviceNeedModel,
      keyOf: (n) => String(n.pupil),
      filterFor: (pupil) => ({ pupil: new Types.ObjectId(pupil) }),
      locked: (n) => !editable.has(n.status),
      // A list may change a need's first name, device type, priority or delivery: its entries follow
      // (needEntries.ts). A new need gets its entries from the next mending run; until then the
      // parents' lookup reads the need itself, and the proposal does not want a registered need.
      afterUpdate: (changed) => syncNeedEntriesById(changed.map((n) => n._id)),
    },
    loaded,
  );
  return perPupil(savePupils, needs, ctx.institutionId, {
    pupil: (r: DeviceNeedRow) => ({
      personalCode: r.personalCode,
      firstName: r.firstName,
      lastName: r.lastName,
      class: r.class,
      guardian: { name: r.guardianName, phone: r.guardianPhone, email: r.guardianEmail, language: r.language },
    }),
    wanted: (r) => ({ firstName: r.firstName, deviceType: r.deviceType, reason: r.reason, priority: effectivePriority(r.priority, r.class), deliveryMethod: r.deliveryMethod, address: r.address }),
    // Drawn again for each insert attempt, so a clashing reference code is replaced.
    fresh: () => ({
      referenceCode: newReferenceCode(),
      status: 'registered',
      history: [{ status: 'registered', at: new Date(), by: `import:${ctx.importId}`, note: ctx.fileName }],
    }),
    lockedWarning: { field: 'deviceType', code: 'need_in_progress_not_changed' },
    // Keyed by the need, so an import retried after a crash records each event once.
    onCreated: (created) =>
      recordEvents(
        created.map((c) => ({
          type: 'device.need_registered',
          key: `device.need_registered:${String(c.id)}`,
          subject: { kind: 'deviceNeed', id: c.id as Types.ObjectId },
          institution: ctx.institutionId as Types.ObjectId,
          pupil: c.pupil as Types.ObjectId,
        })),
      ),
  });
};
