import type { z } from 'zod';
import { Dropped, type RowContext } from './fieldSchemas.ts';
import type { KindSpec, ParsedRow, RowIssue, RowSchema, Settled } from './types.ts';

/**
 * A parser for the rows of one file: the kind's zod schema is built once for the file's date
 * system, then each row's cells go through it. Errors name their field and carry the stable code
 * the field schema failed with; present but invalid optional values become warnings, also on a
 * rejected row, so the report lists everything that needs fixing at once.
 */
export function rowParser<T, S extends RowSchema>(spec: KindSpec<T, S>, ctx: RowContext): (cells: Record<string, unknown>) => ParsedRow<T> {
  const schema = spec.schema(ctx);
  const keys = Object.keys(schema.shape);
  return (cells) => {
    // Columns the file lacks read as empty cells, so optional fields are simply null.
    const input: Record<string, unknown> = {};
    for (const key of keys) input[key] = cells[key] ?? null;
    const warnings: RowIssue[] = [];
    const result = schema.safeParse(input);
    if (!result.success) {
      const errors: RowIssue[] = [];
      const failed = new Set<string>();
      for (const issue of result.error.issues) {
        const field = typeof issue.path[0] === 'string' ? issue.path[0] : null;
        if (field !== null && failed.has(field)) continue;
        if (field !== null) failed.add(field);
        errors.push({ field, code: issue.code === 'custom' ? issue.message : 'invalid' });
      }
      // Optional fields never fail, so their warnings can still be had one field at a time.
      for (const key of keys) {
        if (failed.has(key)) continue;
        const one = (schema.shape[key] as z.ZodType).safeParse(input[key]);
        if (one.success && one.data instanceof Dropped) warnings.push({ field: key, code: one.data.code });
      }
      return { ok: false, errors, warnings };
    }
    const values: Record<string, unknown> = { ...result.data };
    for (const [key, value] of Object.entries(values)) {
      if (value instanceof Dropped) {
        warnings.push({ field: key, code: value.code });
        // What the field could still keep (the first of two phones in one cell), else nothing.
        values[key] = value.kept;
      }
    }
    const built = spec.build(values as Settled<z.output<S>>, (field, code) => warnings.push({ field, code }));
    return { ok: true, ...built, warnings };
  };
}
