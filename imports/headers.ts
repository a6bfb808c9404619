/**
 * Finding the header row of a hand-made sheet by recognising its column names, whatever the case,
 * diacritics, punctuation or language (Latvian, Russian, English) they are written in.
 */

import { cellText } from './cells.ts';

/**
 * A field of a kind and the names a column may have for it. `wholeName`: a column named so holds a
 * pupil's or child's first and last name in one cell, in that order ("Vārds, uzvārds": first name
 * first); it is read only for a sheet without a column of its own for one of them (see `NameColumn`).
 */
export type FieldSpec = { key: string; names: string[]; required: boolean; wholeName?: NameOrder };

/** The order a whole name is written in: "Anna Bērziņa" or "Bērziņa Anna". */
export type NameOrder = 'firstLast' | 'lastFirst';
/** The fields a whole-name column gives. */
export const nameFields = ['firstName', 'lastName'] as const;

/** A column holding whole names, and the name fields it gives (those the sheet has no column of their own for). */
export type NameColumn = { index: number; order: NameOrder; gives: Array<(typeof nameFields)[number]> };

export type HeaderMatch = {
  columns: Record<string, { index: number; header: string }>;
  missingRequired: string[];
  /** Columns with a name that no field took (unrecognised, or a second column for a field), in column order. */
  unknown: Array<{ index: number; header: string }>;
  /** The column of whole names, when one gives a name field; each field it gives is in `columns` under it. */
  names: NameColumn | null;
};

/** Columns that a title in the header row stands over, as a range of column numbers. */
export type ColumnSpan = { left: number; right: number };

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
 * What header names are compared by: the normalised name without its spaces and hyphens, so that
 * "E-pasts", "E pasts", "Epasts" and "e.pasts", or "Pers. kods" and "Pers.kods", are one name.
 * Dropping the separators joins no two names of a kind, and a header is only ever compared whole.
 */
export function headerKey(s: string): string {
  return normalizeHeader(s).replace(/[ -]/gu, '');
}

// How lists head their row-number column. A field may list one of these as a name (food
// entitlements' "No", valid from, under a "Derīgs" group title), but a column headed only so is
// more likely the row number: it takes the field only when no other column names it.
const rowNumberHeaders = new Set(['No', 'Nr', 'N', 'Nn', 'Npk', 'Nr. p.k.', 'Num', 'Number', 'Номер', 'П/п', '№ п/п'].map(headerKey));

/** One column of a header: its name as written, and the texts that may name its field. */
type HeaderCell = { index: number; header: string; texts: Array<{ text: string; groupOnly: boolean }>; underTitle?: boolean };

// A name's weight: longer (more specific) names win; a row-number word or a bare group title
// only takes a field no better column names.
function weight(key: string, groupOnly: boolean): number {
  if (rowNumberHeaders.has(key)) return 0;
  return (groupOnly ? 1000 : 2000) + Math.min(key.length, 999);
}

/** Each name's key with the first field listing it: should two fields share a name, the first keeps it. */
function fieldsByKey(fields: FieldSpec[]): Map<string, FieldSpec> {
  const byKey = new Map<string, FieldSpec>();
  for (const field of fields) {
    for (const name of field.names) {
      const key = headerKey(name);
      if (key !== '' && !byKey.has(key)) byKey.set(key, field);
    }
  }
  return byKey;
}

/**
 * Gives each field the column that names it best: all (column, field) pairs by weight, heaviest
 * first, the leftmost column winning a tie, each field and each column taken once. So "Derīgs no"
 * takes valid-from over a "No." row-number column wherever the two stand, and "Vecāka e-pasts"
 * takes the guardian's e-mail over a plain "E-pasts".
 */
