import { cellText } from '../cells.ts';
import { RowCheck, type KindSpec } from './types.ts';
import { choiceLists, deviceType } from './words.ts';

export type ShipmentRow = { serial: string; deviceType: 'laptop' | 'tablet'; make: string | null; model: string | null; condition: string };

/** Devices in a ministry delivery. Key: the serial number. */
export const ministryShipment: KindSpec<ShipmentRow> = {
  kind: 'ministry-shipment',
  fields: [
    { key: 'deviceType', required: true, names: ['Ierīces tips', 'Тип устройства', 'Device type', 'Ierīce', 'Tips', 'Устройство', 'Device', 'Type'] },
    { key: 'make', required: false, names: ['Ražotājs', 'Производитель', 'Make', 'Manufacturer', 'Marka'] },
    { key: 'model', required: false, names: ['Modelis', 'Модель', 'Model'] },
    { key: 'serial', required: true, names: ['Sērijas numurs', 'Серийный номер', 'Serial number', 'S/N', 'SN', 'Serial', 'Sērijas nr'] },
    { key: 'condition', required: false, names: ['Stāvoklis', 'Состояние', 'Condition'] },
  ],
  choices: { deviceType: choiceLists.deviceType },
  parseRow(cells) {
    const c = new RowCheck();
    const serial = cellText(cells.serial).replace(/\s+/g, '').toUpperCase();
    if (!serial) c.error('serial', 'required');
    else if (!/^[A-Z0-9][A-Z0-9\-_/.]{2,63}$/.test(serial)) c.error('serial', 'invalid_serial');
    const rawType = cellText(cells.deviceType);
    const type = deviceType(rawType);
    if (!rawType) c.error('deviceType', 'required');
    else if (!type) c.error('deviceType', 'unknown_device_type');
    return c.result(() => ({
      key: serial,
      record: { serial, deviceType: type!, make: cellText(cells.make) || null, model: cellText(cells.model) || null, condition: cellText(cells.condition) || 'new' },
    }));
  },
};
