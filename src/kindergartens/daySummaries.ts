import { randomUUID } from 'node:crypto';
import { mapLimit } from '../shared/concurrency.ts';
import { AttendanceDayStampModel, AttendanceDaySummaryModel, AttendanceModel } from './model.ts';

export type DayFigures = { day: string; returns: number; registered: number; present: number; capacity: number; overCapacity: number };

/** Marks the days' summaries stale; called after every write of a return, by form or import. */
export async function touchDays(days: Iterable<string>): Promise<void> {
  for (const day of new Set(days)) await AttendanceDayStampModel.updateOne({ day }, { $set: { stamp: randomUUID() } }, { upsert: true });
}

/** Adds up one day's returns from the records themselves. */
export async function figuresOfDay(day: string, filter: Record<string, unknown> = {}): Promise<DayFigures> {
  const rows = await AttendanceModel.find({ day, ...filter }, { registered: 1, present: 1, capacity: 1, _id: 0 }).lean();
  return addUp(day, rows);
}

/** Sums of returns; a return's capacity is the one its group had when it was made. */
export function addUp(day: string, rows: Array<{ registered: number; present: number; capacity?: number | null }>): DayFigures {
  const f: DayFigures = { day, returns: 0, registered: 0, present: 0, capacity: 0, overCapacity: 0 };
  for (const r of rows) {
    f.returns += 1;
    f.registered += r.registered;
    f.present += r.present;
    f.capacity += r.capacity ?? 0;
    if (r.capacity !== null && r.capacity !== undefined && r.present > r.capacity) f.overCapacity += 1;
  }
  return f;
}

/**
 * The figures of every return on each of `days`, from the kept summaries where they are current
 * and by adding up the day again where a return was written since (see AttendanceDayStamp). The
 * stamp is read before the records, so a return written meanwhile leaves a stale summary behind,
 * never a current-looking wrong one.
 */
export async function dayFigures(days: string[]): Promise<DayFigures[]> {
  const [stamps, summaries] = await Promise.all([
    AttendanceDayStampModel.find({ day: { $in: days } }).lean(),
    AttendanceDaySummaryModel.find({ day: { $in: days } }).lean(),
  ]);
  const stampOf = new Map(stamps.map((s) => [s.day, s.stamp]));
  const summaryOf = new Map(summaries.map((s) => [s.day, s]));
  const out: DayFigures[] = [];
  const stale: Array<{ at: number; day: string; stamp: string }> = [];
  for (const day of days) {
    const stamp = stampOf.get(day);
    const kept = summaryOf.get(day);
    if (!stamp) out.push(addUp(day, []));
    else if (kept && kept.stamp === stamp) out.push({ day, returns: kept.returns, registered: kept.registered, present: kept.present, capacity: kept.capacity, overCapacity: kept.overCapacity });
    else {
      stale.push({ at: out.length, day, stamp });
      out.push(addUp(day, []));
    }
  }
  // Stale days are added up two at a time: each is a read of the day's whole returns (about a
  // thousand records in a city), which the embedded FerretDB spends decoding on one core, so a
  // chart with many stale days (its first request, or after an import of returns) took 1.3–1.5
  // times as long one day after the other (scripts/bench/attendance). Two leave the database
  // room for other requests.
  await mapLimit(stale, staleDaysInFlight, async ({ at, day, stamp }) => {
    const figures = await figuresOfDay(day);
    // Two readers may add up the same day at once; the one whose upsert loses has the same figures.
    await AttendanceDaySummaryModel.updateOne({ day }, { $set: { ...figures, stamp } }, { upsert: true }).catch((err: { code?: number }) => {
      if (err.code !== 11000) throw err;
    });
    out[at] = figures;
  });
  return out;
}

const staleDaysInFlight = 2;
