import type { Actor } from '../auth/actor.ts';
import { createBatch } from '../foodcards/batchService.ts';
import { FoodCardModel } from '../foodcards/cardModel.ts';
import { CardNumbersSchema, assignNumbers, markLoaded } from '../foodcards/cardService.ts';
import { computeEntitlements } from '../foodcards/computeService.ts';
import { saveFamilyStatus } from '../foodcards/familyStatusService.ts';
import { FoodPeriodModel } from '../foodcards/model.ts';
import { createPeriod, setCalendar } from '../foodcards/periodService.ts';
import type { PersonalCodeKey } from '../pupils/personalCodes.ts';

/** The demo parent's code for a food card ready at school, printed by `scripts/start`. */
export const demoFoodCardCode = 'F3KT-7QWM-2R4';

// Made-up pupils with valid made-up personal codes; never real people.
const pupils = [
  { firstName: 'Laura', lastName: 'Eglīte', personalCode: '140309-20009', class: '5.b', status: 'poor', validFrom: '2020-01-01', validTo: '2020-12-31' },
  { firstName: 'Kirills', lastName: 'Volkovs', personalCode: '220710-20007', class: '4.a', status: 'low_income', validFrom: '2020-04-01', validTo: '2020-09-30' },
  { firstName: 'Paula', lastName: 'Zvaigzne', personalCode: '050512-20007', class: '2.c', status: 'poor', validFrom: '2019-09-01', validTo: '2020-04-30' },
  { firstName: 'Niks', lastName: 'Jansons', personalCode: '300811-20001', class: '3.a', status: 'low_income', validFrom: '2020-03-16', validTo: '2020-05-29' },
] as const;

/**
 * The food cards' demo: family statuses at the demo school, the spring 2020 period with its
 * calendar and amounts, and a first batch with numbered cards loaded and ready at school.
 */
export async function seedDemoFoodCards(actor: Actor, key: PersonalCodeKey, school: string): Promise<void> {
  if (await FoodPeriodModel.exists({})) return;
  for (const p of pupils) await saveFamilyStatus(actor, { ...p, institution: school }, key, null);
  const period = await createPeriod(actor, { name: 'Pavasaris 2020', from: '2020-03-16', to: '2020-05-29', rate: 142, rates: [{ classFrom: 5, classTo: 12, rate: 160 }] }, null);
  const id = String(period._id);
  await setCalendar(actor, id, { holidays: ['2020-04-10', '2020-04-13', '2020-05-01', '2020-05-04'], daysOff: [], extraSchoolDays: [] }, null);
  await computeEntitlements(actor, id, null);
  const made = await createBatch(actor, id, { guardPercent: 10 }, null);
  const batchId = (made.batch as { id: string } | null)?.id;
  if (!batchId) return;
  const cards = await FoodCardModel.find({ batch: batchId, kind: 'card' }).sort({ _id: 1 }).lean();
  const numbers = CardNumbersSchema.parse({ items: cards.map((c, i) => ({ card: String(c._id), number: `9643000000${String(101 + i)}` })) });
  await assignNumbers(actor, batchId, numbers, null);
  await markLoaded(actor, batchId, { readyFrom: '2020-04-20' }, null);
  if (cards[0]) await FoodCardModel.updateOne({ _id: cards[0]._id }, { $set: { referenceCode: demoFoodCardCode } });
}
