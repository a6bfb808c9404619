import { expect } from 'chai';
import { countWithin, entitlementAmount, euroCents, explainEntitlement, gradeOf, rateForClass, schoolDaysOf, weekday } from '../../../src/foodcards/entitlements.ts';

// The spring 2020 closure: 16 March to 29 May; Easter (10 and 13 April), 1 and 4 May are holidays.
const period = { from: '2020-03-16', to: '2020-05-29' };
const calendar = { holidays: ['2020-04-10', '2020-04-13', '2020-05-01', '2020-05-04'], daysOff: [], extraSchoolDays: [] };

describe('food-card amounts', () => {
  it('counts the weekdays of the period without holidays', () => {
    const days = schoolDaysOf(period, calendar);
    // 11 weeks of 5 weekdays = 55, minus 4 holidays.
    expect(days).to.have.length(51);
    expect(days[0]).to.equal('2020-03-16');
    expect(days.at(-1)).to.equal('2020-05-29');
    expect(days).not.to.include('2020-04-10');
    expect(days).not.to.include('2020-03-21'); // a Saturday
  });

  it('counts a status valid for the whole period at the daily rate, in cents', () => {
    const days = schoolDaysOf(period, calendar);
    expect(entitlementAmount(days, { from: '2020-01-01', to: '2020-12-31' }, 142)).to.deep.equal({ days: 51, cents: 7242 });
  });

  it('includes both ends of the validity', () => {
    const days = schoolDaysOf(period, calendar);
    // Monday 16 March to Friday 20 March: five school days, both ends counted.
    expect(entitlementAmount(days, { from: '2020-03-16', to: '2020-03-20' }, 142)).to.deep.equal({ days: 5, cents: 710 });
    // One day: from and to the same school day.
    expect(entitlementAmount(days, { from: '2020-03-18', to: '2020-03-18' }, 142).days).to.equal(1);
    // Ending on a holiday or a weekend adds nothing.
    expect(entitlementAmount(days, { from: '2020-04-09', to: '2020-04-13' }, 100).days).to.equal(1);
  });

  it('counts a status starting in the middle of the period from its first day only', () => {
    const days = schoolDaysOf(period, calendar);
    // From Wednesday 6 May: 6–8 May (3) and three more weeks (15).
    expect(entitlementAmount(days, { from: '2020-05-06', to: '2020-08-31' }, 142)).to.deep.equal({ days: 18, cents: 2556 });
    // A status that ended before the period, or begins after it, is worth nothing.
    expect(entitlementAmount(days, { from: '2019-09-01', to: '2020-03-13' }, 142).days).to.equal(0);
    expect(entitlementAmount(days, { from: '2020-06-01', to: '2020-12-31' }, 142).days).to.equal(0);
    expect(entitlementAmount(days, { from: '2020-05-01', to: '2020-04-01' }, 142).days, 'a reversed validity counts nothing').to.equal(0);
  });

  it('knows leap days and the weekday of 29 February', () => {
    expect(weekday('2020-02-29')).to.equal(6); // a Saturday
    expect(weekday('2024-02-29')).to.equal(4); // a Thursday
    const leap = schoolDaysOf({ from: '2024-02-26', to: '2024-03-01' }, { holidays: [], daysOff: [], extraSchoolDays: [] });
    expect(leap).to.deep.equal(['2024-02-26', '2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01']);
    expect(entitlementAmount(leap, { from: '2024-02-29', to: '2024-02-29' }, 142).days).to.equal(1);
  });

  it('takes days off away and a Saturday made a school day in', () => {
    const cal = { holidays: [], daysOff: ['2020-03-17'], extraSchoolDays: ['2020-03-21'] };
    expect(schoolDaysOf({ from: '2020-03-16', to: '2020-03-22' }, cal)).to.deep.equal(['2020-03-16', '2020-03-18', '2020-03-19', '2020-03-20', '2020-03-21']);
  });

  it('explains every day of the period and adds up to the same amount', () => {
    const validity = { from: '2020-04-01', to: '2020-04-30' };
    const explained = explainEntitlement(period, calendar, validity, 142);
    expect(explained.days).to.have.length(75);
    expect(explained.cents).to.equal(entitlementAmount(schoolDaysOf(period, calendar), validity, 142).cents);
    const why = (d: string) => explained.days.find((x) => x.day === d)!.reason;
    expect(why('2020-03-31')).to.equal('before_status');
    expect(why('2020-04-01')).to.equal('school_day');
    expect(why('2020-04-10')).to.equal('holiday');
    expect(why('2020-04-11')).to.equal('weekend');
    expect(why('2020-05-04')).to.equal('holiday');
    expect(why('2020-05-05')).to.equal('after_status');
  });

  it('counts by binary search exactly as by walking the days', () => {
    const days = schoolDaysOf(period, calendar);
    for (const [from, to] of [['2020-03-01', '2020-03-16'], ['2020-03-17', '2020-03-17'], ['2020-05-29', '2020-06-30'], ['2020-04-11', '2020-04-12']] as const) {
      expect(countWithin(days, { from, to }), `${from}–${to}`).to.equal(days.filter((d) => d >= from && d <= to).length);
    }
  });

  it('takes the rate of the class range, else the default', () => {
    const bands = [{ classFrom: 1, classTo: 4, cents: 142 }, { classFrom: 5, classTo: 12, cents: 160 }];
    expect(rateForClass(bands, 150, '3.a')).to.equal(142);
    expect(rateForClass(bands, 150, '12B')).to.equal(160);
    expect(rateForClass(bands, 150, 'sagatavošanas grupa')).to.equal(150);
    expect(gradeOf(' 9.c')).to.equal(9);
    expect(gradeOf(null)).to.equal(null);
  });

  it('reads euros as typed into integer cents', () => {
    expect(euroCents('1.42')).to.equal(142);
    expect(euroCents('1,4')).to.equal(140);
    expect(euroCents('2')).to.equal(200);
    expect(euroCents('1.425')).to.equal(null);
    expect(euroCents('-1')).to.equal(null);
    expect(euroCents('EUR')).to.equal(null);
  });
});
