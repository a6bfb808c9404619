import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { openXlsx, XlsxPartsError } from '../../../imports/xlsxParts.ts';
import { inspectZip, zipLimits, type ZipPart } from '../../../imports/sniff.ts';
import { readImportRows, SpreadsheetError } from '../../../imports/readWorkbook.ts';
import { kindSpecs, type ImportKind } from '../../../imports/kinds/index.ts';
import { checkSpreadsheet } from '../../../src/imports/upload.ts';
import { AppError } from '../../../src/errors.ts';
import { makeZip, unzipEntries, type ZipEntry } from '../../support/zip.ts';

/**
 * Files damaged on their way (a download cut off, a byte changed in copying): each is refused with
 * a code the principal can act on, or, where the damage missed everything the reader uses, read
 * exactly as the undamaged file. Never a changed value, never a reader left waiting.
 */

const fixtures = path.join(import.meta.dirname, '..', '..', 'fixtures', 'xlsx');

/** A small device-needs workbook's parts, with the shared strings stored (not deflated) when asked. */
async function entries(storeStrings = false): Promise<ZipEntry[]> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Dati');
  ws.addRow(['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce']);
  ws.addRow(['5.a', 'Anna', 'Bērziņa', '020307-20404', 'dators']);
  ws.addRow(['6.b', 'Jānis', 'Kalniņš', '150606-20126', 'planšete']);
  const parts = await unzipEntries(Buffer.from(await wb.xlsx.writeBuffer()));
  return parts.map((e) => (storeStrings && e.name === 'xl/sharedStrings.xml' ? { ...e, store: true } : e));
}

function partOf(file: Buffer, name: string): ZipPart {
  const zip = inspectZip(file, zipLimits);
  if (!zip.ok) throw new Error(zip.detail);
  return zip.parts.find((p) => p.name === name)!;
}

/** The events a file reads as (header columns and row cells), or the code it is refused with. */
async function readAs(bytes: Buffer, kind: ImportKind): Promise<{ refused: string } | { events: string[] }> {
  try {
    const format = checkSpreadsheet(bytes);
    const events: string[] = [];
    for await (const ev of readImportRows({ format, bytes }, kindSpecs[kind].fields, { maxRows: 1000 })) {
      events.push(JSON.stringify(ev.type === 'row' ? [ev.rowNumber, ev.cells] : ev.match.columns));
    }
    return { events };
  } catch (err) {
    if (err instanceof SpreadsheetError || err instanceof AppError) return { refused: err.code };
    throw err;
  }
}

