import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { z } from 'zod';
import { actorTag, type Actor } from '../auth/actor.ts';
import { recordAudit } from '../audit/service.ts';
import { Conflict, NotFound } from '../errors.ts';
import { InstitutionModel } from '../institutions/model.ts';
import { PupilModel } from '../pupils/model.ts';
import { insertAll } from '../shared/bulkWrites.ts';
import { guardedUpdate } from '../shared/claims.ts';
import { FoodCardBatchModel, FoodCardModel, type FoodCardBatch } from './cardModel.ts';
import { EntitlementModel } from './model.ts';
import { findPeriod } from './periodService.ts';
import { newFoodCardCode } from './referenceCode.ts';

/** The share of pupils (in percent) a batch may change against the previous one before it waits for confirmation. */
export const defaultGuardPercent = 10;

export const BatchInputSchema = z.object({
  guardPercent: z.coerce.number().min(0, 'invalid_guard_percent').max(100, 'invalid_guard_percent').default(defaultGuardPercent),
});

type Line = { pupil: string; institution: string; kind: 'card' | 'topup'; card: string | null; cents: number };
type Change = { pupil: string; institution: string; kind: 'added' | 'removed' | 'changed'; previousCents: number; cents: number };
export type Plan = { lines: Line[]; changes: Change[]; decreases: Change[]; compared: number; fingerprint: string };

/** What the period's confirmed batches issued per pupil: the card and the cents on it (card plus top-ups). */
export async function issuedByPupil(period: Types.ObjectId, scope: Record<string, unknown> = {}) {
  const rows = await FoodCardModel.find({ period, ...scope }, { pupil: 1, institution: 1, kind: 1, card: 1, cents: 1 }).lean();
  const by = new Map<string, { card: string | null; institution: string; cents: number }>();
  for (const r of rows) {
    const key = String(r.pupil);
    const t = by.get(key) ?? { card: null, institution: String(r.institution), cents: 0 };
    if (r.kind === 'card') t.card = String(r._id);
    t.cents += r.cents;
    by.set(key, t);
  }
  return by;
}

/**
 * What a new batch of the period would hold: a card for each pupil with an amount and no card yet,
 * a top-up for the positive difference where the amount grew since it was issued. An amount that
 * went down is listed (a note for the record), never taken off a card. The changes against what
 * was issued (pupils added, removed, or with another amount) feed the guard.
 */
export async function planBatch(period: Types.ObjectId): Promise<Plan> {
  const [entitlements, issued] = await Promise.all([
    EntitlementModel.find({ period, cents: { $gt: 0 } }, { pupil: 1, institution: 1, cents: 1 }).lean(),
    issuedByPupil(period),
  ]);
  const lines: Line[] = [];
  const changes: Change[] = [];
  const decreases: Change[] = [];
  const seen = new Set<string>();
  for (const e of entitlements) {
    const pupil = String(e.pupil);
    const institution = String(e.institution);
    seen.add(pupil);
    const before = issued.get(pupil);
    if (!before) {
      lines.push({ pupil, institution, kind: 'card', card: null, cents: e.cents });
      changes.push({ pupil, institution, kind: 'added', previousCents: 0, cents: e.cents });
    } else if (e.cents !== before.cents) {
      const change: Change = { pupil, institution, kind: 'changed', previousCents: before.cents, cents: e.cents };
      changes.push(change);
      if (e.cents > before.cents) lines.push({ pupil, institution, kind: 'topup', card: before.card, cents: e.cents - before.cents });
      else decreases.push(change);
    }
  }
  for (const [pupil, before] of issued) {
    if (seen.has(pupil) || before.cents === 0) continue;
    const change: Change = { pupil, institution: before.institution, kind: 'removed', previousCents: before.cents, cents: 0 };
    changes.push(change);
    decreases.push(change);
  }
  const order = (a: { pupil: string }, b: { pupil: string }) => a.pupil.localeCompare(b.pupil);
  lines.sort(order);
  changes.sort(order);
  const fingerprint = createHash('sha256')
    .update(lines.map((l) => `${l.pupil}:${l.kind}:${l.cents}`).join('\n'))
    .digest('hex');
  return { lines, changes, decreases, compared: issued.size, fingerprint };
}

type BatchDoc = FoodCardBatch & { _id: Types.ObjectId; version?: number };

/**
 * Makes the period's next batch. Refused while the period has no calendar. When the plan holds
 * nothing (same amounts as issued) no batch is made and the answer says so; the same plan as a
 * batch still waiting for confirmation answers with that batch. A first batch is final at once;
 * a later one that changes more than `guardPercent` of the pupils issued so far waits for
 * confirmation, listing the changes. Only a final batch writes cards.
 */
