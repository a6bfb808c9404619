import ExcelJS from 'exceljs';
import { readImportRows, type HeaderEvent, type RowEvent } from '../../imports/readWorkbook.ts';
import { kindSpecs, type ImportKind } from '../../imports/kinds/index.ts';

/** The header and data rows the reader finds in a one-sheet workbook of `rows` (`shape` may merge cells, hide rows…). */
export async function readRows(rows: unknown[][], kind: ImportKind, shape?: (ws: ExcelJS.Worksheet) => void): Promise<{ header: HeaderEvent; rows: RowEvent[] }> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Saraksts');
  for (const r of rows) ws.addRow(r);
  shape?.(ws);
  const bytes = Buffer.from(await wb.xlsx.writeBuffer());
  let header: HeaderEvent | null = null;
  const out: RowEvent[] = [];
  for await (const ev of readImportRows({ format: 'xlsx', bytes }, kindSpecs[kind].fields, { maxRows: 100 })) {
    if (ev.type === 'header') header = ev;
    else out.push(ev);
  }
  return { header: header!, rows: out };
}