/** Fails a read that does not end: a damaged file must never leave the worker waiting. */
function finishes<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const stall = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish`)), 5_000)));
  return Promise.race([work, stall]).finally(() => clearTimeout(timer));
}

describe('damaged files', () => {
  it('a changed byte in the shared strings is refused as a damaged file, not read as a different name', async () => {
    const file = makeZip(await entries(true));
    const at = file.indexOf(Buffer.from('Bērziņa'));
    expect(at).to.be.greaterThan(0);
    const damaged = Buffer.from(file);
    damaged[at + 'Bērziņ'.length + 1] = 'e'.charCodeAt(0);
    expect(await readAs(file, 'device-needs')).to.have.property('events');
    expect(await readAs(damaged, 'device-needs')).to.deep.equal({ refused: 'damaged_file' });
  });

  it('a part that inflates to less than it declares, or does not inflate at all, is a damaged file', async () => {
    const parts = await entries();
    const sheet = parts.find((e) => e.name === 'xl/worksheets/sheet1.xml')!;
    const short = makeZip(parts.map((e) => (e === sheet ? { ...e, declared: { uncompressed: e.data.length + 10 } } : e)));
    expect(await openXlsx(short, zipLimits).then(() => null, (err: XlsxPartsError) => err.code)).to.equal('damaged_file');

    const file = makeZip(parts);
    const broken = Buffer.from(file);
    // A deflate block header of type 3, which does not exist.
    broken[partOf(file, 'xl/worksheets/sheet1.xml').dataStart] = 0xff;
    expect(await readAs(broken, 'device-needs')).to.deep.equal({ refused: 'damaged_file' });
  });

  it('local headers that disagree with the central directory are not followed: the file reads as it should', async () => {
    const file = makeZip(await entries());
    const expected = await readAs(file, 'device-needs');
    expect(expected).to.have.property('events').with.length(3);
    for (const name of ['xl/worksheets/sheet1.xml', 'xl/sharedStrings.xml', 'xl/workbook.xml']) {
      const local = partOf(file, name).localOffset;
      for (const [field, value] of [[18, 5], [18, 0x7fffffff], [22, 1]] as const) {
        const lying = Buffer.from(file);
        lying.writeUInt32LE(value, local + field);
        expect(await finishes(readAs(lying, 'device-needs'), `${name} with a local size of ${value}`)).to.deep.equal(expected);
      }
    }
  });

  it('a cut-off file is refused at upload as damaged, and a file that never was a zip as not a spreadsheet', () => {
    const file = fs.readFileSync(path.join(fixtures, 'ministry-shipment-12-devices.xlsx'));
    const code = (bytes: Buffer) => {
      try {
        return checkSpreadsheet(bytes);
      } catch (err) {
        return (err as AppError).code;
      }
    };
    expect(code(file)).to.equal('xlsx');
    expect(code(file.subarray(0, Math.floor(file.length * 0.7)))).to.equal('damaged_file');
    expect(code(Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(100, 0)]))).to.equal('not_a_spreadsheet');
  });

  it('hundreds of randomly damaged copies of real lists: each refused with its own code or read exactly as the original', async function () {
    this.timeout(180_000);
    const lists: Array<[string, ImportKind]> = [
      ['device-needs-title-row-phones-as-numbers-one-bad-check-digit.xlsx', 'device-needs'],
      ['food-entitlements-real-and-text-dates.xlsx', 'food-entitlements'],
      ['ministry-shipment-12-devices.xlsx', 'ministry-shipment'],
    ];
    // A fixed seed: the same copies every run, so a failure can be replayed.
    let seed = 20261125;
    const random = (n: number) => Math.floor(((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32) * n);
    const allowed = new Set(['damaged_file', 'not_a_spreadsheet', 'zip_bomb', 'unreadable_file', 'no_header', 'missing_columns']);
    const outcomes = new Map<string, number>();
    for (const [name, kind] of lists) {
      const original = fs.readFileSync(path.join(fixtures, name));
      const expected = await readAs(original, kind);
      expect(expected).to.have.property('events');
      for (let i = 0; i < 120; i++) {
        const copy = Buffer.from(original);
        let damaged: Buffer = copy;
        const how = ['bytes changed', 'cut off', 'byte inserted', 'bytes zeroed'][i % 4]!;
        if (how === 'bytes changed') for (let k = 0, n = 1 + random(5); k < n; k++) copy[random(copy.length)] = random(256);
        if (how === 'cut off') damaged = copy.subarray(0, random(copy.length));
        if (how === 'byte inserted') {
          const at = random(copy.length);
          damaged = Buffer.concat([copy.subarray(0, at), Buffer.from([random(256)]), copy.subarray(at)]);
        }
        if (how === 'bytes zeroed') {
          const at = random(copy.length);
          copy.fill(0, at, Math.min(copy.length, at + 1 + random(64)));
        }
        const got = await finishes(readAs(damaged, kind), `${name}, copy ${i} (${how})`);
        const outcome = 'refused' in got ? got.refused : 'read';
        if ('refused' in got) expect(allowed, `${name}, copy ${i} (${how})`).to.include(got.refused);
        else expect(got, `${name}, copy ${i} (${how}) read differently`).to.deep.equal(expected);
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }
    }
    // The damage reached the data often enough for the checks to have been tried.
    expect(outcomes.get('damaged_file') ?? 0).to.be.greaterThan(50);
    expect(outcomes.get('read') ?? 0).to.be.greaterThan(10);
  });
});
