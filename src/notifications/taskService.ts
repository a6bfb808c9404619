import { Types } from 'mongoose';
import type { Actor } from '../auth/actor.ts';
import { actorTag } from '../auth/actor.ts';
import { recordAudit } from '../audit/service.ts';
import { scopeFilter } from '../auth/scope.ts';
import { NotFound } from '../errors.ts';
import { PupilModel } from '../pupils/model.ts';
import { ContactTaskModel, type ChannelName } from './model.ts';

/**
 * A message to a guardian bounced or the number is invalid: the institution gets a task to fix the
 * contact. One open task per pupil and channel, however many messages failed.
 */
export async function openContactTask(input: {
  institution: Types.ObjectId;
  pupil: Types.ObjectId;
  channel: ChannelName;
  address: string;
  message: string;
  reason: { code: string; message: string | null };
}): Promise<void> {
  try {
    await ContactTaskModel.create({ ...input, openKey: `${input.pupil}:${input.channel}` });
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
  }
}

export type ContactTaskView = {
  id: string;
  pupil: { id: string; firstName: string; lastName: string; class: string };
  channel: ChannelName;
  address: string;
  reason: { code: string; message: string | null };
  createdAt: Date;
};

/** The open contact tasks of one institution (already scope-checked by the caller). */
export async function listContactTasks(actor: Actor, institution: Types.ObjectId): Promise<ContactTaskView[]> {
  const tasks = await ContactTaskModel.find({ institution, status: 'open', ...scopeFilter(actor) }).sort({ createdAt: 1 }).limit(500).lean();
  const pupils = new Map((await PupilModel.find({ _id: { $in: tasks.map((t) => t.pupil) } }, { firstName: 1, lastName: 1, class: 1 }).lean()).map((p) => [String(p._id), p]));
  return tasks.map((t) => {
    const p = pupils.get(String(t.pupil));
    return {
      id: String(t._id),
      pupil: { id: String(t.pupil), firstName: p?.firstName ?? '', lastName: p?.lastName ?? '', class: p?.class ?? '' },
      channel: t.channel as ChannelName,
      address: t.address,
      reason: { code: t.reason?.code ?? '', message: t.reason?.message ?? null },
      createdAt: t.createdAt as Date,
    };
  });
}

/** The contact was fixed (or checked): the task closes, audited. 404 outside the reader's scope. */
export async function closeContactTask(actor: Actor, institution: Types.ObjectId, id: string, ip: string | null): Promise<void> {
  if (!Types.ObjectId.isValid(id)) throw new NotFound('task_not_found');
  const task = await ContactTaskModel.findOne({ _id: id, institution, status: 'open', ...scopeFilter(actor) }).lean();
  if (!task) throw new NotFound('task_not_found');
  await ContactTaskModel.updateOne({ _id: task._id, status: 'open' }, { $set: { status: 'done', openKey: `${task.openKey}:${task._id}`, doneAt: new Date(), doneBy: actorTag(actor) } });
  await recordAudit({ actor, action: 'contact_task.done', target: { type: 'pupil', id: String(task.pupil) }, ip, details: { channel: task.channel } });
}
