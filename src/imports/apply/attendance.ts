import { Types } from 'mongoose';
import type { AttendanceRow } from '../../../imports/kinds/kindergartenAttendance.ts';
import { normalizeHeader } from '../../../imports/headers.ts';
import { AttendanceModel } from '../../kindergartens/model.ts';
import { isLate } from '../../kindergartens/attendanceService.ts';
import { touchDays } from '../../kindergartens/daySummaries.ts';
import { returnDeadline } from '../../kindergartens/settings.ts';
import { GroupModel, InstitutionModel } from '../../institutions/model.ts';
import { isBaseOn } from '../../institutions/service.ts';
import { RecordBook, type Plan, type Stored } from './recordBook.ts';
import { reject, type OpenApplier, type RowResult } from './types.ts';

type AttendanceDoc = Stored & { group: Types.ObjectId; day: string };
const keyOf = (group: unknown, day: string) => `${String(group)}|${day}`;

/**
 * Records each group's registered and present count for a day. The group must exist (made with
 * group:add) and the kindergarten must be a base kindergarten that day. Present above capacity is
 * accepted (children are not sent home) but warned about.
 */
export const openAttendance: OpenApplier<AttendanceRow> = async (ctx) => {
  const inst = ctx.institutionId ? await InstitutionModel.findById(ctx.institutionId) : null;
  const groups = ctx.institutionId ? await GroupModel.find({ institution: ctx.institutionId }).lean() : [];
  const byName = new Map(groups.map((g) => [normalizeHeader(g.name), g]));
  const loaded = ctx.institutionId ? ((await AttendanceModel.find({ institution: ctx.institutionId }).lean()) as unknown as AttendanceDoc[]) : [];
  const deadline = await returnDeadline();
  const book = new RecordBook<AttendanceDoc>(
    ctx,
    {
      model: AttendanceModel,
      keyOf: (a) => keyOf(a.group, a.day),
      filterFor: (key) => {
        const [group, day] = key.split('|');
        return { group: new Types.ObjectId(group), day };
      },
    },
    loaded,
  );

  return async (rows) => {
    const results = new Array<RowResult>(rows.length);
    const plans: Plan[] = [];
    const planRows: number[] = [];
    rows.forEach(({ record }, i) => {
      if (!inst || inst.type !== 'kindergarten') return void (results[i] = reject(null, 'not_a_kindergarten'));
      if (!isBaseOn(inst, record.day)) return void (results[i] = reject('day', 'not_base_that_day'));
      const group = byName.get(normalizeHeader(record.group));
      if (!group) return void (results[i] = reject('group', 'unknown_group'));
      // The capacity is kept with the return, so the history shows each day's occupancy as it was.
      const wanted = { registered: record.registered, present: record.present, capacity: group.capacity };
      const fresh = () => ({ ...wanted, institution: inst._id, group: group._id, day: record.day, submittedAt: new Date(), submittedBy: `import:${ctx.importId}`, late: isLate(record.day, deadline, new Date()) });
      plans.push({ key: keyOf(group._id, record.day), wanted, fresh });
      planRows.push(i);
      results[i] = { outcome: 'unchanged', errors: [], warnings: record.present > group.capacity ? [{ field: 'present', code: 'over_capacity' }] : [] };
    });
    const saved = await book.saveAll(plans);
    // The occupancy chart's figures of these days are added up again when next shown.
    if (!ctx.dryRun) await touchDays(rows.map((r) => r.record.day));
    saved.forEach((s, k) => {
      const r = results[planRows[k]!]!;
      r.outcome = s.kind === 'foreign' ? 'unchanged' : s.outcome;
    });
    return results;
  };
};
