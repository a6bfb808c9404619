import type { Types } from 'mongoose';
import { InstitutionModel } from '../institutions/model.ts';
import { rigaToday } from '../shared/dates.ts';
import type { StatusItem } from '../status/registry.ts';
import { FoodCardModel, type FoodCard } from './cardModel.ts';

type CardView = Pick<FoodCard, 'firstName' | 'institution' | 'status' | 'history' | 'loaded' | 'handover'> & { _id: Types.ObjectId };

/**
 * What a parent sees of a food card: the pupil's first name, the steps (ordered, ready at school,
 * collected) with their days, and while it waits at school the school and the day it is ready
 * from; once collected the day it was collected. Nothing else: no surname, amount, number or who
 * collected it.
 */
export async function foodCardStatusLookup(code: string): Promise<StatusItem[]> {
  const card = await FoodCardModel.collection.findOne<CardView>(
    { referenceCode: code, kind: 'card' },
    { projection: { firstName: 1, institution: 1, status: 1, history: 1, loaded: 1, handover: 1 } },
  );
  if (!card) return [];
  const steps: StatusItem['steps'] = [];
  for (const h of card.history ?? []) {
    if (steps.at(-1)?.status === h.status) continue;
    // The school's day counts: ready from the day given, collected on the day recorded.
    const date = h.status === 'loaded' && card.loaded?.readyFrom ? card.loaded.readyFrom : h.status === 'collected' && card.handover?.date ? card.handover.date : rigaToday(h.at);
    steps.push({ status: h.status, date });
  }
  const details: Record<string, string | null> = {};
  if (card.status === 'loaded') {
    const inst = await InstitutionModel.collection.findOne<{ name: string; address?: string }>({ _id: card.institution }, { projection: { name: 1, address: 1 } });
    details.pickupPlace = inst ? [inst.name, inst.address].filter(Boolean).join(', ') : null;
    details.pickupFrom = card.loaded?.readyFrom ?? null;
  }
  if (card.status === 'collected') details.collectedOn = card.handover?.date ?? null;
  return [{ kind: 'foodcard', firstName: card.firstName ?? '', status: card.status, steps, details }];
}
