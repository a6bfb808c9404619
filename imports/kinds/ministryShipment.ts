import { z } from 'zod';
import { cellShowsError, cellText } from '../cells.ts';
import { fail, optionalText, requiredChoice } from './fieldSchemas.ts';
import type { KindSpec } from './types.ts';
import { choiceLists, deviceType } from './words.ts';

export type ShipmentRow = { serial: string; deviceType: 'laptop' | 'tablet'; make: string | null; model: string | null; condition: string };

/** Devices in a ministry delivery. Key: the serial number. */
// Serials are letters and digits with a few separators; spaces typed inside them are dropped.
const serial = () =>
  z.any().transform((v, ctx) => {
    const s = cellText(v).replace(/\s+/g, '').toUpperCase();
    if (!s) return fail(ctx, cellShowsError(v) ? 'formula_error' : 'required');
    return /^[A-Z0-9][A-Z0-9\-_/.]{2,63}$/.test(s) ? s : fail(ctx, 'invalid_serial');
  });

const schema = () =>
  z.object({
    deviceType: requiredChoice(deviceType, 'unknown_device_type'),
    make: optionalText(),
    model: optionalText(),
    serial: serial(),
    condition: optionalText(),
  });

export const ministryShipment: KindSpec<ShipmentRow, ReturnType<typeof schema>> = {
  kind: 'ministry-shipment',
  fields: [
    { key: 'deviceType', required: true, names: ['Ierīces tips', 'Тип устройства', 'Device type', 'Ierīces veids', 'Ierīce', 'Tips', 'Вид устройства', 'Устройство', 'Device', 'Type'] },
    { key: 'make', required: false, names: ['Ražotājs', 'Производитель', 'Make', 'Manufacturer', 'Marka', 'Zīmols', 'Марка', 'Бренд', 'Brand'] },
    { key: 'model', required: false, names: ['Modelis', 'Модель', 'Model'] },
    { key: 'serial', required: true, names: ['Sērijas numurs', 'Серийный номер', 'Serial number', 'Sērijas nr.', 'Sērijas Nr./S/N', 'S/N', 'Serial', 'Serial No.', 'Серийный №', 'Сер. номер'] },
    { key: 'condition', required: false, names: ['Stāvoklis', 'Состояние', 'Condition', 'Ierīces stāvoklis', 'Состояние устройства', 'Device condition'] },
  ],
  choices: { deviceType: choiceLists.deviceType },
  keyField: 'serial',
  schema,
  build(v) {
    return { key: v.serial, record: { ...v, condition: v.condition ?? 'new' } };
  },
};
