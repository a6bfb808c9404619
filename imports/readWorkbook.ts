import ExcelJS from 'exceljs';
import { cellText, SlashDateEvidence, type SlashOrder } from './cells.ts';
import { unescapedRow } from './xlsxText.ts';
import { decodeCsv, parseCsv, type CsvNote } from './csv.ts';
import { extendHeader, headerRepeats, matchHeaderRow, normalizeHeader, type ColumnSpan, type FieldSpec, type HeaderMatch, type NameColumn } from './headers.ts';
import { splitWholeName } from './wholeNames.ts';
import { zipLimits } from './sniff.ts';
import { openXlsx, XlsxPartsError, type CellRange, type SheetPart } from './xlsxParts.ts';
import { workbookReader } from './workbookReader.ts';

/** A reading failure that ends the import before or while rows are read; `code` is stable. */
export class SpreadsheetError extends Error {
  readonly code: string;
  readonly params: Record<string, string | number>;
  constructor(code: string, params: Record<string, string | number> = {}) {
    super(code);
    this.code = code;
    this.params = params;
  }
}

export type SourceFile = { format: 'xlsx' | 'csv'; bytes: Buffer };
export type HeaderEvent = {
  type: 'header';
  sheet: string;
  /** The header's row; for a two-row header (group titles over column names), its upper row. */
  rowNumber: number;
  match: HeaderMatch;
  date1904: boolean;
  /** The order the file's slashed dates were shown to have (null: not shown; see cells.ts). */
  slashDates: SlashOrder | null;
  /**
   * The names of the header's columns that no field was read from, as written and in column order:
   * names the reader does not know and second columns for a field already read. Their data is not
   * imported, which the principal may want to be told.
   */
  unusedColumns: string[];
};
/**
 * What reading itself found wrong in a row, before its cells are checked: a quotation mark in a
 * .csv never closed (`stray_quote`, a warning: the row is read without it) or one that joined the
 * lines after it into this row (`rows_joined`, an error: the row cannot be read as written); a
 * workbook's row that is hidden (`hidden_row`, a warning: read all the same); or a whole name of
 * three words or more split without a comma to go by (`whole_name_split`, a warning: check it).
 */
export type RowNote = { field: string | null; code: CsvNote['code'] | 'hidden_row' | 'whole_name_split'; severity: 'error' | 'warning' };
export type RowEvent = { type: 'row'; rowNumber: number; cells: Record<string, unknown>; values: unknown[]; notes?: RowNote[] };

// Titles, logos and notes above the header are common; a real header sits within the first rows.
const headerScanRows = 30;

type SheetRow = { number: number; values: unknown[]; notes?: CsvNote[]; hidden?: true };
type Sheet = { name: string; instructions: boolean; merges: CellRange[]; rows: AsyncIterable<SheetRow> };

// Words that name a sheet of instructions or of a filled-in example rather than the list itself:
// beginnings of words, diacritics and case ignored ("Instrukcija", "Norādījumi", "Пояснения").
const instructionWords = [
  'instrukc', 'instruction', 'noradijum', 'norades', 'paskaidroj', 'skaidroj', 'palidzib', 'paraug', 'piemer',
  'help', 'guide', 'readme', 'example', 'sample',
  'инструкц', 'пояснени', 'указани', 'помощь', 'образец', 'пример',
];
const instructionPhrases = ['ka aizpildit', 'how to', 'read me', 'как заполн'];

/** Whether a sheet's name says it holds instructions or an example, not the data. */
export function isInstructionsSheet(name: string): boolean {
  const normal = normalizeHeader(name).replace(/-/gu, ' ');
  return normal.split(' ').some((w) => instructionWords.some((s) => w.startsWith(s))) || instructionPhrases.some((p) => normal.includes(p));
}

/** The sheets to read, in order: visible ones only, the data sheets before instructions and examples. */
function readingOrder(sheets: SheetPart[]): SheetPart[] {
  const visible = sheets.filter((s) => !s.hidden);
  const instructions = (s: SheetPart) => s.name !== null && isInstructionsSheet(s.name);
  return [...visible.filter((s) => !instructions(s)), ...visible.filter(instructions)];
}

async function openChecked(bytes: Buffer, text: (cellText: string) => void) {
  try {
    return await openXlsx(bytes, zipLimits, undefined, text);
  } catch (err) {
    if (err instanceof XlsxPartsError) throw new SpreadsheetError(err.code, { detail: err.message.slice(0, 200) });
    throw err;
  }
}

