import type { z } from 'zod';
import { ValidationError } from '../errors.ts';

/**
 * Parses request input with a zod schema; a failure becomes one ValidationError listing each
 * field and a stable code (the schema's message is a code such as `invalid_date`).
 */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> {
  const result = schema.safeParse(data ?? {});
  if (result.success) return result.data;
  const fields = result.error.issues.map((i) => ({
    field: i.path.join('.'),
    code: /^[a-z_]+$/.test(i.message) ? i.message : i.code,
  }));
  // A domain code given by the schema (e.g. base_period_reversed) says more than the generic one.
  const first = result.error.issues[0]?.message ?? '';
  const code = /^[a-z]+(_[a-z]+)+$/.test(first) ? first : 'invalid_input';
  throw new ValidationError(code, undefined, { fields });
}
