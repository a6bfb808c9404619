import type { TFunction } from '../i18n/index.ts';
import { kindSpecs, type ImportKind } from '../../imports/kinds/index.ts';

type Counts = { rows?: number | null; created?: number | null; updated?: number | null; unchanged?: number | null; rejected?: number | null; warnings?: number | null };
/** The stored fields of an import that presenters read (a lean document or toObject()). */
export type ImportLean = {
  _id: unknown;
  kind: string;
  institutionCode?: string | null;
  fileName: string;
  dryRun?: boolean | null;
  previewOf?: string | null;
  status: string;
  progress?: { processed?: number | null; total?: number | null; checked?: number | null } | null;
  summary?: Counts | null;
  failure?: { code?: string | null; params?: unknown } | null;
  header?: { unused?: string[] | null } | null;
  createdAt?: Date;
};
type IssueLean = { row: number; column?: string | null; field?: string | null; code: string; severity: string };

/** Field names for messages: the template header of the field in the reader's language. */
export function fieldLabel(kind: ImportKind, field: string, lang: 'lv' | 'ru' | 'en'): string {
  const f = kindSpecs[kind].fields.find((x) => x.key === field);
  return f?.names[{ lv: 0, ru: 1, en: 2 }[lang]] ?? field;
}

/** A failure's sentence, with the missing columns named in the reader's language. */
export function failureMessage(t: TFunction, kind: ImportKind, lang: 'lv' | 'ru' | 'en', failure: { code?: string | null; params?: unknown } | null) {
  if (!failure?.code) return null;
  const params = { ...((failure.params as Record<string, unknown>) ?? {}) };
  if (typeof params.columns === 'string') params.columns = params.columns.split(', ').map((k) => fieldLabel(kind, k, lang)).join(', ');
  return { code: failure.code, message: t(`imports.failures.${failure.code}`, { ...params, defaultValue: t('imports.failures.internal') }) };
}

/** The import as the API interface describes it, messages in the reader's language. */
export function presentImport(imp: ImportLean, issues: IssueLean[], t: TFunction, lang: 'lv' | 'ru' | 'en') {
  const kind = imp.kind as ImportKind;
  const msg = (i: IssueLean) => ({
    row: i.row,
    column: i.column ?? null,
    code: i.code,
    message: t(`imports.issues.${i.code}`, { column: i.column ?? (i.field ? fieldLabel(kind, i.field, lang) : ''), defaultValue: t('imports.issues.invalid') }),
  });
  return {
    id: String(imp._id),
    kind,
    institution: imp.institutionCode ?? null,
    fileName: imp.fileName,
    dryRun: !!imp.dryRun,
    previewOf: imp.previewOf ?? null,
    status: imp.status,
    progress: { processed: imp.progress?.processed ?? 0, total: imp.progress?.total ?? null, checked: imp.progress?.checked ?? 0 },
    summary: {
      rows: imp.summary?.rows ?? 0,
      created: imp.summary?.created ?? 0,
      updated: imp.summary?.updated ?? 0,
      unchanged: imp.summary?.unchanged ?? 0,
      rejected: imp.summary?.rejected ?? 0,
      warnings: imp.summary?.warnings ?? 0,
    },
    errors: issues.filter((i) => i.severity === 'error').map(msg),
    warnings: issues.filter((i) => i.severity === 'warning').map(msg),
    failure: failureMessage(t, kind, lang, imp.failure ?? null),
    // Columns of the header nothing was read from: their data was not imported.
    unusedColumns: imp.header?.unused ?? [],
    createdAt: imp.createdAt ? imp.createdAt.toISOString() : null,
  };
}
