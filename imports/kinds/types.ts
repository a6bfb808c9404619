import type { z } from 'zod';
import type { FieldSpec } from '../headers.ts';
import type { Dropped, RowContext } from './fieldSchemas.ts';

export const importKinds = ['device-needs', 'food-entitlements', 'kindergarten-attendance', 'kindergarten-requests', 'ministry-shipment'] as const;
export type ImportKind = (typeof importKinds)[number];

/** Kinds that belong to the office rather than to an institution: coordinators only, no institution. */
export const officeKinds: readonly ImportKind[] = ['kindergarten-requests', 'ministry-shipment'];

/** A problem with one row: the field it concerns and a stable code (an i18n key under `imports.issues.`). */
export type RowIssue = { field: string | null; code: string };

/** What a kind makes of one row before anything is looked up in the database. */
export type ParsedRow<T> =
  | { ok: true; record: T; key: string; warnings: RowIssue[] }
  | { ok: false; errors: RowIssue[]; warnings: RowIssue[] };

// Any zod object over the field keys; each kind's own schema keeps its precise types.
export type RowSchema = z.ZodObject<any>;

/** A kind's values after the row parser has turned every Dropped optional value into null. */
export type Settled<V> = { [K in keyof V]: Exclude<V[K], Dropped> };

/** Field names in a kind's `names` lists start with the Latvian, Russian and English template headers. */
export type KindSpec<T, S extends RowSchema = RowSchema> = {
  kind: ImportKind;
  fields: FieldSpec[];
  /** Drop-down lists for the template, per field key, as [value label per language] choices. */
  choices: Record<string, Array<{ lv: string; ru: string; en: string }>>;
  /** The field a row's natural key is reported under when the key repeats within a file. */
  keyField: string;
  /** The message code for a repeated key, when `duplicate_in_file` (one field repeated) would mislead. */
  duplicateCode?: string;
  /** The kind's zod schema of one row (cells by field key) for a file read in `ctx`. */
  schema(ctx: RowContext): S;
  /** The record and its natural key from valid values; `warn` reports what needs several fields to see. */
  build(values: Settled<z.output<S>>, warn: (field: string, code: string) => void): { key: string; record: T };
};
