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

/**
 * Every part indented two spaces a level, as .NET's XDocument saves XML and Python's `indent`
 * writes it: a line break and indent before each tag, except a tag right after text, so that an
 * element holding text (`<t>Jā</t>`) stays on one line and no text changes.
 */
export function indented(xml: string): string {
  let depth = 0;
  let afterText = false;
  let out = '';
  for (const [token] of xml.matchAll(/<[^>]+>|[^<]+/gu)) {
    if (!token.startsWith('<')) {
      out += token;
      afterText = true;
      continue;
    }
    const declaration = token.startsWith('<?');
    const closing = token.startsWith('</');
    if (closing) depth--;
    if (!afterText && !declaration && out) out += `\n${'  '.repeat(depth)}`;
    out += token;
    if (!closing && !declaration && !token.endsWith('/>')) depth++;
    afterText = false;
  }
  return out;
}

/** An Excel serial day (1900 date system) as the ISO 8601 text a Strict file keeps it as. */
function isoOfSerial(serial: number): string {
  const ms = Math.round((serial - 25569) * 86_400_000);
  return new Date(ms).toISOString().slice(0, 19);
}

/**
 * The workbook as Excel saves it as "Strict Open XML Spreadsheet": the strict namespaces, and the
 * dates of the given columns as ISO 8601 text in cells of type `d`.
 */
function strictOf(entries: ZipEntry[], dateColumns: string[]): ZipEntry[] {
  const namespaces: Array<[string, string]> = [
    ['http://schemas.openxmlformats.org/spreadsheetml/2006/main', 'http://purl.oclc.org/ooxml/spreadsheetml/main'],
    ['http://schemas.openxmlformats.org/officeDocument/2006/relationships', 'http://purl.oclc.org/ooxml/officeDocument/relationships'],
  ];
  const dateCell = new RegExp(`<c r="((?:${dateColumns.join('|')})\\d+)"([^>]*)><v>(\\d+(?:\\.\\d+)?)</v></c>`, 'gu');
  return entries.map((e) => {
    if (!/\.(xml|rels)$/u.test(e.name)) return e;
    let xml = e.data.toString('utf8');
    for (const [from, to] of namespaces) xml = xml.replaceAll(from, to);
    // Numbers only: a cell with a type (text typed as a date, say) stays as it is.
    if (e.name.startsWith('xl/worksheets/')) {
      xml = xml.replace(dateCell, (cell: string, ref: string, attrs: string, v: string) => (/\st=/u.test(attrs) ? cell : `<c r="${ref}"${attrs} t="d"><v>${isoOfSerial(Number(v))}</v></c>`));
    }
    return { ...e, data: Buffer.from(xml) };
  });
}

export type Reshaping = { prefix?: boolean; noReferences?: boolean; sheetPartNames?: boolean; strict?: { dateColumns: string[] }; indent?: boolean };

/**
 * The workbook as the Open XML SDK (and programs built on it) writes it, each change on request:
 * `x:` on SpreadsheetML elements and `ns0:` on relationships; rows and cells without implied
 * references; worksheet parts named `sheet.xml`, `sheet2.xml`, … with absolute targets; or as
 * Excel's Strict format, with ISO dates; or with every part indented.
 */
export function reshaped(xlsx: Buffer, how: Reshaping): Buffer {
  let entries: ZipEntry[] = unzipEntries(xlsx);
  if (how.strict) entries = strictOf(entries, how.strict.dateColumns);
  const edit = (test: (name: string) => boolean, change: (xml: string) => string) => {
    entries = entries.map((e) => (test(e.name) ? { ...e, data: Buffer.from(change(e.data.toString('utf8'))) } : e));
  };
  if (how.indent) edit((n) => /\.(xml|rels)$/u.test(n), indented);
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
