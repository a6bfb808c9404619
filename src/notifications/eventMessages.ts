import type { Types } from 'mongoose';
import { DeviceNeedModel, type DeviceNeed } from '../devices/model.ts';
import { DomainEventModel, type DomainEvent } from '../events/model.ts';
import { markHandled } from '../events/service.ts';
import { FoodCardModel, type FoodCard } from '../foodcards/cardModel.ts';
import { InstitutionModel } from '../institutions/model.ts';
import { PlacementRequestModel, type PlacementRequest } from '../kindergartens/model.ts';
import { PupilModel, type Pupil } from '../pupils/model.ts';
import { findByIds } from '../shared/byIds.ts';
import { formatDay } from '../web/format.ts';
import type { NotifyDeps } from './deps.ts';
import { createMessages, type MessageDraft } from './messageService.ts';
import { guardianDraft } from './recipients.ts';
import type { TemplateName } from './templates.ts';

type NeedDoc = Pick<DeviceNeed, 'firstName' | 'referenceCode' | 'pupil' | 'institution' | 'pickup' | 'delivery'> & { _id: Types.ObjectId };
type RequestDoc = Pick<PlacementRequest, 'child' | 'parent' | 'referenceCode' | 'institution' | '_id'>;
type CardDoc = Pick<FoodCard, 'firstName' | 'referenceCode' | 'pupil' | 'institution' | 'loaded'> & { _id: Types.ObjectId };
type PupilDoc = Pick<Pupil, 'firstName' | 'guardian' | 'institution'> & { _id: Types.ObjectId };
type Event = Omit<DomainEvent, 'subject'> & { _id: Types.ObjectId; subject: NonNullable<DomainEvent['subject']> };

/** The events that tell a guardian something, and the template each becomes; the rest need no message. */
export const eventTemplates: Record<string, TemplateName> = {
  'device.need_registered': 'need_registered',
  'device.ready_for_pickup': 'device_ready_for_pickup',
  'device.out_for_delivery': 'device_out_for_delivery',
  'device.handed_over': 'device_handed_over',
  'kindergarten.request_received': 'kindergarten_request_received',
  'kindergarten.placed': 'kindergarten_placed',
  'kindergarten.waiting': 'kindergarten_waiting',
  'foodcard.ready': 'foodcard_ready',
  'foodcard.collected': 'foodcard_collected',
};

const ids = (events: Event[], kind: string) => events.filter((e) => e.subject.kind === kind).map((e) => e.subject.id);
const byId = <T extends { _id: unknown }>(docs: T[]) => new Map(docs.map((d) => [String(d._id), d]));
const day = (value: unknown, lang: 'lv' | 'ru' | 'en') => (typeof value === 'string' && value ? formatDay(value, lang) : '');

