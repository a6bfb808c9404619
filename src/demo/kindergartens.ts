import type { Actor } from '../auth/actor.ts';
import { GroupModel, InstitutionModel } from '../institutions/model.ts';
import type { PersonalCodeKey } from '../pupils/personalCodes.ts';
import { addDays, rigaToday } from '../shared/dates.ts';
import { touchDays } from '../kindergartens/daySummaries.ts';
import { AttendanceModel, PlacementRequestModel } from '../kindergartens/model.ts';
import { placeRequest, putOnWaitingList, registerRequest } from '../kindergartens/placementService.ts';

/** The demo parent's code for a kindergarten place, printed by `scripts/start`. */
export const demoKindergartenCode = 'P7KD-3MWA-8HS';

// Made-up children with valid made-up personal codes; never real people.
const children = [
  { firstName: 'Emīlija', lastName: 'Liepiņa', personalCode: '120316-20009', employer: 'Liepājas reģionālā slimnīca', sector: 'health', language: 'lv', place: 'Zīļuki' },
  { firstName: 'Artjoms', lastName: 'Smirnovs', personalCode: '050617-20005', employer: 'Valsts policija', sector: 'police', language: 'ru', place: 'Zīļuki' },
  { firstName: 'Alise', lastName: 'Krūmiņa', personalCode: '230915-20003', employer: 'Maxima Latvija', sector: 'retail', language: 'lv', place: 'Mārītes' },
  { firstName: 'Roberts', lastName: 'Zariņš', personalCode: '010118-20018', employer: 'Liepājas ūdens', sector: 'utilities', language: 'lv', place: null },
  { firstName: 'Marija', lastName: 'Kuzņecova', personalCode: '170716-20006', employer: 'Liepājas reģionālā slimnīca', sector: 'health', language: 'ru', place: 'wait' },
] as const;

/**
 * The base kindergartens' demo: requests in every state (placed, waiting, received), and six
 * weeks of daily returns with one group over capacity today and one return still missing, so the
 * monitoring view has something to show.
 */
export async function seedDemoKindergartens(actor: Actor, key: PersonalCodeKey): Promise<void> {
  if (await PlacementRequestModel.exists({})) return;
  const groups = await GroupModel.find({}).lean();
  const groupByName = new Map(groups.map((g) => [g.name, g]));
  const ids: string[] = [];
  for (const c of children) {
    const r = await registerRequest(actor, { ...c, parentName: `${c.lastName} (vecāks)`, parentPhone: null, parentEmail: null, neededFrom: '2020-03-16', preferredArea: 'Liepāja', note: null }, key, null);
    ids.push(String(r._id));
    if (c.place === 'wait') await putOnWaitingList(actor, String(r._id), null);
    else if (c.place) await placeRequest(actor, String(r._id), String(groupByName.get(c.place)!._id), null);
  }
  await PlacementRequestModel.updateOne({ _id: ids[0] }, { $set: { referenceCode: demoKindergartenCode } });

  const today = rigaToday();
  const kindergartens = await InstitutionModel.find({ type: 'kindergarten' }).lean();
  const rows = [];
  for (let back = 41; back >= 0; back--) {
    const day = addDays(today, -back);
    for (const g of groups) {
      if (!kindergartens.some((k) => String(k._id) === String(g.institution))) continue;
      // Today: Zaķīši has not sent its return yet, and Zīļuki took more children than it has places.
      if (back === 0 && g.name === 'Zaķīši') continue;
      const registered = Math.max(1, g.capacity - 2 - ((back * 7 + g.name.length) % 4));
      const present = back === 0 && g.name === 'Zīļuki' ? g.capacity + 1 : Math.max(0, registered - ((back + g.name.length) % 5));
      const at = new Date(Date.now() - back * 86_400_000);
      rows.push({ institution: g.institution, group: g._id, day, registered, present, capacity: g.capacity, submittedAt: at, submittedBy: 'demo', late: back % 9 === 4, history: [] });
    }
  }
  await AttendanceModel.insertMany(rows, { ordered: false });
  await touchDays(rows.map((r) => r.day));
}
