import type { ImportKind, KindSpec } from './types.ts';
import { deviceNeeds } from './deviceNeeds.ts';
import { foodEntitlements } from './foodEntitlements.ts';
import { kindergartenAttendance } from './kindergartenAttendance.ts';
import { ministryShipment } from './ministryShipment.ts';

export const kindSpecs: Record<ImportKind, KindSpec<unknown>> = {
  'device-needs': deviceNeeds as KindSpec<unknown>,
  'food-entitlements': foodEntitlements as KindSpec<unknown>,
  'kindergarten-attendance': kindergartenAttendance as KindSpec<unknown>,
  'ministry-shipment': ministryShipment as KindSpec<unknown>,
};

export { importKinds, type ImportKind, type KindSpec, type ParsedRow, type RowIssue } from './types.ts';
