import { Types } from 'mongoose';
import type { FoodEntitlementRow } from '../../../imports/kinds/foodEntitlements.ts';
import { FamilyStatusModel } from '../../foodcards/model.ts';
import { perPupil } from './perPupil.ts';
import { openPupils } from './pupils.ts';
import { RecordBook, type Stored } from './recordBook.ts';
import type { OpenApplier } from './types.ts';

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
  return perPupil(savePupils, statuses, ctx.institutionId, {
    pupil: (r: FoodEntitlementRow) => r,
    wanted: (r) => ({ status: r.status, validFrom: r.validFrom, validTo: r.validTo }),
  });
};
