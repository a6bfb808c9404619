import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { openXlsx, XlsxPartsError, type TextLimits } from '../../../imports/xlsxParts.ts';
import { zipLimits } from '../../../imports/sniff.ts';
import { makeZip, unzipEntries, type ZipEntry } from '../../support/zip.ts';

/** A small valid workbook's parts. */
async function parts(): Promise<ZipEntry[]> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Dati');
  ws.addRow(['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce']);
  ws.addRow(['5.a', 'Anna', 'Bērziņa', '020307-20404', 'dators']);
  return unzipEntries(Buffer.from(await wb.xlsx.writeBuffer()));
}

/** The parts with one part's XML changed. */
function edited(entries: ZipEntry[], name: string, change: (xml: string) => string, store = false): Buffer {
  return makeZip(entries.map((e) => (e.name === name ? { name, data: Buffer.from(change(e.data.toString('utf8'))), store } : e)));
}

async function refusal(file: Buffer, text?: TextLimits): Promise<string | null> {
  try {
    await openXlsx(file, zipLimits, text);
    return null;
  } catch (err) {
    if (err instanceof XlsxPartsError) return err.code;
    throw err;
  }
}

const doctype = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>';
const afterDeclaration = (xml: string) => xml.replace(/^(<\?xml[^>]*\?>)/, `$1${doctype}`);

describe('xlsx parts: declarations and the shared-strings table', () => {
  it('refuses a document type or entity declaration in a worksheet, in the shared strings, deflated or stored', async () => {
    const entries = await parts();
    expect(await refusal(makeZip(entries))).to.equal(null);
    expect(await refusal(edited(entries, 'xl/worksheets/sheet1.xml', afterDeclaration))).to.equal('xml_declarations');
    expect(await refusal(edited(entries, 'xl/sharedStrings.xml', afterDeclaration))).to.equal('xml_declarations');
    expect(await refusal(edited(entries, 'xl/sharedStrings.xml', afterDeclaration, true))).to.equal('xml_declarations');
    expect(await refusal(edited(entries, 'xl/workbook.xml', (x) => x.replace('?>', '?><!ENTITY e "x">')))).to.equal('xml_declarations');
  });

  it('finds a declaration split between two inflated chunks', async () => {
    // The inflater hands out 16 KiB chunks; the declaration straddles the first seam.
    const entries = await parts();
    const seamAt = 16_384 - 4;
    const file = edited(entries, 'xl/worksheets/sheet1.xml', (x) => {
      const start = x.indexOf('?>') + 2;
      return `${x.slice(0, start)}<!--${'p'.repeat(seamAt - start - 7)}--><!DOCTYPE x>${x.slice(start)}`;
    });
    expect(await refusal(file)).to.equal('xml_declarations');
  });

  it('counts every shared string and rich-text run once, however the chunks fall, and refuses one more than the limit', async () => {
    const entries = await parts();
    const strings = Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? `<si><r><t>${i}</t></r><r><rPr><b/></rPr><t>x${'y'.repeat(i % 17)}</t></r></si>` : `<si><t>${'z'.repeat(i % 23)}${i}</t></si>`));
    const file = edited(entries, 'xl/sharedStrings.xml', (x) => x.replace('</sst>', `${strings.join('')}</sst>`));
    const own = (entries.find((e) => e.name === 'xl/sharedStrings.xml')!.data.toString().match(/<si>/g) ?? []).length;
    const total = own + 3000;
    const runs = 2000;
    const roomy = { maxBytes: 1024 * 1024, maxStrings: total, maxRuns: runs };
    expect(await refusal(file, roomy)).to.equal(null);
    expect(await refusal(file, { ...roomy, maxStrings: total - 1 })).to.equal('too_much_text');
    expect(await refusal(file, { ...roomy, maxRuns: runs - 1 })).to.equal('too_much_text');
    expect(await refusal(file, { ...roomy, maxBytes: 64 * 1024 })).to.equal('too_much_text');
  });
});