/** Streams the chosen worksheets of an .xlsx with exceljs' WorkbookReader: one row in memory at a time. */
async function* xlsxSheets(bytes: Buffer, meta: ReadingMeta): AsyncGenerator<Sheet> {
  // Text dates are string cells, whose texts are looked through as the parts are checked.
  const evidence = new SlashDateEvidence();
  const file = await openChecked(bytes, (text) => evidence.feed(text));
  meta.slashDates = evidence.order();
  const order = readingOrder(file.sheets);
  const reader = workbookReader(file.stream(order), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'ignore',
  }, file.dialects);
  // The reader takes the worksheet parts one after another in the order they are streamed.
  let next = 0;
  for await (const ws of reader as AsyncIterable<AsyncIterable<ExcelJS.Row> & { name?: string; id?: number }>) {
    const part = order[next++];
    meta.date1904 = !!(reader as unknown as { properties?: { model?: { date1904?: boolean } } }).properties?.model?.date1904;
    const hidden = reader.hiddenRows.get(String(ws.id));
    const rows = (async function* (): AsyncGenerator<SheetRow> {
      for await (const row of ws) {
        const values = unescapedRow(row.values as unknown[]);
        // Each hidden row is let go of as it is read, so the set holds only rows still ahead.
        yield hidden?.delete(row.number) ? { number: row.number, values, hidden: true } : { number: row.number, values };
      }
    })();
    const name = part?.name ?? ws.name ?? `Sheet${ws.id ?? ''}`;
    yield { name, instructions: part?.name != null && isInstructionsSheet(part.name), merges: part?.merges ?? [], rows };
  }
}

/** A .csv (UTF-8, Windows-1257 or UTF-16) as one sheet, with what its text shows of its slashed dates. */
async function* csvSheets(bytes: Buffer, meta: ReadingMeta): AsyncGenerator<Sheet> {
  const { text } = decodeCsv(bytes);
  const evidence = new SlashDateEvidence();
  evidence.feed(text);
  meta.slashDates = evidence.order();
  const rows = (async function* () {
    for (const r of parseCsv(text)) yield r.notes.length ? { number: r.rowNumber, values: r.values, notes: r.notes } : { number: r.rowNumber, values: r.values };
  })();
  yield { name: 'csv', instructions: false, merges: [], rows };
}

/** The header as found: its match and the one or two rows it was read from. */
type FoundHeader = { rowNumber: number; match: HeaderMatch; rows: unknown[][] };

/**
 * Looks for the header among a sheet's first rows, one row at a time. A row that matches is held
 * until the next row is seen, which may complete it as the lower row of a two-row header.
 */
class HeaderSearch {
  /** The first header found that lacks a required column, for the error when no sheet has a full one. */
  partial: HeaderMatch | null = null;
  private pending: { row: SheetRow; match: HeaderMatch } | null = null;
  private scanned = 0;
  private readonly fields: FieldSpec[];
  private readonly merges: CellRange[];
  constructor(fields: FieldSpec[], merges: CellRange[]) {
    this.fields = fields;
    this.merges = merges;
  }

  /** The header once this row settles it, and whether the row was its lower row (and so no data). */
  offer(row: SheetRow): { header: FoundHeader; usedRow: boolean } | null {
    if (this.pending) {
      const { row: above, match } = this.pending;
      const extended = above.number + 1 === row.number ? extendHeader(above.values, row.values, this.fields, this.groupSpans(above.number)) : null;
      const header = this.settle(above, extended ? row : null, extended ?? match);
      if (header) return { header, usedRow: extended !== null };
      if (extended) return null;
    }
    if (++this.scanned > headerScanRows) return null;
    const match = matchHeaderRow(row.values, this.fields);
    if (match) this.pending = { row, match };
    return null;
  }

  /** At the end of the sheet: a header in its last row. */
  finish(): FoundHeader | null {
    return this.pending ? this.settle(this.pending.row, null, this.pending.match) : null;
  }

  private settle(above: SheetRow, below: SheetRow | null, match: HeaderMatch): FoundHeader | null {
    this.pending = null;
    if (match.missingRequired.length) {
      this.partial ??= match;
      return null;
    }
    return { rowNumber: above.number, match, rows: below ? [above.values, below.values] : [above.values] };
  }

  // Group titles in the header row merged across several columns.
  private groupSpans(rowNumber: number): ColumnSpan[] {
    return this.merges.filter((m) => m.top === rowNumber && m.right > m.left);
  }
}

