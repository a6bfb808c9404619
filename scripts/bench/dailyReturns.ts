import { Types } from 'mongoose';

export type DailyReturnDraft = {
  institution: unknown;
  group: unknown;
  day: string;
  registered: number;
  present: number;
  capacity: number;
  at: Date;
  by: string;
  late: boolean;
  // Set where the head counted by ticking the children present.
  presentChildren?: unknown[];
};

/** One day's return of one group as the kindergarten form stores it, for seeding in bulk. */
export function dailyReturnDoc(r: DailyReturnDraft): Record<string, unknown> {
  const { at, by, registered, present, late } = r;
  return {
    _id: new Types.ObjectId(),
    institution: r.institution,
    group: r.group,
    day: r.day,
    registered,
    present,
    capacity: r.capacity,
    ...(r.presentChildren ? { presentChildren: r.presentChildren } : {}),
    submittedAt: at,
    submittedBy: by,
    late,
    history: [{ at, by, registered, present, late, source: 'form' }],
    createdByImport: null,
    changedByImport: null,
    createdAt: at,
    updatedAt: at,
    __v: 0,
  };
}
