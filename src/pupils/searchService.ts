import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { scopeFilter } from '../auth/scope.ts';
import { InstitutionModel } from '../institutions/model.ts';
import { findByIds } from '../shared/byIds.ts';
import { PlacementRequestModel } from '../kindergartens/model.ts';
import { parsePersonalCode } from '../../imports/personalCode.ts';
import { PupilModel } from './model.ts';
import { hashPersonalCode, type PersonalCodeKey } from './personalCodes.ts';
import { classPairKey, minPrefix, namePairKey, pupilSearchKeys, sampleKey, sampleRates, searchWord, type SampleRate, searchWords } from './searchKeys.ts';

export const ChildSearchSchema = z.object({ q: z.string().trim().max(100).default('') });

/** How many children a search shows; a narrower search finds the rest. */
export const searchLimit = 50;
// How many records the chosen key may bring back; one shared by more is a broad search.
export const candidateLimit = 250;
// How many of a sample make a word broad: 4 of one in 256 stand for about 1,000 children, 8 of
// one in 32 for about 250, each too many to read and sort for one answer.
const broadAt: Record<SampleRate, number> = { 256: 4, 32: 8 };

export type ChildSearchResult = {
  hits: ChildHit[];
  /** More children match than are shown. */
  more: boolean;
  /** The search was too broad to read every match: the hits are some of them, not the first by name. */
  partial: boolean;
};

export type ChildHit = {
  kind: 'pupil' | 'placement';
  id: string;
  firstName: string;
  lastName: string;
  class: string;
  personalCodeMasked: string;
  institution: { code: string; name: string } | null;
  status: string | null;
};

type Plan = { key: string; all: string[]; broadable: boolean };

/**
 * The search words as stored keys: a personal code's six visible digits, a class (a word with a
 * digit, such as `9.a` or `9a`), or name prefixes. The one key looked up is the most selective
 * there is: birth digits, then two name words as a pair, then a class with a name word, then the
 * class alone or the longest name prefix. Every key must also be among a found child's own.
 */
function planOf(text: string): Plan | null {
  const births: string[] = [];
  const classes: string[] = [];
  const names: string[] = [];
  for (const w of text.split(/\s+/u).filter(Boolean)) {
    if (/^\d{6}-?$/.test(w)) births.push(w.slice(0, 6));
    else if (/\d/.test(w) && /^[\p{L}\p{N}.\- ]{1,8}$/u.test(w)) classes.push(searchWord(w));
    else for (const part of searchWords(w)) if (part.length >= minPrefix) names.push(part.slice(0, 20));
  }
  const all = [...births, ...classes.map((c) => `class:${c}`), ...names];
  if (!all.length) return null;
  const longest = [...names].sort((x, y) => y.length - x.length);
  // Two words where one starts the other may be one word of the child's name: no pair for them.
  const pairable = longest.length >= 2 && !longest[0]!.startsWith(longest[1]!);
  let key: string;
  if (births.length) key = births[0]!;
  else if (pairable) key = namePairKey(longest[0]!, longest[1]!);
  else if (classes.length && longest.length) key = classPairKey(classes[0]!, longest[0]!);
  else if (classes.length) key = `class:${classes[0]!}`;
  else key = longest[0]!;
  // One word or a class alone may match thousands: those are looked up in the sample first.
  const broadable = !births.length && !pairable && !(classes.length && longest.length);
  return { key, all, broadable };
}

// One collator for every search: localeCompare with a locale builds one per call.
const collator = new Intl.Collator('lv');
const byName = (a: ChildHit, b: ChildHit) => collator.compare(a.lastName, b.lastName) || collator.compare(a.firstName, b.firstName);

/**
 * Finds children by name, class or personal code within the reader's scope: pupils of their
 * institution (every institution for a coordinator) and kindergarten place requests (a head
 * sees those placed in their kindergarten). A whole personal code is matched by its keyed hash,
 * so it is never compared or kept in clear; anything else through the search keys, one key
 * answered from an index and the other words checked on what it found.
 */
