import { newReferenceCode as drawReferenceCode } from '../status/referenceCodes.ts';

/** The reference-code domain of device needs (see src/status/registry.ts). */
export const deviceCodeDomain = 3;

/** A device need's reference code for the parents, e.g. `K7QM-4XPA-9TR`. */
export function newReferenceCode(): string {
  return drawReferenceCode(deviceCodeDomain);
}
