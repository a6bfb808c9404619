import { MigrationModel } from '../shared/migrationModel.ts';
import { DomainEventModel } from './model.ts';

const marker = 'domain-events-pending-flag';

/**
 * Gives events stored before the `pending` flag their flag, once: those not yet handled wait for
 * the dispatcher, the rest are done. A marker records that it ran, so later starts read nothing.
 * Safe to run from several processes at once (each sets the same values), and beside a dispatcher,
 * which only ever reads events that already have the flag.
 */
export async function backfillEventFlags(): Promise<number> {
  if (await MigrationModel.exists({ _id: marker })) return 0;
  const waiting = await DomainEventModel.updateMany({ pending: { $exists: false }, handledAt: null }, { $set: { pending: true } });
  await DomainEventModel.updateMany({ pending: { $exists: false } }, { $set: { pending: false } });
  await MigrationModel.updateOne({ _id: marker }, { $set: { doneAt: new Date() } }, { upsert: true });
  return waiting.modifiedCount;
}
