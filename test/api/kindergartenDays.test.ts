import { expect } from 'chai';
import { resetData } from '../support/stack.ts';
import { makeInstitution, makeToken, makeUser } from '../support/factories.ts';
import { designateVia } from '../support/kindergartens.ts';
import { actorForSession } from '../../src/auth/service.ts';
import type { Actor } from '../../src/auth/actor.ts';
import { AppError } from '../../src/errors.ts';
import { AttendanceModel } from '../../src/kindergartens/model.ts';
import { submitReturn } from '../../src/kindergartens/attendanceService.ts';
import { monitorDay } from '../../src/kindergartens/monitoringService.ts';

/**
 * The daily return at the daylight saving changes, against the real database, with the moment of
 * sending given to the service (the clock of a test run cannot be moved to those nights).
 */
describe('base kindergartens: returns on the nights Riga changes its clocks', () => {
  let head: Actor;
  let code: string;
  const line = { groups: [{ group: 'Saulītes', registered: 12, present: 10 }] };

  beforeEach(async () => {
    await resetData();
    const kg = await makeInstitution({ type: 'kindergarten' });
    code = kg.code;
    const coord = await makeToken((await makeUser('coordinator')).email);
    await designateVia(coord, code, [{ name: 'Saulītes', capacity: 15 }], '2026-03-01', '2026-11-30');
    const user = await makeUser('principal', code);
    head = (await actorForSession(String(user.user._id)))!;
  });

  async function refusal(fn: () => Promise<unknown>): Promise<string> {
    try {
      await fn();
    } catch (err) {
      if (err instanceof AppError) return err.code;
      throw err;
    }
    return 'accepted';
  }

  it('takes the return for 30 March sent at 00:30 summer time, which a fixed +2 would put on the 29th', async () => {
    const now = new Date('2026-03-29T21:30:00Z');
    const res = await submitReturn(head, code, '2026-03-30', line, null, now);
    expect(res).to.include({ day: '2026-03-30', late: false });
    expect(await refusal(() => submitReturn(head, code, '2026-03-31', line, null, now))).to.equal('day_in_future');
    const stored = await AttendanceModel.find({}).lean();
    expect(stored.map((a) => a.day)).to.deep.equal(['2026-03-30']);
  });

  it('files a return sent at 00:30 on 25 October (still summer time) under the 25th, on time', async () => {
    const res = await submitReturn(head, code, '2026-10-25', line, null, new Date('2026-10-24T21:30:00Z'));
    expect(res).to.include({ day: '2026-10-25', late: false });
  });

  it('applies the 10:00 deadline by Riga clocks on both change days', async () => {
    // 10:30 summer time on 29 March: late (a fixed +2 would say 09:30).
    expect((await submitReturn(head, code, '2026-03-29', line, null, new Date('2026-03-29T07:30:00Z'))).late).to.equal(true);
    // 09:30 winter time on 25 October: on time (a fixed +3 would say 10:30).
    expect((await submitReturn(head, code, '2026-10-25', line, null, new Date('2026-10-25T07:30:00Z'))).late).to.equal(false);
    const mon = await monitorDay(head, '2026-10-25', new Date('2026-10-25T07:30:00Z'));
    expect(mon.overdue).to.equal(false);
    expect((await monitorDay(head, '2026-10-25', new Date('2026-10-25T08:30:00Z'))).overdue).to.equal(true);
  });
});
