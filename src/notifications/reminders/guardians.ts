import type { Types } from 'mongoose';
import { DeviceNeedModel } from '../../devices/model.ts';
import { FoodCardModel } from '../../foodcards/cardModel.ts';
import { InstitutionModel } from '../../institutions/model.ts';
import { PupilModel, type Pupil } from '../../pupils/model.ts';
import { findByIds } from '../../shared/byIds.ts';
import { addDays, rigaToday } from '../../shared/dates.ts';
import type { NotifyDeps } from '../deps.ts';
import type { MessageDraft } from '../messageService.ts';
import { guardianDraft } from '../recipients.ts';
import type { ReminderSettings } from '../settings.ts';
import type { TemplateName } from '../templates.ts';

type Waiting = { id: Types.ObjectId; pupil: Types.ObjectId; institution: Types.ObjectId; firstName: string; code: string; since: string };

const chunk = 2000;
type PupilDoc = Pick<Pupil, 'firstName' | 'guardian'> & { _id: Types.ObjectId };

/**
 * A device or food card ready for N days and still not collected: the guardian is reminded after N
 * days and once more after 2N, never a third time (the key carries the reminder's number).
 */
export async function uncollected(deps: NotifyDeps, settings: ReminderSettings): Promise<MessageDraft[]> {
  const s = settings.uncollected;
  if (!s.enabled) return [];
  const today = rigaToday(deps.now());
  const cutoff = addDays(today, -s.days);
  const [needs, cards] = await Promise.all([
    DeviceNeedModel.find({ status: 'ready_for_pickup', 'pickup.from': { $lte: cutoff } }, { pupil: 1, institution: 1, firstName: 1, referenceCode: 1, pickup: 1 }).lean(),
    FoodCardModel.find({ kind: 'card', status: 'loaded', 'loaded.readyFrom': { $lte: cutoff } }, { pupil: 1, institution: 1, firstName: 1, referenceCode: 1, loaded: 1 }).lean(),
  ]);
  const devices: Waiting[] = needs.map((n) => ({ id: n._id, pupil: n.pupil, institution: n.institution, firstName: n.firstName ?? '', code: n.referenceCode, since: n.pickup?.from ?? today }));
  const foodcards: Waiting[] = cards.map((c) => ({ id: c._id, pupil: c.pupil, institution: c.institution, firstName: c.firstName ?? '', code: c.referenceCode ?? '', since: c.loaded?.readyFrom ?? today }));
  return [...(await draftsFor('device_uncollected', devices, today, s.days, deps)), ...(await draftsFor('foodcard_uncollected', foodcards, today, s.days, deps))];
}

async function draftsFor(template: TemplateName, items: Waiting[], today: string, every: number, deps: NotifyDeps): Promise<MessageDraft[]> {
  const drafts: MessageDraft[] = [];
  const insts = new Map((await InstitutionModel.find({ _id: { $in: [...new Set(items.map((i) => String(i.institution)))] } }, { name: 1, address: 1 }).lean()).map((i) => [String(i._id), i]));
  for (let i = 0; i < items.length; i += chunk) {
    const part = items.slice(i, i + chunk);
    const pupils = new Map((await findByIds<PupilDoc>(PupilModel, part.map((p) => p.pupil), { firstName: 1, guardian: 1 })).map((p) => [String(p._id), p]));
    for (const item of part) {
      const pupil = pupils.get(String(item.pupil));
      if (!pupil) continue;
      const days = Math.round((Date.parse(today) - Date.parse(item.since)) / 86_400_000);
      const nth = Math.min(2, Math.floor(days / every));
      if (nth < 1) continue;
      const inst = insts.get(String(item.institution));
      const draft = guardianDraft(pupil.guardian, deps.configured, {
        event: `reminder.${template}:${item.id}:${nth}`,
        template,
        recipientRef: `guardian:${pupil._id}`,
        institution: item.institution,
        pupil: pupil._id,
        params: () => ({ firstName: item.firstName || pupil.firstName, code: item.code, statusUrl: `${deps.baseUrl}/status`, place: [inst?.name, inst?.address].filter(Boolean).join(', '), days }),
      });
      if (draft) drafts.push(draft);
    }
  }
  return drafts;
}
