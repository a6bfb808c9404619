/**
 * Workbook XML as other programs write it, made readable for exceljs' streaming reader.
 *
 * Excel writes SpreadsheetML in the default namespace and gives every row and cell its reference
 * (`<row r="5">`, `<c r="B5">`). Both are only one way of writing valid XML, and exports from
 * school and office systems take the others:
 * - Programs built on the Open XML SDK write `<x:worksheet xmlns:x="…">`, `<x:row>`, `<x:c>`;
 *   Python's ElementTree writes `<ns0:Relationships>`. exceljs compares names as written, so it
 *   found no sheet list (the whole file failed) or no rows (exceljs issue 1437, open).
 * - A row or cell may leave its reference out, meaning "the one after the previous"; some programs
 *   write one only where a row or cell does not follow the one before (a list starting at B3). exceljs
 *   then failed on the first cell without one.
 * - A date may be kept as ISO 8601 text (`<c t="d"><v>2020-09-01T00:00:00</v></c>`): Excel does so
 *   when a list is saved as "Strict Open XML Spreadsheet", openpyxl when asked. exceljs read the
 *   text as a number (2020) and so the date as a day in 1905 (exceljs issue 2695, open), which the
 *   date checks then refused as a number typed instead of a date.
 * - Text may be kept in the cell itself (`t="inlineStr"`), and there in runs of several fonts
 *   (`<is><r><t>Jā</t></r><r><rPr><b/></rPr><t>nis</t></r></is>`), as exceljs' own streaming
 *   writer and other export libraries save part-bold text. exceljs kept only the last run, so
 *   "Jānis" was read as "nis" without a sign; a phonetic run (`<rPh>`) would have replaced the text.
 * - Shared strings may be indented (XML written by .NET's XDocument or Python's `indent`). exceljs
 *   added the line break and indent after each run's `</t>` to the run, so "Jā" + "nis" in two
 *   fonts read as "Jā nis"; a phonetic run replaced the text here too.
 * A part that needs it is rewritten as it streams: the prefix bound to the SpreadsheetML or
 * relationships namespace comes off its element names, missing references are written in, and an
 * ISO date cell becomes a text cell holding the same ISO text, which the date fields read as that
 * day, and the runs of an inline or shared text are joined into one text. A part written Excel's
 * way passes through untouched.
 */

/** What a part's XML needs before exceljs can read it. */
export type PartDialect = {
  /** The prefix the part's elements are written with (`x` for `<x:row>`), when one is. */
  prefix: string | null;
  /** Whether rows or cells leave out their references (worksheets only). */
  addresses: boolean;
  /** Whether cells hold ISO 8601 dates (`t="d"`; worksheets only). */
  isoDates: boolean;
  /**
   * The element whose text runs are to be joined into one text, when some are written in a way
   * exceljs misreads: `is` (inline text in runs, worksheets) or `si` (shared strings indented or
   * with phonetic runs).
   */
  runs: 'is' | 'si' | null;
};

// The namespaces whose elements exceljs knows by their bare names: SpreadsheetML (transitional and
// strict) and package relationships. A prefix bound to anything else is some extension's.
const readerNamespaces = new Set([
  'http://schemas.openxmlformats.org/spreadsheetml/2006/main',
  'http://purl.oclc.org/ooxml/spreadsheetml/main',
  'http://schemas.openxmlformats.org/package/2006/relationships',
]);

// The root element: the first tag that is not a declaration, instruction or comment.
const rootTag = /<(?![?!])(?:([\w.-]+):)?[\w.-]+(?=[\s/>])[^>]*>/u;
// A start tag this long is no row or cell of a real sheet; the probe gives up rather than grow.
export const maxTag = 4096;

// The type attribute of an ISO 8601 date cell, as written with either quote.
const isoDateTypes = [Buffer.from('t="d"'), Buffer.from("t='d'")];
// A run of text (`<r>`, which has no attributes) or a phonetic run, bare or with some prefix. In a
// worksheet these occur only inside inline text; should another namespace's element match, the
// part is only rewritten for nothing, since the rewriting acts on inline or shared text alone.
const phonetic = ['<rPh', ':rPh'];
const inlineRunTags = ['<r>', ':r>', ...phonetic].map((t) => Buffer.from(t));
// In shared strings: white space after a text's end (indented XML), or a phonetic run. A text that
// merely starts with a space (`<x:t> Anna`) matches too, which costs a rewrite and changes nothing.
const sharedRunTags = [...phonetic, ...['</t>', ':t>'].flatMap((end) => [' ', '\t', '\n', '\r'].map((ws) => end + ws))].map((t) => Buffer.from(t));

/** Which part a probe looks at: its worksheets and shared strings are looked at more closely. */
export type PartKind = 'worksheet' | 'sharedStrings' | 'other';
const seamBytes = 4;

