import { expect } from 'chai';
import request from 'supertest';
import { stack, resetData } from '../support/stack.ts';
import { makeToken, makeUser } from '../support/factories.ts';
import { AuditEventModel } from '../../src/audit/model.ts';
import { recordAudit } from '../../src/audit/service.ts';

describe('audit log', () => {
  beforeEach(resetData);

  it('records institution and user changes with who did them', async () => {
    const coord = await makeUser('coordinator');
    const token = await makeToken(coord.email);
    const auth = { Authorization: `Bearer ${token}` };
    await request(stack().app).post('/api/institutions').set(auth).send({ code: 'AU-1', name: 'Audit school', type: 'school' }).expect(201);
    await request(stack().app).post('/api/institutions').set(auth).send({ code: 'AU-1', name: 'Audit school renamed', type: 'school' }).expect(200);
    await request(stack().app).post('/api/users').set(auth).send({ email: 'p@au.lv', password: 'long enough pw', role: 'principal', institution: 'AU-1' }).expect(201);
    const events = await AuditEventModel.find({ 'actor.email': coord.email }).sort({ at: 1 }).lean();
    expect(events.map((e) => e.action)).to.deep.equal(['institution.create', 'institution.update', 'user.create']);
    expect(events[1]!.details).to.include({ name: 'Audit school renamed' });
    expect(JSON.stringify(events)).not.to.include('long enough pw');
  });

  it('is append-only: updates and deletes through the model are refused', async () => {
    await recordAudit({ actor: { kind: 'cli' }, action: 'test.event' });
    let refused = 0;
    for (const op of [
      () => AuditEventModel.updateOne({ action: 'test.event' }, { $set: { action: 'changed' } }),
      () => AuditEventModel.deleteMany({}),
      () => AuditEventModel.findOneAndUpdate({ action: 'test.event' }, { $set: { action: 'x' } }),
    ]) {
      try {
        await op();
      } catch (err) {
        expect((err as Error).message).to.match(/append-only/);
        refused += 1;
      }
    }
    expect(refused).to.equal(3);
    expect(await AuditEventModel.countDocuments({ action: 'test.event' })).to.equal(1);
  });

  it('coordinators search it by person, action, institution and date', async () => {
    const coord = await makeUser('coordinator');
    const token = await makeToken(coord.email);
    await recordAudit({ actor: { kind: 'cli' }, action: 'institution.create', institution: 'X-1' });
    await recordAudit({ actor: { kind: 'cli' }, action: 'user.create', institution: 'X-2' });
    const get = (q: string) => request(stack().app).get('/api/audit' + q).set('Authorization', `Bearer ${token}`).expect(200);
    expect((await get('?action=institution.')).body.items.map((i: { institution: string }) => i.institution)).to.deep.equal(['X-1']);
    expect((await get('?institution=X-2')).body.items).to.have.length(1);
    expect((await get(`?actor=${encodeURIComponent(coord.email)}`)).body.items.every((i: { actor: { email: string } }) => i.actor.email === coord.email)).to.equal(true);
    const today = new Date().toISOString().slice(0, 10);
    expect((await get(`?from=${today}&to=${today}`)).body.items.length).to.be.greaterThan(1);
    expect((await get('?from=2001-01-01&to=2001-01-02')).body.items).to.have.length(0);
    await request(stack().app).get('/api/audit?from=2001-02-30').set('Authorization', `Bearer ${token}`).expect(400);
    const page = await request(stack().app).get('/audit?action=user.').set('Authorization', `Bearer ${token}`).expect(200);
    expect(page.text).to.include('user.create').and.not.to.include('X-1<');
  });
});