export async function createBatch(actor: Actor, periodId: string, input: z.infer<typeof BatchInputSchema>, ip: string | null) {
  const period = await findPeriod(periodId);
  if (!period.calendar?.setAt) throw new Conflict('period_without_calendar');
  // The latest batch is read before the plan: a batch made meanwhile then takes the same number
  // and one of the two is refused, and a batch whose cards are still being written holds others back.
  const last = (await FoodCardBatchModel.findOne({ period: period._id }).sort({ seq: -1 }).lean()) as unknown as BatchDoc | null;
  const unwritten = await FoodCardBatchModel.exists({ period: period._id, status: 'confirmed', written: { $ne: true } });
  if (unwritten) throw new Conflict('batch_in_progress');
  const plan = await planBatch(period._id);
  const pending = (await FoodCardBatchModel.findOne({ period: period._id, status: 'awaiting_confirmation' }).lean()) as unknown as BatchDoc | null;
  if (pending && pending.fingerprint === plan.fingerprint) return { created: false, reason: 'awaiting_confirmation', batch: await presentBatch(pending) };
  if (!plan.lines.length) {
    if (pending) await guardedUpdate(FoodCardBatchModel, pending._id, ['awaiting_confirmation'], {}, { $set: { status: 'superseded' } });
    return { created: false, reason: 'nothing_changed', batch: last && last.status !== 'awaiting_confirmation' ? await presentBatch(last) : null, decreases: await presentChanges(plan.decreases) };
  }
  const first = plan.compared === 0;
  const changedShare = first ? 0 : (plan.changes.length * 100) / plan.compared;
  const waits = !first && changedShare > input.guardPercent;
  if (pending) {
    const superseded = await guardedUpdate(FoodCardBatchModel, pending._id, ['awaiting_confirmation'], {}, { $set: { status: 'superseded' } });
    if (!superseded) throw new Conflict('batch_in_progress');
  }
  let batch: BatchDoc;
  try {
    batch = (
      await FoodCardBatchModel.create({
        period: period._id,
        seq: (last?.seq ?? 0) + 1,
        status: waits ? 'awaiting_confirmation' : 'confirmed',
        fingerprint: plan.fingerprint,
        cards: plan.lines.filter((l) => l.kind === 'card').length,
        topUps: plan.lines.filter((l) => l.kind === 'topup').length,
        cents: plan.lines.reduce((s, l) => s + l.cents, 0),
        changes: first ? [] : plan.changes,
        changedPupils: first ? 0 : plan.changes.length,
        comparedPupils: plan.compared,
        guardPercent: input.guardPercent,
        createdBy: actorTag(actor),
        confirmedBy: waits ? null : actorTag(actor),
        confirmedAt: waits ? null : new Date(),
      })
    ).toObject() as BatchDoc;
  } catch (err) {
    // Another batch of this period was made at the same moment: that one stands.
    if ((err as { code?: number }).code === 11000) throw new Conflict('batch_in_progress');
    throw err;
  }
  if (!waits) await writeCards(batch, plan.lines);
  await recordAudit({
    actor,
    action: waits ? 'food_batch.awaiting_confirmation' : 'food_batch.create',
    target: { type: 'foodCardBatch', id: String(batch._id), label: `${period.name} #${batch.seq}` },
    ip,
    details: { cards: batch.cards, topUps: batch.topUps, cents: batch.cents, changedPupils: batch.changedPupils, comparedPupils: batch.comparedPupils },
  });
  return { created: true, batch: await presentBatch(batch) };
}

/**
 * Makes a waiting batch final: the amounts must still give the same plan (else `batch_outdated`
 * and nothing changes: make a new batch), then its cards are written.
 */
export async function confirmBatch(actor: Actor, batchId: string, ip: string | null) {
  const batch = await findBatch(batchId);
  if (batch.status !== 'awaiting_confirmation') throw new Conflict('batch_not_awaiting_confirmation', undefined, { status: batch.status });
  const plan = await planBatch(batch.period);
  if (plan.fingerprint !== batch.fingerprint) throw new Conflict('batch_outdated');
  const confirmed = await guardedUpdate<BatchDoc>(FoodCardBatchModel, batch._id, ['awaiting_confirmation'], { fingerprint: batch.fingerprint }, { $set: { status: 'confirmed', confirmedBy: actorTag(actor), confirmedAt: new Date() } });
  if (!confirmed) throw new Conflict('batch_not_awaiting_confirmation');
  await writeCards(confirmed, plan.lines);
  await recordAudit({ actor, action: 'food_batch.confirm', target: { type: 'foodCardBatch', id: batchId, label: `#${batch.seq}` }, ip, details: { cards: batch.cards, topUps: batch.topUps, cents: batch.cents, changedPupils: batch.changedPupils } });
  return presentBatch(confirmed);
}

