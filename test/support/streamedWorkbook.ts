import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';

/**
 * A workbook as exceljs' streaming writer saves it without shared strings: every text kept in its
 * cell (`t="inlineStr"`, or `t="str"` when plain), as export libraries of other systems write them.
 */
export async function streamedWorkbook(sheets: Array<{ name: string; rows: ExcelJS.CellValue[][] }>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  for (const sheet of sheets) {
    const ws = wb.addWorksheet(sheet.name);
    for (const row of sheet.rows) ws.addRow(row).commit();
  }
  await wb.commit();
  return Buffer.concat(chunks);
}
