import { Types, type Model } from 'mongoose';
import { mapLimit } from '../../shared/concurrency.ts';
import { insertAll, updateAll } from '../../shared/bulkWrites.ts';
import { differs, outcomeOf, type ApplyContext, type Outcome } from './types.ts';

/** What a stored record needs for the outcome of a retried import. */
export type Stored = { _id: unknown; createdByImport?: string | null; changedByImport?: string | null };

/** One row's wish for one record: its natural key, the fields it sets, and the record to create. */
/**
 * What one row asks of its record: the fields it sets, a fresh record when there is none, and
 * `derived` fields recomputed from the record as the row leaves it, written only with a change.
 */
export type Plan = {
  key: string;
  wanted: Record<string, unknown>;
  fresh: () => Record<string, unknown>;
  derived?: (merged: Record<string, unknown>) => Record<string, unknown>;
};

/**
 * `written`: created, updated or unchanged. `locked`: the record exists and the row would change
 * it, but its state no longer allows a list to (nothing written). `foreign`: the key belongs to
 * another institution's record (nothing written).
 */
export type Saved = { kind: 'written'; outcome: Outcome; id: unknown } | { kind: 'locked'; outcome: Outcome } | { kind: 'foreign' };

export type BookRules<D> = {
  model: Model<any>;
  keyOf: (doc: D) => string;
  /** How to find one record by its key (an equality on indexed fields). */
  filterFor: (key: string) => Record<string, unknown>;
  /** False for a record of another institution: never touched. */
  owned?: (doc: D) => boolean;
  /** True when the record's state no longer lets a list change it. */
  locked?: (doc: D) => boolean;
  /**
   * Writes one record's changes itself instead of the batched update by `_id`: for records whose
   * state others change while the import runs (a guarded update). False when the record's state
   * no longer allows the change; the row then counts as locked and nothing is written.
   */
  update?: (doc: D, set: Record<string, unknown>) => Promise<boolean>;
  /** Told of the records an update changed (as they were loaded), e.g. to update copies kept elsewhere. */
  afterUpdate?: (changed: D[]) => Promise<void>;
};

type Update<D> = { _id: unknown; set: Record<string, unknown>; doc: D; at: number };

// Lookups one by one, a few at a time: the embedded FerretDB answers an indexed equality quickly
// but scans the whole collection for `$in`.
const lookupsInFlight = 8;

/**
 * The records one import works on, keyed by their natural key, written a batch at a time: new ones
 * in one unordered insert, changed ones by `_id`, unchanged ones not at all. It starts from what
 * the caller loaded (usually the institution's own records, one query per import) and looks up by
 * key only what it cannot know: on a preview, keys it has not seen; on apply, keys another record
 * already holds (the insert says so). Every write carries the import's id, so a retried batch
 * counts each record as it did the first time.
 */
export class RecordBook<D extends Stored> {
  private readonly loaded = new Map<string, D>();
  private readonly ctx: ApplyContext;
  private readonly rules: BookRules<D>;

  constructor(ctx: ApplyContext, rules: BookRules<D>, loaded: D[] = []) {
    this.ctx = ctx;
    this.rules = rules;
    for (const d of loaded) this.loaded.set(rules.keyOf(d), d);
  }

  async saveAll(plans: Plan[]): Promise<Array<Saved>> {
    const results = new Array<Saved>(plans.length);
    const updates: Array<Update<D>> = [];
    const unseen: number[] = [];
    plans.forEach((p, i) => {
      const doc = this.loaded.get(p.key);
      if (doc) results[i] = this.decide(doc, p, i, updates);
      else unseen.push(i);
    });

    if (this.ctx.dryRun) {
      const found = await mapLimit(unseen, lookupsInFlight, (i) => this.lookup(plans[i]!.key));
      unseen.forEach((i, k) => {
        const doc = found[k];
        results[i] = doc ? this.decide(doc, plans[i]!, i, updates) : { kind: 'written', outcome: 'created', id: null };
      });
      return results;
    }

    let pending = unseen;
    for (let attempt = 0; pending.length; attempt++) {
      const clashing = await this.insert(plans, pending, results);
      const found = await mapLimit(clashing, lookupsInFlight, (i) => this.lookup(plans[i]!.key));
      clashing.forEach((i, k) => {
        if (found[k]) results[i] = this.decide(found[k]!, plans[i]!, i, updates);
      });
      // No record under the natural key: another unique field clashed, a random one such as a
      // reference code, so those rows are inserted again with freshly drawn values.
      pending = clashing.filter((_, k) => !found[k]);
      if (pending.length && attempt >= 3) throw new Error(`unique key clash that a retry does not clear (${this.rules.model.modelName})`);
    }
    await this.update(updates, results);
    return results;
  }

  /** Inserts the new records of `rows` and returns the rows whose insert hit a unique key. */
  private async insert(plans: Plan[], rows: number[], results: Array<Saved>): Promise<number[]> {
    const fresh = rows.map((i) => ({ _id: new Types.ObjectId(), ...plans[i]!.fresh(), createdByImport: this.ctx.importId }));
    const clashes = await insertAll(this.rules.model, fresh);
    const clashing: number[] = [];
    rows.forEach((i, k) => {
      if (clashes.has(k)) return void clashing.push(i);
      // Not remembered: a key comes once per file (the reading pass rejects repeats), and the
      // book stays the size of what was loaded however long the file.
      results[i] = { kind: 'written', outcome: 'created', id: fresh[k]!._id };
    });
    return clashing;
  }

  private async update(updates: Array<Update<D>>, results: Array<Saved>): Promise<void> {
    const own = this.rules.update;
    let changed = updates;
    if (!own) await updateAll(this.rules.model, updates);
    else {
      const written = await mapLimit(updates, lookupsInFlight, (u) => own(u.doc, u.set));
      updates.forEach((u, k) => {
        if (!written[k]) results[u.at] = { kind: 'locked', outcome: outcomeOf(u.doc, this.ctx.importId, false) };
      });
      changed = updates.filter((_, k) => written[k]);
    }
    if (changed.length && this.rules.afterUpdate) await this.rules.afterUpdate(changed.map((u) => u.doc));
  }

  private async lookup(key: string): Promise<D | null> {
    return (await this.rules.model.findOne(this.rules.filterFor(key)).lean()) as D | null;
  }

  private decide(doc: D, plan: Plan, at: number, updates: Array<Update<D>>): Saved {
    if (this.rules.owned && !this.rules.owned(doc)) return { kind: 'foreign' };
    const changed = differs(doc as unknown as Record<string, unknown>, plan.wanted);
    if (changed && this.rules.locked?.(doc)) return { kind: 'locked', outcome: outcomeOf(doc, this.ctx.importId, false) };
    if (changed && !this.ctx.dryRun) {
      const derived = plan.derived?.({ ...(doc as unknown as Record<string, unknown>), ...plan.wanted }) ?? {};
      updates.push({ _id: doc._id, set: { ...plan.wanted, ...derived, changedByImport: this.ctx.importId }, doc, at });
    }
    return { kind: 'written', outcome: outcomeOf(doc, this.ctx.importId, changed), id: doc._id };
  }
}