/**
 * Gives the cells of each merged block the value of its top-left cell, for data rows met in order:
 * a class merged down over its pupils then reads on every pupil's row. Only blocks whose top row is
 * a data row count (a header cell merged down is no value), and only the columns fields are read
 * from. Blocks never overlap in a real sheet, so each column follows one block at a time, and a row
 * costs at most one look per field whatever the file claims.
 */
class MergedCells {
  private readonly ranges: CellRange[];
  private readonly columns: number[];
  private next = 0;
  private readonly active = new Map<number, { range: CellRange; value: unknown }>();
  constructor(merges: CellRange[], columns: number[]) {
    this.columns = columns;
    const read = (r: CellRange) => columns.some((c) => r.left <= c && c <= r.right);
    this.ranges = merges.filter(read).sort((a, b) => a.top - b.top);
  }

  /** The row's values with merged cells filled in (a copy when anything was filled). */
  fill(rowNumber: number, values: unknown[]): unknown[] {
    while (this.next < this.ranges.length && this.ranges[this.next]!.top <= rowNumber) {
      const range = this.ranges[this.next++]!;
      if (range.top !== rowNumber) continue;
      for (const col of this.columns) if (range.left <= col && col <= range.right) this.active.set(col, { range, value: values[range.left] });
    }
    let filled: unknown[] | null = null;
    for (const [col, { range, value }] of this.active) {
      if (range.bottom < rowNumber) this.active.delete(col);
      else if ((col !== range.left || rowNumber !== range.top) && cellText(values[col]) === '') {
        filled ??= [...values];
        filled[col] = value;
      }
    }
    return filled ?? values;
  }
}

/**
 * Turns the rows after the header into row events: blank rows and repeated headers are skipped, and
 * so is a section's title ("5.b klase") standing alone right above a repeated header. A row with a
 * single filled cell is held until the next row shows which it is: before a repeated header it is
 * a title; before anything else it is data (an incomplete row, reported as such).
 */
class DataRows {
  private count = 0;
  private held: RowEvent | null = null;
  private readonly repeatsHeader: (values: unknown[]) => boolean;
  private readonly columns: Array<[string, number]>;
  private readonly merged: MergedCells;
  private readonly maxRows: number;
  private readonly names: NameColumn | null;
  constructor(header: FoundHeader, merges: CellRange[], maxRows: number) {
    this.repeatsHeader = headerRepeats(header.rows, header.match);
    this.columns = Object.entries(header.match.columns).map(([key, col]) => [key, col.index]);
    this.names = header.match.names;
    this.merged = new MergedCells(merges, this.columns.map(([, index]) => index));
    this.maxRows = maxRows;
  }

  /**
   * Fills the name fields the column of whole names gives (see wholeNames.ts) and says whether the
   * first name it gave is a reading the principal should check. A cell that does not split (one
   * word) gives the name written first and leaves the other empty, which its check reports.
   */
  private splitName(names: NameColumn, cells: Record<string, unknown>, values: unknown[]): boolean {
    const text = cellText(values[names.index]);
    const whole = splitWholeName(text, names.order);
    const first = names.order === 'firstLast' ? 'firstName' : 'lastName';
    for (const key of names.gives) cells[key] = whole ? whole[key] : key === first && text ? text : null;
    return !!whole && !whole.checked && names.gives.includes('firstName');
  }

  /** The data rows this row settles: none, the row, or a row held before it and the row. */
  next(row: SheetRow): RowEvent[] {
    // A row is blank when no field has a value: pre-numbered template rows only have their number.
    if (this.columns.every(([, index]) => cellText(row.values[index]) === '')) return [];
    if (this.repeatsHeader(row.values)) {
      // The row held before a repeated header was the section's title.
      this.held = null;
      return [];
    }
    const out = this.finish();
    const values = this.merged.fill(row.number, row.values);
    const cells: Record<string, unknown> = {};
    for (const [key, index] of this.columns) cells[key] = values[index];
    const ev: RowEvent = { type: 'row', rowNumber: row.number, cells, values };
    if (row.notes) ev.notes = rowNotes(row.notes, this.columns);
    if (this.names && this.splitName(this.names, cells, values)) (ev.notes ??= []).push({ field: 'firstName', code: 'whole_name_split', severity: 'warning' });
    // Read all the same, but said: a list filtered to one class and uploaded with the filter still
    // on means the whole list, a list filtered to the pupils in need may not. The principal decides.
    if (row.hidden) (ev.notes ??= []).push({ field: null, code: 'hidden_row', severity: 'warning' });
    if (filledCells(row.values) === 1) this.held = ev;
    else out.push(this.counted(ev));
    return out;
  }

