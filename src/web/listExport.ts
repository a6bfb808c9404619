import type { Request, Response } from 'express';
import { translator, type TFunction } from '../i18n/index.ts';
import { rigaTimeZone, rigaToday } from '../shared/dates.ts';
import { exportWorkbook, type ExportColumn, type ExportValue } from '../shared/xlsxExport.ts';
import { html, type Html } from './html.ts';

/**
 * Lists as `.xlsx` downloads. A list page's export takes the page's own filters and service call,
 * only without the page size: up to `exportRowCap` rows. Cells are written by the shared safe
 * writer (src/shared/xlsxExport.ts), so a name typed as `=HYPERLINK(…)` arrives as text.
 */

export const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The most rows one export holds; more than a workbook anyone opens by hand. */
export const exportRowCap = 100_000;

/**
 * How a column's values are written: `day` a calendar day (YYYY-MM-DD) as a date cell, `time` a
 * moment as a date-and-time cell on Riga's clock, `money` integer cents as euros, `number` as a
 * number; anything else as text.
 */
export type ColumnKind = 'text' | 'number' | 'money' | 'day' | 'time';
type Raw = string | number | Date | null | undefined;
export type ListColumn<R> = { header: string; value: (row: R, t: TFunction) => Raw; kind?: ColumnKind; width?: number };

const formats: Partial<Record<ColumnKind, string>> = { money: '#,##0.00', day: 'yyyy-mm-dd', time: 'yyyy-mm-dd hh:mm' };

const rigaClock = new Intl.DateTimeFormat('en-GB', { timeZone: rigaTimeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** A moment as Riga's wall clock shows it, as the zone-less date a spreadsheet cell holds. */
export function rigaWallClock(at: Date): Date {
  const p = Object.fromEntries(rigaClock.formatToParts(at).map((x) => [x.type, x.value]));
  return new Date(Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)));
}

/** One cell: days and moments as dates, cents as euros, numbers as numbers, the rest as text. */
function cell(kind: ColumnKind, v: Raw): ExportValue {
  if (v === null || v === undefined || v === '') return null;
  switch (kind) {
    case 'day': {
      const m = typeof v === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v) : null;
      return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : String(v);
    }
    case 'time': {
      const at = v instanceof Date ? v : new Date(String(v));
      return Number.isFinite(at.getTime()) ? rigaWallClock(at) : String(v);
    }
    case 'money':
      return typeof v === 'number' ? v / 100 : String(v);
    case 'number':
      return typeof v === 'number' ? v : String(v);
    default:
      return v instanceof Date ? v.toISOString() : String(v);
  }
}

/**
 * Sends rows as a one-sheet workbook: headers from the catalogue in the reader's language, the
 * file named from the catalogue (`name`) and today's date. Not cached: exports hold pupils' data.
 */
export async function sendListExport<R>(req: Request, res: Response, list: { name: string; columns: ListColumn<R>[]; rows: readonly R[] }): Promise<void> {
  const t = translator(req.lang);
  const title = t(list.name);
  const columns: ExportColumn[] = list.columns.map((c) => ({ header: t(c.header), width: c.width, numFmt: formats[c.kind ?? 'text'] }));
  const rows = list.rows.slice(0, exportRowCap).map((r) => list.columns.map((c) => cell(c.kind ?? 'text', c.value(r, t))));
  const file = await exportWorkbook(title, columns, rows);
  res.set('Cache-Control', 'no-store').type(xlsxType).attachment(`${title}-${rigaToday()}.xlsx`).send(file);
}

/**
 * The page's "Download .xlsx" link: the export's address with the filters the page applied, read
 * from its query string (not the raw query: a principal's `institution=` is ignored there, and
 * is not repeated here either).
 */
export function exportLink(t: TFunction, xlsxPath: string, filters: Record<string, string | null | undefined> = {}): Html {
  const query = new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => !!e[1])).toString();
  return html`<p class="export no-print"><a class="button secondary" href="${query ? `${xlsxPath}?${query}` : xlsxPath}" download>${t('exports.download')}</a></p>`;
}
