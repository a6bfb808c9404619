import type { Model } from 'mongoose';
import { mapLimit } from './concurrency.ts';

/**
 * Loads documents by id, one lookup per id, a few at a time. `{_id: {$in: ids}}` would be one
 * query, but the embedded FerretDB answers `$in` by reading the whole collection (its PostgreSQL
 * pushdown covers plain equality only): about a second per query on 10,000 messages, where a
 * lookup by one id takes a couple of milliseconds. Missing ids are left out; order follows `ids`.
 */
export async function findByIds<T>(model: Model<any>, ids: readonly unknown[], projection?: Record<string, 0 | 1>, concurrency = 16): Promise<T[]> {
  const unique = [...new Map(ids.map((id) => [String(id), id])).values()];
  const found = await mapLimit(unique, concurrency, (id) => model.findOne({ _id: id }, projection).lean() as Promise<T | null>);
  return found.filter((d): d is Awaited<T> & T => d !== null);
}
