/**
 * Preparing an .xlsx for exceljs' streaming reader. That reader follows the zip's local headers in
 * file order and needs the workbook part, its relationships and the shared strings before the
 * first worksheet: when a worksheet comes first it crashes ("reading 'sheets'") or parks the sheet
 * in a temporary file on disk, and it cannot know the 1904 date system in time. Excel writes the
 * parts in a good order, but other producers (and exceljs' own writer, depending on timing) do not.
 * So the entries are handed over in the order the reader needs, their data straight from the
 * uploaded bytes without copying, after checking that each entry inflates to exactly its declared
 * size and CRC-32: the declared sizes were checked against the zip-bomb limits at upload, and this
 * keeps them honest. A file damaged in copying or sending fails that check (`damaged_file`); without
 * it, a changed byte in the shared strings was read as a changed name, and a damaged entry could
 * leave the reader waiting for ever. Each entry reaches the reader under a local header written
 * afresh from the central directory, so the reader never follows sizes the directory does not
 * vouch for.
 *
 * The same pass looks at what the parts say, cheaply, for two things the zip checks cannot see: a
 * document type declaration (the way to an XML entity bomb; OOXML forbids DTDs, so no real
 * workbook has one) and a shared-strings table larger than the reader can hold in memory.
 *
 * It also keeps what the streaming reader cannot tell in time: each sheet's name and visibility in
 * tab order (so hidden sheets can be left out and the data sheet chosen before any is read), and
 * each worksheet's merged cells, which the sheet XML lists only after all of its rows.
 */

import { posix } from 'node:path';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { inspectZip, type ZipPart } from './sniff.ts';
import { columnNumber, DialectProbe, needsRewrite, type PartDialect } from './xmlDialect.ts';

/** Why a workbook's zip cannot be read; the codes match the upload checks. */
export class XlsxPartsError extends Error {
  readonly code: 'not_a_spreadsheet' | 'opendocument' | 'zip_bomb' | 'too_many_entries' | 'xml_declarations' | 'too_much_text' | 'damaged_file';
  constructor(code: XlsxPartsError['code'], detail: string) {
    super(detail);
    this.code = code;
  }
}

export type ZipLimits = { maxUncompressed: number; maxRatio: number; maxEntries: number };
export type TextLimits = { maxBytes: number; maxStrings: number; maxRuns: number };

/**
 * What the shared-strings table may hold. exceljs keeps every shared string for the whole read (a
 * rich-text one as an array of runs, each with its font): 32 MiB of that XML took 100 MiB of heap
 * as plain strings and 220 MiB as rich text, and the zip limits alone let 256 MiB through, enough
 * to take the worker down. A list at the row limit with a unique code, phone, e-mail and address
 * on every row needs about a million strings and 35 MiB, nearly all of it plain text.
 */
export const textLimits: TextLimits = { maxBytes: 48 * 1024 * 1024, maxStrings: 1_000_000, maxRuns: 250_000 };

const sharedStringsPart = 'xl/sharedStrings.xml';
// XML is case-sensitive and the parser refuses any other spelling of these.
const declarations = [Buffer.from('<!DOCTYPE'), Buffer.from('<!ENTITY')];
// A shared string opens with <si>, a rich-text run within it with <r> (not <rPr>, <rPh>, <rFont>).
const stringOpen = Buffer.from('<si');
const runOpens = [Buffer.from('<r>'), Buffer.from('<r ')];

/**
 * Counts occurrences of byte patterns in a part fed chunk by chunk, including those split across
 * two chunks (each counted once).
 */
class PatternCounter {
  readonly counts: number[];
  private tail = Buffer.alloc(0);
  private readonly keep: number;
  private readonly patterns: Buffer[];
  constructor(patterns: Buffer[]) {
    this.patterns = patterns;
    this.counts = patterns.map(() => 0);
    this.keep = Math.max(...patterns.map((p) => p.length)) - 1;
  }

