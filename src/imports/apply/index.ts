import type { ImportKind } from '../../../imports/kinds/index.ts';
import type { OpenApplier } from './types.ts';
import { openDeviceNeeds } from './deviceNeeds.ts';
import { openFoodEntitlements } from './foodEntitlements.ts';
import { openAttendance } from './attendance.ts';
import { openKindergartenRequests } from './kindergartenRequests.ts';
import { openShipment } from './shipment.ts';

/** The database step of each import kind, opened once per import run. */
export const appliers: Record<ImportKind, OpenApplier<never>> = {
  'device-needs': openDeviceNeeds as OpenApplier<never>,
  'food-entitlements': openFoodEntitlements as OpenApplier<never>,
  'kindergarten-attendance': openAttendance as OpenApplier<never>,
  'kindergarten-requests': openKindergartenRequests as OpenApplier<never>,
  'ministry-shipment': openShipment as OpenApplier<never>,
};
