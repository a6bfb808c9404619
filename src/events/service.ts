import { Types } from 'mongoose';
import { insertAll, updateAll } from '../shared/bulkWrites.ts';
import { DomainEventModel } from './model.ts';

export type EventInput = {
  type: string;
  /** Same key, same event: recorded once. Defaults to a fresh id. */
  key?: string;
  subject: { kind: string; id: Types.ObjectId };
  institution?: Types.ObjectId | null;
  pupil?: Types.ObjectId | null;
  data?: Record<string, string | number | boolean | null>;
  at?: Date;
};

/** Records events for the notifications to send; never put personal codes or contacts in `data`. */
export async function recordEvents(events: EventInput[]): Promise<void> {
  if (!events.length) return;
  const block = new Types.ObjectId();
  const docs = events.map((e) => ({
    key: e.key ?? `${e.type}:${new Types.ObjectId().toHexString()}`,
    type: e.type,
    subject: e.subject,
    institution: e.institution ?? null,
    pupil: e.pupil ?? null,
    data: e.data ?? {},
    at: e.at ?? new Date(),
    pending: true,
    block,
  }));
  // Positions whose key was already recorded come back from insertAll and are simply skipped;
  // any other failure is raised there.
  await insertAll(DomainEventModel, docs);
}

/**
 * Marks events handled. Those of one block (recorded together) go in one update, limited to the
 * given ids: the rest of the block may still be waiting for a later page. Events recorded alone,
 * or before blocks existed, are marked one by one.
 */
export async function markHandled(events: Array<{ _id: Types.ObjectId; block?: Types.ObjectId | null }>, at: Date): Promise<void> {
  const set = { pending: false, handledAt: at };
  const blocks = new Map<string, { block: Types.ObjectId; ids: Types.ObjectId[] }>();
  const single: Array<{ _id: Types.ObjectId; set: typeof set }> = [];
  for (const e of events) {
    if (!e.block) {
      single.push({ _id: e._id, set });
      continue;
    }
    const group = blocks.get(String(e.block)) ?? { block: e.block, ids: [] };
    group.ids.push(e._id);
    blocks.set(String(e.block), group);
  }
  for (const { block, ids } of blocks.values()) {
    if (ids.length === 1) single.push({ _id: ids[0]!, set });
    else await DomainEventModel.updateMany({ block, pending: true, _id: { $in: ids } }, { $set: set });
  }
  await updateAll(DomainEventModel, single);
}
