import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';

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
 * The two methods replaced are exceljs internals; the check below fails loudly at start-up should
 * an upgrade rename them, instead of letting the corruption back in silently.
 */
type Internals = {
  _parseSharedStrings(entry: NodeJS.ReadableStream): AsyncGenerator<unknown>;
  _parseWorksheet(chunks: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown>;
};
const base = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as Internals;
if (typeof base._parseSharedStrings !== 'function' || typeof base._parseWorksheet !== 'function') {
  throw new Error('exceljs WorkbookReader internals changed: imports/workbookReader.ts needs a look');
}

async function* utf8Text(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

class Utf8WorkbookReader extends ExcelJS.stream.xlsx.WorkbookReader {
  _parseSharedStrings(entry: NodeJS.ReadableStream): AsyncGenerator<unknown> {
    // A readable with an encoding emits text through a decoder that keeps a split letter whole.
    entry.setEncoding('utf8');
    return base._parseSharedStrings.call(this, entry);
  }

  _parseWorksheet(chunks: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown> {
    return base._parseWorksheet.call(this, utf8Text(chunks), sheetNo);
  }
}

/** A streaming reader of the workbook in `input` (see above), with exceljs' options. */
export function workbookReader(input: Readable, options: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>): ExcelJS.stream.xlsx.WorkbookReader {
  return new Utf8WorkbookReader(input, options);
}
