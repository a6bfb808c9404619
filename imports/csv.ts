/**
 * Reading a .csv as Latvian schools save them: Excel writes UTF-8 (with a BOM) for "CSV UTF-8" and
 * the Windows code page, 1257 (Baltic), for plain "CSV"; the delimiter is `;` under Latvian regional
 * settings and `,` elsewhere. Excel's "Unicode Text" (tab separated, often saved as .txt or renamed
 * .csv) is UTF-16 with its byte-order mark: older Excel's only way to keep Latvian letters.
 */

const bom = [0xef, 0xbb, 0xbf];

export type CsvEncoding = 'utf-8' | 'windows-1257' | 'utf-16le' | 'utf-16be';

/** The UTF-16 a byte-order mark announces, if the bytes start with one. */
export function utf16Of(bytes: Buffer): 'utf-16le' | 'utf-16be' | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

/** Decodes CSV bytes: UTF-16 after its byte-order mark, UTF-8 (BOM stripped) when valid, otherwise Windows-1257. */
export function decodeCsv(bytes: Buffer): { text: string; encoding: CsvEncoding } {
  const utf16 = utf16Of(bytes);
  // The decoder drops the byte-order mark itself; an odd last byte becomes U+FFFD.
  if (utf16) return { text: new TextDecoder(utf16).decode(bytes), encoding: utf16 };
  const body = bytes[0] === bom[0] && bytes[1] === bom[1] && bytes[2] === bom[2] ? bytes.subarray(3) : bytes;
  try {
    // ignoreBOM: the BOM is already gone; a second one would be content, not a marker.
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body), encoding: 'utf-8' };
  } catch {
    // Any byte sequence decodes in a single-byte code page, so this cannot fail. Text in 1257 is
    // practically never valid UTF-8 by accident: a Latvian letter (0xC0-0xFE) would have to be
    // followed by one to three bytes in 0x80-0xBF, which are punctuation and symbols there.
    return { text: new TextDecoder('windows-1257', { ignoreBOM: true }).decode(body), encoding: 'windows-1257' };
  }
}

const candidates = [';', '\t', ','] as const;
// Enough records to outvote a title line above the header, few enough to stay cheap.
const delimiterSampleRecords = 10;
const delimiterSampleChars = 1024 * 1024;
// Excel's last column is XFD; like Excel opening such a file, fields beyond it are dropped, which
// also bounds the array a single line of delimiters could make.
const maxColumns = 16_384;

/** A quote gone wrong in a row (see parseCsv), at the column exceljs would number it. */
export type CsvNote = { column: number; code: 'stray_quote' | 'rows_joined' };

/**
 * Parses CSV text (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes; CRLF, LF or
 * CR line ends) and yields rows shaped like exceljs `row.values`: index 0 unused, then one string
 * per field. `rowNumber` is the row Excel shows when it opens the file: every record counts one,
 * blank lines included, and a line break inside quotes stays within its row. Rows whose fields are
 * all empty (blank lines, `;;;`) are not yielded, as exceljs yields no empty rows either. A field
 * written as `="…"` gives the text inside the quotes.
 *
 * A quotation mark that is never closed, or closed only lines later, is where hand-edited files
 * lose rows: Excel reads every line up to the closing quote (or the end of the file) as one cell.
 * Here a quote never closed is left out and the field read as if it were not there, so the rows
 * after it are read as rows (`stray_quote` on that field); a quoted field that swallowed lines
 * holding whole records is marked `rows_joined`, so its row is rejected with a message instead
 * of the swallowed rows vanishing into one cell (or their personal codes into a name).
 */
export function* parseCsv(text: string): Generator<{ rowNumber: number; values: unknown[]; notes: CsvNote[] }> {
  const delimiter = detectDelimiter(text);
  let rowNumber = 0;
  for (const record of records(text, delimiter)) {
    rowNumber++;
    const texts = record.fields.map(unwrapFormulaText);
    if (texts.every((f) => f === '')) continue;
    const values: unknown[] = [undefined];
    for (const f of texts) values.push(f);
    // Columns as exceljs numbers them: the first field is column 1.
    yield { rowNumber, values, notes: record.notes.map((n) => ({ ...n, column: n.column + 1 })) };
  }
}

/**
 * `="010110-21005"` is how a .csv keeps a value Excel would otherwise read as a number (losing a
 * leading zero) or as a date: a formula giving that text. Excel opens it as the text alone.
 */
function unwrapFormulaText(field: string): string {
  // Inside the formula's string a quote is doubled; any other formula is left as it is.
  const m = /^\s*="((?:[^"]|"")*)"\s*$/u.exec(field);
  return m ? (m[1] ?? '').replace(/""/gu, '"') : field;
}

