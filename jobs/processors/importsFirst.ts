import { ImportModel } from '../../src/imports/model.ts';
import { oldestWaitMs } from '../../src/notifications/eventMessages.ts';

/**
 * Whether turning events into messages gives way to imports now. A principal watches an import's
 * progress bar; a guardian's "need registered" message can come a few minutes later. On one
 * database the two compete: a 100,000-row list made 100,000 events, and making and sending their
 * messages while the list was still being written made it take three to four times as long.
 * So while any import runs, the dispatch waits, but never once the oldest waiting event has
 * waited `maxWaitMs` (0: never waits): imports that follow one another all day cannot hold the
 * messages back.
 */
export function importsFirst(now: () => Date, maxWaitMs: number): () => Promise<boolean> {
  return async () => (await ImportModel.exists({ status: 'running' })) !== null && (await oldestWaitMs(now())) < maxWaitMs;
}
