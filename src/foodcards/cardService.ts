import { Types } from 'mongoose';
import { z } from 'zod';
import { actorTag, type Actor, type AnyActor } from '../auth/actor.ts';
import { findInstitutionFor, scopeFilter } from '../auth/scope.ts';
import { recordAudit } from '../audit/service.ts';
import { relations } from '../pupils/relations.ts';
import { Conflict, NotFound, ValidationError } from '../errors.ts';
import { recordEvents } from '../events/service.ts';
import { calendarDay } from '../http/fields.ts';
import { InstitutionModel } from '../institutions/model.ts';
import { PupilModel } from '../pupils/model.ts';
import { guardedUpdate } from '../shared/claims.ts';
import { rigaToday } from '../shared/dates.ts';
import { findBatch } from './batchService.ts';
import { FoodCardModel, FoodCardNumberModel, type FoodCard, type FoodCardStatus } from './cardModel.ts';
import { EntitlementModel } from './model.ts';
import { findPeriod } from './periodService.ts';

type CardDoc = FoodCard & { _id: Types.ObjectId; version?: number; createdAt?: Date };

const objectId = (code: string) => z.string().trim().refine((s) => Types.ObjectId.isValid(s), code);

export const CardNumbersSchema = z.object({
  items: z
    .array(
      z
        .object({
          card: objectId('card_not_found').optional(),
          pupil: objectId('card_not_found').optional(),
          number: z.string().trim().regex(/^[0-9A-Za-z-]{4,40}$/, 'invalid_card_number').transform((s) => s.toUpperCase()),
        })
        .refine((i) => !!i.card !== !!i.pupil, { message: 'card_or_pupil_required' }),
    )
    .min(1, 'card_numbers_required')
    .max(5000),
});

export const LoadedSchema = z.object({
  cards: z.array(objectId('card_not_found')).max(5000).optional(),
  readyFrom: calendarDay().optional(),
});

export const CardHandoverSchema = z.object({
  collectedBy: z.string().trim().min(1, 'card_collector_required').max(200),
  relation: z.enum(relations),
  date: calendarDay().optional(),
});

export const CardListQuerySchema = z.object({
  period: objectId('period_not_found').optional(),
  batch: objectId('batch_not_found').optional(),
  institution: z.string().trim().max(40).optional(),
  status: z.enum(['issued', 'loaded', 'collected']).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});

const step = (to: FoodCardStatus, actor: AnyActor, set: Record<string, unknown>) => ({
  $set: { status: to, ...set },
  $push: { history: { status: to, at: new Date(), by: actorTag(actor) } },
});

/** Moves a card (or top-up) from one of `from` to `to`; null when it is no longer in one of those states. */
export function moveCard(id: Types.ObjectId, from: readonly FoodCardStatus[], to: FoodCardStatus, actor: AnyActor, set: Record<string, unknown> = {}, guard: Record<string, unknown> = {}) {
  return guardedUpdate<CardDoc>(FoodCardModel, id, from, guard, step(to, actor, set));
}

/**
 * Assigns the supplier's card numbers to a batch's cards, each given by card id or pupil id. All
 * items are checked before anything is written: an unknown card, a top-up, a card that already
 * has another number, or a number used before (or twice in the list) refuses the whole list with
 * nothing changed. Each number is reserved under a unique index first, so two lists typed at once
 * cannot give one number to two cards; if the reservation fails part-way, what this list reserved
 * is released again.
 */
