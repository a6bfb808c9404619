import { Types } from 'mongoose';
import { maskPersonalCode, parsePersonalCode, type PersonalCode } from '../../imports/personalCode.ts';
import { storedPersonalCode } from '../../src/pupils/identity.ts';
import { pupilSearchKeys } from '../../src/pupils/searchKeys.ts';
import type { PersonalCodeKey } from '../../src/pupils/personalCodes.ts';
import { InstitutionModel } from '../../src/institutions/model.ts';
import { PupilModel } from '../../src/pupils/model.ts';

/**
 * A country's worth of schools and pupils for the dashboard benchmark, shaped as the models store
 * them and written straight to the collections (no mongoose documents) in batches of 5,000. The
 * kindergartens' and the office's records are in nationalKindergartens.ts and nationalRecords.ts.
 * Everything comes from one seeded generator, so two runs at the same scale seed the same data
 * (apart from ids, ciphertexts and dates, which follow today).
 */
export const batch = 5000;
export const day = 86_400_000;

/** mulberry32: small, fast and reproducible. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export const random = generator(20_261_125);
export const rnd = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
export const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
/**
 * Index into a list of `n` with weight 1/(rank+k): a few common names, a long tail of rare ones.
 * With k = 8 the commonest of 30 first names is given to 8% of children; with k = 20 the commonest
 * of 594 surnames is borne by 1.4% (Bērziņš, the commonest in Latvia, by about 1.3%).
 */
const zipf = (n: number, k: number) => Math.min(n - 1, Math.floor(k * Math.exp(random() * Math.log((n + k) / k)) - k));

type Collection = { insertMany(docs: any[], opts: { ordered: boolean }): Promise<unknown> };

/**
 * Writes documents in batches while the next batch is being made: up to two batches in flight, so
 * the database inserts one while this process builds the next (hashing, encrypting, search keys).
 */
export function batchWriter(collection: Collection) {
  let docs: unknown[] = [];
  const inFlight = new Set<Promise<unknown>>();
  let written = 0;
  const flush = async () => {
    if (!docs.length) return;
    const p = collection.insertMany(docs, { ordered: false });
    written += docs.length;
    docs = [];
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => {});
    if (inFlight.size >= 2) await Promise.race(inFlight);
  };
  return {
    async add(doc: unknown) {
      docs.push(doc);
      if (docs.length >= batch) await flush();
    },
    /** Writes what is left and waits for every batch; the number of documents written. */
    async done(): Promise<number> {
      await flush();
      await Promise.all(inFlight);
      return written;
    },
  };
}

export async function insertInBatches(collection: Collection, docs: unknown[]): Promise<void> {
  for (let i = 0; i < docs.length; i += batch) await collection.insertMany(docs.slice(i, i + batch), { ordered: false });
}

