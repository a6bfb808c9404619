import type { ImportKind } from '../../../imports/kinds/index.ts';
import type { ApplyBatch } from './types.ts';
import { applyDeviceNeeds } from './deviceNeeds.ts';
import { applyFoodEntitlements } from './foodEntitlements.ts';
import { applyAttendance } from './attendance.ts';
import { applyShipment } from './shipment.ts';

/** The database step of each import kind. */
export const appliers: Record<ImportKind, ApplyBatch<never>> = {
  'device-needs': applyDeviceNeeds as ApplyBatch<never>,
  'food-entitlements': applyFoodEntitlements as ApplyBatch<never>,
  'kindergarten-attendance': applyAttendance as ApplyBatch<never>,
  'ministry-shipment': applyShipment as ApplyBatch<never>,
};
