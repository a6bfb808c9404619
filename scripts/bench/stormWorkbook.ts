import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';

/**
 * The device-needs lists of scripts/bench/storm, made as scripts/bench/import makes its own: a
 * title row, Latvian headers, then one pupil per row with a valid old-form personal code.
 */
const weights = [1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** The i-th old-form personal code (birth date and serial from i, with its check digit). */
function personalCode(i: number): string {
  for (let n = i; ; n += 1_000_003) {
    const day = new Date(Date.UTC(2005, 0, 1) + (n % 3650) * 86_400_000);
    const serial = String(Math.floor(n / 3650) % 1000).padStart(3, '0');
    const d = [String(day.getUTCDate()).padStart(2, '0'), String(day.getUTCMonth() + 1).padStart(2, '0'), String(day.getUTCFullYear() % 100).padStart(2, '0'), '2', serial].join('');
    const k = (1101 - weights.reduce((s, w, j) => s + w * Number(d[j]), 0)) % 11;
    if (k < 10) return `${d.slice(0, 6)}-${d.slice(6)}${k}`;
  }
}

export type ListRow = { index: number; code: string; firstName: string };

/** `n` pupils, no personal code twice; cut into lists, every row must become one pupil and one need. */
export function pupilRows(n: number): ListRow[] {
  const seen = new Set<string>();
  const out: ListRow[] = [];
  for (let i = 0; out.length < n; i++) {
    const code = personalCode(i);
    if (seen.has(code)) continue;
    seen.add(code);
    out.push({ index: i, code, firstName: `Vārds${i}` });
  }
  return out;
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
