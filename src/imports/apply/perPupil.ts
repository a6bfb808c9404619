import type { RowIssue } from '../../../imports/kinds/index.ts';
import type { PupilFields, SavePupils } from './pupils.ts';
import type { Plan, RecordBook, Stored } from './recordBook.ts';
import { combine, reject, type ApplyBatch, type RowResult } from './types.ts';

/** What a pupil-list kind says about its row: the pupil, and its own record of that pupil. */
export type PerPupilSpec<T> = {
  pupil: (row: T) => PupilFields;
  wanted: (row: T) => Record<string, unknown>;
  /** The rest of a new record besides the wanted fields, the pupil and the institution. */
  fresh?: () => Record<string, unknown>;
  /** Said when the record's state keeps the row from changing it. */
  lockedWarning?: RowIssue;
  /** Told of the records this batch created (not on a preview), e.g. to record their events. */
  onCreated?: (created: Array<{ id: unknown; pupil: unknown }>) => Promise<void>;
};

/**
 * The batch step of the kinds that list pupils (device needs, family statuses): each row's pupil is
 * created or brought up to date first, then the kind's one record per pupil. A pupil of another
 * institution rejects the row before anything of theirs is touched.
 */
export function perPupil<T, D extends Stored>(
  savePupils: SavePupils,
  records: RecordBook<D>,
  institution: unknown,
  spec: PerPupilSpec<T>,
): ApplyBatch<T> {
  return async (rows) => {
    const pupils = await savePupils(rows.map((r) => spec.pupil(r.record)));
    const results = new Array<RowResult>(rows.length);
    const plans: Plan[] = [];
    const planRows: number[] = [];
    pupils.forEach((p, i) => {
      if (p.kind !== 'written') return void (results[i] = reject('personalCode', 'pupil_in_other_institution'));
      // A preview of a new pupil: their record is new as well.
      if (p.id === null) return void (results[i] = { outcome: 'created', errors: [], warnings: [] });
      const wanted = spec.wanted(rows[i]!.record);
      plans.push({ key: String(p.id), wanted, fresh: () => ({ ...wanted, ...spec.fresh?.(), pupil: p.id, institution }) });
      planRows.push(i);
    });
    const saved = await records.saveAll(plans);
    const created: Array<{ id: unknown; pupil: unknown }> = [];
    saved.forEach((s, k) => {
      const pupilId = (pupils[planRows[k]!] as { id?: unknown }).id;
      if (s.kind === 'written' && s.outcome === 'created' && s.id) created.push({ id: s.id, pupil: pupilId });
    });
    if (created.length && spec.onCreated) await spec.onCreated(created);
    saved.forEach((s, k) => {
      const i = planRows[k]!;
      const pupil = pupils[i]!;
      const outcome = combine(pupil.kind === 'written' ? pupil.outcome : 'unchanged', s.kind === 'foreign' ? 'unchanged' : s.outcome);
      const warnings = s.kind === 'locked' && spec.lockedWarning ? [spec.lockedWarning] : [];
      results[i] = { outcome, errors: [], warnings };
    });
    return results;
  };
}
