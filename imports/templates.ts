/**
 * Blank import templates: an instructions sheet and a data sheet whose header row the reader
 * recognises, with drop-down lists where a field takes one of a few values.
 */

import ExcelJS from 'exceljs';
import { normalizeHeader } from './headers.ts';
import type { KindSpec } from './kinds/types.ts';
import { safeSheetName } from './report.ts';

const languageIndex = { lv: 0, ru: 1, en: 2 } as const;
// The worksheet's validations by address (a cell or a range); exceljs keeps them there but leaves
// the property out of its type definitions.
type WithValidations = { dataValidations: { add(address: string, validation: ExcelJS.DataValidation): void } };
// Drop-downs cover the rows a school fills in (a list of a thousand pupils); beyond them typing
// still works, without a list.
const listRows = 1000;
// Typed into a General cell, a personal code without its dash or a phone number loses leading
// zeros or turns into a number in scientific notation; text cells keep them as typed.
const textFields = new Set(['personalCode', 'guardianPhone', 'parentPhone', 'serial']);

/**
 * The template of a kind in one language: instructions first, then the data sheet with the
 * header row, required headers bold and marked, and list validation for fields with choices.
 * A punctuation-only `requiredMark` (such as `*`) is appended to the header text, which the
 * reader ignores; a worded one goes into a note on the header cell so the header stays recognisable.
 */
export async function buildTemplate(
  spec: KindSpec<unknown>,
  lang: 'lv' | 'ru' | 'en',
  text: { dataSheet: string; instructionsSheet: string; instructions: string[]; requiredMark: string },
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const instructionsName = safeSheetName(text.instructionsSheet, 'Instructions');
  let dataName = safeSheetName(text.dataSheet, 'Data');
  // Sheet names are unique regardless of case.
  if (dataName.toLowerCase() === instructionsName.toLowerCase()) dataName = `${dataName.slice(0, 29)} 2`;

  const info = wb.addWorksheet(instructionsName);
  info.getColumn(1).width = 100;
  text.instructions.forEach((line, i) => {
    const cell = info.getCell(i + 1, 1);
    cell.value = line;
    cell.alignment = { wrapText: true, vertical: 'top' };
  });

  const data = wb.addWorksheet(dataName, { views: [{ state: 'frozen', ySplit: 1 }] });
  const mark = text.requiredMark.trim();
  const markInHeader = mark !== '' && normalizeHeader(mark) === '';
  // A template keeps first and last names in columns of their own, so it has no whole-name column.
  spec.fields.filter((f) => !f.wholeName).forEach((field, i) => {
    const col = i + 1;
    const name = field.names[languageIndex[lang]] ?? field.names[0] ?? field.key;
    const cell = data.getCell(1, col);
    cell.value = field.required && markInHeader ? `${name} ${mark}` : name;
    if (field.required) {
      cell.font = { bold: true };
      if (mark !== '' && !markInHeader) cell.note = mark;
    }
    const choices = spec.choices[field.key] ?? [];
    const column = data.getColumn(col);
    const widest = Math.max(String(cell.value).length, ...choices.map((c) => c[lang].length));
    column.width = Math.min(40, Math.max(14, widest + 4));
    if (textFields.has(field.key)) column.numFmt = '@';

    if (!choices.length) return;
    // Inline lists need no helper sheet; the labels contain no commas or quotes.
    const list = `"${choices.map((c) => c[lang]).join(',')}"`;
    // One validation over the column's range, not one per cell: exceljs squeezes per-cell ones into
    // ranges sorted as text (E10 before E2), writing overlapping ones (E10:E201 and E2:E201); a
    // program that keeps the first of two overlapping lists (as reported of some versions of
    // Numbers and LibreOffice) then offers none on rows 2 to 9.
    const letter = data.getColumn(col).letter;
    (data as unknown as WithValidations).dataValidations.add(`${letter}2:${letter}${listRows + 1}`, { type: 'list', allowBlank: true, formulae: [list] });
  });

  return Buffer.from(await wb.xlsx.writeBuffer());
}
