import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { scopeFilter } from '../auth/scope.ts';
import { InstitutionModel } from '../institutions/model.ts';
import { findByIds } from '../shared/byIds.ts';
import { PlacementRequestModel } from '../kindergartens/model.ts';
import { parsePersonalCode } from '../../imports/personalCode.ts';
import { PupilModel } from './model.ts';
import { hashPersonalCode, type PersonalCodeKey } from './personalCodes.ts';
import { minPrefix, searchWord, searchWords } from './searchKeys.ts';

export const ChildSearchSchema = z.object({ q: z.string().trim().max(100).default('') });

/** How many children a search shows; a narrower search finds the rest. */
export const searchLimit = 50;
// How many records one search key may bring back before the other words narrow them down.
const candidateLimit = 2000;

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

type Key = { key: string; weight: number };

/**
 * The search words as stored keys: a personal code's six visible digits, a class (a word with a
 * digit, such as `9.a` or `9a`), or a name prefix. The longest name prefix is the most selective.
 */
function keysOf(text: string): Key[] {
  const out: Key[] = [];
  for (const w of text.split(/\s+/u).filter(Boolean)) {
    if (/^\d{6}-?$/.test(w)) out.push({ key: w.slice(0, 6), weight: 100 });
    else if (/\d/.test(w) && /^[\p{L}\p{N}.\- ]{1,8}$/u.test(w)) out.push({ key: `class:${searchWord(w)}`, weight: 50 });
    else for (const part of searchWords(w)) if (part.length >= minPrefix) out.push({ key: part.slice(0, 20), weight: part.length });
  }
  return out;
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
export async function searchChildren(actor: Actor, key: PersonalCodeKey, text: string): Promise<{ hits: ChildHit[]; more: boolean }> {
  const code = parsePersonalCode(text);
  let pupilFilter: Record<string, unknown>;
  let requestFilter: Record<string, unknown>;
  let rest: string[] = [];
  if (code.ok) {
    const hash = hashPersonalCode(key, code.value.code);
    pupilFilter = { personalCodeHash: hash };
    // The active request carries the hash as its key; only active ones are looked up this way.
    requestFilter = { activeKey: hash };
  } else {
    const keys = keysOf(text).sort((a, b) => b.weight - a.weight);
    if (!keys.length) return { hits: [], more: false };
    pupilFilter = { searchKeys: keys[0]!.key };
    requestFilter = { searchKeys: keys[0]!.key };
    rest = keys.slice(1).map((k) => k.key);
  }
  const pupilFields = { firstName: 1, lastName: 1, class: 1, personalCodeMasked: 1, institution: 1, searchKeys: 1 };
  const requestFields = { 'child.firstName': 1, 'child.lastName': 1, 'child.personalCodeMasked': 1, institution: 1, status: 1, searchKeys: 1 };
  const [pupils, requests] = await Promise.all([
    PupilModel.find({ ...pupilFilter, ...scopeFilter(actor) }, pupilFields).limit(candidateLimit).lean(),
    PlacementRequestModel.find({ ...requestFilter, ...scopeFilter(actor) }, requestFields).limit(candidateLimit).lean(),
  ]);
  const keep = (keys: string[] | null | undefined) => rest.every((k) => keys?.includes(k));
  const foundPupils = pupils.filter((p) => keep(p.searchKeys));
  // A class narrows pupils only: a place request has no class, so with one named none is shown.
  const foundRequests = requests.filter((r) => keep(r.searchKeys));
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
  // A key that reached the candidate limit may have left matches unread: the answer says there are more.
  const cut = pupils.length >= candidateLimit || requests.length >= candidateLimit;
  return { hits, more: found.length > searchLimit || cut };
}
