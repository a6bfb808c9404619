import ExcelJS from 'exceljs';

/**
 * Export workbooks. Every value is written as a plain value: user text always as a string cell,
 * never as `{ formula }`, so a name typed as `=HYPERLINK(…)` stays text in Excel. Text longer than
 * Excel allows is cut, since Excel would call the whole file damaged.
 */
export type ExportColumn = { header: string; width?: number; numFmt?: string };
export type ExportValue = string | number | Date | null | undefined;

const maxCellText = 32_767;

/** One cell's value as written: numbers as numbers, dates as dates, everything else as text. */
export function exportValue(v: ExportValue): string | number | Date | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (v instanceof Date) return Number.isFinite(v.getTime()) ? v : null;
  return String(v).slice(0, maxCellText);
}

/** A workbook with one sheet: a bold, frozen header row, then the rows. */
export async function exportWorkbook(sheetName: string, columns: ExportColumn[], rows: ExportValue[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.created = new Date();
  const ws = wb.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width ?? Math.max(12, c.header.length + 2), style: c.numFmt ? { numFmt: c.numFmt } : {} }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(r.map(exportValue));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
