import { Types } from 'mongoose';
import type { FoodEntitlementRow } from '../../../imports/kinds/foodEntitlements.ts';
import { FamilyStatusModel } from '../../foodcards/model.ts';
import { openPupils } from './pupils.ts';
import { RecordBook, type Plan, type Stored } from './recordBook.ts';
import { combine, reject, type OpenApplier, type RowResult } from './types.ts';

type StatusDoc = Stored & { pupil: Types.ObjectId };

/** Creates or updates each pupil and their family status with its validity. */
export const openFoodEntitlements: OpenApplier<FoodEntitlementRow> = async (ctx) => {
  const savePupils = await openPupils(ctx);
  const loaded = ctx.institutionId ? ((await FamilyStatusModel.find({ institution: ctx.institutionId }).lean()) as unknown as StatusDoc[]) : [];
  const statuses = new RecordBook<StatusDoc>(
    ctx,
    { model: FamilyStatusModel, keyOf: (s) => String(s.pupil), filterFor: (pupil) => ({ pupil: new Types.ObjectId(pupil) }) },
    loaded,
  );

  return async (rows) => {
    const pupils = await savePupils(rows.map((r) => r.record));
    const results = new Array<RowResult>(rows.length);
    const plans: Plan[] = [];
    const planRows: number[] = [];
    pupils.forEach((p, i) => {
      if (p.kind !== 'written') return void (results[i] = reject('personalCode', 'pupil_in_other_institution'));
      if (p.id === null) return void (results[i] = { outcome: 'created', errors: [], warnings: [] });
      const r = rows[i]!.record;
      const wanted = { status: r.status, validFrom: r.validFrom, validTo: r.validTo };
      plans.push({ key: String(p.id), wanted, fresh: () => ({ ...wanted, pupil: p.id, institution: ctx.institutionId }) });
      planRows.push(i);
    });
    const saved = await statuses.saveAll(plans);
    saved.forEach((s, k) => {
      const i = planRows[k]!;
      const pupil = pupils[i]!;
      results[i] = { outcome: combine(pupil.kind === 'written' ? pupil.outcome : 'unchanged', s.kind === 'foreign' ? 'unchanged' : s.outcome), errors: [], warnings: [] };
    });
    return results;
  };
};
