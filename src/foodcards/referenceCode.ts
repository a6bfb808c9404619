import { newReferenceCode } from '../status/referenceCodes.ts';

/** The reference-code domain of food cards (see src/status/registry.ts). */
export const foodCardCodeDomain = 1;

/** A food card's reference code for the parents, e.g. `F7KD-3MWA-8HT`. */
export function newFoodCardCode(): string {
  return newReferenceCode(foodCardCodeDomain);
}
