/**
 * Finding the header row of a hand-made sheet by recognising its column names, whatever the case,
 * diacritics, punctuation or language (Latvian, Russian, English) they are written in.
 */

import { cellText } from './cells.ts';

export type FieldSpec = { key: string; names: string[]; required: boolean };

export type HeaderMatch = {
  columns: Record<string, { index: number; header: string }>;
  missingRequired: string[];
  unknown: Array<{ index: number; header: string }>;
};

// Letters that carry no combining mark to strip, folded to what people type without them.
const letterFolds: Record<string, string> = { 'ß': 'ss', 'ø': 'o', 'ł': 'l', 'đ': 'd', 'æ': 'ae', 'œ': 'oe', 'ı': 'i' };

/**
 * A column name reduced to what identifies it: lower case, no diacritics (so ā→a, š→s, ё→е,
 * й→и), punctuation and symbols as spaces, whitespace collapsed. Hyphens are the one kept mark
 * (`e-pasts`), joined to both neighbours: spaces around them go, and leading or trailing ones drop.
 */
export function normalizeHeader(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßøłđæœı]/gu, (c) => letterFolds[c] ?? c)
    .replace(/[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/gu, '-')
    // Everything else that is punctuation or a symbol (.,:;()*"'/ « » № and the like) separates words.
    .replace(/[\p{P}\p{S}]/gu, (c) => (c === '-' ? c : ' '))
    .replace(/[\s\u200B-\u200D\u2060\u00AD]+/gu, ' ')
    .replace(/ ?-[ -]*/gu, '-')
    .replace(/^-+|-+$/gu, '')
    .trim();
}

/**
 * Matches an exceljs `row.values` array (index 0 unused) against the fields; returns null unless it
 * looks like the header row (all required fields, or at least 2 fields and most required ones).
 */
export function matchHeaderRow(cells: unknown[], fields: FieldSpec[]): HeaderMatch | null {
  const fieldByName = new Map<string, FieldSpec>();
  for (const field of fields) {
    for (const name of field.names) {
      const key = normalizeHeader(name);
      // Should two fields share a name, the first listed keeps it, as in the column order rule.
      if (key !== '' && !fieldByName.has(key)) fieldByName.set(key, field);
    }
  }

  const columns: HeaderMatch['columns'] = {};
  const unknown: HeaderMatch['unknown'] = [];
  // row.values is sparse; a plain index loop also visits the holes, which read as undefined.
  for (let index = 1; index < cells.length; index++) {
    const header = cellText(cells[index]);
    if (header === '') continue;
    const field = fieldByName.get(normalizeHeader(header));
    if (field && !Object.hasOwn(columns, field.key)) columns[field.key] = { index, header };
    else unknown.push({ index, header });
  }

  const required = fields.filter((f) => f.required);
  const missingRequired = required.filter((f) => !Object.hasOwn(columns, f.key)).map((f) => f.key);
  const matched = Object.keys(columns).length;
  const matchedRequired = required.length - missingRequired.length;
  // Title rows and data rows can match one name by chance; requiring either every required field
  // or several fields including most required ones keeps them out while a sheet missing one
  // required column is still recognised, so that the missing column can be reported.
  const allRequired = matched > 0 && missingRequired.length === 0;
  const mostRequired = matched >= 2 && matchedRequired * 2 > required.length;
  if (!allRequired && !mostRequired) return null;
  return { columns, missingRequired, unknown };
}
