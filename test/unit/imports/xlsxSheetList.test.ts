import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { openXlsx } from '../../../imports/xlsxParts.ts';
import { zipLimits } from '../../../imports/sniff.ts';
import { makeZip, unzipEntries, type ZipEntry } from '../../support/zip.ts';

/** Three sheets: a visible one with merged cells, a hidden one and a very hidden one. */
async function entries(): Promise<ZipEntry[]> {
  const wb = new ExcelJS.Workbook();
  const data = wb.addWorksheet('Dati & “saraksts”');
  data.addRow(['Klase', 'Vārds']);
  data.addRow(['5.a', 'Anna']);
  data.addRow([null, 'Jānis']);
  data.mergeCells('A2:A3');
  data.mergeCells('C1:E1');
  const old = wb.addWorksheet('Vecais');
  old.state = 'hidden';
  old.addRow(['5.a']);
  old.mergeCells('A1:A4');
  wb.addWorksheet('Slēptā').state = 'veryHidden';
  return unzipEntries(Buffer.from(await wb.xlsx.writeBuffer()));
}

function edited(list: ZipEntry[], name: string, change: (xml: string) => string): Buffer {
  return makeZip(list.map((e) => (e.name === name ? { ...e, data: Buffer.from(change(e.data.toString('utf8'))) } : e)));
}

/** The local records the stream hands the reader, as text. */
async function streamed(file: Awaited<ReturnType<typeof openXlsx>>, chosen: typeof file.sheets): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of file.stream(chosen)) chunks.push(c as Buffer);
  // The parts only: the central directory at the end names every entry.
  const all = Buffer.concat(chunks);
  return all.subarray(0, all.indexOf(Buffer.from([0x50, 0x4b, 1, 2]))).toString('latin1');
}

describe('xlsx parts: the sheet list and merged cells', () => {
  it('lists the sheets in tab order with their names, visibility and merged cells', async () => {
    const file = await openXlsx(makeZip(await entries()), zipLimits);
    expect(file.sheets.map((s) => [s.name, s.hidden, s.part])).to.deep.equal([
      ['Dati & “saraksts”', false, 'xl/worksheets/sheet1.xml'],
      ['Vecais', true, 'xl/worksheets/sheet2.xml'],
      ['Slēptā', true, 'xl/worksheets/sheet3.xml'],
    ]);
    expect(file.sheets[0]!.merges).to.have.deep.members([
      { top: 2, left: 1, bottom: 3, right: 1 },
      { top: 1, left: 3, bottom: 1, right: 5 },
    ]);
    // A hidden sheet is never read, so its merged cells are not kept.
    expect(file.sheets[1]!.merges).to.deep.equal([]);
  });

  it('keeps at most 100,000 merged blocks for a whole workbook', async () => {
    const list = await entries();
    const many = Array.from({ length: 100_010 }, (_, i) => `<mergeCell ref="B${2 * i + 10}:C${2 * i + 10}"/>`).join('');
    const file = edited(list, 'xl/worksheets/sheet1.xml', (xml) => xml.replace('<mergeCells count="2">', `<mergeCells count="100012">${many}`));
    const sheet = (await openXlsx(file, zipLimits)).sheets[0]!;
    expect(sheet.merges).to.have.length(100_000);
    expect(sheet.merges[0]).to.deep.equal({ top: 10, left: 2, bottom: 10, right: 3 });
  });

  it('follows the tab order of the workbook part, not the numbers of the worksheet parts', async () => {
    const list = await entries();
    const swapped = edited(list, 'xl/workbook.xml', (xml) => xml.replace(/(<sheet [^>]*name="Dati[^>]*\/>)(<sheet [^>]*name="Vecais"[^>]*\/>)/, '$2$1'));
    const file = await openXlsx(swapped, zipLimits);
    expect(file.sheets.map((s) => s.name)).to.deep.equal(['Vecais', 'Dati & “saraksts”', 'Slēptā']);
  });

  it('reads a sheet list written with namespace prefixes and a worksheet the workbook does not list', async () => {
    const list = await entries();
    const prefixed = edited(list, 'xl/workbook.xml', (xml) =>
      xml.replace(/<sheet ([^>]*?)name="Slēptā"[^>]*\/>/, '').replace(/<sheet /g, '<x:sheet ').replace(/<workbook /, '<workbook xmlns:x="urn:x" '),
    );
    const file = await openXlsx(prefixed, zipLimits);
    expect(file.sheets.map((s) => [s.name, s.hidden])).to.deep.equal([
      ['Dati & “saraksts”', false],
      ['Vecais', true],
      [null, false],
    ]);
  });

  it('finds a merged block whose tag is cut between two inflated chunks', async () => {
    const list = await entries();
    // The inflater hands out 16 KiB chunks; put the tag across the first seam at every offset.
    for (let cut = 1; cut < 24; cut += 2) {
      const file = edited(list, 'xl/worksheets/sheet1.xml', (xml) => {
        const at = xml.indexOf('<mergeCells');
        const pad = 16_384 - at - '<mergeCells count="3">'.length - cut - '<!---->'.length;
        return `${xml.slice(0, at)}<!--${'p'.repeat(pad)}-->${xml.slice(at).replace('<mergeCells count="2">', '<mergeCells count="3"><mergeCell ref="B7:D9"/>')}`;
      });
      const sheet = (await openXlsx(file, zipLimits)).sheets[0]!;
      expect(sheet.merges, `cut ${cut}`).to.deep.include({ top: 7, left: 2, bottom: 9, right: 4 });
      expect(sheet.merges, `cut ${cut}`).to.have.length(3);
    }
  });

  it('streams only the worksheets asked for, in the order asked', async () => {
    const file = await openXlsx(makeZip(await entries()), zipLimits);
    const text = await streamed(file, [file.sheets[2]!, file.sheets[0]!]);
    expect(text.indexOf('xl/workbook.xml')).to.be.greaterThan(-1);
    expect(text.indexOf('xl/worksheets/sheet2.xml')).to.equal(-1);
    expect(text.indexOf('xl/worksheets/sheet3.xml')).to.be.lessThan(text.indexOf('xl/worksheets/sheet1.xml'));
  });
});
