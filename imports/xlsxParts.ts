/**
 * Preparing an .xlsx for exceljs' streaming reader. That reader follows the zip's local headers in
 * file order and needs the workbook part, its relationships and the shared strings before the
 * first worksheet: when a worksheet comes first it crashes ("reading 'sheets'") or parks the sheet
 * in a temporary file on disk, and it cannot know the 1904 date system in time. Excel writes the
 * parts in a good order, but other producers (and exceljs' own writer, depending on timing) do not.
 * So the entries are handed over in the order the reader needs, straight from the uploaded bytes
 * without copying, after checking that no entry inflates to more than its declared size: the
 * declared sizes were checked against the zip-bomb limits at upload, and this keeps them honest.
 *
 * The same pass looks at what the parts say, cheaply, for two things the zip checks cannot see: a
 * document type declaration (the way to an XML entity bomb; OOXML forbids DTDs, so no real
 * workbook has one) and a shared-strings table larger than the reader can hold in memory.
 */

import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { inspectZip, type ZipPart } from './sniff.ts';

/** Why a workbook's zip cannot be read; the codes match the upload checks. */
export class XlsxPartsError extends Error {
  readonly code: 'not_a_spreadsheet' | 'zip_bomb' | 'too_many_entries' | 'xml_declarations' | 'too_much_text';
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
const worksheetPart = /^xl\/worksheets\/sheet(\d+)\.xml$/;

function rank(name: string): number | null {
  const fixed = fixedOrder.indexOf(name);
  if (fixed >= 0) return fixed;
  const sheet = worksheetPart.exec(name);
  return sheet ? fixedOrder.length + Number(sheet[1]) : null;
}

/** The byte ranges of each entry's local record (header, data, data descriptor), in file order. */
function localRecords(parts: ZipPart[], cdOffset: number): Map<ZipPart, { start: number; end: number }> {
  const byOffset = [...parts].sort((a, b) => a.localOffset - b.localOffset);
  const records = new Map<ZipPart, { start: number; end: number }>();
  byOffset.forEach((part, i) => {
    const end = byOffset[i + 1]?.localOffset ?? cdOffset;
    // Entries sharing or overlapping their bytes are how "overlapping" zip bombs multiply output.
    if (end <= part.localOffset || part.dataStart + part.compressed > end) {
      throw new XlsxPartsError('zip_bomb', `${part.name}: entries overlap`);
    }
    records.set(part, { start: part.localOffset, end });
  });
  return records;
}

/**
 * Inflates one entry, discarding the output, and fails once it passes its declared size, or when
 * it declares a document type or entities, or (the shared strings) holds more than `text` allows.
 */
async function checkPart(bytes: Buffer, part: ZipPart, text: TextLimits): Promise<void> {
  const data = bytes.subarray(part.dataStart, part.dataStart + part.compressed);
  const sharedStrings = part.name === sharedStringsPart;
  const counter = new PatternCounter(sharedStrings ? [...declarations, stringOpen, ...runOpens] : declarations);
  let produced = 0;
  const look = (chunk: Buffer) => {
    produced += chunk.length;
    if (produced > part.uncompressed) throw new XlsxPartsError('zip_bomb', `${part.name}: inflates past its declared ${part.uncompressed} bytes`);
    counter.feed(chunk);
    const [doctype = 0, entity = 0, strings = 0, runs = 0, runsWithAttributes = 0] = counter.counts;
    if (doctype || entity) throw new XlsxPartsError('xml_declarations', `${part.name}: a document type or entity declaration`);
    if (!sharedStrings) return;
    if (produced > text.maxBytes) throw new XlsxPartsError('too_much_text', `${part.name}: more than ${text.maxBytes} bytes`);
    if (strings > text.maxStrings) throw new XlsxPartsError('too_much_text', `${part.name}: more than ${text.maxStrings} strings`);
    if (runs + runsWithAttributes > text.maxRuns) throw new XlsxPartsError('too_much_text', `${part.name}: more than ${text.maxRuns} rich-text runs`);
  };
  if (part.method === 0) return look(data);
  const inflater = zlib.createInflateRaw();
  try {
    for await (const chunk of Readable.from([data]).pipe(inflater)) look(chunk as Buffer);
  } catch (err) {
    inflater.destroy();
    if (err instanceof XlsxPartsError) throw err;
    throw new XlsxPartsError('not_a_spreadsheet', `${part.name}: ${(err as Error).message}`);
  }
}

/**
 * Checks an .xlsx's zip and returns a stream of it for exceljs' WorkbookReader: the parts the
 * reader uses, in the order it needs them (worksheets by number), then the central directory.
 */
export async function prepareXlsx(bytes: Buffer, limits: ZipLimits, text: TextLimits = textLimits): Promise<Readable> {
  const zip = inspectZip(bytes, limits);
  if (!zip.ok) throw new XlsxPartsError(zip.code, zip.detail);
  const records = localRecords(zip.parts, zip.cdOffset);
  const wanted = zip.parts
    .map((part) => ({ part, rank: rank(part.name) }))
    .filter((p): p is { part: ZipPart; rank: number } => p.rank !== null)
    .sort((a, b) => a.rank - b.rank);
  for (const { part } of wanted) await checkPart(bytes, part, text);
  const chunks = wanted.map(({ part }) => {
    const r = records.get(part)!;
    return bytes.subarray(r.start, r.end);
  });
  // The reader stops at the central directory; its offsets no longer match, but it does not use them.
  chunks.push(bytes.subarray(zip.cdOffset));
  return Readable.from(chunks, { objectMode: false });
}
