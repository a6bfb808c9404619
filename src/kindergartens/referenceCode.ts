import { newReferenceCode } from '../status/referenceCodes.ts';

/** The reference-code domain of base-kindergarten places (see src/status/registry.ts). */
export const placementCodeDomain = 2;

/** A request's reference code for the parents, e.g. `P7KD-3MWA-8HS`. */
export function newPlacementCode(): string {
  return newReferenceCode(placementCodeDomain);
}
