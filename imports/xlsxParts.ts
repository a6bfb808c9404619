/**
 * Preparing an .xlsx for exceljs' streaming reader. That reader follows the zip's local headers in
 * file order and needs the workbook part, its relationships and the shared strings before the
 * first worksheet: when a worksheet comes first it crashes ("reading 'sheets'") or parks the sheet
 * in a temporary file on disk, and it cannot know the 1904 date system in time. Excel writes the
 * parts in a good order, but other producers (and exceljs' own writer, depending on timing) do not.
 * So the entries are handed over in the order the reader needs, straight from the uploaded bytes
 * without copying, after checking that no entry inflates to more than its declared size: the
 * declared sizes were checked against the zip-bomb limits at upload, and this keeps them honest.
 */

import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { inspectZip, type ZipPart } from './sniff.ts';

/** Why a workbook's zip cannot be read; the codes match the upload checks. */
export class XlsxPartsError extends Error {
  readonly code: 'not_a_spreadsheet' | 'zip_bomb' | 'too_many_entries';
  constructor(code: XlsxPartsError['code'], detail: string) {
    super(detail);
    this.code = code;
  }
}

export type ZipLimits = { maxUncompressed: number; maxRatio: number; maxEntries: number };

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

/** Inflates one entry, discarding the output, and fails once it passes its declared size. */
async function checkInflatedSize(bytes: Buffer, part: ZipPart): Promise<void> {
  const data = bytes.subarray(part.dataStart, part.dataStart + part.compressed);
  if (part.method === 0) return;
  let produced = 0;
  const inflater = zlib.createInflateRaw();
  try {
    for await (const chunk of Readable.from([data]).pipe(inflater)) {
      produced += (chunk as Buffer).length;
      if (produced > part.uncompressed) throw new XlsxPartsError('zip_bomb', `${part.name}: inflates past its declared ${part.uncompressed} bytes`);
    }
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
export async function prepareXlsx(bytes: Buffer, limits: ZipLimits): Promise<Readable> {
  const zip = inspectZip(bytes, limits);
  if (!zip.ok) throw new XlsxPartsError(zip.code, zip.detail);
  const records = localRecords(zip.parts, zip.cdOffset);
  const wanted = zip.parts
    .map((part) => ({ part, rank: rank(part.name) }))
    .filter((p): p is { part: ZipPart; rank: number } => p.rank !== null)
    .sort((a, b) => a.rank - b.rank);
  for (const { part } of wanted) await checkInflatedSize(bytes, part);
  const chunks = wanted.map(({ part }) => {
    const r = records.get(part)!;
    return bytes.subarray(r.start, r.end);
  });
  // The reader stops at the central directory; its offsets no longer match, but it does not use them.
  chunks.push(bytes.subarray(zip.cdOffset));
  return Readable.from(chunks, { objectMode: false });
}