  /** The row still held at the end of the sheet, or before the next row: data after all. */
  finish(): RowEvent[] {
    const held = this.held;
    this.held = null;
    return held ? [this.counted(held)] : [];
  }

  private counted(ev: RowEvent): RowEvent {
    if (++this.count > this.maxRows) throw new SpreadsheetError('too_many_rows', { max: this.maxRows });
    return ev;
  }
}

/**
 * The notes of a row by field. Joined rows are an error whichever column swallowed them; a stray
 * quote only matters in a column that is read.
 */
function rowNotes(notes: CsvNote[], columns: Array<[string, number]>): RowNote[] {
  return notes.flatMap((n): RowNote[] => {
    const field = columns.find(([, index]) => index === n.column)?.[0] ?? null;
    if (n.code === 'rows_joined') return [{ field, code: n.code, severity: 'error' }];
    return field ? [{ field, code: n.code, severity: 'warning' }] : [];
  });
}

function filledCells(values: unknown[]): number {
  let n = 0;
  for (let i = 1; i < values.length; i++) if (cellText(values[i]) !== '') n += 1;
  return n;
}

/** What the whole file says about reading its cells, known before its first sheet is read. */
type ReadingMeta = { date1904: boolean; slashDates: SlashOrder | null };

/** What the sheets read so far have shown. */
type Progress = { header: HeaderEvent | null; partial: HeaderMatch | null; partialOutsideInstructions: boolean };

/** Reads one sheet: looks for the header, then yields the header and the data rows after it. */
async function* readSheet(sheet: Sheet, fields: FieldSpec[], maxRows: number, meta: ReadingMeta, progress: Progress): AsyncGenerator<HeaderEvent | RowEvent> {
  const search = new HeaderSearch(fields, sheet.merges);
  let data: DataRows | null = null;
  const headerEvent = (found: FoundHeader): HeaderEvent => ({
    type: 'header',
    sheet: sheet.name,
    rowNumber: found.rowNumber,
    match: found.match,
    date1904: meta.date1904,
    slashDates: meta.slashDates,
    unusedColumns: found.match.unknown.map((u) => u.header),
  });
  for await (const row of sheet.rows) {
    if (data === null) {
      const found = search.offer(row);
      if (!found) continue;
      data = new DataRows(found.header, sheet.merges, maxRows);
      yield (progress.header = headerEvent(found.header));
      if (found.usedRow) continue;
    }
    yield* data.next(row);
  }
  if (data) yield* data.finish();
  const last = data === null ? search.finish() : null;
  if (last) yield (progress.header = headerEvent(last));
  progress.partial ??= search.partial;
  if (search.partial && !sheet.instructions) progress.partialOutsideInstructions = true;
}

async function drain(rows: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of rows) void _;
}

/**
 * Reads an import file: finds the data sheet and its header row by the kind's column names, then
 * yields each data row with its cells keyed by field. Hidden sheets are never read; sheets named as
 * instructions or examples only when no other sheet has a recognisable header; titles above the
 * header, blank rows and repeats of the header are skipped, a two-row header is read as one, and
 * merged cells give every row they cover their value. Throws SpreadsheetError('no_header') when no
 * sheet has a recognisable header, ('missing_columns') when the best lacks a required column, and
 * ('too_many_rows') past `maxRows` data rows.
 */
export async function* readImportRows(file: SourceFile, fields: FieldSpec[], opts: { maxRows: number }): AsyncGenerator<HeaderEvent | RowEvent> {
  const meta: ReadingMeta = { date1904: false, slashDates: null };
  const sheets = file.format === 'xlsx' ? xlsxSheets(file.bytes, meta) : csvSheets(file.bytes, meta);
  const progress: Progress = { header: null, partial: null, partialOutsideInstructions: false };
  try {
    for await (const sheet of sheets) {
      // Only the first sheet with a header is data, and an instructions sheet's example table is no
      // fallback for a data sheet missing a column; other sheets are drained unread.
      if (progress.header || (sheet.instructions && progress.partialOutsideInstructions)) await drain(sheet.rows);
      else yield* readSheet(sheet, fields, opts.maxRows, meta, progress);
    }
  } catch (err) {
    if (err instanceof SpreadsheetError) throw err;
    throw new SpreadsheetError('unreadable_file', { detail: (err as Error).message.slice(0, 200) });
  }
  if (!progress.header) {
    if (progress.partial) throw new SpreadsheetError('missing_columns', { columns: progress.partial.missingRequired.join(', ') });
    throw new SpreadsheetError('no_header');
  }
}
