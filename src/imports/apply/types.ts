import type { Types } from 'mongoose';
import type { RowIssue } from '../../../imports/kinds/index.ts';
import type { PersonalCodeKey } from '../../pupils/personalCodes.ts';

/** What an apply step knows: which import (for idempotent retries), where, and whether to write at all. */
export type ApplyContext = {
  importId: string;
  institutionId: Types.ObjectId | null;
  institutionCode: string | null;
  dryRun: boolean;
  key: PersonalCodeKey;
  fileName: string;
  today: string;
};

export type Outcome = 'created' | 'updated' | 'unchanged' | 'rejected';
export type RowResult = { outcome: Outcome; errors: RowIssue[]; warnings: RowIssue[] };
export type BatchRow<T> = { rowNumber: number; record: T };
/** Applies one batch of valid rows, in order; made once per import run by an `OpenApplier`. */
export type ApplyBatch<T> = (rows: Array<BatchRow<T>>) => Promise<RowResult[]>;
/** Loads what an import kind needs once per run (e.g. the institution's pupils) and returns its batch step. */
export type OpenApplier<T> = (ctx: ApplyContext) => Promise<ApplyBatch<T>>;

export const reject = (field: string | null, code: string): RowResult => ({ outcome: 'rejected', errors: [{ field, code }], warnings: [] });

/**
 * The outcome of writing one record: `created` when this import made it (also on a retry after a
 * crash), `updated` when this import changed it, else `unchanged`.
 */
export function outcomeOf(doc: { createdByImport?: string | null; changedByImport?: string | null } | null, importId: string, changedNow: boolean): Outcome {
  if (!doc) return 'created';
  if (doc.createdByImport === importId) return 'created';
  if (changedNow || doc.changedByImport === importId) return 'updated';
  return 'unchanged';
}

/** Combines the outcomes of several records written for one row (e.g. a pupil and their need). */
export function combine(...outcomes: Outcome[]): Outcome {
  if (outcomes.includes('created')) return 'created';
  if (outcomes.includes('updated')) return 'updated';
  return 'unchanged';
}

/** True when any wanted field (a dotted path for a nested one) differs from the stored document. */
export function differs(doc: Record<string, unknown>, wanted: Record<string, unknown>): boolean {
  return Object.entries(wanted).some(([path, v]) => (valueAt(doc, path) ?? null) !== (v ?? null));
}

function valueAt(doc: Record<string, unknown>, path: string): unknown {
  let at: unknown = doc;
  for (const part of path.split('.')) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined;
  return at;
}