export const maleNames = ['Jānis', 'Roberts', 'Kārlis', 'Markuss', 'Gustavs', 'Daniels', 'Artjoms', 'Ņikita', 'Emīls', 'Rihards', 'Matīss', 'Kristaps', 'Dāvis', 'Toms', 'Niks', 'Aleksandrs', 'Maksims', 'Ralfs', 'Edgars', 'Oskars', 'Miks', 'Ričards', 'Dmitrijs', 'Kirills', 'Raivis', 'Mārtiņš', 'Ansis', 'Olivers', 'Teodors', 'Valters'];
export const femaleNames = ['Anna', 'Marta', 'Elza', 'Sofija', 'Emīlija', 'Alise', 'Darja', 'Līva', 'Laura', 'Paula', 'Katrīna', 'Viktorija', 'Estere', 'Amēlija', 'Evelīna', 'Anastasija', 'Keita', 'Madara', 'Elīza', 'Polīna', 'Rēzija', 'Sanija', 'Agate', 'Dārta', 'Annija', 'Jana', 'Marija', 'Beāte', 'Odrija', 'Luīze'];
// Surname stems with their masculine and feminine endings (Bērziņš / Bērziņa, Jansons / Jansone).
const stems: Array<[string, string, string]> = [
  ['Bērz', 'iņš', 'iņa'], ['Kalan', 's', 'a'], ['Kalniņ', 'š', 'a'], ['Ozol', 's', 'a'], ['Jans', 'ons', 'one'], ['Liepiņ', 'š', 'a'], ['Krūmiņ', 'š', 'a'],
  ['Balod', 'is', 'e'], ['Eglīt', 'is', 'e'], ['Zariņ', 'š', 'a'], ['Pēters', 'ons', 'one'], ['Vītol', 's', 'a'], ['Kļaviņ', 'š', 'a'], ['Karkliņ', 'š', 'a'],
  ['Vanag', 's', 'a'], ['Lāc', 'is', 'e'], ['Gail', 'is', 'e'], ['Zvirbul', 'is', 'e'], ['Siliņ', 'š', 'a'], ['Lapiņ', 'š', 'a'], ['Ābol', 's', 'a'],
  ['Ivanov', 's', 'a'], ['Petrov', 's', 'a'], ['Kuzņecov', 's', 'a'], ['Smirnov', 's', 'a'], ['Volkov', 's', 'a'], ['Popov', 's', 'a'], ['Vasiļjev', 's', 'a'],
  ['Freimaņ', 'is', 'e'], ['Kociņ', 'š', 'a'], ['Strazd', 's', 'a'], ['Dūm', 'iņš', 'iņa'], ['Krast', 'iņš', 'iņa'], ['Apin', 'is', 'e'],
  ['Rozīt', 'is', 'e'], ['Skuj', 'a', 'a'], ['Priedīt', 'is', 'e'], ['Vilciņ', 'š', 'a'], ['Sproģ', 'is', 'e'], ['Grīnberg', 's', 'a'],
  ['Mežal', 's', 'a'], ['Šmit', 's', 'e'], ['Millers', '', ''], ['Jurevič', 's', 'a'], ['Ņikitin', 's', 'a'], ['Morozov', 's', 'a'], ['Sokolov', 's', 'a'],
  ['Zemzar', 's', 'e'], ['Auziņ', 'š', 'a'], ['Rubenis', '', ''], ['Circen', 's', 'e'], ['Pūķ', 'is', 'e'], ['Zālīt', 'is', 'e'], ['Ceriņ', 'š', 'a'],
];
// A long tail of rarer surnames: the common stems with a place-like prefix (Lejasbērziņš, Vecozols).
const tailPrefixes = ['Lejas', 'Kalna', 'Vec', 'Jaun', 'Liel', 'Maz', 'Mež', 'Upes', 'Ezer', 'Pur'];
const surnameStems: Array<[string, string, string]> = [...stems, ...tailPrefixes.flatMap((p) => stems.map(([s, m, f]): [string, string, string] => [p + s.toLowerCase(), m, f]))];

/** A Latvian-looking child: a first name and a surname in the same gender. */
export function childName(): { firstName: string; lastName: string } {
  const female = random() < 0.49;
  const [stem, m, f] = surnameStems[zipf(surnameStems.length, 20)]!;
  const firstName = (female ? femaleNames : maleNames)[zipf(30, 8)]!;
  // About one child in forty has a double surname (Bērziņa-Ozola).
  const lastName = stem + (female ? f : m) + (random() < 0.025 ? `-${pick(stems)[0]}${female ? 'a' : 's'}` : '');
  return { firstName, lastName };
}

const used = new Set<string>();
/**
 * A valid, unused personal code of a child born on `birth` (YYYY-MM-DD): the old form with its
 * check digit up to 30 June 2017, the new `32…` form for those born later (as issued since July 2017).
 */
export function personalCodeFor(birth: string): PersonalCode {
  for (;;) {
    let raw: string;
    if (birth >= '2017-07-01') raw = `32${String(rnd(0, 9999)).padStart(4, '0')}${String(rnd(0, 99999)).padStart(5, '0')}`;
    else {
      const [y, m, d] = birth.split('-');
      const stem = `${d}${m}${y!.slice(2)}${y! >= '2000' ? 2 : 1}${String(rnd(0, 999)).padStart(3, '0')}`;
      raw = stem + String(rnd(0, 9));
      // The check digit: the one last digit the parser accepts (none for about one stem in eleven).
      for (let k = 0; k < 10 && !parsePersonalCode(raw).ok; k++) raw = stem + k;
    }
    const parsed = parsePersonalCode(raw);
    if (!parsed.ok || used.has(parsed.value.code)) continue;
    used.add(parsed.value.code);
    return parsed.value;
  }
}

const cities = ['Rīgas', 'Daugavpils', 'Liepājas', 'Jelgavas', 'Jūrmalas', 'Ventspils', 'Rēzeknes', 'Valmieras', 'Jēkabpils', 'Ogres', 'Tukuma', 'Cēsu', 'Salaspils', 'Kuldīgas', 'Olaines', 'Saldus', 'Talsu', 'Dobeles', 'Siguldas', 'Bauskas'];
const streets = ['Skolas', 'Brīvības', 'Rīgas', 'Lielā', 'Dzirnavu', 'Ziemeļu', 'Parka', 'Ezera', 'Meža', 'Stacijas'];
const kindergartenNames = ['Cīrulītis', 'Saulīte', 'Zīļuks', 'Pasaciņa', 'Taurenītis', 'Rūķītis', 'Bitīte', 'Lācītis', 'Zvaniņš', 'Dzērvenīte'];

