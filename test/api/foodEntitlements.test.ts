import { expect } from 'chai';
import request from 'supertest';
import { resetData, stack } from '../support/stack.ts';
import { makeInstitution, makeToken, makeUser } from '../support/factories.ts';
import { validPersonalCode } from '../support/devices.ts';
import { importFile, makeWorkbook } from '../support/imports.ts';
import { EntitlementModel } from '../../src/foodcards/model.ts';

const as = (token: string) => ({
  get: (url: string) => request(stack().app).get(url).set('Authorization', `Bearer ${token}`),
  post: (url: string, body: object = {}) => request(stack().app).post(url).set('Authorization', `Bearer ${token}`).send(body),
  put: (url: string, body: object = {}) => request(stack().app).put(url).set('Authorization', `Bearer ${token}`).send(body),
});
const header = ['Personas kods', 'Vārds', 'Uzvārds', 'Klase', 'Statuss', 'Derīgs no', 'Derīgs līdz'];

describe('food cards: amounts computed for a period', () => {
  let coord: string;
  let principal: string;
  let school: string;
  let codes: string[];
  let period: string;

  beforeEach(async () => {
    await resetData();
    coord = await makeToken((await makeUser('coordinator')).email);
    school = (await makeInstitution({ name: 'Liepājas 5. vidusskola' })).code;
    principal = await makeToken((await makeUser('principal', school)).email);
    codes = [validPersonalCode(), validPersonalCode(), validPersonalCode()];
    const imp = await importFile(
      principal,
      { kind: 'food-entitlements' },
      await makeWorkbook(header, [
        [codes[0], 'Anna', 'Ozola', '3.a', 'trūcīga', '01.01.2020', '31.12.2020'],
        [codes[1], 'Jānis', 'Kalns', '7.b', 'maznodrošināta', '06.05.2020', '31.08.2020'],
        [codes[2], 'Marta', 'Liepa', '9.c', 'trūcīga', '01.09.2019', '13.03.2020'],
      ]),
    );
    expect(imp.summary).to.include({ created: 3, rejected: 0 });
    period = (await as(coord).post('/api/food-periods', { name: 'Pavasaris 2020', from: '2020-03-16', to: '2020-05-29', rate: '1.42', rates: [{ classFrom: 5, classTo: 12, rate: '1.60' }] }).expect(201)).body.id;
  });

  it('refuses to compute a period without a school calendar', async () => {
    const res = await as(coord).post(`/api/food-periods/${period}/compute`).expect(409);
    expect(res.body.error.code).to.equal('period_without_calendar');
    expect(await EntitlementModel.countDocuments({})).to.equal(0);
  });

  it('computes school days inside each validity times the class rate, explains them, and writes nothing twice', async () => {
    await as(coord).put(`/api/food-periods/${period}/calendar`, { holidays: ['2020-04-10', '2020-04-13', '2020-05-01', '2020-05-04'] }).expect(200);
    const first = await as(coord).post(`/api/food-periods/${period}/compute`).expect(200);
    // Anna: all 51 school days at 1.42; Jānis: 18 days from 6 May at 1.60 (class 7); Marta's status ended before.
    expect(first.body).to.include({ pupils: 2, created: 2, cents: 51 * 142 + 18 * 160 });
    const list = await as(principal).get(`/api/food-periods/${period}/entitlements`).expect(200);
    const byName = (n: string) => list.body.items.find((i: { firstName: string }) => i.firstName === n);
    expect(byName('Anna')).to.include({ days: 51, cents: 7242, rateCents: 142, institution: school });
    expect(byName('Jānis')).to.include({ days: 18, cents: 2880, rateCents: 160 });
    expect(JSON.stringify(list.body)).not.to.match(/\d{6}-\d{5}/);

    const explained = await as(principal).get(`/api/food-entitlements/${byName('Jānis').id}/explain`).expect(200);
    expect(explained.body).to.include({ counted: 18, cents: 2880 });
    expect(explained.body.days.find((d: { day: string }) => d.day === '2020-05-05').reason).to.equal('before_status');
    expect(explained.body.days.find((d: { day: string }) => d.day === '2020-05-04').reason).to.equal('holiday');

    const again = await as(coord).post(`/api/food-periods/${period}/compute`).expect(200);
    expect(again.body).to.include({ created: 0, updated: 0, unchanged: 2 });
    expect(await EntitlementModel.countDocuments({})).to.equal(2);

    const totals = await as(coord).get(`/api/food-periods/${period}/totals`).expect(200);
    expect(totals.body.items).to.deep.equal([{ institution: school, name: 'Liepājas 5. vidusskola', pupils: 2, days: 69, cents: 10122 }]);
  });

  it('follows a changed status on the next computation, and shows a principal only their own pupils', async () => {
    await as(coord).put(`/api/food-periods/${period}/calendar`, {}).expect(200);
    await as(coord).post(`/api/food-periods/${period}/compute`).expect(200);
    await importFile(principal, { kind: 'food-entitlements' }, await makeWorkbook(header, [[codes[0], 'Anna', 'Ozola', '3.a', 'trūcīga', '01.01.2020', '31.03.2020']]));
    const res = await as(coord).post(`/api/food-periods/${period}/compute`).expect(200);
    expect(res.body).to.include({ updated: 1, unchanged: 1 });
    const anna = await EntitlementModel.findOne({ validTo: '2020-03-31' }).lean();
    // 16–31 March: 12 weekdays (no holidays in this calendar).
    expect(anna).to.include({ days: 12, cents: 12 * 142 });

    const other = await makeInstitution();
    const otherPrincipal = await makeToken((await makeUser('principal', other.code)).email);
    const theirs = await as(otherPrincipal).get(`/api/food-periods/${period}/entitlements`).expect(200);
    expect(theirs.body.items).to.deep.equal([]);
    await as(otherPrincipal).get(`/api/food-entitlements/${anna!._id}/explain`).expect(404);
    await as(otherPrincipal).get(`/api/food-periods/${period}/entitlements?institution=${school}`).expect(404);
    await as(otherPrincipal).post(`/api/food-periods/${period}/compute`).expect(403);
  });
});