function assignColumns(cells: HeaderCell[], fields: FieldSpec[]): Pick<HeaderMatch, 'columns' | 'unknown'> {
  const byKey = fieldsByKey(fields);
  const pairs: Array<{ cell: HeaderCell; field: FieldSpec; weight: number }> = [];
  for (const cell of cells) {
    for (const { text, groupOnly } of cell.texts) {
      const key = headerKey(text);
      const field = byKey.get(key);
      // A name under a group title ("Vecāks" over "Vārds, uzvārds") is that group's, never the pupil's whole name.
      if (field && !(field.wholeName && cell.underTitle)) pairs.push({ cell, field, weight: weight(key, groupOnly) });
    }
  }
  pairs.sort((a, b) => b.weight - a.weight || a.cell.index - b.cell.index || fields.indexOf(a.field) - fields.indexOf(b.field));
  const fieldAt = new Map<number, string>();
  const assigned = new Set<string>();
  for (const { cell, field } of pairs) {
    if (assigned.has(field.key) || fieldAt.has(cell.index)) continue;
    fieldAt.set(cell.index, field.key);
    assigned.add(field.key);
  }
  // In column order, as the sheet shows them.
  const columns: HeaderMatch['columns'] = {};
  const unknown: HeaderMatch['unknown'] = [];
  for (const cell of [...cells].sort((a, b) => a.index - b.index)) {
    const key = fieldAt.get(cell.index);
    if (key === undefined) unknown.push({ index: cell.index, header: cell.header });
    else columns[key] = { index: cell.index, header: cell.header };
  }
  return { columns, unknown };
}

/**
 * The columns, with a column of whole names ("Vārds, uzvārds") read only when the sheet lacks a
 * column of its own for the first or the last name: a sheet with "Vārds" and "Uzvārds" columns is
 * read as before, whatever else it has. The whole-name column then stands in `columns` for each
 * name field it gives; a name field with a column of its own keeps it.
 */
function withNames(cells: HeaderCell[], fields: FieldSpec[]): Pick<HeaderMatch, 'columns' | 'unknown' | 'names'> {
  const plain = assignColumns(cells, fields.filter((f) => !f.wholeName));
  const lacking = nameFields.filter((k) => !Object.hasOwn(plain.columns, k));
  if (!lacking.length || !fields.some((f) => f.wholeName)) return { ...plain, names: null };
  const { columns: found, unknown } = assignColumns(cells, fields);
  const columns: HeaderMatch['columns'] = {};
  let names: NameColumn | null = null;
  for (const [key, col] of Object.entries(found)) {
    const order = fields.find((f) => f.key === key)!.wholeName;
    if (!order) columns[key] = col;
    else if (names) unknown.push(col); // a second whole-name column ("ФИО" beside "Vārds, uzvārds") is not read
    else {
      columns[key] = col;
      names = { index: col.index, order, gives: lacking };
      for (const k of lacking) columns[k] = col;
    }
  }
  unknown.sort((a, b) => a.index - b.index);
  return { columns, unknown, names };
}

/** The match of header cells, or null unless they look like the header (see matchHeaderRow). */
function matchCells(cells: HeaderCell[], fields: FieldSpec[]): HeaderMatch | null {
  const { columns, unknown, names } = withNames(cells, fields);
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
  return { columns, missingRequired, unknown, names };
}

/** The texts of an exceljs `row.values` array by column; the array is sparse and index 0 unused. */
function rowTexts(values: unknown[]): Map<number, string> {
  const texts = new Map<number, string>();
  // A plain index loop also visits the holes, which read as undefined.
  for (let index = 1; index < values.length; index++) {
    const text = cellText(values[index]);
    if (text !== '') texts.set(index, text);
  }
  return texts;
}

/**
 * Matches an exceljs `row.values` array (index 0 unused) against the fields; returns null unless it
 * looks like the header row (all required fields, or at least 2 fields and most required ones).
 */
export function matchHeaderRow(cells: unknown[], fields: FieldSpec[]): HeaderMatch | null {
  const headerCells = [...rowTexts(cells)].map(([index, header]) => ({ index, header, texts: [{ text: header, groupOnly: false }] }));
  return matchCells(headerCells, fields);
}

/**
 * The group title a column of the header row stands under: the title of a span merged across it,
 * or else the nearest name to its left with only empty header cells in between (a title centred
 * across its columns without merging them). Null when neither applies.
 */