/** Finds any of some byte strings in a part's chunks, also across the seam between two chunks. */
class ByteSearch {
  found = false;
  private seam = Buffer.alloc(0);
  private readonly needles: Buffer[];
  constructor(needles: Buffer[]) {
    this.needles = needles;
  }

  feed(chunk: Buffer): void {
    if (this.found) return;
    const seam = this.seam.length ? Buffer.concat([this.seam, chunk.subarray(0, seamBytes)]) : null;
    this.found = this.needles.some((t) => chunk.includes(t) || (seam !== null && seam.includes(t)));
    this.seam = Buffer.from(chunk.subarray(Math.max(0, chunk.length - seamBytes)));
  }
}

/**
 * Looks at a part as it is checked: at its first chunks for its root element's prefix, and through
 * a worksheet's rows until one row or cell leaves out its reference (or to the sheet's end, when
 * none does). A worksheet is looked through to its end for an ISO date cell or text runs too, which
 * may come on any row.
 */
export class DialectProbe {
  private text = '';
  private done = false;
  private readonly isoDates: ByteSearch | null;
  private readonly runs: ByteSearch | null;
  private prefix: string | null | undefined;
  private addresses = false;
  private withoutReference: RegExp | undefined;
  private readonly kind: PartKind;
  constructor(kind: PartKind) {
    this.kind = kind;
    this.isoDates = kind === 'worksheet' ? new ByteSearch(isoDateTypes) : null;
    this.runs = kind === 'worksheet' ? new ByteSearch(inlineRunTags) : kind === 'sharedStrings' ? new ByteSearch(sharedRunTags) : null;
  }

  feed(chunk: Buffer): void {
    this.isoDates?.feed(chunk);
    this.runs?.feed(chunk);
    if (this.done) return;
    // Tags are ASCII; latin1 decodes any byte, so a letter cut at the seam does no harm.
    this.text += chunk.toString('latin1');
    if (this.prefix === undefined) {
      const root = rootTag.exec(this.text);
      if (!root) {
        if (this.text.length > maxTag * 4) this.done = true;
        return;
      }
      const p = root[1];
      const uri = p ? new RegExp(`\\sxmlns:${p.replace(/\./gu, '\\.')}\\s*=\\s*["']([^"']*)["']`, 'u').exec(root[0])?.[1] : undefined;
      this.prefix = p && uri && readerNamespaces.has(uri) ? p : null;
      this.text = this.text.slice(root.index + root[0].length);
      if (this.kind !== 'worksheet') {
        this.done = true;
        return;
      }
    }
    this.lookAtRows();
  }

  // Every row and cell is looked at, not only the first: a program may write a reference only where
  // a row or cell does not follow the one before (a list that starts at B3 keeps `r="B3"` and leaves
  // out the rest), and exceljs fails on the first one without. One search a chunk, for a row or cell
  // tag without `r`: on a 100,000-row sheet whose tags all have theirs (Excel's), within the spread
  // of checking the file at all.
  private lookAtRows(): void {
    const p = this.prefix ? `${this.prefix}:` : '';
    this.withoutReference ??= new RegExp(`<${p}(?:row|c)(?=[\\s/>])(?![^>]*\\sr\\s*=)[^>]*>`, 'u');
    if (this.withoutReference.test(this.text)) {
      this.addresses = true;
      this.done = true;
      return;
    }
    // A tag cut at the chunk's end is looked at whole with the next chunk.
    const open = this.text.lastIndexOf('<');
    this.text = open >= 0 && this.text.indexOf('>', open) < 0 && this.text.length - open <= maxTag ? this.text.slice(open) : '';
  }

  result(): PartDialect {
    return { prefix: this.prefix ?? null, addresses: this.addresses, isoDates: !!this.isoDates?.found, runs: this.runs?.found ? (this.kind === 'worksheet' ? 'is' : 'si') : null };
  }
}

/** Whether a part must be rewritten for the reader. */
export const needsRewrite = (d: PartDialect | undefined): d is PartDialect => !!d && (d.prefix !== null || d.addresses || d.isoDates || d.runs !== null);

