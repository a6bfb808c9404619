import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { openXlsx, XlsxPartsError } from '../../../imports/xlsxParts.ts';
import { readImportRows, SpreadsheetError, type HeaderEvent, type RowEvent } from '../../../imports/readWorkbook.ts';
import { cellDate } from '../../../imports/cells.ts';
import { zipLimits } from '../../../imports/sniff.ts';
import { deviceNeeds } from '../../../imports/kinds/deviceNeeds.ts';
import { makeZip, unzipEntries, type ZipEntry } from '../../support/zip.ts';

/** A workbook in the 1904 date system: an instructions sheet, then the data sheet with a date serial. */
async function workbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.properties.date1904 = true;
  wb.addWorksheet('Instrukcija').addRow(['Aizpildiet lapu “Dati”.']);
  const ws = wb.addWorksheet('Dati');
  ws.addRow(['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce']);
  // 1904 serial 0 is 1 January 1904, so 40000 is 7 July 2013 (in the 1900 system, 6 July 2009).
  ws.addRow(['5.a', 'Anna', 'Bērziņa', '020307-20404', 'dators', 40000]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The same parts stored worst first: worksheets, then styles and shared strings, the workbook last. */
function reversed(entries: ZipEntry[]): Buffer {
  const rank = (n: string) => (n.startsWith('xl/worksheets/') ? 0 : n === 'xl/workbook.xml' ? 3 : n.startsWith('xl/_rels/') ? 2 : 1);
  return makeZip([...entries].sort((a, b) => rank(a.name) - rank(b.name)));
}

async function readAll(bytes: Buffer) {
  let header: HeaderEvent | null = null;
  const rows: RowEvent[] = [];
  for await (const ev of readImportRows({ format: 'xlsx', bytes }, deviceNeeds.fields, { maxRows: 100 })) {
    if (ev.type === 'header') header = ev;
    else rows.push(ev);
  }
  return { header: header!, rows };
}

describe('preparing an .xlsx for the streaming reader', () => {
  it('reads a workbook whose worksheets are stored before the workbook part, with sheet names and the 1904 date system', async () => {
    const file = reversed(unzipEntries(await workbook()));
    const names = unzipEntries(file).map((e) => e.name);
    expect(names.indexOf('xl/worksheets/sheet2.xml')).to.be.lessThan(names.indexOf('xl/workbook.xml'));
    // Read many times: the order problem used to show only now and then.
    for (let i = 0; i < 20; i++) {
      const { header, rows } = await readAll(file);
      expect(header.sheet).to.equal('Dati');
      expect(header.rowNumber).to.equal(1);
      expect(header.date1904).to.equal(true);
      expect(rows).to.have.length(1);
      expect(rows[0]!.cells.firstName).to.equal('Anna');
      expect(cellDate(rows[0]!.values[6], header.date1904)).to.equal('2013-07-07');
    }
  });

  it('passes on only the parts the reader uses, the worksheets asked for in the order asked', async () => {
    const entries = unzipEntries(await workbook());
    const withExtras = makeZip([{ name: 'xl/media/image1.png', data: Buffer.alloc(1000, 7) }, ...entries.reverse()]);
    const chunks: Buffer[] = [];
    const file = await openXlsx(withExtras, zipLimits);
    for await (const c of file.stream([...file.sheets].sort((a, b) => a.part.localeCompare(b.part)))) chunks.push(c as Buffer);
    const order = unzipEntriesLoose(Buffer.concat(chunks));
    expect(order).to.deep.equal(['_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/workbook.xml', 'xl/sharedStrings.xml', 'xl/styles.xml', 'xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml'].filter((n) => entries.some((e) => e.name === n)));
  });

  it('refuses a part that inflates past the size its directory declares', async () => {
    const entries = unzipEntries(await workbook());
    const big = Buffer.from(`<worksheet>${'<row/>'.repeat(200_000)}</worksheet>`);
    const lying = makeZip(entries.map((e) => (e.name === 'xl/worksheets/sheet2.xml' ? { ...e, data: big, declared: { uncompressed: 1000 } } : e)));
    const err = await openXlsx(lying, zipLimits).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(XlsxPartsError);
    expect((err as XlsxPartsError).code).to.equal('zip_bomb');
    const fromReader = await readAll(lying).then(
      () => null,
      (e: unknown) => e,
    );
    expect((fromReader as SpreadsheetError).code).to.equal('zip_bomb');
  });
});

/** Entry names in stored order, read from local headers only (the prepared stream's directory offsets are stale). */
function unzipEntriesLoose(zip: Buffer): string[] {
  const names: string[] = [];
  let at = 0;
  while (zip.readUInt32LE(at) === 0x04034b50) {
    const compressed = zip.readUInt32LE(at + 18);
    const nameLength = zip.readUInt16LE(at + 26);
    const extraLength = zip.readUInt16LE(at + 28);
    names.push(zip.subarray(at + 30, at + 30 + nameLength).toString('latin1'));
    at += 30 + nameLength + extraLength + compressed;
  }
  return names;
}
