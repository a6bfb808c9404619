import type { Types } from 'mongoose';
import type { DeviceNeedRow } from '../../../imports/kinds/deviceNeeds.ts';
import { DeviceNeedModel } from '../../devices/model.ts';
import { newReferenceCode } from '../../devices/referenceCode.ts';
import { hashPersonalCode } from '../../pupils/personalCodes.ts';
import { loadPupils, savePupil } from './pupils.ts';
import { combine, differs, outcomeOf, reject, type ApplyBatch, type ApplyContext, type Outcome, type RowResult } from './types.ts';

// Until a device is on its way the school may still correct the need; after that a list cannot change it.
const editable = new Set(['registered', 'approved']);

/** Creates or updates each pupil and their device need (one need per pupil, with a reference code). */
export const applyDeviceNeeds: ApplyBatch<DeviceNeedRow> = async (ctx, rows) => {
  const pupils = await loadPupils(ctx, rows.map((r) => r.record));
  const needs = new Map(
    (await DeviceNeedModel.find({ pupil: { $in: [...pupils.values()].map((p) => p._id) } }).lean()).map((n) => [String(n.pupil), n]),
  );
  const results: RowResult[] = [];
  for (const { record } of rows) {
    const existing = pupils.get(hashPersonalCode(ctx.key, record.personalCode.code));
    const saved = await savePupil(ctx, existing, {
      personalCode: record.personalCode,
      firstName: record.firstName,
      lastName: record.lastName,
      class: record.class,
      guardian: { name: record.guardianName, phone: record.guardianPhone, email: record.guardianEmail, language: record.language },
    });
    if ('otherInstitution' in saved) {
      results.push(reject('personalCode', 'pupil_in_other_institution'));
      continue;
    }
    const warnings: RowResult['warnings'] = [];
    const wanted = { deviceType: record.deviceType, reason: record.reason, priority: record.priority, deliveryMethod: record.deliveryMethod, address: record.address };
    const need = saved.id ? needs.get(String(saved.id)) : undefined;
    let needOutcome: Outcome;
    if (!need) {
      needOutcome = ctx.dryRun ? 'created' : await createNeed(ctx, saved.id as Types.ObjectId, ctx.institutionId!, wanted);
    } else {
      const changed = differs(need as unknown as Record<string, unknown>, wanted);
      if (changed && !editable.has(need.status)) {
        warnings.push({ field: 'deviceType', code: 'need_in_progress_not_changed' });
        needOutcome = outcomeOf(need, ctx.importId, false);
      } else {
        if (changed && !ctx.dryRun) await DeviceNeedModel.updateOne({ _id: need._id }, { $set: { ...wanted, changedByImport: ctx.importId } });
        needOutcome = outcomeOf(need, ctx.importId, changed);
      }
    }
    results.push({ outcome: combine(saved.outcome, needOutcome), errors: [], warnings });
  }
  return results;
};

/** Registers a need once per pupil (an upsert on the unique pupil key); a clashing reference code is drawn again. */
async function createNeed(ctx: ApplyContext, pupil: Types.ObjectId, institution: Types.ObjectId, wanted: Record<string, unknown>): Promise<Outcome> {
  for (let attempt = 0; ; attempt++) {
    try {
      const doc = await DeviceNeedModel.findOneAndUpdate(
        { pupil },
        {
          $setOnInsert: {
            ...wanted,
            pupil,
            institution,
            referenceCode: newReferenceCode(),
            status: 'registered',
            history: [{ status: 'registered', at: new Date(), by: `import:${ctx.importId}`, note: ctx.fileName }],
            createdByImport: ctx.importId,
          },
        },
        { upsert: true, new: true, lean: true },
      );
      return outcomeOf(doc, ctx.importId, false);
    } catch (err) {
      if ((err as { code?: number }).code !== 11000 || attempt >= 3) throw err;
    }
  }
}
