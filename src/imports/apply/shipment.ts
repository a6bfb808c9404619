import type { ShipmentRow } from '../../../imports/kinds/ministryShipment.ts';
import { DeviceModel, ShipmentModel } from '../../devices/model.ts';
import { RecordBook, type Plan, type Stored } from './recordBook.ts';
import type { OpenApplier, RowResult } from './types.ts';

type DeviceDoc = Stored & { serial: string; status: string };

/**
 * Adds each device of a ministry delivery to the office's stock, matched on its serial number. A
 * device already handed on keeps its record; only a device still in stock can be corrected by a list.
 * Serials are national, not per institution, so nothing is loaded up front: a serial already
 * stored shows itself when its insert clashes (or, on a preview, by looking it up).
 */
export const openShipment: OpenApplier<ShipmentRow> = async (ctx) => {
  const shipment = ctx.dryRun
    ? null
    : await ShipmentModel.findOneAndUpdate(
        { importId: ctx.importId },
        { $setOnInsert: { importId: ctx.importId, reference: ctx.fileName, receivedAt: ctx.today } },
        { upsert: true, new: true },
      );
  const devices = new RecordBook<DeviceDoc>(ctx, {
    model: DeviceModel,
    keyOf: (d) => d.serial,
    filterFor: (serial) => ({ serial }),
    locked: (d) => d.status !== 'in_stock',
  });

  return async (rows) => {
    const plans: Plan[] = rows.map(({ record }) => {
      const wanted = { type: record.deviceType, make: record.make, model: record.model, condition: record.condition };
      return { key: record.serial, wanted, fresh: () => ({ ...wanted, serial: record.serial, status: 'in_stock', institution: null, shipment: shipment?._id ?? null }) };
    });
    const saved = await devices.saveAll(plans);
    return saved.map(
      (s): RowResult =>
        s.kind === 'locked'
          ? { outcome: s.outcome, errors: [], warnings: [{ field: 'serial', code: 'device_in_use_not_changed' }] }
          : { outcome: s.kind === 'foreign' ? 'unchanged' : s.outcome, errors: [], warnings: [] },
    );
  };
};
