import { expect } from 'chai';
import request from 'supertest';
import { resetData, stack } from '../support/stack.ts';
import { makeInstitution, makeToken, makeUser } from '../support/factories.ts';
import { AuditEventModel } from '../../src/audit/model.ts';
import { FoodPeriodModel } from '../../src/foodcards/model.ts';

const as = (token: string) => ({
  get: (url: string) => request(stack().app).get(url).set('Authorization', `Bearer ${token}`),
  post: (url: string, body: object = {}) => request(stack().app).post(url).set('Authorization', `Bearer ${token}`).send(body),
  put: (url: string, body: object = {}) => request(stack().app).put(url).set('Authorization', `Bearer ${token}`).send(body),
});

describe('food cards: entitlement periods, rates and the school calendar', () => {
  let coord: string;
  beforeEach(async () => {
    await resetData();
    coord = await makeToken((await makeUser('coordinator')).email);
  });

  it('sets up a period with a default rate and class-range rates in cents, then its calendar', async () => {
    const created = await as(coord)
      .post('/api/food-periods', { name: 'Pavasaris 2020', from: '2020-03-16', to: '2020-05-29', rate: '1,42', rates: [{ classFrom: 5, classTo: 12, rate: 1.6 }] })
      .expect(201);
    expect(created.body).to.deep.include({ name: 'Pavasaris 2020', rateCents: 142, schoolDays: null });
    expect(created.body.rates).to.deep.equal([{ classFrom: 5, classTo: 12, rateCents: 160 }]);
    expect(created.body.calendar.set).to.equal(false);
    const withCalendar = await as(coord)
      .put(`/api/food-periods/${created.body.id}/calendar`, { holidays: ['2020-04-10', '2020-04-13', '2020-05-01', '2020-05-04'], daysOff: [], extraSchoolDays: [] })
      .expect(200);
    expect(withCalendar.body.calendar.set).to.equal(true);
    expect(withCalendar.body.schoolDays).to.equal(51);
    const list = await as(coord).get('/api/food-periods').expect(200);
    expect(list.body.items.map((p: { id: string }) => p.id)).to.deep.equal([created.body.id]);
    expect(await AuditEventModel.countDocuments({ action: /^food_period\./ })).to.equal(2);
  });

  for (const [label, body, code] of [
    ['a period ending before it starts', { from: '2020-05-29', to: '2020-03-16', rate: '1.42' }, 'period_reversed'],
    ['a rate that is not money', { rate: 'daudz' }, 'invalid_rate'],
    ['a negative rate', { rate: '-1.42' }, 'invalid_rate'],
    ['overlapping class ranges', { rates: [{ classFrom: 1, classTo: 6, rate: '1.42' }, { classFrom: 5, classTo: 12, rate: '1.60' }] }, 'rate_bands_overlap'],
    ['a class range beyond 12', { rates: [{ classFrom: 1, classTo: 13, rate: '1.42' }] }, 'invalid_class_range'],
    ['no name', { name: '' }, 'name_required'],
  ] as const) {
    it(`refuses ${label} with ${code} and stores nothing`, async () => {
      const base: Record<string, unknown> = { name: 'P', from: '2020-03-16', to: '2020-05-29', rate: '1.42' };
      const res = await as(coord).post('/api/food-periods', { ...base, ...body }).expect(400);
      expect(res.body.error.code).to.equal(code);
      expect(await FoodPeriodModel.countDocuments({})).to.equal(0);
    });
  }

  it('refuses calendar days outside the period or both off and school, leaving the calendar unset', async () => {
    const p = (await as(coord).post('/api/food-periods', { name: 'P', from: '2020-03-16', to: '2020-05-29', rate: '1.42' }).expect(201)).body;
    const outside = await as(coord).put(`/api/food-periods/${p.id}/calendar`, { holidays: ['2020-06-01'] }).expect(400);
    expect(outside.body.error.code).to.equal('day_outside_period');
    const both = await as(coord).put(`/api/food-periods/${p.id}/calendar`, { daysOff: ['2020-03-21'], extraSchoolDays: ['2020-03-21'] }).expect(400);
    expect(both.body.error.code).to.equal('day_both_off_and_school');
    const notADay = await as(coord).put(`/api/food-periods/${p.id}/calendar`, { holidays: ['2020-02-30'] }).expect(400);
    expect(notADay.body.error.code).to.equal('invalid_date');
    expect((await as(coord).get(`/api/food-periods/${p.id}`).expect(200)).body.calendar.set).to.equal(false);
    await as(coord).get('/api/food-periods/000000000000000000000000').expect(404);
  });

  it('is the office’s: a principal gets 403', async () => {
    const school = await makeInstitution();
    const principal = await makeToken((await makeUser('principal', school.code)).email);
    await as(principal).get('/api/food-periods').expect(403);
    await as(principal).post('/api/food-periods', { name: 'P', from: '2020-03-16', to: '2020-05-29', rate: '1.42' }).expect(403);
    expect(await FoodPeriodModel.countDocuments({})).to.equal(0);
  });
});