/** Column letters of a number: 1 → A, 27 → AA. */
function columnLetters(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

/** Column number of letters: A → 1, Z → 26, AA → 27. */
export function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/**
 * Rewrites a part's text chunk by chunk (see above). Only a tag cut at a chunk's end is carried
 * over to the next chunk, so the part is never held whole.
 */
class Rewriter {
  private tail = '';
  private row = 0;
  private col = 0;
  private readonly strip: RegExp | null;
  private readonly addresses: boolean;
  private readonly isoDates: boolean;
  private readonly runs: JoinedRuns | null;
  constructor(d: PartDialect) {
    this.strip = d.prefix ? new RegExp(`<(/?)${d.prefix.replace(/\./gu, '\\.')}:`, 'gu') : null;
    this.addresses = d.addresses;
    this.isoDates = d.isoDates;
    this.runs = d.runs ? new JoinedRuns(d.runs) : null;
  }

  push(text: string): string {
    let s = this.tail + text;
    const open = s.lastIndexOf('<');
    // A tag not yet closed waits for the next chunk; a "tag" longer than any real one is let through.
    if (open >= 0 && s.indexOf('>', open) < 0 && s.length - open <= maxTag) {
      this.tail = s.slice(open);
      s = s.slice(0, open);
    } else this.tail = '';
    return this.rewrite(s);
  }

  end(): string {
    const s = this.tail;
    this.tail = '';
    return this.rewrite(s);
  }

  private rewrite(s: string): string {
    if (this.strip) s = s.replace(this.strip, '<$1');
    if (this.addresses) s = s.replace(/<(row|c)(?=[\s/>])([^>]*)>/gu, (tag: string, name: string, rest: string) => this.addressed(tag, name, rest));
    // exceljs reads a `str` cell's value as text, as it stands.
    if (this.isoDates) s = s.replace(/<c\s[^>]*>/gu, (tag) => tag.replace(/\st\s*=\s*(["'])d\1/u, ' t="str"'));
    if (this.runs) s = this.runs.joined(s);
    return s;
  }

  // A row without `r` is the one after the previous row; a cell without `r`, the one after the
  // previous cell of its row (the first cell of a row is in column A).
  private addressed(tag: string, name: string, rest: string): string {
    if (name === 'row') {
      const r = /\sr\s*=\s*["'](\d+)["']/u.exec(rest);
      this.row = r ? Number(r[1]) : this.row + 1;
      this.col = 0;
      return r ? tag : `<row r="${this.row}"${rest}>`;
    }
    const r = /\sr\s*=\s*["']([A-Za-z]{1,3})\d+["']/u.exec(rest);
    this.col = r ? columnNumber(r[1]!) : this.col + 1;
    return r ? tag : `<c r="${columnLetters(this.col)}${this.row}"${rest}>`;
  }
}

/**
 * Inline or shared text (`<is>…</is>`, `<si>…</si>`) as one `<t>` holding the text of all its
 * runs, in order, and none of its phonetic runs. exceljs starts a text afresh at every `<t>` and
 * adds to it any text that follows, so only this shape reads whole. Outside those elements the
 * text passes as it came; inside, only what a `<t>` holds is kept (not the spaces that indent runs
 * in pretty-printed XML), and every other tag (`<r>`, `<rPr>` and its font settings) is left out;
 * the reader makes rich text plain anyway. The state lasts across chunks, since a text may be cut
 * anywhere but inside a tag.
 */
class JoinedRuns {
  private inText = false;
  private opened = false;
  private inT = false;
  private inPhonetic = false;
  private readonly container: 'is' | 'si';
  constructor(container: 'is' | 'si') {
    this.container = container;
  }

  joined(s: string): string {
    let out = '';
    let at = 0;
    for (const m of s.matchAll(/<(\/?)([\w.-]+)(?=[\s/>])[^>]*?(\/?)>/gu)) {
      const [tag, closing, name, empty] = m;
      const end = m.index + tag.length;
      if (!this.inText) {
        if (name === this.container && !closing && !empty) {
          out += s.slice(at, end);
          at = end;
          this.inText = true;
        }
        continue;
      }
      if (this.inT && !this.inPhonetic) out += s.slice(at, m.index);
      at = end;
      if (name === this.container && closing) {
        out += this.opened ? `</t></${name}>` : `</${name}>`;
        this.inText = this.opened = this.inT = this.inPhonetic = false;
      } else if (name === 'rPh') this.inPhonetic = !closing && !empty;
      else if (name === 't') {
        this.inT = !closing && !empty;
        if (this.inT && !this.inPhonetic && !this.opened) {
          out += '<t xml:space="preserve">';
          this.opened = true;
        }
      }
    }
    if (!this.inText || (this.inT && !this.inPhonetic)) out += s.slice(at);
    return out;
  }
}

/** A part's text as exceljs can read it: as it came when nothing needs changing. */
export async function* rewritten(chunks: AsyncIterable<string>, d: PartDialect | undefined): AsyncGenerator<string> {
  if (!needsRewrite(d)) {
    yield* chunks;
    return;
  }
  const rewriter = new Rewriter(d);
  for await (const chunk of chunks) {
    const out = rewriter.push(chunk);
    if (out) yield out;
  }
  const rest = rewriter.end();
  if (rest) yield rest;
}
