import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { buildTemplate } from '../../../imports/templates.ts';
import { readImportRows, type HeaderEvent, type RowEvent } from '../../../imports/readWorkbook.ts';
import { importKinds, kindSpecs } from '../../../imports/kinds/index.ts';
import { unzipEntries } from '../../support/zip.ts';

const languages = ['lv', 'ru', 'en'] as const;
const text = {
  dataSheet: 'Dati',
  instructionsSheet: 'Instrukcija',
  instructions: ['Aizpildiet lapu “Dati”, vienu skolēnu katrā rindā.', 'Treknrakstā iespiestās kolonnas ir obligātas.', 'Datumus rakstiet kā 01.09.2020.'],
  requiredMark: '*',
};

async function load(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

describe('import templates', () => {
  for (const kind of importKinds) {
    for (const lang of languages) {
      it(`${kind} (${lang}) is read back with every required column and no rows`, async () => {
        const bytes = await buildTemplate(kindSpecs[kind], lang, text);
        const events: Array<HeaderEvent | RowEvent> = [];
        for await (const ev of readImportRows({ format: 'xlsx', bytes }, kindSpecs[kind].fields, { maxRows: 10 })) events.push(ev);
        expect(events).to.have.length(1);
        const header = events[0] as HeaderEvent;
        expect(header.type).to.equal('header');
        expect(header.sheet).to.equal('Dati');
        expect(header.rowNumber).to.equal(1);
        expect(header.match.missingRequired).to.deep.equal([]);
        expect(Object.keys(header.match.columns)).to.deep.equal(kindSpecs[kind].fields.filter((f) => !f.wholeName).map((f) => f.key));
        expect(header.match.unknown).to.deep.equal([]);

        const wb = await load(bytes);
        expect(wb.worksheets.map((ws) => ws.name)).to.deep.equal(['Instrukcija', 'Dati']);
        expect(wb.worksheets[0]!.getCell('A2').value).to.equal(text.instructions[1]);
      });
    }
  }

  it('marks required headers and offers drop-down lists in the chosen language', async () => {
    const spec = kindSpecs['device-needs'];
    const wb = await load(await buildTemplate(spec, 'ru', text));
    const ws = wb.getWorksheet('Dati')!;
    const col = spec.fields.findIndex((f) => f.key === 'deviceType') + 1;
    const head = ws.getCell(1, col);
    expect(head.value).to.equal('Устройство *');
    expect(head.font?.bold).to.equal(true);
    const optional = ws.getCell(1, spec.fields.findIndex((f) => f.key === 'reason') + 1);
    expect(optional.value).to.equal('Причина');
    expect(optional.font?.bold).to.not.equal(true);

    for (const row of [2, 10, 1001]) {
      const dv = ws.getCell(row, col).dataValidation;
      expect(dv?.type, `row ${row}`).to.equal('list');
      expect(dv?.formulae).to.deep.equal(['"Ноутбук,Планшет"']);
    }
    expect(ws.getCell(1002, col).dataValidation).to.equal(undefined);
    const classCol = spec.fields.findIndex((f) => f.key === 'class') + 1;
    expect(ws.getCell(2, classCol).dataValidation).to.equal(undefined);
  });

  it('puts a worded required mark into a note, keeping the header recognisable', async () => {
    const spec = kindSpecs['ministry-shipment'];
    const bytes = await buildTemplate(spec, 'en', { ...text, requiredMark: 'Required' });
    const ws = (await load(bytes)).getWorksheet('Dati')!;
    expect(ws.getCell('A1').value).to.equal('Device type');
    expect(ws.getCell('A1').note).to.equal('Required');
    expect(ws.getCell('B1').note).to.equal(undefined);
    for await (const ev of readImportRows({ format: 'xlsx', bytes }, spec.fields, { maxRows: 10 })) {
      expect(ev.type).to.equal('header');
      if (ev.type === 'header') expect(ev.match.missingRequired).to.deep.equal([]);
    }
  });

  it('writes one drop-down range per column, none overlapping', async () => {
    const spec = kindSpecs['device-needs'];
    const bytes = await buildTemplate(spec, 'lv', text);
    const sheet = unzipEntries(bytes).find((e) => e.name === 'xl/worksheets/sheet2.xml')!.data.toString('utf8');
    const ranges = [...sheet.matchAll(/<dataValidation [^>]*sqref="([^"]+)"/gu)].map((m) => m[1]);
    const columns = spec.fields.map((f, i) => (spec.choices[f.key]?.length ? String.fromCharCode(65 + i) : null)).filter((c) => c !== null);
    expect(ranges).to.deep.equal(columns.map((c) => `${c}2:${c}1001`));
  });
});
