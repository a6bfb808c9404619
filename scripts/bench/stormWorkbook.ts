import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { personalCodes } from '../../test/support/personalCodes.ts';

/**
 * The device-needs lists of scripts/bench/storm, made as scripts/bench/import makes its own: a
 * title row, Latvian headers, then one pupil per row with a valid old-form personal code.
 */

export type ListRow = { index: number; code: string; firstName: string };

/** `n` pupils, no personal code twice; cut into lists, every row must become one pupil and one need. */
export function pupilRows(n: number): ListRow[] {
  return personalCodes(n).map((code, i) => ({ index: i, code, firstName: `Vārds${i}` }));
}

/** The list as an .xlsx workbook. */
export async function deviceNeedsWorkbook(title: string, list: ListRow[]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet('Skolēni');
  ws.addRow([title]).commit();
  ws.addRow(['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce', 'Vecāka tālrunis', 'Vecāka e-pasts', 'Valoda']).commit();
  for (const { index: i, code, firstName } of list) {
    ws.addRow([`${(i % 12) + 1}.a`, firstName, `Uzvārds${i}`, code, i % 2 ? 'planšete' : 'portatīvais dators', 26_000_000 + (i % 999_999), `g${i}@example.lv`, i % 3 ? 'latviešu' : 'krievu']).commit();
  }
  await wb.commit();
  return Buffer.concat(chunks);
}