export async function searchChildren(actor: Actor, key: PersonalCodeKey, text: string): Promise<ChildSearchResult> {
  const code = parsePersonalCode(text);
  let filter: Record<string, unknown>;
  let requestFilter: Record<string, unknown>;
  let all: string[] = [];
  // The one word or class looked up, when one word may match thousands (see planOf).
  let broadKey: string | null = null;
  if (code.ok) {
    const hash = hashPersonalCode(key, code.value.code);
    filter = { personalCodeHash: hash };
    // The active request carries the hash as its key; only active ones are looked up this way.
    requestFilter = { activeKey: hash };
  } else {
    const plan = planOf(text);
    if (!plan) return { hits: [], more: false, partial: false };
    filter = { searchKeys: plan.key };
    requestFilter = filter;
    all = plan.all;
    if (plan.broadable) broadKey = plan.key;
  }
  const scope = scopeFilter(actor);
  // The keys are not read back: each found child's own are made again from its names, which is
  // cheaper than carrying some forty strings per child over the wire.
  const pupilFields = { firstName: 1, lastName: 1, class: 1, personalCodeMasked: 1, institution: 1 };
  const requestFields = { 'child.firstName': 1, 'child.lastName': 1, 'child.personalCodeMasked': 1, institution: 1, status: 1 };
  const read = (pupilFilter: Record<string, unknown>, placementFilter: Record<string, unknown>) =>
    Promise.all([
      PupilModel.find({ ...pupilFilter, ...scope }, pupilFields).limit(candidateLimit).lean(),
      PlacementRequestModel.find({ ...placementFilter, ...scope }, requestFields).limit(candidateLimit).lean(),
    ]);
  let partial = false;
  let candidates: Awaited<ReturnType<typeof read>> | null = null;
  for (const rate of broadKey ? sampleRates : []) {
    const sampled = { searchKeys: sampleKey(broadKey!, rate) };
    const sample = await read(sampled, sampled);
    if (sample[0].length + sample[1].length >= broadAt[rate]) {
      candidates = sample;
      partial = true;
      break;
    }
  }
  const [pupils, requests] = candidates ?? (await read(filter, requestFilter));
  // A key that reached the candidate limit may have left matches unread.
  partial ||= pupils.length >= candidateLimit || requests.length >= candidateLimit;
  const keep = (own: string[]) => all.every((k) => own.includes(k));
  const foundPupils = pupils.filter((p) => keep(pupilSearchKeys(p)));
  // A class narrows pupils only: a place request has no class, so with one named none is shown.
  const foundRequests = requests.filter((r) => keep(pupilSearchKeys({ firstName: r.child?.firstName ?? '', lastName: r.child?.lastName ?? '', personalCodeMasked: r.child?.personalCodeMasked })));
  type Found = { hit: ChildHit; institution: unknown };
  const found: Found[] = [
    ...foundPupils.map((p) => ({
      institution: p.institution,
      hit: { kind: 'pupil' as const, id: String(p._id), firstName: p.firstName, lastName: p.lastName, class: p.class ?? '', personalCodeMasked: p.personalCodeMasked, institution: null, status: null },
    })),
    ...foundRequests.map((r) => ({
      institution: r.institution,
      hit: { kind: 'placement' as const, id: String(r._id), firstName: r.child?.firstName ?? '', lastName: r.child?.lastName ?? '', class: '', personalCodeMasked: r.child?.personalCodeMasked ?? '', institution: null, status: r.status },
    })),
  ].sort((a, b) => byName(a.hit, b.hit));
  const shown = found.slice(0, searchLimit);
  const institutions = new Map(
    (await findByIds<{ _id: unknown; code: string; name: string }>(InstitutionModel, shown.map((f) => f.institution).filter(Boolean), { code: 1, name: 1 })).map((i) => [String(i._id), { code: i.code, name: i.name }]),
  );
  const hits = shown.map((f) => ({ ...f.hit, institution: f.institution ? (institutions.get(String(f.institution)) ?? null) : null }));
  return { hits, more: found.length > searchLimit || partial, partial };
}
