import { expect } from 'chai';
import request from 'supertest';
import { resetData, stack } from '../support/stack.ts';
import { makeInstitution, makeToken, makeUser } from '../support/factories.ts';
import { validPersonalCode } from '../support/devices.ts';
import { AuditEventModel } from '../../src/audit/model.ts';
import { FamilyStatusModel } from '../../src/foodcards/model.ts';
import { addDays, rigaToday } from '../../src/shared/dates.ts';
import { actorForSession } from '../../src/auth/service.ts';
import { expiringStatuses } from '../../src/foodcards/familyStatusService.ts';

const as = (token: string) => ({
  get: (url: string) => request(stack().app).get(url).set('Authorization', `Bearer ${token}`),
  post: (url: string, body: object = {}) => request(stack().app).post(url).set('Authorization', `Bearer ${token}`).send(body),
});

/** A valid code with its last digit changed, so only the check digit is wrong. */
function wrongCheckDigit(): string {
  const c = validPersonalCode();
  return c.slice(0, -1) + String((Number(c.at(-1)) + 1) % 10);
}

describe('food cards: family statuses by hand and those about to expire', () => {
  let principal: string;
  let school: string;
  beforeEach(async () => {
    await resetData();
    school = (await makeInstitution()).code;
    principal = await makeToken((await makeUser('principal', school)).email);
  });

  it('records a status for a pupil, replaces it on the next entry, and audits both', async () => {
    const code = validPersonalCode();
    const first = await as(principal).post('/api/family-statuses', { personalCode: code, firstName: 'Anna', lastName: 'Ozola', class: '3.a', status: 'poor', validFrom: '2020-01-01', validTo: '2020-06-30' }).expect(201);
    expect(first.body).to.include({ institution: school, status: 'poor', created: true });
    await as(principal).post('/api/family-statuses', { personalCode: code, firstName: 'Anna', lastName: 'Ozola', status: 'low_income', validFrom: '2020-03-01', validTo: '2020-12-31' }).expect(200);
    const stored = await FamilyStatusModel.find({}).lean();
    expect(stored).to.have.length(1);
    expect(stored[0]).to.include({ status: 'low_income', validFrom: '2020-03-01', validTo: '2020-12-31' });
    expect((await AuditEventModel.find({ action: /^family_status\./ }).lean()).map((a) => a.action).sort()).to.deep.equal(['family_status.create', 'family_status.update']);
  });

  for (const [label, body, code] of [
    ['a validity ending before it starts', { validFrom: '2020-06-30', validTo: '2020-01-01' }, 'validity_reversed'],
    ['an unknown status', { status: 'rich' }, 'unknown_status'],
    ['a personal code with a wrong check digit', { personalCode: wrongCheckDigit() }, 'personal_code_check_digit'],
  ] as const) {
    it(`refuses ${label} with ${code} and stores nothing`, async () => {
      const base: Record<string, unknown> = { personalCode: validPersonalCode(), firstName: 'Anna', lastName: 'Ozola', status: 'poor', validFrom: '2020-01-01', validTo: '2020-06-30' };
      const res = await as(principal).post('/api/family-statuses', { ...base, ...body }).expect(400);
      expect(res.body.error.code).to.equal(code);
      expect(await FamilyStatusModel.countDocuments({})).to.equal(0);
    });
  }

  it('refuses a pupil of another institution and lists statuses about to expire within the reader’s scope', async () => {
    const code = validPersonalCode();
    await as(principal).post('/api/family-statuses', { personalCode: code, firstName: 'Anna', lastName: 'Ozola', status: 'poor', validFrom: '2020-01-01', validTo: addDays(rigaToday(), 5) }).expect(201);
    await as(principal).post('/api/family-statuses', { personalCode: validPersonalCode(), firstName: 'Jānis', lastName: 'Kalns', status: 'poor', validFrom: '2020-01-01', validTo: addDays(rigaToday(), 40) }).expect(201);
    const other = await makeInstitution();
    const otherPrincipal = await makeToken((await makeUser('principal', other.code)).email);
    const taken = await as(otherPrincipal).post('/api/family-statuses', { personalCode: code, firstName: 'Anna', lastName: 'Ozola', status: 'poor', validFrom: '2020-01-01', validTo: '2020-06-30' }).expect(409);
    expect(taken.body.error.code).to.equal('pupil_in_other_institution');

    const soon = await as(principal).get('/api/family-statuses/expiring?days=14').expect(200);
    expect(soon.body.items.map((i: { firstName: string }) => i.firstName)).to.deep.equal(['Anna']);
    expect(soon.body.items[0]).to.include({ institution: school, validTo: addDays(rigaToday(), 5) });
    expect(JSON.stringify(soon.body)).not.to.match(/\d{6}-\d{5}/);
    expect((await as(otherPrincipal).get('/api/family-statuses/expiring?days=60').expect(200)).body.items).to.deep.equal([]);
    await as(otherPrincipal).get(`/api/family-statuses/expiring?institution=${school}`).expect(404);
  });

  it('counts a status as valid through its last Riga day: listed on that day, gone the next', async () => {
    const user = await makeUser('principal', school);
    const actor = (await actorForSession(String(user.user._id)))!;
    await as(principal).post('/api/family-statuses', { personalCode: validPersonalCode(), firstName: 'Anna', lastName: 'Ozola', status: 'poor', validFrom: '2026-01-01', validTo: '2026-03-30' }).expect(201);
    // 00:30 on 30 March in Riga (summer time since the night before) is still 29 March in UTC.
    const lastDay = rigaToday(new Date('2026-03-29T21:30:00Z'));
    expect(lastDay).to.equal('2026-03-30');
    expect((await expiringStatuses(actor, { days: 0 }, lastDay)).map((r) => r.validTo)).to.deep.equal(['2026-03-30']);
    expect(await expiringStatuses(actor, { days: 30 }, addDays(lastDay, 1))).to.deep.equal([]);
  });
});
