import { expect } from 'chai';
import request from 'supertest';
import { stack, resetData } from '../support/stack.ts';
import { makeInstitution, makeToken, makeUser, signedInAgent } from '../support/factories.ts';
import { revokeApiToken } from '../../src/auth/tokens.ts';
import { ApiTokenModel } from '../../src/auth/model.ts';

describe('roles and API tokens', () => {
  beforeEach(resetData);

  it('a coordinator sees every institution; a principal only their own', async () => {
    const a = await makeInstitution();
    const b = await makeInstitution({ type: 'kindergarten' });
    const coord = await makeUser('coordinator');
    const principal = await makeUser('principal', a.code);
    const all = await request(stack().app).get('/api/institutions').set('Authorization', `Bearer ${await makeToken(coord.email)}`).expect(200);
    expect(all.body.items.map((i: { code: string }) => i.code)).to.have.members([a.code, b.code]);
    const own = await request(stack().app).get('/api/institutions').set('Authorization', `Bearer ${await makeToken(principal.email)}`).expect(200);
    expect(own.body.items.map((i: { code: string }) => i.code)).to.deep.equal([a.code]);
  });

  it('coordinator-only routes answer 403 to a principal and 401 to nobody', async () => {
    const a = await makeInstitution();
    const principal = await makeUser('principal', a.code);
    const { agent } = await signedInAgent(stack().app, principal.email);
    for (const url of ['/api/users', '/api/audit']) {
      const res = await agent.get(url).expect(403);
      expect(res.body.error.code).to.equal('forbidden');
      await request(stack().app).get(url).expect(401);
    }
    await agent.get('/users').expect(403);
    await agent.get('/institutions').expect(403);
  });

  it('a coordinator creates institutions, groups and users over the API', async () => {
    const coord = await makeUser('coordinator');
    const { agent, csrf } = await signedInAgent(stack().app, coord.email);
    const inst = await agent
      .post('/api/institutions')
      .set('X-CSRF-Token', csrf)
      .send({ code: 'PII-1', name: 'Bērnudārzs', type: 'kindergarten', base: true, baseFrom: '2020-03-16', baseTo: '2020-05-29' })
      .expect(201);
    expect(inst.body.basePeriods).to.deep.equal([{ from: '2020-03-16', to: '2020-05-29' }]);
    await agent.post('/api/institutions/PII-1/groups').set('X-CSRF-Token', csrf).send({ name: 'Zīļuki', capacity: 18 }).expect(201);
    await agent.post('/api/institutions/PII-1/groups').set('X-CSRF-Token', csrf).send({ name: 'Zīļuki', capacity: -1 }).expect(400);
    const user = await agent.post('/api/users').set('X-CSRF-Token', csrf).send({ email: 'vaditaja@pii.lv', password: 'long enough pw', role: 'principal', institution: 'PII-1' }).expect(201);
    expect(user.body.role).to.equal('principal');
    const dup = await agent.post('/api/users').set('X-CSRF-Token', csrf).send({ email: 'VADITAJA@pii.lv', password: 'long enough pw', role: 'principal', institution: 'PII-1' }).expect(409);
    expect(dup.body.error.code).to.equal('user_exists');
  });

  it('rejects a school as a base kindergarten and a reversed period with clear codes', async () => {
    const coord = await makeUser('coordinator');
    const token = await makeToken(coord.email);
    const school = await request(stack().app).post('/api/institutions').set('Authorization', `Bearer ${token}`).send({ code: 'S-1', name: 'S', type: 'school', base: true }).expect(400);
    expect(school.body.error.code).to.equal('base_requires_kindergarten');
    const reversed = await request(stack().app)
      .post('/api/institutions')
      .set('Authorization', `Bearer ${token}`)
      .send({ code: 'K-1', name: 'K', type: 'kindergarten', base: true, baseFrom: '2020-05-01', baseTo: '2020-04-01' })
      .expect(400);
    expect(reversed.body.error.code).to.equal('base_period_reversed');
    expect(reversed.body.error.message).to.be.a('string').and.not.equal('base_period_reversed');
  });

  it('bearer tokens work without CSRF, are stored hashed, and stop working when revoked or unknown', async () => {
    const coord = await makeUser('coordinator');
    const token = await makeToken(coord.email);
    await request(stack().app).post('/api/institutions').set('Authorization', `Bearer ${token}`).send({ code: 'B-1', name: 'B', type: 'school' }).expect(201);
    const stored = await ApiTokenModel.findOne({}).lean();
    expect(JSON.stringify(stored)).not.to.include(token);
    await revokeApiToken({ kind: 'cli' }, String(stored!._id));
    const res = await request(stack().app).get('/api/institutions').set('Authorization', `Bearer ${token}`).expect(401);
    expect(res.body.error.code).to.equal('invalid_token');
    await request(stack().app).get('/api/institutions').set('Authorization', 'Bearer edu_nope').expect(401);
  });

  it('a bad bearer token is refused even when a valid session cookie comes with it', async () => {
    const coord = await makeUser('coordinator');
    const { agent } = await signedInAgent(stack().app, coord.email);
    await agent.get('/api/institutions').expect(200);
    await agent.get('/api/institutions').set('Authorization', 'Bearer edu_forged').expect(401);
  });

  it('a deactivated account loses its session and its tokens at once', async () => {
    const coord = await makeUser('coordinator');
    const other = await makeUser('coordinator');
    const token = await makeToken(other.email);
    const { agent: otherAgent } = await signedInAgent(stack().app, other.email);
    const { agent, csrf } = await signedInAgent(stack().app, coord.email);
    await agent.patch(`/api/users/${other.user._id}`).set('X-CSRF-Token', csrf).send({ active: false }).expect(204);
    await otherAgent.get('/api/session').expect(401);
    await request(stack().app).get('/api/session').set('Authorization', `Bearer ${token}`).expect(401);
  });
});