/** The batch's lines as cards: each new card with its parents' code and the pupil's first name. */
async function writeCards(batch: BatchDoc, lines: Line[]) {
  const names = new Map((await PupilModel.find({ _id: { $in: lines.map((l) => new Types.ObjectId(l.pupil)) } }, { firstName: 1 }).lean()).map((p) => [String(p._id), p.firstName]));
  const now = new Date();
  await insertAll(
    FoodCardModel,
    lines.map((l) => ({
      batch: batch._id,
      period: batch.period,
      pupil: new Types.ObjectId(l.pupil),
      institution: new Types.ObjectId(l.institution),
      kind: l.kind,
      card: l.card ? new Types.ObjectId(l.card) : null,
      cents: l.cents,
      status: 'issued',
      number: null,
      referenceCode: l.kind === 'card' ? newFoodCardCode() : null,
      firstName: names.get(l.pupil) ?? '',
      history: [{ status: 'issued', at: now, by: batch.confirmedBy ?? null }],
    })),
  );
  await FoodCardBatchModel.updateOne({ _id: batch._id }, { $set: { written: true } });
}

export async function findBatch(id: string): Promise<BatchDoc> {
  if (!Types.ObjectId.isValid(id)) throw new NotFound('batch_not_found');
  const b = (await FoodCardBatchModel.findById(id).lean()) as unknown as BatchDoc | null;
  if (!b) throw new NotFound('batch_not_found');
  return b;
}

/** The changes with each pupil's name and class and the institution's code (no personal codes). */
async function presentChanges(changes: ReadonlyArray<{ pupil: unknown; institution: unknown; kind: string; previousCents: number; cents: number }>) {
  if (!changes.length) return [];
  const [pupils, insts] = await Promise.all([
    PupilModel.find({ _id: { $in: changes.map((c) => c.pupil) } }, { firstName: 1, lastName: 1, class: 1 }).lean(),
    InstitutionModel.find({ _id: { $in: [...new Set(changes.map((c) => String(c.institution)))] } }, { code: 1 }).lean(),
  ]);
  const p = new Map(pupils.map((x) => [String(x._id), x]));
  const i = new Map(insts.map((x) => [String(x._id), x.code]));
  return changes.map((c) => {
    const pupil = p.get(String(c.pupil));
    return {
      pupil: String(c.pupil),
      institution: i.get(String(c.institution)) ?? null,
      firstName: pupil?.firstName ?? '',
      lastName: pupil?.lastName ?? '',
      class: pupil?.class ?? '',
      kind: c.kind,
      previousCents: c.previousCents,
      cents: c.cents,
      differenceCents: c.cents - c.previousCents,
    };
  });
}

/** A batch as the API shows it; with its changes and, for a final batch, its cards per institution. */
export async function presentBatch(b: BatchDoc) {
  const perInstitution = b.status === 'confirmed' ? await batchPerInstitution(b._id) : [];
  return {
    id: String(b._id),
    period: String(b.period),
    seq: b.seq,
    status: b.status,
    cards: b.cards,
    topUps: b.topUps,
    cents: b.cents,
    changedPupils: b.changedPupils,
    comparedPupils: b.comparedPupils,
    changedPercent: b.comparedPupils ? Math.round((b.changedPupils * 1000) / b.comparedPupils) / 10 : 0,
    guardPercent: b.guardPercent,
    changes: await presentChanges(b.changes ?? []),
    institutions: perInstitution,
    createdBy: b.createdBy,
    confirmedBy: b.confirmedBy,
    confirmedAt: b.confirmedAt,
  };
}

/** A final batch's cards and top-ups per institution (count and cents), ordered by institution code. */
export async function batchPerInstitution(batch: Types.ObjectId) {
  const rows = await FoodCardModel.find({ batch }, { institution: 1, kind: 1, cents: 1 }).lean();
  const by = new Map<string, { cards: number; cardCents: number; topUps: number; topUpCents: number }>();
  for (const r of rows) {
    const key = String(r.institution);
    const t = by.get(key) ?? { cards: 0, cardCents: 0, topUps: 0, topUpCents: 0 };
    if (r.kind === 'card') {
      t.cards += 1;
      t.cardCents += r.cents;
    } else {
      t.topUps += 1;
      t.topUpCents += r.cents;
    }
    by.set(key, t);
  }
  const insts = new Map((await InstitutionModel.find({ _id: { $in: [...by.keys()] } }, { code: 1, name: 1 }).lean()).map((i) => [String(i._id), i]));
  return [...by.entries()]
    .map(([id, t]) => ({ institution: insts.get(id)?.code ?? null, name: insts.get(id)?.name ?? '', ...t, cents: t.cardCents + t.topUpCents }))
    .sort((a, b) => String(a.institution).localeCompare(String(b.institution)));
}

/** The period's batches, latest first. */
export async function listBatches(periodId: string) {
  const period = await findPeriod(periodId);
  const rows = (await FoodCardBatchModel.find({ period: period._id }, { changes: 0 }).sort({ seq: -1 }).lean()) as unknown as BatchDoc[];
  return rows.map((b) => ({ id: String(b._id), seq: b.seq, status: b.status, cards: b.cards, topUps: b.topUps, cents: b.cents, changedPupils: b.changedPupils, comparedPupils: b.comparedPupils, createdAt: (b as { createdAt?: Date }).createdAt ?? null }));
}
