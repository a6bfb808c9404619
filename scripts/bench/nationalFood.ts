import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { entitlementAmount, rateForClass, schoolDaysOf } from '../../src/foodcards/entitlements.ts';
import { EntitlementModel, FamilyStatusModel, FoodPeriodModel } from '../../src/foodcards/model.ts';
import { FoodCardBatchModel, FoodCardModel, FoodCardNumberModel } from '../../src/foodcards/cardModel.ts';
import { newFoodCardCode } from '../../src/foodcards/referenceCode.ts';
import { addDays, rigaMoment, rigaToday } from '../../src/shared/dates.ts';
import { day, insertInBatches, pick, random, rnd, type SeededPupil } from './nationalData.ts';

/**
 * Food cards over two periods: family statuses for `statusCount` pupils, an earlier period (its
 * cards mostly collected long ago) and the current one of the last 8 weeks (a top-up on the card a
 * pupil already has, or a new card, issued, loaded and collected over the weeks), the amounts each
 * was made from, one confirmed batch per period and a newer one awaiting confirmation.
 */
export async function seedFood(pupils: SeededPupil[], cardCount: number, today: string, now: Date): Promise<Record<string, number>> {
  const t = now.getTime();
  const who = () => `user:${new Types.ObjectId()}`;
  // Pupils 0..a-1 are entitled in the earlier period, b..c-1 in the current one; b..a-1 in both.
  const a = Math.round(cardCount * 0.55);
  const b = Math.round(cardCount * 0.3);
  const c = b + (cardCount - a);
  const chosen = new Set<number>();
  while (chosen.size < c) chosen.add(Math.floor(random() * pupils.length));
  const entitled = [...chosen].map((i) => pupils[i]!);

  const calendar = { holidays: [] as string[], daysOff: [] as string[], extraSchoolDays: [] as string[], setAt: new Date(t - 70 * day), setBy: who() };
  const rates = [{ classFrom: 5, classTo: 12, cents: 160 }];
  const periods = [
    { _id: new Types.ObjectId(), name: '2026. gada pavasaris', from: addDays(today, -170), to: addDays(today, -63), defaultRateCents: 142, rates, calendar: { ...calendar, setAt: new Date(t - 175 * day) } },
    { _id: new Types.ObjectId(), name: '2026./2027. mācību gada rudens', from: addDays(today, -56), to: addDays(today, 28), defaultRateCents: 150, rates, calendar },
  ].map((p) => ({ ...p, createdBy: who(), createdAt: p.calendar.setAt, updatedAt: p.calendar.setAt, __v: 0 }));
  await insertInBatches(FoodPeriodModel.collection, periods);

  const statuses = entitled.map((p) => {
    // From before the current period to after the earlier one began: every status counts in both.
    const validFrom = addDays(today, -rnd(120, 400));
    return { _id: new Types.ObjectId(), institution: p.institution, pupil: p._id, status: random() < 0.6 ? 'poor' : 'low_income', validFrom, validTo: addDays(today, rnd(-30, 300)), createdByImport: 'bench', changedByImport: null, createdAt: now, updatedAt: now, __v: 0 };
  });
  await insertInBatches(FamilyStatusModel.collection, statuses);

  const counts: Record<string, number> = {};
  const entitlements = [];
  const cards = [];
  const numbers = [];
  const firstCard = new Map<number, Types.ObjectId>();
  for (const [k, period] of periods.entries()) {
    const [lo, hi] = k === 0 ? [0, a] : [b, c];
    const schoolDays = schoolDaysOf(period, period.calendar);
    const batchId = new Types.ObjectId();
    const issuedAt = k === 0 ? new Date(rigaMoment(period.from, '09:00').getTime() + rnd(3, 10) * day) : new Date(t - 55 * day);
    let totalCents = 0;
    for (let i = lo; i < hi; i++) {
      const p = entitled[i]!;
      const s = statuses[i]!;
      const rateCents = rateForClass(period.rates, period.defaultRateCents, p.class);
      const amount = entitlementAmount(schoolDays, { from: s.validFrom, to: s.validTo }, rateCents);
      const cents = amount.cents;
      totalCents += cents;
      entitlements.push({ _id: new Types.ObjectId(), period: period._id, pupil: p._id, institution: p.institution, status: s.status, validFrom: s.validFrom, validTo: s.validTo, class: p.class, rateCents, days: amount.days, cents, computedAt: issuedAt, createdAt: issuedAt, updatedAt: issuedAt, __v: 0 });

      // The current period's cards move over its 8 weeks; the earlier one's are nearly all collected.
      const topUp = k === 1 && firstCard.has(i);
      const _id = new Types.ObjectId();
      const issued = k === 0 ? issuedAt : new Date(t - rnd(1, 55 * 24) * 3_600_000);
      const r = random();
      const status = topUp ? (r < 0.4 ? 'issued' : 'loaded') : k === 0 ? (r < 0.9 ? 'collected' : r < 0.97 ? 'loaded' : 'issued') : r < 0.25 ? 'issued' : r < 0.55 ? 'loaded' : 'collected';
      counts[`period${k + 1}:${topUp ? 'topup' : 'card'}:${status}`] = (counts[`period${k + 1}:${topUp ? 'topup' : 'card'}:${status}`] ?? 0) + 1;
      const loadedAt = new Date(Math.min(t, issued.getTime() + rnd(1, 7) * day));
      const collectedAt = new Date(Math.min(t, loadedAt.getTime() + rnd(0, 21) * day));
      const history = [{ status: 'issued', at: issued, by: who() }];
      if (status !== 'issued') history.push({ status: 'loaded', at: loadedAt, by: who() });
      if (status === 'collected') history.push({ status: 'collected', at: collectedAt, by: who() });
      const number: string | null = status !== 'issued' && !topUp ? `9643${String(1_000_000_000 + cards.length).padStart(10, '0')}` : null;
      if (number) numbers.push({ _id: new Types.ObjectId(), number, card: _id, createdAt: loadedAt, updatedAt: loadedAt, __v: 0 });
      if (k === 0) firstCard.set(i, _id);
      cards.push({
        _id, batch: batchId, period: period._id, pupil: p._id, institution: p.institution, kind: topUp ? 'topup' : 'card', card: topUp ? firstCard.get(i)! : null, cents, status, number,
        referenceCode: topUp ? null : newFoodCardCode(), firstName: p.firstName,
        loaded: status === 'issued' ? { at: null, by: null, readyFrom: null } : { at: loadedAt, by: history[1]!.by, readyFrom: rigaToday(loadedAt) },
        handover: status === 'collected' ? { collectedBy: 'Vecāks', relation: 'parent', date: rigaToday(collectedAt), recordedBy: history[2]!.by } : { collectedBy: null, relation: null, date: null, recordedBy: null },
        history, version: history.length - 1, createdAt: issued, updatedAt: history.at(-1)!.at, __v: 0,
      });
    }
    const lines = cards.filter((x) => x.batch === batchId);
    const batch = {
      _id: batchId, period: period._id, seq: 1, status: 'confirmed', fingerprint: createHash('sha256').update(String(batchId)).digest('hex'), cards: lines.filter((x) => x.kind === 'card').length,
      topUps: lines.filter((x) => x.kind === 'topup').length, cents: totalCents, changes: [], changedPupils: lines.length, comparedPupils: lines.length, guardPercent: 10,
      createdBy: who(), confirmedBy: who(), confirmedAt: issuedAt, written: true, version: 2, createdAt: issuedAt, updatedAt: issuedAt, __v: 0,
    };
    await FoodCardBatchModel.collection.insertOne(batch);
  }
  // A newer batch of the current period waits for confirmation: it would change more than the guard allows.
  const changes = entitled.slice(b, b + Math.max(5, Math.round(cardCount / 200))).map((p) => ({ pupil: p._id, institution: p.institution, kind: pick(['added', 'removed', 'changed']), previousCents: 3000, cents: 3300 }));
  const current = periods[1]!;
  await FoodCardBatchModel.collection.insertOne({
    _id: new Types.ObjectId(), period: current._id, seq: 2, status: 'awaiting_confirmation', fingerprint: createHash('sha256').update(`${current._id}:2`).digest('hex'), cards: 0, topUps: changes.length,
    cents: changes.length * 300, changes, changedPupils: changes.length, comparedPupils: c - b, guardPercent: 10, createdBy: who(), confirmedBy: null, confirmedAt: null, written: false, version: 0,
    createdAt: new Date(t - 2 * day), updatedAt: new Date(t - 2 * day), __v: 0,
  });
  await insertInBatches(EntitlementModel.collection, entitlements);
  await insertInBatches(FoodCardModel.collection, cards);
  await insertInBatches(FoodCardNumberModel.collection, numbers);
  return { familyStatuses: statuses.length, entitlements: entitlements.length, cards: cards.length, ...counts };
}
