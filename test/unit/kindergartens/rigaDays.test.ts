import { expect } from 'chai';
import { daysBetween, rigaMoment, rigaToday } from '../../../src/shared/dates.ts';
import { isLate } from '../../../src/kindergartens/attendanceService.ts';

// Riga moves from +2 to +3 at 03:00 on the last Sunday of March (29 March 2026) and back at
// 04:00 on the last Sunday of October (25 October 2026).
describe('Riga calendar days across the daylight saving changes', () => {
  it('names the Riga day of moments just after midnight on both sides of each change', () => {
    expect(rigaToday(new Date('2026-03-28T21:59:00Z'))).to.equal('2026-03-28'); // 23:59 +2
    expect(rigaToday(new Date('2026-03-28T22:00:00Z'))).to.equal('2026-03-29'); // 00:00 +2
    expect(rigaToday(new Date('2026-03-29T20:59:00Z'))).to.equal('2026-03-29'); // 23:59 +3
    expect(rigaToday(new Date('2026-03-29T21:00:00Z'))).to.equal('2026-03-30'); // 00:00 +3: a fixed +2 would still say the 29th
    expect(rigaToday(new Date('2026-10-24T21:00:00Z'))).to.equal('2026-10-25'); // 00:00 +3
    expect(rigaToday(new Date('2026-10-25T21:59:00Z'))).to.equal('2026-10-25'); // 23:59 +2: a fixed +3 would say the 26th
    expect(rigaToday(new Date('2026-10-25T22:00:00Z'))).to.equal('2026-10-26');
  });

  it('puts the 10:00 deadline at the right moment on the days of the changes and around them', () => {
    expect(rigaMoment('2026-03-28', '10:00').toISOString()).to.equal('2026-03-28T08:00:00.000Z');
    expect(rigaMoment('2026-03-29', '10:00').toISOString()).to.equal('2026-03-29T07:00:00.000Z');
    expect(rigaMoment('2026-03-30', '10:00').toISOString()).to.equal('2026-03-30T07:00:00.000Z');
    expect(rigaMoment('2026-10-24', '10:00').toISOString()).to.equal('2026-10-24T07:00:00.000Z');
    expect(rigaMoment('2026-10-25', '10:00').toISOString()).to.equal('2026-10-25T08:00:00.000Z');
    // Midnight of the spring change still has its own offset (+2).
    expect(rigaMoment('2026-03-29', '00:00').toISOString()).to.equal('2026-03-28T22:00:00.000Z');
  });

  it('calls a return late only after the deadline as Riga clocks show it', () => {
    // 09:30 and 10:30 summer time on the day clocks went forward.
    expect(isLate('2026-03-29', '10:00', new Date('2026-03-29T06:30:00Z'))).to.equal(false);
    expect(isLate('2026-03-29', '10:00', new Date('2026-03-29T07:30:00Z'))).to.equal(true);
    // 09:30 winter time on the day clocks went back: a fixed +3 would call it late.
    expect(isLate('2026-10-25', '10:00', new Date('2026-10-25T07:30:00Z'))).to.equal(false);
    expect(isLate('2026-10-25', '10:00', new Date('2026-10-25T08:01:00Z'))).to.equal(true);
    // Any moment of a later day is late for the day before.
    expect(isLate('2026-10-24', '23:59', new Date('2026-10-24T21:30:00Z'))).to.equal(true);
  });

  it('lists the days of a period across a change with none lost or doubled', () => {
    expect(daysBetween('2026-03-28', '2026-03-30')).to.deep.equal(['2026-03-28', '2026-03-29', '2026-03-30']);
    expect(daysBetween('2026-10-24', '2026-10-26')).to.deep.equal(['2026-10-24', '2026-10-25', '2026-10-26']);
  });
});