function groupTitle(column: number, header: Map<number, string>, merged: ColumnSpan[]): string | null {
  const span = merged.find((s) => s.left <= column && column <= s.right);
  if (span) return header.get(span.left) ?? null;
  for (let c = column; c >= 1; c--) {
    const text = header.get(c);
    if (text !== undefined) return c === column && header.get(c + 1) !== undefined ? null : text;
  }
  return null;
}

/**
 * Whether a name in the row under the header may belong to a two-row header at this column: the
 * header cell above is empty, or is (part of) a group title over several columns.
 */
function underGroup(column: number, header: Map<number, string>, below: Map<number, string>, merged: ColumnSpan[]): boolean {
  if (!header.has(column)) return true;
  if (merged.some((s) => s.left <= column && column <= s.right)) return true;
  // An unmerged title counts as a group when the cells right of it are empty above and named below.
  return !header.has(column + 1) && below.has(column + 1);
}

/**
 * Two-row headers: a group title ("Vecāka kontakti", "Derīgs") in the header row over the names of
 * its columns ("Tālrunis | E-pasts", "no | līdz") in the row below. Returns the header completed by
 * `below` when that row only names columns the header row left empty or covered with a group title
 * (`merged`: the header row's cells merged across columns), and gives at least one field a column
 * the header row alone did not; null when `below` is anything else, such as the first data row.
 * A name below is also tried with its group title before it ("Derīgs no"), and a title keeps a
 * field that no name below takes ("Vecāks" over "Vārds, uzvārds | Tālrunis").
 */
export function extendHeader(headerValues: unknown[], belowValues: unknown[], fields: FieldSpec[], merged: ColumnSpan[] = []): HeaderMatch | null {
  const header = rowTexts(headerValues);
  const below = rowTexts(belowValues);
  if (below.size === 0) return null;
  for (const column of below.keys()) if (!underGroup(column, header, below, merged)) return null;
  const base = matchCells(
    [...header].map(([index, text]) => ({ index, header: text, texts: [{ text, groupOnly: false }] })),
    fields,
  );
  const columns = new Set([...header.keys(), ...below.keys()]);
  const cells: HeaderCell[] = [...columns]
    .sort((a, b) => a - b)
    .map((index) => {
      const name = below.get(index);
      const above = header.get(index);
      if (name === undefined) return { index, header: above!, texts: [{ text: above!, groupOnly: false }] };
      const group = groupTitle(index, header, merged);
      const texts = [{ text: name, groupOnly: false }];
      if (group !== null) texts.push({ text: `${group} ${name}`, groupOnly: false });
      if (above !== undefined) texts.push({ text: above, groupOnly: true });
      return { index, header: name, texts, underTitle: group !== null };
    });
  const extended = matchCells(cells, fields);
  if (!extended) return null;
  // The row below must give some field a column: a field new to the header, or a better column.
  const added = Object.entries(extended.columns).some(([key, col]) => below.has(col.index) && base?.columns[key]?.index !== col.index);
  return added ? extended : null;
}

/**
 * A test of whether a data row repeats the header (lists made of a section per class often repeat
 * it): every filled cell holds the name its column has in one of the header's rows, and at least
 * one of them is a column a field is read from. `headerRows` are the header row and, for a two-row
 * header, the row below it. It runs for every data row, so the header's names are keyed once and a
 * row is given up at its first cell that differs.
 */
export function headerRepeats(headerRows: unknown[][], match: HeaderMatch): (values: unknown[]) => boolean {
  const names = new Map<number, Set<string>>();
  for (const row of headerRows) {
    for (const [index, text] of rowTexts(row)) {
      const key = headerKey(text);
      if (key !== '') names.set(index, (names.get(index) ?? new Set()).add(key));
    }
  }
  const mapped = new Set(Object.values(match.columns).map((c) => c.index));
  return (values) => {
    let namesField = false;
    for (let index = 1; index < values.length; index++) {
      const text = cellText(values[index]);
      if (text === '') continue;
      if (!names.get(index)?.has(headerKey(text))) return false;
      if (mapped.has(index)) namesField = true;
    }
    return namesField;
  };
}
