import { Types } from 'mongoose';
import type { DeviceNeedRow } from '../../../imports/kinds/deviceNeeds.ts';
import { DeviceNeedModel } from '../../devices/model.ts';
import { newReferenceCode } from '../../devices/referenceCode.ts';
import { openPupils } from './pupils.ts';
import { RecordBook, type Plan, type Stored } from './recordBook.ts';
import { combine, reject, type OpenApplier, type RowResult } from './types.ts';

// Until a device is on its way the school may still correct the need; after that a list cannot change it.
const editable = new Set(['registered', 'approved']);

type NeedDoc = Stored & { pupil: Types.ObjectId; status: string };

/** Creates or updates each pupil and their device need (one need per pupil, with a reference code). */
export const openDeviceNeeds: OpenApplier<DeviceNeedRow> = async (ctx) => {
  const savePupils = await openPupils(ctx);
  const loaded = ctx.institutionId ? ((await DeviceNeedModel.find({ institution: ctx.institutionId }, '-history -createdAt -updatedAt').lean()) as unknown as NeedDoc[]) : [];
  const needs = new RecordBook<NeedDoc>(
    ctx,
    { model: DeviceNeedModel, keyOf: (n) => String(n.pupil), filterFor: (pupil) => ({ pupil: new Types.ObjectId(pupil) }), locked: (n) => !editable.has(n.status) },
    loaded,
  );

  return async (rows) => {
    const pupils = await savePupils(
      rows.map(({ record: r }) => ({
        personalCode: r.personalCode,
        firstName: r.firstName,
        lastName: r.lastName,
        class: r.class,
        guardian: { name: r.guardianName, phone: r.guardianPhone, email: r.guardianEmail, language: r.language },
      })),
    );
    const results = new Array<RowResult>(rows.length);
    const plans: Plan[] = [];
    const planRows: number[] = [];
    pupils.forEach((p, i) => {
      if (p.kind !== 'written') return void (results[i] = reject('personalCode', 'pupil_in_other_institution'));
      // A preview of a new pupil: their need is new as well.
      if (p.id === null) return void (results[i] = { outcome: 'created', errors: [], warnings: [] });
      const r = rows[i]!.record;
      const wanted = { deviceType: r.deviceType, reason: r.reason, priority: r.priority, deliveryMethod: r.deliveryMethod, address: r.address };
      plans.push({
        key: String(p.id),
        wanted,
        fresh: () => ({
          ...wanted,
          pupil: p.id,
          institution: ctx.institutionId,
          referenceCode: newReferenceCode(),
          status: 'registered',
          history: [{ status: 'registered', at: new Date(), by: `import:${ctx.importId}`, note: ctx.fileName }],
        }),
      });
      planRows.push(i);
    });
    const saved = await needs.saveAll(plans);
    saved.forEach((s, k) => {
      const i = planRows[k]!;
      const pupil = pupils[i]!;
      const pupilOutcome = pupil.kind === 'written' ? pupil.outcome : 'unchanged';
      const needOutcome = s.kind === 'foreign' ? 'unchanged' : s.outcome;
      const warnings = s.kind === 'locked' ? [{ field: 'deviceType', code: 'need_in_progress_not_changed' }] : [];
      results[i] = { outcome: combine(pupilOutcome, needOutcome), errors: [], warnings };
    });
    return results;
  };
};
