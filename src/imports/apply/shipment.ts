import type { ShipmentRow } from '../../../imports/kinds/ministryShipment.ts';
import { DeviceModel, ShipmentModel } from '../../devices/model.ts';
import { differs, outcomeOf, type ApplyBatch, type Outcome, type RowResult } from './types.ts';

/**
 * Adds each device of a ministry delivery to the office's stock, matched on its serial number. A
 * device already handed on keeps its record; only a device still in stock can be corrected by a list.
 */
export const applyShipment: ApplyBatch<ShipmentRow> = async (ctx, rows) => {
  const shipment = ctx.dryRun
    ? null
    : await ShipmentModel.findOneAndUpdate(
        { importId: ctx.importId },
        { $setOnInsert: { importId: ctx.importId, reference: ctx.fileName, receivedAt: ctx.today } },
        { upsert: true, new: true },
      );
  const existing = new Map((await DeviceModel.find({ serial: { $in: rows.map((r) => r.record.serial) } }).lean()).map((d) => [d.serial, d]));
  const results: RowResult[] = [];
  for (const { record } of rows) {
    const wanted = { type: record.deviceType, make: record.make, model: record.model, condition: record.condition };
    const device = existing.get(record.serial);
    const warnings: RowResult['warnings'] = [];
    let outcome: Outcome;
    if (!device) {
      if (ctx.dryRun) outcome = 'created';
      else {
        const doc = await DeviceModel.findOneAndUpdate(
          { serial: record.serial },
          { $setOnInsert: { ...wanted, serial: record.serial, status: 'in_stock', institution: null, shipment: shipment!._id, createdByImport: ctx.importId } },
          { upsert: true, new: true, lean: true },
        );
        outcome = outcomeOf(doc, ctx.importId, false);
      }
    } else {
      const changed = differs(device as unknown as Record<string, unknown>, wanted);
      if (changed && device.status !== 'in_stock') {
        warnings.push({ field: 'serial', code: 'device_in_use_not_changed' });
        outcome = outcomeOf(device, ctx.importId, false);
      } else {
        if (changed && !ctx.dryRun) await DeviceModel.updateOne({ _id: device._id }, { $set: { ...wanted, changedByImport: ctx.importId } });
        outcome = outcomeOf(device, ctx.importId, changed);
      }
    }
    results.push({ outcome, errors: [], warnings });
  }
  return results;
};
