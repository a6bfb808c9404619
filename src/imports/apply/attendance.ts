import type { AttendanceRow } from '../../../imports/kinds/kindergartenAttendance.ts';
import { normalizeHeader } from '../../../imports/headers.ts';
import { AttendanceModel } from '../../kindergartens/model.ts';
import { GroupModel, InstitutionModel } from '../../institutions/model.ts';
import { isBaseOn } from '../../institutions/service.ts';
import { differs, outcomeOf, reject, type ApplyBatch, type Outcome, type RowResult } from './types.ts';

/**
 * Records each group's registered and present count for a day. The group must exist (made with
 * group:add) and the kindergarten must be a base kindergarten that day. Present above capacity is
 * accepted (children are not sent home) but warned about.
 */
export const applyAttendance: ApplyBatch<AttendanceRow> = async (ctx, rows) => {
  const inst = await InstitutionModel.findById(ctx.institutionId);
  const groups = await GroupModel.find({ institution: ctx.institutionId }).lean();
  const byName = new Map(groups.map((g) => [normalizeHeader(g.name), g]));
  const results: RowResult[] = [];
  for (const { record } of rows) {
    if (!inst || inst.type !== 'kindergarten') {
      results.push(reject(null, 'not_a_kindergarten'));
      continue;
    }
    if (!isBaseOn(inst, record.day)) {
      results.push(reject('day', 'not_base_that_day'));
      continue;
    }
    const group = byName.get(normalizeHeader(record.group));
    if (!group) {
      results.push(reject('group', 'unknown_group'));
      continue;
    }
    const warnings: RowResult['warnings'] = [];
    if (record.present > group.capacity) warnings.push({ field: 'present', code: 'over_capacity' });
    const wanted = { registered: record.registered, present: record.present };
    const existing = await AttendanceModel.findOne({ group: group._id, day: record.day }).lean();
    let outcome: Outcome;
    if (!existing) {
      if (ctx.dryRun) outcome = 'created';
      else {
        const doc = await AttendanceModel.findOneAndUpdate(
          { group: group._id, day: record.day },
          { $setOnInsert: { ...wanted, institution: inst._id, group: group._id, day: record.day, createdByImport: ctx.importId } },
          { upsert: true, new: true, lean: true },
        );
        outcome = outcomeOf(doc, ctx.importId, false);
      }
    } else {
      const changed = differs(existing as unknown as Record<string, unknown>, wanted);
      if (changed && !ctx.dryRun) await AttendanceModel.updateOne({ _id: existing._id }, { $set: { ...wanted, changedByImport: ctx.importId } });
      outcome = outcomeOf(existing, ctx.importId, changed);
    }
    results.push({ outcome, errors: [], warnings });
  }
  return results;
};
