import type { ImportKind, KindSpec } from './types.ts';
import { deviceNeeds } from './deviceNeeds.ts';
import { foodEntitlements } from './foodEntitlements.ts';
import { kindergartenAttendance } from './kindergartenAttendance.ts';
import { kindergartenRequests } from './kindergartenRequests.ts';
import { ministryShipment } from './ministryShipment.ts';

// The registry forgets each kind's record type; callers that need it import the kind itself.
export const kindSpecs: Record<ImportKind, KindSpec<unknown>> = {
  'device-needs': deviceNeeds as unknown as KindSpec<unknown>,
  'food-entitlements': foodEntitlements as unknown as KindSpec<unknown>,
  'kindergarten-attendance': kindergartenAttendance as unknown as KindSpec<unknown>,
  'kindergarten-requests': kindergartenRequests as unknown as KindSpec<unknown>,
  'ministry-shipment': ministryShipment as unknown as KindSpec<unknown>,
};

export { importKinds, officeKinds, type ImportKind, type KindSpec, type ParsedRow, type RowIssue } from './types.ts';
export { rowParser } from './parseRow.ts';
export type { RowContext } from './fieldSchemas.ts';