export type Seeded = { _id: Types.ObjectId; name: string };
export type SeededPupil = { _id: Types.ObjectId; institution: Types.ObjectId; firstName: string; lastName: string; class: string; email: string | null; phone: string | null; language: 'lv' | 'ru' | 'en' };
/** What the search queries are made of, from pupils picked while seeding (kept in memory only). */
export type SearchSample = { pupils: Array<{ code: string; firstName: string; lastName: string }>; birthPrefixes: string[] };

export async function seedInstitutions(schoolCount: number, kindergartenCount: number, now: Date): Promise<{ schools: Seeded[]; kindergartens: Seeded[] }> {
  const docs = [];
  for (let i = 0; i < schoolCount + kindergartenCount; i++) {
    const school = i < schoolCount;
    const city = cities[zipf(cities.length, 2)]!;
    const name = school ? `${city} ${i + 1}. ${pick(['vidusskola', 'pamatskola', 'sākumskola', 'ģimnāzija'])}` : `${city} pirmsskolas izglītības iestāde “${pick(kindergartenNames)}” Nr. ${i + 1}`;
    docs.push({ _id: new Types.ObjectId(), code: String(2_900_000_000 + i * 37), name, type: school ? 'school' : 'kindergarten', address: `${pick(streets)} iela ${rnd(1, 120)}, ${city.replace(/s$/u, '')}`, basePeriods: [], createdAt: now, updatedAt: now, __v: 0 });
  }
  await insertInBatches(InstitutionModel.collection, docs);
  const seeded = docs.map((d) => ({ _id: d._id, name: d.name }));
  return { schools: seeded.slice(0, schoolCount), kindergartens: seeded.slice(schoolCount) };
}

/**
 * `count` pupils over the schools, in schools of uneven size (one to three parallel classes per
 * year), each born in the year its class implies, with its personal code kept as the app keeps it
 * (keyed hash, masked, encrypted) and its search keys as the import writes them.
 */
export async function seedPupils(schools: Seeded[], count: number, key: PersonalCodeKey, now: Date): Promise<{ pupils: SeededPupil[]; sample: SearchSample }> {
  const weights = schools.map(() => 0.3 + random() * 2.2);
  const total = weights.reduce((a, b) => a + b, 0);
  // Cumulative shares, so a pupil's school is one binary search away.
  const cumulative: number[] = [];
  weights.reduce((acc, w) => (cumulative.push(acc + w / total), acc + w / total), 0);
  const letters = weights.map((w) => (w < 0.8 ? 'a' : w < 1.8 ? 'ab' : 'abc'));
  const schoolYear = now.getUTCMonth() >= 8 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
  const pupils: SeededPupil[] = [];
  const sample: SearchSample = { pupils: [], birthPrefixes: [] };
  const writer = batchWriter(PupilModel.collection);
  for (let i = 0; i < count; i++) {
    const r = random();
    let lo = 0;
    let hi = schools.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    const grade = rnd(1, 12);
    const cls = `${grade}.${pick([...letters[lo]!])}`;
    const birth = new Date(Date.UTC(schoolYear - 6 - grade, 0, 1) + rnd(0, 364) * day).toISOString().slice(0, 10);
    const code = personalCodeFor(birth);
    const { firstName, lastName } = childName();
    const language = random() < 0.7 ? 'lv' : random() < 0.95 ? 'ru' : 'en';
    const email = random() < 0.8 ? `vecaks${i}@example.lv` : null;
    const phone = email && random() < 0.5 ? null : `+3712${String(1_000_000 + i).padStart(7, '0')}`;
    const stored = storedPersonalCode(key, code);
    const pupil: SeededPupil = { _id: new Types.ObjectId(), institution: schools[lo]!._id, firstName, lastName, class: cls, email, phone, language };
    pupils.push(pupil);
    if (i % 500 === 7) {
      sample.pupils.push({ code: code.code, firstName, lastName });
      if (code.form === 'old') sample.birthPrefixes.push(code.code.slice(0, 6));
    }
    const at = new Date(now.getTime() - rnd(30, 400) * day);
    await writer.add({
      _id: pupil._id,
      institution: pupil.institution,
      class: cls,
      firstName,
      lastName,
      ...stored,
      searchKeys: pupilSearchKeys({ firstName, lastName, class: cls, personalCodeMasked: maskPersonalCode(code.code) }),
      guardian: { name: random() < 0.7 ? `${random() < 0.8 ? pick(femaleNames) : pick(maleNames)} ${lastName.split('-')[0]}` : null, phone, email, language },
      createdByImport: `import:${i % 37}`,
      changedByImport: null,
      createdAt: at,
      updatedAt: at,
      __v: 0,
    });
  }
  await writer.done();
  return { pupils, sample };
}
