import { makeZip, unzipEntries, type ZipEntry } from './zip.ts';

/**
 * Rewrites an Excel-written workbook the ways other programs write the same content, so that a
 * test can check the reader reads both alike. Each change keeps the XML's meaning.
 */

const spreadsheetParts = /^xl\/(workbook|sharedStrings|styles)\.xml$|^xl\/worksheets\/[^/]+\.xml$/;

/** Elements written with `prefix:` bound to the part's default namespace, as the Open XML SDK writes them. */
export function prefixElements(xml: string, prefix: string): string {
  return xml
    .replace(/\sxmlns="([^"]*)"/u, ` xmlns:${prefix}="$1"`)
    .replace(/<(\/?)([A-Za-z][\w.-]*)(?=[\s/>])/gu, `<$1${prefix}:$2`);
}

/**
 * Rows and cells without their `r` where it is implied: a row right after the previous row, a cell
 * right after the previous cell of its row (or in column A). Others keep theirs.
 */
export function dropImpliedReferences(xml: string): string {
  let row = 0;
  let col = 0;
  const colNumber = (letters: string) => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  return xml.replace(/<(row|c) r="([A-Z]*)(\d+)"/gu, (tag, name: string, letters: string, digits: string) => {
    if (name === 'row') {
      const implied = Number(digits) === row + 1;
      row = Number(digits);
      col = 0;
      return implied ? '<row' : tag;
    }
    const implied = colNumber(letters) === col + 1;
    col = colNumber(letters);
    return implied ? '<c' : tag;
  });
}

export type Reshaping = { prefix?: boolean; noReferences?: boolean; sheetPartNames?: boolean };

/**
 * The workbook as the Open XML SDK (and programs built on it) writes it, each change on request:
 * `x:` on SpreadsheetML elements and `ns0:` on relationships; rows and cells without implied
 * references; worksheet parts named `sheet.xml`, `sheet2.xml`, … with absolute targets.
 */
export function reshaped(xlsx: Buffer, how: Reshaping): Buffer {
  let entries: ZipEntry[] = unzipEntries(xlsx);
  const edit = (test: (name: string) => boolean, change: (xml: string) => string) => {
    entries = entries.map((e) => (test(e.name) ? { ...e, data: Buffer.from(change(e.data.toString('utf8'))) } : e));
  };
  if (how.noReferences) edit((n) => n.startsWith('xl/worksheets/'), dropImpliedReferences);
  if (how.prefix) {
    edit((n) => spreadsheetParts.test(n), (xml) => prefixElements(xml, 'x'));
    edit((n) => n === 'xl/_rels/workbook.xml.rels', (xml) => prefixElements(xml, 'ns0'));
  }
  if (how.sheetPartNames) {
    const rename = (n: string) => n.replace(/^xl\/worksheets\/sheet(\d+)\.xml$/u, (_, d: string) => `xl/worksheets/sheet${d === '1' ? '' : d}.xml`);
    entries = entries.map((e) => ({ ...e, name: rename(e.name) }));
    edit(
      (n) => n === 'xl/_rels/workbook.xml.rels',
      (xml) => xml.replace(/Target="worksheets\/sheet(\d+)\.xml"/gu, (_, d: string) => `Target="/xl/worksheets/sheet${d === '1' ? '' : d}.xml"`),
    );
    edit(
      (n) => n === '[Content_Types].xml',
      (xml) => xml.replace(/PartName="\/xl\/worksheets\/sheet(\d+)\.xml"/gu, (_, d: string) => `PartName="/xl/worksheets/sheet${d === '1' ? '' : d}.xml"`),
    );
  }
  return makeZip(entries);
}