export async function assignNumbers(actor: Actor, batchId: string, input: z.infer<typeof CardNumbersSchema>, ip: string | null) {
  const batch = await findBatch(batchId);
  if (batch.status !== 'confirmed') throw new Conflict('batch_not_confirmed', undefined, { status: batch.status });
  const cards = (await FoodCardModel.find({ batch: batch._id, kind: 'card' }, { pupil: 1, number: 1, status: 1, institution: 1 }).lean()) as unknown as CardDoc[];
  const byId = new Map(cards.map((c) => [String(c._id), c]));
  const byPupil = new Map(cards.map((c) => [String(c.pupil), c]));
  const wanted: Array<{ card: CardDoc; number: string }> = [];
  const missing: string[] = [];
  for (const item of input.items) {
    const card = item.card ? byId.get(item.card) : byPupil.get(item.pupil!);
    if (!card) missing.push(item.card ?? item.pupil!);
    else wanted.push({ card, number: item.number });
  }
  if (missing.length) throw new NotFound('card_not_found');
  const seenNumbers = new Map<string, string>();
  const seenCards = new Set<string>();
  const repeated: string[] = [];
  for (const w of wanted) {
    const other = seenNumbers.get(w.number);
    if (other && other !== String(w.card._id)) repeated.push(w.number);
    seenNumbers.set(w.number, String(w.card._id));
    if (seenCards.has(String(w.card._id))) throw new ValidationError('card_listed_twice', undefined, { card: String(w.card._id) });
    seenCards.add(String(w.card._id));
  }
  if (repeated.length) throw new Conflict('card_number_used', undefined, { numbers: [...new Set(repeated)] });
  const renumbered = wanted.find((w) => w.card.number && w.card.number !== w.number);
  if (renumbered) throw new Conflict('card_has_number', undefined, { card: String(renumbered.card._id), number: renumbered.card.number });
  const todo = wanted.filter((w) => w.card.number !== w.number);
  const used = await FoodCardNumberModel.find({ number: { $in: todo.map((w) => w.number) } }, { number: 1 }).lean();
  if (used.length) throw new Conflict('card_number_used', undefined, { numbers: used.map((u) => u.number) });

  const reserved: string[] = [];
  try {
    for (const w of todo) {
      await FoodCardNumberModel.create({ number: w.number, card: w.card._id });
      reserved.push(w.number);
    }
  } catch (err) {
    await FoodCardNumberModel.deleteMany({ number: { $in: reserved } });
    if ((err as { code?: number }).code === 11000) throw new Conflict('card_number_used');
    throw err;
  }
  const failed: string[] = [];
  for (const w of todo) {
    const done = await guardedUpdate(FoodCardModel, w.card._id, null, { number: null }, { $set: { number: w.number } });
    if (!done) {
      failed.push(String(w.card._id));
      await FoodCardNumberModel.deleteOne({ number: w.number, card: w.card._id });
    }
  }
  await recordAudit({ actor, action: 'food_card.numbers', target: { type: 'foodCardBatch', id: batchId, label: `#${batch.seq}` }, ip, details: { assigned: todo.length - failed.length, unchanged: wanted.length - todo.length, failed: failed.length } });
  if (failed.length) throw new Conflict('card_has_number', undefined, { cards: failed });
  return { assigned: todo.length, unchanged: wanted.length - todo.length };
}

/**
 * Marks a batch's cards and top-ups loaded (the listed ones, else every one still issued), ready
 * at school from `readyFrom` (today unless given). A card without its number cannot be loaded,
 * nor a top-up whose card has none; one listed that is not issued any more is left as it is. Each
 * new card loaded records `foodcard.ready` for the parents' notification.
 */
export async function markLoaded(actor: Actor, batchId: string, input: z.infer<typeof LoadedSchema>, ip: string | null) {
  const batch = await findBatch(batchId);
  if (batch.status !== 'confirmed') throw new Conflict('batch_not_confirmed', undefined, { status: batch.status });
  const filter: Record<string, unknown> = { batch: batch._id };
  if (input.cards) filter._id = { $in: input.cards.map((c) => new Types.ObjectId(c)) };
  const lines = (await FoodCardModel.find(filter).lean()) as unknown as CardDoc[];
  if (input.cards && lines.length !== new Set(input.cards).size) throw new NotFound('card_not_found');
  const issued = lines.filter((l) => l.status === 'issued');
  const baseIds = issued.filter((l) => l.kind === 'topup' && l.card).map((l) => l.card!);
  const bases = new Map((await FoodCardModel.find({ _id: { $in: baseIds } }, { number: 1 }).lean()).map((c) => [String(c._id), c.number]));
  const withoutNumber = issued.filter((l) => (l.kind === 'card' ? !l.number : !bases.get(String(l.card))));
  if (withoutNumber.length) throw new Conflict('card_without_number', undefined, { cards: withoutNumber.map((l) => String(l._id)) });
  const readyFrom = input.readyFrom ?? rigaToday();
  const loaded: CardDoc[] = [];
  for (const l of issued) {
    const done = await moveCard(l._id, ['issued'], 'loaded', actor, { loaded: { at: new Date(), by: actorTag(actor), readyFrom } });
    if (done) loaded.push(done);
  }
  await recordEvents(
    loaded
      .filter((c) => c.kind === 'card')
      .map((c) => ({ type: 'foodcard.ready', key: `foodcard.ready:${String(c._id)}`, subject: { kind: 'foodCard', id: c._id }, institution: c.institution, pupil: c.pupil, data: { readyFrom } })),
  );
  await recordAudit({ actor, action: 'food_card.loaded', target: { type: 'foodCardBatch', id: batchId, label: `#${batch.seq}` }, ip, details: { loaded: loaded.length, readyFrom } });
  return { loaded: loaded.length, unchanged: lines.length - loaded.length, readyFrom };
}