  feed(chunk: Buffer): void {
    const seam = this.tail.length ? Buffer.concat([this.tail, chunk.subarray(0, this.keep)]) : null;
    this.patterns.forEach((p, i) => {
      // Across the seam only matches that start in the tail and end in the new chunk are new.
      if (seam) this.counts[i]! += occurrences(seam, p, (at) => at < this.tail.length && at + p.length > this.tail.length);
      this.counts[i]! += occurrences(chunk, p);
    });
    const joined = chunk.length >= this.keep ? chunk : Buffer.concat([this.tail, chunk]);
    this.tail = Buffer.from(joined.subarray(Math.max(0, joined.length - this.keep)));
  }
}

function occurrences(buf: Buffer, pattern: Buffer, keep: (at: number) => boolean = () => true): number {
  let n = 0;
  for (let at = buf.indexOf(pattern); at >= 0; at = buf.indexOf(pattern, at + 1)) if (keep(at)) n++;
  return n;
}

// The parts exceljs' WorkbookReader reads, in the order it needs them; everything else (images,
// themes, printer settings, document properties) it skips, so it is not passed on at all.
const fixedOrder = ['_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/workbook.xml', 'xl/sharedStrings.xml', 'xl/styles.xml'];
// The reader reads worksheets by these names only. Excel numbers its worksheets so, but the
// workbook's relationships may name any part: the Open XML SDK and ClosedXML call the first one
// `sheet.xml`. Such a part reaches the reader under a free name of this form.
const numberedWorksheet = /^xl\/worksheets\/sheet(\d+)\.xml$/;

/**
 * The name each worksheet part reaches the reader under: its own when numbered, otherwise the
 * next number above every numbered part's.
 */
function readerNames(worksheets: string[]): Map<string, string> {
  const numbers = worksheets.map((p) => Number(numberedWorksheet.exec(p)?.[1] ?? 0));
  let next = Math.max(0, ...numbers);
  return new Map(worksheets.map((p) => [p, numberedWorksheet.test(p) ? p : `xl/worksheets/sheet${++next}.xml`]));
}

/** Refuses entries whose local records share or overlap their bytes. */
function checkNoOverlap(parts: ZipPart[], cdOffset: number): void {
  const byOffset = [...parts].sort((a, b) => a.localOffset - b.localOffset);
  byOffset.forEach((part, i) => {
    const end = byOffset[i + 1]?.localOffset ?? cdOffset;
    // Entries sharing or overlapping their bytes are how "overlapping" zip bombs multiply output.
    if (end <= part.localOffset || part.dataStart + part.compressed > end) {
      throw new XlsxPartsError('zip_bomb', `${part.name}: entries overlap`);
    }
  });
}

/**
 * An entry as the reader gets it: a local header made from the central directory's method, sizes
 * and CRC (no data descriptor, no extra field), then the entry's data as uploaded.
 */
function cleanRecord(bytes: Buffer, part: ZipPart, as = part.name): Buffer[] {
  const name = Buffer.from(as, 'latin1');
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(part.method, 8);
  header.writeUInt32LE(part.crc, 14);
  // Within the zip-bomb limits every size fits in 32 bits, so no ZIP64 field is ever needed.
  header.writeUInt32LE(part.compressed, 18);
  header.writeUInt32LE(part.uncompressed, 22);
  header.writeUInt16LE(name.length, 26);
  return [header, name, bytes.subarray(part.dataStart, part.dataStart + part.compressed)];
}

/**
 * Inflates one entry, handing the output to `read` and otherwise discarding it, and fails once it
 * passes its declared size, or when it declares a document type or entities, or (the shared
 * strings) holds more than `text` allows; and, at its end, unless it came to exactly its declared
 * size and CRC-32.
 */
