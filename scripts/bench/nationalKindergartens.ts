import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { maskPersonalCode } from '../../imports/personalCode.ts';
import { storedPersonalCode } from '../../src/pupils/identity.ts';
import { pupilSearchKeys } from '../../src/pupils/searchKeys.ts';
import type { PersonalCodeKey } from '../../src/pupils/personalCodes.ts';
import { GroupModel, InstitutionModel } from '../../src/institutions/model.ts';
import { AttendanceDayStampModel, AttendanceModel, GroupSeatsModel, PlacementRequestModel, sectors } from '../../src/kindergartens/model.ts';
import { newPlacementCode } from '../../src/kindergartens/referenceCode.ts';
import { addDays, daysBetween, rigaMoment } from '../../src/shared/dates.ts';
import { batchWriter, childName, day, femaleNames, insertInBatches, personalCodeFor, pick, random, rnd, type Seeded } from './nationalData.ts';
import { dailyReturnDoc } from './dailyReturns.ts';

/**
 * The base kindergartens: 4–6 groups each, the children placed in them (placement requests, with
 * some still received or waiting), and one daily return per group for each of the last `dayCount`
 * days (today's missing for about a tenth of the groups, a few late or over capacity), stamped
 * per day as the writers of returns do.
 */
const groupNames = ['Saulīte', 'Zīlīte', 'Lācītis', 'Mārīte', 'Zvaigznīte', 'Pūcīte', 'Bitīte'];
const employers = ['Rīgas Austrumu klīniskā universitātes slimnīca', 'Valsts policija', 'SIA “Maxima Latvija”', 'AS “Sadales tīkls”', 'Rīgas Sociālais dienests', 'AS “Pasažieru vilciens”', 'SIA “Rimi Latvia”'];

export type KindergartenCounts = { groups: number; requests: number; returns: number };

export async function seedKindergartens(base: Seeded[], dayCount: number, today: string, key: PersonalCodeKey, now: Date): Promise<KindergartenCounts> {
  const days = daysBetween(addDays(today, -(dayCount - 1)), today);
  for (const [i, k] of base.entries()) {
    // Base since before the first return; open-ended for most, until a day ahead for some.
    await InstitutionModel.collection.updateOne({ _id: k._id }, { $set: { basePeriods: [{ from: addDays(days[0]!, -rnd(0, 10)), to: i % 7 ? null : addDays(today, 30) }] } });
  }
  const groups = base.flatMap((k) =>
    [...groupNames]
      .sort(() => random() - 0.5)
      .slice(0, rnd(4, 6))
      .map((name, j) => ({ _id: new Types.ObjectId(), institution: k._id, name: `${j + 1}. ${name}`, capacity: rnd(15, 25) })),
  );
  await insertInBatches(
    GroupModel.collection,
    groups.map((g) => ({ ...g, createdAt: now, updatedAt: now, __v: 0 })),
  );

  // The children: placed ones fill each group to between half and all of its places; a tenth as
  // many again are received or waiting, and some requests are closed.
  const requests: Array<Record<string, unknown>> = [];
  const placed = new Map<string, Types.ObjectId[]>();
  const request = (status: string, group: (typeof groups)[number] | null) => {
    const _id = new Types.ObjectId();
    const born = new Date(now.getTime() - rnd(365 * 2, 365 * 6) * day).toISOString().slice(0, 10);
    const code = personalCodeFor(born);
    const stored = storedPersonalCode(key, code);
    const { firstName, lastName } = childName();
    const receivedAt = new Date(now.getTime() - rnd(1, 200) * day);
    const neededFrom = addDays(receivedAt.toISOString().slice(0, 10), rnd(0, 14));
    const history = [{ status: 'received', at: receivedAt, by: 'public', note: null }];
    if (status !== 'received') history.push({ status, at: new Date(receivedAt.getTime() + rnd(1, 48) * 3_600_000), by: `user:${new Types.ObjectId()}`, note: null });
    const active = status === 'received' || status === 'waiting' || status === 'placed';
    requests.push({
      _id,
      child: { firstName, lastName, ...stored },
      searchKeys: pupilSearchKeys({ firstName, lastName, personalCodeMasked: maskPersonalCode(code.code) }),
      parent: { name: `${pick(femaleNames)} ${lastName}`, phone: `+3712${String(rnd(0, 9_999_999)).padStart(7, '0')}`, email: random() < 0.7 ? `vecaks.${_id}@example.lv` : null, language: random() < 0.7 ? 'lv' : 'ru' },
      employer: pick(employers),
      sector: pick(sectors),
      neededFrom,
      preferredArea: random() < 0.5 ? 'Centrs' : null,
      note: null,
      receivedAt,
      status,
      activeKey: active ? stored.personalCodeHash : `${stored.personalCodeHash}:${_id}`,
      institution: group?.institution ?? null,
      group: group?._id ?? null,
      placedFrom: group ? neededFrom : null,
      referenceCode: newPlacementCode(),
      history,
      version: history.length - 1,
      createdByImport: null,
      changedByImport: null,
      createdAt: receivedAt,
      updatedAt: history.at(-1)!.at,
      __v: 0,
    });
    return _id;
  };
  for (const g of groups) placed.set(String(g._id), Array.from({ length: rnd(Math.ceil(g.capacity / 2), g.capacity) }, () => request('placed', g)));
  const open = Math.ceil(requests.length / 10);
  for (let i = 0; i < open; i++) request(pick(['received', 'waiting', 'waiting', 'withdrawn', 'ended']), null);
  await insertInBatches(PlacementRequestModel.collection, requests);
  await insertInBatches(
    GroupSeatsModel.collection,
    groups.map((g) => ({ _id: new Types.ObjectId(), group: g._id, placed: placed.get(String(g._id))!, version: placed.get(String(g._id))!.length })),
  );

  const heads = new Map(base.map((k) => [String(k._id), `user:${new Types.ObjectId()}`]));
  const returns = batchWriter(AttendanceModel.collection);
  for (const d of days) {
    for (const g of groups) {
      if (d === today && random() < 0.1) continue;
      const children = placed.get(String(g._id))!;
      const registered = children.length;
      const present = random() < 0.004 ? g.capacity + rnd(1, 3) : Math.round(registered * (0.6 + random() * 0.4));
      const late = random() < 0.03;
      const at = new Date(rigaMoment(d, late ? '10:40' : '08:15').getTime() + rnd(0, 90) * 60_000);
      const by = heads.get(String(g.institution))!;
      // A few heads count by ticking the children present.
      const presentChildren = random() < 0.1 ? children.slice(0, Math.min(present, registered)) : undefined;
      await returns.add(dailyReturnDoc({ institution: g.institution, group: g._id, day: d, registered, present, capacity: g.capacity, at, by, late, presentChildren }));
    }
  }
  const written = await returns.done();
  await insertInBatches(AttendanceDayStampModel.collection, days.map((d) => ({ _id: new Types.ObjectId(), day: d, stamp: randomUUID() })));
  return { groups: groups.length, requests: requests.length, returns: written };
}