/** A card (not a top-up) within the actor's scope; 404 for another institution's. */
export async function findCardFor(actor: Actor, id: string): Promise<CardDoc> {
  if (!Types.ObjectId.isValid(id)) throw new NotFound('card_not_found');
  const card = (await FoodCardModel.findOne({ _id: id, kind: 'card', ...scopeFilter(actor) }).lean()) as unknown as CardDoc | null;
  if (!card) throw new NotFound('card_not_found');
  return card;
}

/** The principal (or coordinator) records who collected a loaded card at school. */
export async function recordCardHandover(actor: Actor, id: string, input: z.infer<typeof CardHandoverSchema>, ip: string | null) {
  const card = await findCardFor(actor, id);
  if (card.status === 'issued') throw new Conflict('card_not_loaded');
  if (card.status === 'collected') throw new Conflict('card_already_collected');
  const date = input.date ?? rigaToday();
  const handover = { collectedBy: input.collectedBy, relation: input.relation, date, recordedBy: actorTag(actor) };
  const done = await moveCard(card._id, ['loaded'], 'collected', actor, { handover });
  if (!done) throw new Conflict('card_not_loaded');
  await recordEvents([{ type: 'foodcard.collected', key: `foodcard.collected:${id}`, subject: { kind: 'foodCard', id: card._id }, institution: card.institution, pupil: card.pupil, data: { date } }]);
  const inst = await InstitutionModel.findById(card.institution, { code: 1 }).lean();
  await recordAudit({ actor, action: 'food_card.handover', target: { type: 'foodCard', id, label: card.number }, institution: inst?.code ?? null, pupil: String(card.pupil), ip, details: { relation: input.relation, date } });
  return presentCards([done]).then((r) => r[0]!);
}

/**
 * The cards as the API shows them: pupil's name and class, institution code, number, status,
 * loading and hand-over, the top-ups on the card, and the difference between the stored amount
 * and what was issued with what to do about it: `top_up` when the amount grew, `note_decrease`
 * when it went down (nothing is taken off a card).
 */
export async function presentCards(cards: CardDoc[]) {
  if (!cards.length) return [];
  const ids = cards.map((c) => c._id);
  const [pupils, insts, topUps, entitlements] = await Promise.all([
    PupilModel.find({ _id: { $in: cards.map((c) => c.pupil) } }, { firstName: 1, lastName: 1, class: 1 }).lean(),
    InstitutionModel.find({ _id: { $in: [...new Set(cards.map((c) => String(c.institution)))] } }, { code: 1, name: 1 }).lean(),
    FoodCardModel.find({ card: { $in: ids }, kind: 'topup' }, { card: 1, cents: 1, status: 1, batch: 1 }).lean(),
    EntitlementModel.find({ pupil: { $in: cards.map((c) => c.pupil) }, period: { $in: [...new Set(cards.map((c) => String(c.period)))] } }, { pupil: 1, period: 1, cents: 1 }).lean(),
  ]);
  const p = new Map(pupils.map((x) => [String(x._id), x]));
  const i = new Map(insts.map((x) => [String(x._id), x]));
  const stored = new Map(entitlements.map((e) => [`${String(e.period)}:${String(e.pupil)}`, e.cents]));
  return cards.map((c) => {
    const pupil = p.get(String(c.pupil));
    const tops = topUps.filter((t) => String(t.card) === String(c._id)).map((t) => ({ id: String(t._id), batch: String(t.batch), cents: t.cents, status: t.status }));
    const issuedCents = c.cents + tops.reduce((s, t) => s + t.cents, 0);
    const storedCents = stored.get(`${String(c.period)}:${String(c.pupil)}`) ?? 0;
    const diff = storedCents - issuedCents;
    return {
      id: String(c._id),
      batch: String(c.batch),
      period: String(c.period),
      pupil: String(c.pupil),
      institution: i.get(String(c.institution))?.code ?? null,
      firstName: pupil?.firstName ?? '',
      lastName: pupil?.lastName ?? '',
      class: pupil?.class ?? '',
      number: c.number,
      status: c.status,
      cents: c.cents,
      topUps: tops,
      referenceCode: c.referenceCode,
      readyFrom: c.loaded?.readyFrom ?? null,
      handover: c.status === 'collected' ? { collectedBy: c.handover?.collectedBy ?? null, relation: c.handover?.relation ?? null, date: c.handover?.date ?? null } : null,
      amount: { issuedCents, storedCents, differenceCents: diff, proposal: diff > 0 ? 'top_up' : diff < 0 ? 'note_decrease' : null },
    };
  });
}