async function checkPart(bytes: Buffer, part: ZipPart, text: TextLimits, read: (chunk: Buffer) => void = () => {}): Promise<void> {
  const data = bytes.subarray(part.dataStart, part.dataStart + part.compressed);
  const sharedStrings = part.name === sharedStringsPart;
  const counter = new PatternCounter(sharedStrings ? [...declarations, stringOpen, ...runOpens] : declarations);
  let produced = 0;
  let crc = 0;
  const look = (chunk: Buffer) => {
    produced += chunk.length;
    if (produced > part.uncompressed) throw new XlsxPartsError('zip_bomb', `${part.name}: inflates past its declared ${part.uncompressed} bytes`);
    crc = zlib.crc32(chunk, crc);
    counter.feed(chunk);
    read(chunk);
    const [doctype = 0, entity = 0, strings = 0, runs = 0, runsWithAttributes = 0] = counter.counts;
    if (doctype || entity) throw new XlsxPartsError('xml_declarations', `${part.name}: a document type or entity declaration`);
    if (!sharedStrings) return;
    if (produced > text.maxBytes) throw new XlsxPartsError('too_much_text', `${part.name}: more than ${text.maxBytes} bytes`);
    if (strings > text.maxStrings) throw new XlsxPartsError('too_much_text', `${part.name}: more than ${text.maxStrings} strings`);
    if (runs + runsWithAttributes > text.maxRuns) throw new XlsxPartsError('too_much_text', `${part.name}: more than ${text.maxRuns} rich-text runs`);
  };
  if (part.method === 0) look(data);
  else {
    const inflater = zlib.createInflateRaw();
    try {
      for await (const chunk of Readable.from([data]).pipe(inflater)) look(chunk as Buffer);
    } catch (err) {
      inflater.destroy();
      if (err instanceof XlsxPartsError) throw err;
      // The directory was sound (checked at upload), so data that does not inflate was damaged.
      throw new XlsxPartsError('damaged_file', `${part.name}: ${(err as Error).message}`);
    }
  }
  if (produced !== part.uncompressed) throw new XlsxPartsError('damaged_file', `${part.name}: ${produced} bytes instead of the declared ${part.uncompressed}`);
  if (crc !== part.crc) throw new XlsxPartsError('damaged_file', `${part.name}: CRC-32 does not match`);
}

/** A block of merged cells, by 1-based row and column numbers. */
export type CellRange = { top: number; left: number; bottom: number; right: number };

/** One worksheet part: its sheet's name (null for a part the workbook does not list), visibility and merged cells. */
export type SheetPart = { part: string; name: string | null; hidden: boolean; merges: CellRange[] };

/**
 * A checked workbook: its worksheets in tab order, a stream of it for the reader with the chosen
 * ones, and the parts written in a way the reader must have rewritten (see xmlDialect.ts).
 */
export type XlsxFile = { sheets: SheetPart[]; stream(sheets: SheetPart[]): Readable; dialects: Map<string, PartDialect> };

// The sheet list sits at the start of the workbook part; a workbook part beyond this is still read
// by exceljs, but no real one is larger, and this bounds what is kept of it.
const maxListBytes = 1024 * 1024;
// Merged blocks kept for a workbook: a list with one merged class cell per class, or even per
// pupil, stays well below, and a file made of nothing but merges cannot make the reader hold
// millions of them. Blocks past this are left out (their rows then read as typed).
const maxMerges = 100_000;

