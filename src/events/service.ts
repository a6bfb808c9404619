import { Types } from 'mongoose';
import { insertAll } from '../shared/bulkWrites.ts';
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
  const docs = events.map((e) => ({
    key: e.key ?? `${e.type}:${new Types.ObjectId().toHexString()}`,
    type: e.type,
    subject: e.subject,
    institution: e.institution ?? null,
    pupil: e.pupil ?? null,
    data: e.data ?? {},
    at: e.at ?? new Date(),
    pending: true,
  }));
  // Positions whose key was already recorded come back from insertAll and are simply skipped;
  // any other failure is raised there.
  await insertAll(DomainEventModel, docs);
}