/** Cards in the actor's scope, filtered by period, batch, institution and status. */
export async function listCards(actor: Actor, query: z.infer<typeof CardListQuerySchema>, onlyUncollected = false) {
  const filter: Record<string, unknown> = { kind: 'card', ...scopeFilter(actor) };
  if (query.period) filter.period = (await findPeriod(query.period))._id;
  if (query.batch) filter.batch = new Types.ObjectId(query.batch);
  if (query.institution) filter.institution = (await findInstitutionFor(actor, query.institution))._id;
  if (onlyUncollected) filter.status = { $in: ['issued', 'loaded'] };
  else if (query.status) filter.status = query.status;
  const rows = (await FoodCardModel.find(filter).sort({ institution: 1, _id: 1 }).limit(query.limit).lean()) as unknown as CardDoc[];
  return { items: await presentCards(rows) };
}

/** One card in scope, with its difference against the stored amount. */
export async function showCard(actor: Actor, id: string) {
  return (await presentCards([await findCardFor(actor, id)]))[0]!;
}

/**
 * For the accounts department: per institution of a period (within scope), the cards issued,
 * loaded and collected (count and cents). Cents count every line (cards and top-ups): issued all
 * of them, loaded those loaded (a collected card was loaded), collected the collected cards with
 * the top-ups loaded onto them.
 */
export async function cardTotals(actor: Actor, periodId: string) {
  const period = await findPeriod(periodId);
  const rows = await FoodCardModel.find({ period: period._id, ...scopeFilter(actor) }, { institution: 1, kind: 1, card: 1, status: 1, cents: 1 }).lean();
  const cardStatus = new Map(rows.filter((r) => r.kind === 'card').map((r) => [String(r._id), r.status]));
  const zero = () => ({ count: 0, cents: 0 });
  const by = new Map<string, { issued: ReturnType<typeof zero>; loaded: ReturnType<typeof zero>; collected: ReturnType<typeof zero> }>();
  for (const r of rows) {
    const key = String(r.institution);
    const t = by.get(key) ?? { issued: zero(), loaded: zero(), collected: zero() };
    const isCard = r.kind === 'card' ? 1 : 0;
    const loaded = r.status === 'loaded' || r.status === 'collected';
    const collected = r.kind === 'card' ? r.status === 'collected' : loaded && cardStatus.get(String(r.card)) === 'collected';
    t.issued.count += isCard;
    t.issued.cents += r.cents;
    if (loaded) {
      t.loaded.count += isCard;
      t.loaded.cents += r.cents;
    }
    if (collected) {
      t.collected.count += isCard;
      t.collected.cents += r.cents;
    }
    by.set(key, t);
  }
  const insts = new Map((await InstitutionModel.find({ _id: { $in: [...by.keys()] } }, { code: 1, name: 1 }).lean()).map((i) => [String(i._id), i]));
  const items = [...by.entries()]
    .map(([id, t]) => ({ institution: insts.get(id)?.code ?? null, name: insts.get(id)?.name ?? '', ...t }))
    .sort((a, b) => String(a.institution).localeCompare(String(b.institution)));
  return { period: { id: String(period._id), name: period.name, from: period.from, to: period.to }, items };
}