/** The first `max` bytes of a part, as text. */
class TextPrefix {
  private chunks: Buffer[] = [];
  private size = 0;
  private readonly max: number;
  constructor(max: number) {
    this.max = max;
  }
  feed(chunk: Buffer): void {
    if (this.size >= this.max) return;
    const part = chunk.subarray(0, this.max - this.size);
    this.chunks.push(Buffer.from(part));
    this.size += part.length;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

// <mergeCell ref="A2:A4"/>, with or without a namespace prefix; a one-cell ref is a one-cell block.
const mergeCellTag = /<(?:[\w.-]+:)?mergeCell\s[^>]*?\bref\s*=\s*["']([A-Za-z]{1,3})(\d{1,7})(?::([A-Za-z]{1,3})(\d{1,7}))?["']/g;

/**
 * Collects the merged cells of a worksheet as it is inflated, chunk by chunk: only a possibly cut
 * tag at a chunk's end is carried over, so the sheet is never held whole.
 */
class MergeScanner {
  private tail = '';
  private readonly ranges: CellRange[];
  private readonly budget: { left: number };
  /** Adds the blocks found to `ranges` while `budget` (shared by a workbook's sheets) lasts. */
  constructor(ranges: CellRange[], budget: { left: number }) {
    this.ranges = ranges;
    this.budget = budget;
  }

  feed(chunk: Buffer): void {
    // The tags are ASCII; latin1 decodes any byte, so a character cut at the seam does no harm.
    const text = this.tail + chunk.toString('latin1');
    let end = 0;
    for (const m of text.matchAll(mergeCellTag)) {
      end = m.index + m[0].length;
      if (this.budget.left <= 0) continue;
      this.budget.left--;
      const [a, b] = [{ col: columnNumber(m[1]!), row: Number(m[2]) }, { col: columnNumber(m[3] ?? m[1]!), row: Number(m[4] ?? m[2]) }];
      this.ranges.push({ top: Math.min(a.row, b.row), left: Math.min(a.col, b.col), bottom: Math.max(a.row, b.row), right: Math.max(a.col, b.col) });
    }
    const open = text.lastIndexOf('<');
    // A mergeCell tag is short; a longer unclosed piece is something else.
    this.tail = open >= end && text.indexOf('>', open) < 0 && text.length - open <= 256 ? text.slice(open) : '';
  }
}

// A cell holds at most 32,767 characters; its XML, with entities, somewhat more.
const maxCellXml = 256 * 1024;
// <t> and <x:t> elements (a shared or inline string, or a rich-text run of one), not <tableParts> or <t/>.
const textElement = /<(?:[\w.-]+:)?t(?:\s[^>]*)?>([^<]*)<\/(?:[\w.-]+:)?t>/gu;
const textElementOpen = /<(?:[\w.-]+:)?t[\s>]/u;

/**
 * Hands over the text of each `<t>` element of a part fed chunk by chunk: what cells say, without
 * formulas, numbers or attributes. An element cut at a chunk's end is completed by the next chunk;
 * one longer than any cell is left out. Entities stay as written (the callers look for digits and
 * slashes), and latin1 decodes any byte, so a letter cut at the seam does no harm.
 */
class TextElements {
  private tail = '';
  private readonly emit: (text: string) => void;
  constructor(emit: (text: string) => void) {
    this.emit = emit;
  }

  feed(chunk: Buffer): void {
    const text = this.tail + chunk.toString('latin1');
    let end = 0;
    for (const m of text.matchAll(textElement)) {
      this.emit(m[1]!);
      end = m.index + m[0].length;
    }
    const rest = text.slice(end);
    const open = rest.search(textElementOpen);
    // An element begun and not yet ended waits for the next chunk; otherwise only a tag's start can be cut.
    const kept = open >= 0 ? rest.slice(open) : rest.slice(-8);
    this.tail = kept.length <= maxCellXml ? kept : '';
  }
}

const xmlEntities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function xmlText(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/giu, (all, e: string) => {
    if (e[0] !== '#') return xmlEntities[e] ?? all;
    const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : all;
  });
}

function attributes(tag: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const m of tag.matchAll(/\s([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/gu)) attrs.set(m[1]!, xmlText(m[2] ?? m[3] ?? ''));
  return attrs;
}

/**
 * The worksheets the workbook part lists, in tab order, with the zip path of each one's part (from
 * the workbook's relationships) and whether it is hidden or very hidden. Chart sheets, which the
 * list also holds, are left out.
 */
function listedSheets(workbookXml: string, relsXml: string): Array<{ path: string; name: string; hidden: boolean }> {
  const targets = new Map<string, string>();
  for (const [tag] of relsXml.matchAll(/<(?:[\w.-]+:)?Relationship\s[^>]*>/gu)) {
    const a = attributes(tag);
    const target = a.get('Target');
    // The type's namespace differs between transitional and strict files; its last word does not.
    if (!a.get('Type')?.endsWith('/worksheet') || !a.has('Id') || !target) continue;
    targets.set(a.get('Id')!, target.startsWith('/') ? posix.normalize(target.slice(1)) : posix.normalize(`xl/${target}`));
  }
  const sheets: Array<{ path: string; name: string; hidden: boolean }> = [];
  for (const [tag] of workbookXml.matchAll(/<(?:[\w.-]+:)?sheet\s[^>]*>/gu)) {
    const a = attributes(tag);
    // The relationship id is r:id, whatever prefix the file binds to the relationships namespace.
    const id = [...a].find(([k]) => /(^|:)id$/u.test(k))?.[1];
    const path = id === undefined ? undefined : targets.get(id);
    if (path) sheets.push({ path, name: a.get('name') ?? '', hidden: (a.get('state') ?? 'visible') !== 'visible' });
  }
  return sheets;
}

/** The worksheet parts as sheets: those the workbook lists in its tab order, then the others by number. */
function sheetParts(listed: Array<{ path: string; name: string; hidden: boolean }>, parts: string[]): SheetPart[] {
  const sheets = new Map<string, SheetPart>();
  const exists = new Set(parts);
  for (const s of listed) if (exists.has(s.path) && !sheets.has(s.path)) sheets.set(s.path, { part: s.path, name: s.name, hidden: s.hidden, merges: [] });
  for (const path of parts) if (!sheets.has(path)) sheets.set(path, { part: path, name: null, hidden: false, merges: [] });
  return [...sheets.values()];
}

/**
 * Checks an .xlsx's zip and reads its sheet list and merged cells (of the sheets that are not
 * hidden, which are never read); the stream it then gives hands exceljs' WorkbookReader the parts
 * it uses in the order it needs them, with only the worksheets asked for, in the order asked.
 * `cellText` is handed the text of every string cell, shared (whichever sheet uses it) or inline
 * in a visible worksheet, for what the caller wants to know of the whole file before reading it.
 */
export async function openXlsx(bytes: Buffer, limits: ZipLimits, text: TextLimits = textLimits, cellText: (text: string) => void = () => {}): Promise<XlsxFile> {
  const zip = inspectZip(bytes, limits);
  if (!zip.ok) throw new XlsxPartsError(zip.code, zip.detail);
  checkNoOverlap(zip.parts, zip.cdOffset);
  const fixed = zip.parts.filter((p) => fixedOrder.includes(p.name)).sort((a, b) => fixedOrder.indexOf(a.name) - fixedOrder.indexOf(b.name));

  const dialects = new Map<string, PartDialect>();
  // Kept by the name the reader gets the part under.
  const probed = (name: string, probe: DialectProbe) => {
    const d = probe.result();
    if (needsRewrite(d)) dialects.set(name, d);
  };
  const workbook = new TextPrefix(maxListBytes);
  const rels = new TextPrefix(maxListBytes);
  for (const part of fixed) {
    const read = part.name === 'xl/workbook.xml' ? workbook : part.name === 'xl/_rels/workbook.xml.rels' ? rels : null;
    const strings = part.name === sharedStringsPart ? new TextElements(cellText) : null;
    const probe = new DialectProbe(part.name === sharedStringsPart ? 'sharedStrings' : 'other');
    await checkPart(bytes, part, text, (c) => (probe.feed(c), read?.feed(c), strings?.feed(c)));
    probed(part.name, probe);
  }
  const listed = listedSheets(workbook.text(), rels.text());
  const listedPaths = new Set(listed.map((s) => s.path));
  const number = (p: ZipPart) => Number(numberedWorksheet.exec(p.name)?.[1] ?? Infinity);
  const worksheets = zip.parts.filter((p) => listedPaths.has(p.name) || numberedWorksheet.test(p.name)).sort((a, b) => number(a) - number(b));
  const names = readerNames(worksheets.map((p) => p.name));
  const sheets = sheetParts(
    listed,
    worksheets.map((p) => p.name),
  );
  const sheetOf = new Map(sheets.map((s) => [s.part, s]));
  const budget = { left: maxMerges };
  for (const part of worksheets) {
    const sheet = sheetOf.get(part.name)!;
    // A hidden sheet is never read, so only its size and CRC are checked.
    if (sheet.hidden) {
      await checkPart(bytes, part, text);
      continue;
    }
    const scanner = new MergeScanner(sheet.merges, budget);
    const inline = new TextElements(cellText);
    const probe = new DialectProbe('worksheet');
    await checkPart(bytes, part, text, (c) => (scanner.feed(c), inline.feed(c), probe.feed(c)));
    probed(names.get(part.name)!, probe);
  }

  return {
    sheets,
    dialects,
    stream(chosen) {
      const partOf = new Map(worksheets.map((p) => [p.name, p]));
      const chosenParts = chosen.map((s) => partOf.get(s.part)!);
      // The reader stops at the central directory; its offsets no longer match, but it does not use them.
      const records = [...fixed.flatMap((p) => cleanRecord(bytes, p)), ...chosenParts.flatMap((p) => cleanRecord(bytes, p, names.get(p.name)))];
      return Readable.from([...records, bytes.subarray(zip.cdOffset)], { objectMode: false });
    },
  };
}
