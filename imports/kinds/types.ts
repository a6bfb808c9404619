import type { FieldSpec } from '../headers.ts';

export const importKinds = ['device-needs', 'food-entitlements', 'kindergarten-attendance', 'ministry-shipment'] as const;
export type ImportKind = (typeof importKinds)[number];

/** A problem with one row: the field it concerns and a stable code (an i18n key under `imports.issues.`). */
export type RowIssue = { field: string | null; code: string };

/** What a kind makes of one row before anything is looked up in the database. */
export type ParsedRow<T> =
  | { ok: true; record: T; key: string; warnings: RowIssue[] }
  | { ok: false; errors: RowIssue[]; warnings: RowIssue[] };

/** Field names in a kind's `names` lists start with the Latvian, Russian and English template headers. */
export type KindSpec<T> = {
  kind: ImportKind;
  fields: FieldSpec[];
  /** Drop-down lists for the template, per field key, as [value label per language] choices. */
  choices: Record<string, Array<{ lv: string; ru: string; en: string }>>;
  /** Validates and normalises one row given its cells by field key. */
  parseRow(cells: Record<string, unknown>, ctx: { date1904: boolean; today: string }): ParsedRow<T>;
};

/** Helper for kinds: collects issues and says whether the row survives. */
export class RowCheck {
  errors: RowIssue[] = [];
  warnings: RowIssue[] = [];
  error(field: string | null, code: string): void {
    this.errors.push({ field, code });
  }
  warn(field: string | null, code: string): void {
    this.warnings.push({ field, code });
  }
  result<T>(build: () => { record: T; key: string }): ParsedRow<T> {
    if (this.errors.length) return { ok: false, errors: this.errors, warnings: this.warnings };
    return { ok: true, ...build(), warnings: this.warnings };
  }
}
