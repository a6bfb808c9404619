import type { FoodEntitlementRow } from '../../../imports/kinds/foodEntitlements.ts';
import { FamilyStatusModel } from '../../foodcards/model.ts';
import { hashPersonalCode } from '../../pupils/personalCodes.ts';
import { loadPupils, savePupil } from './pupils.ts';
import { combine, differs, outcomeOf, reject, type ApplyBatch, type Outcome, type RowResult } from './types.ts';

/** Creates or updates each pupil and their family status with its validity. */
export const applyFoodEntitlements: ApplyBatch<FoodEntitlementRow> = async (ctx, rows) => {
  const pupils = await loadPupils(ctx, rows.map((r) => r.record));
  const statuses = new Map(
    (await FamilyStatusModel.find({ pupil: { $in: [...pupils.values()].map((p) => p._id) } }).lean()).map((s) => [String(s.pupil), s]),
  );
  const results: RowResult[] = [];
  for (const { record } of rows) {
    const saved = await savePupil(ctx, pupils.get(hashPersonalCode(ctx.key, record.personalCode.code)), record);
    if ('otherInstitution' in saved) {
      results.push(reject('personalCode', 'pupil_in_other_institution'));
      continue;
    }
    const wanted = { status: record.status, validFrom: record.validFrom, validTo: record.validTo };
    const existing = saved.id ? statuses.get(String(saved.id)) : undefined;
    let outcome: Outcome;
    if (!existing) {
      if (ctx.dryRun) outcome = 'created';
      else {
        const doc = await FamilyStatusModel.findOneAndUpdate(
          { pupil: saved.id },
          { $setOnInsert: { ...wanted, pupil: saved.id, institution: ctx.institutionId, createdByImport: ctx.importId } },
          { upsert: true, new: true, lean: true },
        );
        outcome = outcomeOf(doc, ctx.importId, false);
      }
    } else {
      const changed = differs(existing as unknown as Record<string, unknown>, wanted);
      if (changed && !ctx.dryRun) await FamilyStatusModel.updateOne({ _id: existing._id }, { $set: { ...wanted, changedByImport: ctx.importId } });
      outcome = outcomeOf(existing, ctx.importId, changed);
    }
    results.push({ outcome: combine(saved.outcome, outcome), errors: [], warnings: [] });
  }
  return results;
};
