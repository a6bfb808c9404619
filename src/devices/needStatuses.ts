import type { Types } from 'mongoose';
import type { Redis } from 'ioredis';
import { PupilModel } from '../pupils/model.ts';
import { findByIds } from '../shared/byIds.ts';
import { mapLimit } from '../shared/concurrency.ts';
import { rigaToday } from '../shared/dates.ts';
import type { StatusStep } from '../status/registry.ts';
import { untouchedFrom } from './entryMending.ts';
import { DeviceNeedModel } from './model.ts';

/**
 * What the parents' status lookup reads of a device need: one small entry per need, kept in Redis
 * under its reference code. Read from the database, each lookup cost the embedded database a
 * query (decoding the whole need, with its history and contacts) and took about half the CPU of
 * a lookup under scripts/bench/status; a Redis read costs a small fraction of that, so the
 * lookups parents make by the thousand after a round of messages stay quick on a small machine.
 * An entry holds the answer's facts and nothing more: the first name, the steps and days, the
 * pickup or delivery day, the device type.
 *
 * The needs stay the truth, and Redis may lose the entries without harm:
 * - every change of a need writes its entry right after the need (needEntries.ts), so the code a
 *   message has just been sent about is there when the parent looks;
 * - a code without an entry (a list's new pupils until the next mending run, or after Redis lost
 *   its data) is answered from the need itself, and its entry written then;
 * - `rebuildNeedStatuses` (the worker's `need-entries` schedule, and each worker start) compares
 *   every entry with its need, adds missing ones, mends wrong ones and removes those of no need.
 * An entry can only be wrong after a process stopped between the two writes, or two changes of
 * one need landed in the other order: the parent sees the step before until the next run.
 * About 300 bytes per need: 50,000 needs take some 20 MB of Redis.
 */
let store: { redis: Redis; prefix: string } | null = null;

/**
 * Where this process keeps the entries: called by the API's and the worker's entry points at start
 * (not by buildApp: a process keeps them in one place, whatever apps it builds). A process that
 * never calls it (the demo seed, which runs before the worker starts) writes and reads none; the
 * worker's mending run on start writes what it left out.
 */
export function keepNeedStatusesIn(redis: Redis, prefix: string): void {
  store = { redis, prefix };
}

const keyPart = 'need-status';
const keyOf = (prefix: string, code: string) => `${prefix}:${keyPart}:${code}`;

/** The facts a parent's answer is made of. */
export type NeedStatusFacts = {
  referenceCode: string;
  firstName: string;
  institution: string;
  status: string;
  steps: StatusStep[];
  deviceType: string;
  deliveryMethod: string | null;
  pickupFrom: string | null;
  pickupHours: string | null;
  deliveryDay: string | null;
};

/** The fields of a need its entry is made from. */
export const needStatusFields = { referenceCode: 1, firstName: 1, pupil: 1, institution: 1, status: 1, history: 1, deviceType: 1, deliveryMethod: 1, pickup: 1, delivery: 1 } as const;
export type NeedForStatus = {
  _id: Types.ObjectId;
  referenceCode: string;
  firstName?: string | null;
  pupil: Types.ObjectId;
  institution: Types.ObjectId;
  status?: string | null;
  history?: Array<{ status: string; at: Date }> | null;
  deviceType: string;
  deliveryMethod?: string | null;
  pickup?: { from?: string | null; hours?: string | null } | null;
  delivery?: { day?: string | null } | null;
};

/** The steps a parent sees: each status with its day in Riga; a status recorded again (a list uploaded twice) shows once. */
export function statusSteps(history: NeedForStatus['history']): StatusStep[] {
  const steps: StatusStep[] = [];
  for (const h of history ?? []) {
    if (steps.at(-1)?.status === h.status) continue;
    steps.push({ status: h.status, date: rigaToday(h.at) });
  }
  return steps;
}

/** The facts of a need, with the first name as resolved by `firstNamesOf`. */
export function statusFactsOf(need: NeedForStatus, firstName: string): NeedStatusFacts {
  return {
    referenceCode: need.referenceCode,
    firstName,
    institution: String(need.institution),
    status: need.status ?? 'registered',
    steps: statusSteps(need.history),
    deviceType: need.deviceType,
    deliveryMethod: need.deliveryMethod ?? null,
    pickupFrom: need.pickup?.from ?? null,
    pickupHours: need.pickup?.hours ?? null,
    deliveryDay: need.delivery?.day ?? null,
  };
}

/** Each need's copy of the first name; the pupil's record for a need written before the copy existed. */
async function firstNamesOf(needs: NeedForStatus[]): Promise<Map<string, string>> {
  const names = new Map(needs.map((n) => [String(n._id), n.firstName ?? '']));
  const without = needs.filter((n) => !n.firstName);
  if (without.length) {
    const pupils = new Map(
      (await findByIds<{ _id: Types.ObjectId; firstName: string }>(PupilModel, without.map((n) => n.pupil), { firstName: 1 })).map((p) => [String(p._id), p.firstName]),
    );
    for (const n of without) names.set(String(n._id), pupils.get(String(n.pupil)) ?? '');
  }
  return names;
}

