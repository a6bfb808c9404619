import ExcelJS from 'exceljs';
import { Types } from 'mongoose';
import type { TFunction } from '../i18n/index.ts';
import { InstitutionModel } from '../institutions/model.ts';
import { PupilModel } from '../pupils/model.ts';
import { exportValue, type ExportValue } from '../shared/xlsxExport.ts';
import { batchPerInstitution, findBatch } from './batchService.ts';
import { FoodCardModel } from './cardModel.ts';
import { Conflict } from '../errors.ts';

const euros = (cents: number) => cents / 100;
const money = '#,##0.00';

function sheet(wb: ExcelJS.Workbook, name: string, columns: Array<{ header: string; width?: number; numFmt?: string }>, rows: ExportValue[][]) {
  const ws = wb.addWorksheet(name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width ?? Math.max(12, c.header.length + 2), style: c.numFmt ? { numFmt: c.numFmt } : {} }));
  ws.getRow(1).font = { bold: true };
  // Plain values only (exportValue): a name typed as `=HYPERLINK(…)` stays text, never a formula.
  for (const r of rows) ws.addRow(r.map(exportValue));
}

/**
 * The supplier's order for a final batch: a sheet per institution with the number of new cards,
 * top-ups and their amounts in euros, and a sheet of lines (line id, institution, pupil's name and
 * class, new card or top-up, amount, and the card number where one is known) by which the
 * supplier returns the card numbers. No personal codes.
 */
export async function supplierOrder(batchId: string, t: TFunction): Promise<{ file: Buffer; seq: number }> {
  const batch = await findBatch(batchId);
  if (batch.status !== 'confirmed') throw new Conflict('batch_not_confirmed', undefined, { status: batch.status });
  const per = await batchPerInstitution(batch._id);
  const lines = await FoodCardModel.find({ batch: batch._id }, { pupil: 1, institution: 1, kind: 1, card: 1, cents: 1, number: 1 }).sort({ institution: 1, _id: 1 }).lean();
  const baseIds = lines.filter((l) => l.kind === 'topup' && l.card).map((l) => l.card!);
  const [pupils, insts, bases] = await Promise.all([
    PupilModel.find({ _id: { $in: lines.map((l) => l.pupil) } }, { firstName: 1, lastName: 1, class: 1 }).lean(),
    InstitutionModel.find({ _id: { $in: [...new Set(lines.map((l) => String(l.institution)))].map((id) => new Types.ObjectId(id)) } }, { code: 1, name: 1 }).lean(),
    FoodCardModel.find({ _id: { $in: baseIds } }, { number: 1 }).lean(),
  ]);
  const p = new Map(pupils.map((x) => [String(x._id), x]));
  const i = new Map(insts.map((x) => [String(x._id), x]));
  const b = new Map(bases.map((x) => [String(x._id), x.number]));

  const wb = new ExcelJS.Workbook();
  wb.created = new Date();
  sheet(
    wb,
    t('foodcards.order.institutionsSheet'),
    [
      { header: t('foodcards.order.institutionCode') },
      { header: t('foodcards.order.institutionName'), width: 40 },
      { header: t('foodcards.order.cards') },
      { header: t('foodcards.order.cardAmount'), numFmt: money },
      { header: t('foodcards.order.topUps') },
      { header: t('foodcards.order.topUpAmount'), numFmt: money },
      { header: t('foodcards.order.total'), numFmt: money },
    ],
    [
      ...per.map((r) => [r.institution, r.name, r.cards, euros(r.cardCents), r.topUps, euros(r.topUpCents), euros(r.cents)]),
      [t('foodcards.order.total'), null, batch.cards, null, batch.topUps, null, euros(batch.cents)],
    ],
  );
  sheet(
    wb,
    t('foodcards.order.linesSheet'),
    [
      { header: t('foodcards.order.lineId'), width: 26 },
      { header: t('foodcards.order.institutionCode') },
      { header: t('foodcards.order.firstName'), width: 20 },
      { header: t('foodcards.order.lastName'), width: 20 },
      { header: t('foodcards.order.class') },
      { header: t('foodcards.order.kind') },
      { header: t('foodcards.order.amount'), numFmt: money },
      { header: t('foodcards.order.cardNumber'), width: 20 },
    ],
    lines.map((l) => {
      const pupil = p.get(String(l.pupil));
      return [
        String(l._id),
        i.get(String(l.institution))?.code ?? '',
        pupil?.firstName ?? '',
        pupil?.lastName ?? '',
        pupil?.class ?? '',
        t(`foodcards.order.kinds.${l.kind}`),
        euros(l.cents),
        l.kind === 'card' ? l.number : (b.get(String(l.card)) ?? null),
      ];
    }),
  );
  return { file: Buffer.from(await wb.xlsx.writeBuffer()), seq: batch.seq };
}