/**
 * The delimiter is the candidate seen most often outside quotes in the first non-empty records,
 * summed so a title line ("Rīga, 2020") cannot decide alone. Ties go to `;` (Latvian Excel), then
 * tab (never part of a cell's text), then `,`. With none at all the file has one column and the
 * choice does not matter; `;` is taken.
 */
function detectDelimiter(text: string): string {
  const counts = [0, 0, 0];
  const codes = candidates.map((c) => c.charCodeAt(0));
  let records = 0;
  let nonBlank = false;
  let atFieldStart = true;
  const end = Math.min(text.length, delimiterSampleChars);
  for (let i = 0; i < end && records < delimiterSampleRecords; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 && atFieldStart) {
      // As in the parser, a quote opens a quoted field only at its start; any candidate counts as a
      // field boundary here since the delimiter is not known yet.
      nonBlank = true;
      const opened = i;
      for (i++; i < end; i++) {
        if (text.charCodeAt(i) !== 0x22) continue;
        if (text.charCodeAt(i + 1) === 0x22) i++;
        else break;
      }
      // Never closed within the sample: read on from just after it, as the parser does.
      if (i >= end) i = opened;
      atFieldStart = false;
      continue;
    }
    if (c === 0x0a || c === 0x0d) {
      if (nonBlank) records++;
      nonBlank = false;
      atFieldStart = true;
      continue;
    }
    const k = codes.indexOf(c);
    if (k >= 0) {
      counts[k]!++;
      nonBlank = true;
      atFieldStart = true;
      continue;
    }
    if (c !== 0x20) nonBlank = true;
    atFieldStart = false;
  }
  let best = 0;
  for (let k = 1; k < candidates.length; k++) if (counts[k]! > counts[best]!) best = k;
  return counts[best]! > 0 ? candidates[best]! : ';';
}

type CsvRecord = { fields: string[]; notes: CsvNote[] };

/**
 * Whether a quoted field that ran over line breaks swallowed rows of the file. In a sound file a
 * closing quote is followed by a delimiter or a line end; a quote left open is closed by the next
 * field's opening quote, with that field's text right after it. And a line within the field as
 * wide as the rows before it (the header's delimiters) is a whole record; a cell's own text over
 * two lines (an address, a note) has fewer.
 */
function joinedRows(lines: string[], next: number, d: number, width: number): boolean {
  if (lines.length < 2) return false;
  if (!Number.isNaN(next) && next !== d && next !== 0x0a && next !== 0x0d) return true;
  return lines.slice(1).some((line) => count(line, d) >= Math.max(1, width - 1));
}

/** Records split into fields, with the quotes that went wrong. */
function* records(text: string, delimiter: string): Generator<CsvRecord> {
  const n = text.length;
  const d = delimiter.charCodeAt(0);
  let i = 0;
  // The most fields a record had so far (the header's, once it is read).
  let width = 0;
  while (i < n) {
    const fields: string[] = [];
    const notes: CsvNote[] = [];
    for (;;) {
      let field = '';
      if (text.charCodeAt(i) === 0x22) {
        // Quoted field: runs to the next lone quote; "" inside stands for one quote.
        const opened = i;
        i++;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q < 0) {
            // Never closed: the quote is left out and the field read from just after it.
            notes.push({ column: fields.length, code: 'stray_quote' });
            field = '';
            i = opened + 1;
            break;
          }
          field += text.slice(i, q);
          if (text.charCodeAt(q + 1) === 0x22) {
            field += '"';
            i = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
        if (joinedRows(field.split(/\r\n|\r|\n/u), text.charCodeAt(i), d, width)) notes.push({ column: fields.length, code: 'rows_joined' });
      }
      // Unquoted text, or whatever follows a closing quote before the delimiter (`"a"b` is `ab`, as in Excel).
      const from = i;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === d || c === 0x0a || c === 0x0d) break;
        i++;
      }
      field += text.slice(from, i);
      if (fields.length < maxColumns) fields.push(field);
      if (i < n && text.charCodeAt(i) === d) {
        i++;
        continue;
      }
      break;
    }
    if (i < n) i += text.charCodeAt(i) === 0x0d && text.charCodeAt(i + 1) === 0x0a ? 2 : 1;
    width = Math.max(width, fields.length);
    yield { fields, notes: notes.filter((note) => note.column < maxColumns) };
  }
}

function count(line: string, code: number): number {
  let k = 0;
  for (let j = 0; j < line.length; j++) if (line.charCodeAt(j) === code) k++;
  return k;
}