/** The facts of one need, read from the need itself (for a need whose entry is not written yet). */
export async function needStatusFacts(need: NeedForStatus): Promise<NeedStatusFacts> {
  return statusFactsOf(need, (await firstNamesOf([need])).get(String(need._id)) ?? '');
}

/** An entry as stored: the facts and when they were written (ms), for the mending run's rule. */
type Stored = NeedStatusFacts & { syncedAt: number };

/**
 * Writes the entry of a need just written (its state as that write left it), or only when there
 * is none (`fill`: a lookup's answer from the need, which must not overwrite a change's newer one).
 */
export async function syncNeedStatus(need: NeedForStatus, now = new Date(), mode: 'write' | 'fill' = 'write'): Promise<NeedStatusFacts> {
  const facts = await needStatusFacts(need);
  if (!store) return facts;
  const { redis, prefix } = store;
  const value = JSON.stringify({ ...facts, syncedAt: now.getTime() } satisfies Stored);
  if (mode === 'fill') await redis.set(keyOf(prefix, facts.referenceCode), value, 'NX');
  else await redis.set(keyOf(prefix, facts.referenceCode), value);
  return facts;
}

/** The entry for a reference code (as stored, grouped), or null when there is none. */
export async function readNeedStatus(code: string): Promise<NeedStatusFacts | null> {
  if (!store) return null;
  const { redis, prefix } = store;
  const value = await redis.get(keyOf(prefix, code));
  return value ? (JSON.parse(value) as Stored) : null;
}

/** A comparable form of the facts: two entries say the same when these are equal. */
const factsKey = (f: NeedStatusFacts) =>
  JSON.stringify([f.referenceCode, f.firstName, f.institution, f.status, f.steps.map((s) => [s.status, s.date]), f.deviceType, f.deliveryMethod, f.pickupFrom, f.pickupHours, f.deliveryDay]);

/**
 * Replaces an entry only while it is still exactly what the caller read (an empty new value
 * deletes it): a change that wrote the entry meanwhile is newer, and stays.
 */
const replaceIfUnchanged = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2]) end
return 1`;

const batchSize = 1000;

/**
 * Compares every entry with its need and mends those that differ: missing ones are added, wrong
 * ones rewritten, ones whose code no need has removed. The needs are read in batches, so a city's
 * needs never sit in memory at once. An entry written after this run began is newer than what it
 * read and is left alone, and each mend applies only while the entry is as it was read.
 */
export async function rebuildNeedStatuses(now = new Date()): Promise<{ added: number; changed: number; removed: number }> {
  if (!store) throw new Error('rebuildNeedStatuses: keepNeedStatusesIn was not called in this process');
  const { redis, prefix } = store;
  const newerThan = untouchedFrom(now);
  const value = (facts: NeedStatusFacts) => JSON.stringify({ ...facts, syncedAt: now.getTime() } satisfies Stored);
  const replace = (key: string, was: string, next: string) => redis.eval(replaceIfUnchanged, 1, key, was, next) as Promise<number>;
  const counts = { added: 0, changed: 0, removed: 0 };
  // Every code an entry is kept for; what is left once the needs are read has no need.
  const unseen = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', keyOf(prefix, '*'), 'COUNT', 1000);
    cursor = next;
    for (const key of keys) unseen.add(key);
  } while (cursor !== '0');

  const mendBatch = async (needs: NeedForStatus[]) => {
    if (!needs.length) return;
    const names = await firstNamesOf(needs);
    const keys = needs.map((n) => keyOf(prefix, n.referenceCode));
    const stored = await redis.mget(...keys);
    const writes = needs.map(async (need, i) => {
      const key = keys[i]!;
      unseen.delete(key);
      const facts = statusFactsOf(need, names.get(String(need._id)) ?? '');
      const was = stored[i];
      if (was === null || was === undefined) {
        // One written meanwhile by a change is newer than what this run read, and stays.
        if ((await redis.set(key, value(facts), 'NX')) === 'OK') counts.added += 1;
        return;
      }
      const entry = JSON.parse(was) as Stored;
      if (entry.syncedAt >= newerThan || factsKey(entry) === factsKey(facts)) return;
      counts.changed += await replace(key, was, value(facts));
    });
    await Promise.all(writes);
  };
  let batch: NeedForStatus[] = [];
  for await (const need of DeviceNeedModel.collection.find<NeedForStatus>({}, { projection: needStatusFields, batchSize })) {
    batch.push(need);
    if (batch.length === batchSize) {
      await mendBatch(batch);
      batch = [];
    }
  }
  await mendBatch(batch);
  await mapLimit([...unseen], 16, async (key) => {
    const was = await redis.get(key);
    if (was === null || (JSON.parse(was) as Stored).syncedAt >= newerThan) return;
    counts.removed += await replace(key, was, '');
  });
  return counts;
}