/** Builds the guardians' messages for these events (two queries per kind of subject, no joins). */
export async function draftsForEvents(events: Event[], deps: NotifyDeps): Promise<MessageDraft[]> {
  const wanted = events.filter((e) => eventTemplates[e.type]);
  // By id, one lookup each (see findByIds): `$in` reads whole collections on the embedded database.
  const [needs, requests, cards] = await Promise.all([
    findByIds<NeedDoc>(DeviceNeedModel, ids(wanted, 'deviceNeed'), { firstName: 1, referenceCode: 1, pupil: 1, institution: 1, pickup: 1, delivery: 1 }),
    findByIds<RequestDoc>(PlacementRequestModel, ids(wanted, 'placementRequest'), { 'child.firstName': 1, parent: 1, referenceCode: 1, institution: 1 } as Record<string, 1>),
    findByIds<CardDoc>(FoodCardModel, ids(wanted, 'foodCard'), { firstName: 1, referenceCode: 1, pupil: 1, institution: 1, loaded: 1 }),
  ]);
  const pupilIds = [...needs.map((n) => n.pupil), ...cards.map((c) => c.pupil)];
  const [pupils, institutions] = await Promise.all([
    findByIds<PupilDoc>(PupilModel, pupilIds, { firstName: 1, guardian: 1, institution: 1 }),
    InstitutionModel.find({}, { name: 1, address: 1 }).lean(),
  ]);
  const needMap = byId(needs);
  const requestMap = byId(requests);
  const cardMap = byId(cards);
  const pupilMap = byId(pupils);
  const instMap = byId(institutions);
  const statusUrl = `${deps.baseUrl}/status`;
  const drafts: MessageDraft[] = [];
  for (const e of wanted) {
    const template = eventTemplates[e.type]!;
    const data = (e.data ?? {}) as Record<string, unknown>;
    const sid = String(e.subject.id);
    let draft: MessageDraft | null = null;
    if (e.subject.kind === 'deviceNeed' || e.subject.kind === 'foodCard') {
      const need = e.subject.kind === 'deviceNeed' ? needMap.get(sid) : undefined;
      const subject = need ?? cardMap.get(sid);
      const pupil = subject && pupilMap.get(String(subject.pupil));
      if (!subject || !pupil) continue;
      const inst = instMap.get(String(subject.institution));
      draft = guardianDraft(pupil.guardian, deps.configured, {
        event: e.key,
        template,
        recipientRef: `guardian:${pupil._id}`,
        institution: subject.institution,
        pupil: pupil._id,
        params: (lang) => ({
          firstName: subject.firstName || pupil.firstName,
          code: subject.referenceCode ?? '',
          statusUrl,
          institution: inst?.name ?? '',
          place: [inst?.name, inst?.address].filter(Boolean).join(', '),
          hours: need?.pickup?.hours ?? '',
          from: day(data.from ?? data.readyFrom, lang),
          day: day(data.day, lang),
          date: day(data.date, lang),
        }),
      });
    } else if (e.subject.kind === 'placementRequest') {
      const r = requestMap.get(sid);
      if (!r) continue;
      const kg = instMap.get(String(e.institution ?? r.institution));
      draft = guardianDraft(r.parent, deps.configured, {
        event: e.key,
        template,
        recipientRef: `parent:${r._id}`,
        institution: (e.institution ?? r.institution ?? null) as Types.ObjectId | null,
        pupil: null,
        params: (lang) => ({ firstName: r.child?.firstName ?? '', code: r.referenceCode, statusUrl, kindergarten: kg?.name ?? '', from: day(data.from, lang) }),
      });
    }
    if (draft) drafts.push(draft);
  }
  return drafts;
}

export type DispatchOptions = {
  /** Events read and turned into messages at a time. */
  batch?: number;
  /** Pages one run handles at most; the next run goes on, so no run holds its worker for long. */
  maxPages?: number;
  /** True once the worker is closing: the run stops after the page in hand. */
  stopping?: () => boolean;
  /** Asked before each page: true when other work comes first now; the run stops, the next goes on. */
  giveWay?: () => Promise<boolean>;
};

/** How long the oldest waiting event has waited (0 when none waits). */
export async function oldestWaitMs(now: Date): Promise<number> {
  // Storage order, as the dispatcher reads them: the first is the oldest but for reused space.
  const first = (await DomainEventModel.findOne({ pending: true }, { at: 1 }).lean()) as { at: Date } | null;
  return first ? Math.max(0, now.getTime() - first.at.getTime()) : 0;
}

const byAge = (a: Event, b: Event) => a.at.getTime() - b.at.getTime() || String(a._id).localeCompare(String(b._id));

/**
 * Turns waiting events into messages, a page at a time, oldest first within each page. An event
 * is marked handled only after its messages are made and queued, so a crash in between makes them
 * again, which the unique message key turns into nothing.
 *
 * The page is not sorted by the database: the embedded FerretDB sorts by decoding every matching
 * document, which after a 100,000-row list meant reading the whole backlog for each page of 500.
 * Waiting events come back in storage order, which is the order they were recorded unless the
 * database put a new one in space freed earlier; each page is put in order here, so only while more
 * than a page waits can a later event's message be made a run before an earlier one's.
 */
export async function dispatchEvents(deps: NotifyDeps, options: DispatchOptions = {}): Promise<{ events: number; messages: number; more: boolean }> {
  const { batch = 500, maxPages = 20, stopping = () => false, giveWay = async () => false } = options;
  let events = 0;
  let messages = 0;
  for (let pages = 0; ; pages++) {
    if (pages >= maxPages || stopping() || (await giveWay())) return { events, messages, more: true };
    const page = (await DomainEventModel.find({ pending: true }).limit(batch).lean()) as unknown as Event[];
    if (!page.length) break;
    page.sort(byAge);
    const drafts = await draftsForEvents(page, deps);
    const r = await createMessages(drafts, deps);
    const at = deps.now();
    await markHandled(page, at);
    events += page.length;
    messages += r.made;
    if (page.length < batch) break;
  }
  return { events, messages, more: false };
}
