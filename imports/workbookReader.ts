import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { maxTag, needsRewrite, rewritten, type PartDialect } from './xmlDialect.ts';

/**
 * exceljs' streaming WorkbookReader, with text decoded across chunk boundaries.
 *
 * exceljs 4.4 turns each inflated chunk of a part (16 KiB) into text on its own, so a letter of two
 * or three bytes (ā, š, ž, every Cyrillic letter) that straddles a boundary becomes two U+FFFD
 * characters: on a 100,000-row list, "latviešu" read as "latvie��u" in three rows and a device word
 * in two, rejecting or changing them without a sign (exceljs issues 2063, 2084, 2316, still open).
 * Here the shared strings and the worksheets reach exceljs' XML parser as text, decoded by one
 * decoder per part that carries an unfinished letter over to the next chunk.
 *
 * Parts written another program's way (a namespace prefix, rows without references, ISO dates)
 * are rewritten on the way in as well (xmlDialect.ts): the workbook, its relationships, styles,
 * shared strings and worksheets.
 *
 * The methods replaced are exceljs internals; the check below fails loudly at start-up should an
 * upgrade rename them, instead of letting the corruption back in silently.
 */
type Internals = {
  _parseRels(entry: NodeJS.ReadableStream): Promise<void>;
  _parseWorkbook(entry: NodeJS.ReadableStream): Promise<void>;
  _parseStyles(entry: NodeJS.ReadableStream): Promise<void>;
  _parseSharedStrings(entry: NodeJS.ReadableStream): AsyncGenerator<unknown>;
  _parseWorksheet(chunks: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown>;
};
const base = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as Internals;
const replaced = ['_parseRels', '_parseWorkbook', '_parseStyles', '_parseSharedStrings', '_parseWorksheet'] as const;
if (replaced.some((m) => typeof base[m] !== 'function')) {
  throw new Error('exceljs WorkbookReader internals changed: imports/workbookReader.ts needs a look');
}

/** The dialect of each part that needs rewriting, by its path in the zip as the reader gets it. */
export type Dialects = ReadonlyMap<string, PartDialect>;

async function* utf8Text(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** An entry as text, rewritten when its part needs it; the entry itself when nothing changes. */
function entryText(entry: NodeJS.ReadableStream, dialect: PartDialect | undefined): NodeJS.ReadableStream {
  // A readable with an encoding emits text through a decoder that keeps a split letter whole.
  entry.setEncoding('utf8');
  return needsRewrite(dialect) ? Readable.from(rewritten(entry as AsyncIterable<string>, dialect)) : entry;
}

/**
 * Notes the rows a worksheet's text marks hidden (`<row r="12" hidden="1">`: hidden by hand or
 * filtered out), which exceljs' streaming reader does not tell. The text passes on unchanged, after
 * any rewriting, so every row has its reference. A tag cut at a chunk's end is kept to be looked at
 * whole with the next chunk; the rows' tags are looked at only when a chunk, or such a cut tag,
 * mentions `hidden` at all, so a sheet without hidden rows costs one byte search per chunk.
 */
export async function* notingHiddenRows(chunks: AsyncIterable<string>, hidden: Set<number>): AsyncGenerator<string> {
  const word = 'hidden';
  let tail = '';
  for await (const chunk of chunks) {
    const open = chunk.lastIndexOf('<');
    const cut = open >= 0 && chunk.indexOf('>', open) < 0 ? open : open < 0 ? 0 : chunk.length;
    const seam = tail.slice(-word.length) + chunk.slice(0, word.length);
    if (chunk.includes(word) || tail.includes(word) || seam.includes(word)) {
      for (const m of (tail + chunk.slice(0, cut)).matchAll(/<row\s[^>]*>/gu)) {
        if (/\shidden\s*=\s*["'](?:1|true)["']/u.test(m[0])) hidden.add(Number(/\sr\s*=\s*["'](\d+)["']/u.exec(m[0])?.[1]));
      }
    }
    // A chunk without any tag start continues the cut tag, if one is; text that long is no tag.
    const rest = open < 0 ? (tail ? tail + chunk : '') : chunk.slice(cut);
    tail = rest.length <= maxTag ? rest : '';
    yield chunk;
  }
}

class Utf8WorkbookReader extends ExcelJS.stream.xlsx.WorkbookReader {
  private readonly dialects: Dialects;
  /** The hidden rows of each worksheet by its number, noted as its text is read (see above). */
  readonly hiddenRows = new Map<string, Set<number>>();
  constructor(input: Readable, options: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>, dialects: Dialects) {
    super(input, options);
    this.dialects = dialects;
  }

  _parseRels(entry: NodeJS.ReadableStream): Promise<void> {
    return base._parseRels.call(this, entryText(entry, this.dialects.get('xl/_rels/workbook.xml.rels')));
  }

  _parseWorkbook(entry: NodeJS.ReadableStream): Promise<void> {
    return base._parseWorkbook.call(this, entryText(entry, this.dialects.get('xl/workbook.xml')));
  }

  _parseStyles(entry: NodeJS.ReadableStream): Promise<void> {
    return base._parseStyles.call(this, entryText(entry, this.dialects.get('xl/styles.xml')));
  }

  _parseSharedStrings(entry: NodeJS.ReadableStream): AsyncGenerator<unknown> {
    return base._parseSharedStrings.call(this, entryText(entry, this.dialects.get('xl/sharedStrings.xml')));
  }

  _parseWorksheet(chunks: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown> {
    const hidden = new Set<number>();
    this.hiddenRows.set(sheetNo, hidden);
    return base._parseWorksheet.call(this, notingHiddenRows(rewritten(utf8Text(chunks), this.dialects.get(`xl/worksheets/sheet${sheetNo}.xml`)), hidden), sheetNo);
  }
}

/** exceljs' reader, and the hidden rows of each worksheet it has begun, by the worksheet's number. */
export type WorkbookReader = ExcelJS.stream.xlsx.WorkbookReader & { readonly hiddenRows: ReadonlyMap<string, Set<number>> };

/** A streaming reader of the workbook in `input` (see above), with exceljs' options and the parts to rewrite. */
export function workbookReader(input: Readable, options: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>, dialects: Dialects = new Map()): WorkbookReader {
  return new Utf8WorkbookReader(input, options, dialects);
}
