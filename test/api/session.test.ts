import { expect } from 'chai';
import request from 'supertest';
import { stack, resetData } from '../support/stack.ts';
import { makeInstitution, makeUser, signedInAgent, testPassword } from '../support/factories.ts';
import { AuditEventModel } from '../../src/audit/model.ts';
import { sessionCookieName } from '../../src/auth/session.ts';

function sessionCookie(res: request.Response): string | undefined {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return cookies.find((c) => c.startsWith(sessionCookieName + '='))?.split(';')[0];
}

describe('sign-in and sign-out (POST/GET/DELETE /api/session)', () => {
  beforeEach(resetData);

  it('signs in with e-mail and password and returns the user and a CSRF token', async () => {
    const { code } = await makeInstitution();
    const { email } = await makeUser('principal', code);
    const res = await request(stack().app).post('/api/session').send({ email: email.toUpperCase(), password: testPassword }).expect(200);
    expect(res.body.user).to.include({ email, role: 'principal', institution: code });
    expect(res.body.csrfToken).to.be.a('string').with.length.greaterThan(20);
    const cookie = res.headers['set-cookie']![0]!;
    expect(cookie).to.match(/HttpOnly/i).and.to.match(/SameSite=Lax/i);
    expect(res.body.user).not.to.have.property('passwordHash');
  });

  it('answers an unknown e-mail and a wrong password alike', async () => {
    const { email } = await makeUser('coordinator');
    const unknown = await request(stack().app).post('/api/session').send({ email: 'nobody@test.lv', password: 'whatever-long' });
    const wrong = await request(stack().app).post('/api/session').send({ email, password: 'wrong-password' });
    expect(unknown.status).to.equal(401);
    expect(wrong.status).to.equal(401);
    expect(unknown.body).to.deep.equal(wrong.body);
    expect(wrong.body.error.code).to.equal('invalid_credentials');
  });

  it('rotates the session id at sign-in (no session fixation)', async () => {
    const { email } = await makeUser('coordinator');
    const agent = request.agent(stack().app);
    const before = sessionCookie(await agent.get('/signin').expect(200));
    expect(before, 'the sign-in page starts a session for its CSRF token').to.be.a('string');
    const after = sessionCookie(await agent.post('/api/session').send({ email, password: testPassword }).expect(200));
    expect(after).to.be.a('string').and.not.equal(before);
    // The pre-sign-in id is worthless now.
    await request(stack().app).get('/api/session').set('Cookie', before!).expect(401);
  });

  it('returns the signed-in user on GET and signs out on DELETE with the CSRF token', async () => {
    const { email } = await makeUser('coordinator');
    const { agent, csrf } = await signedInAgent(stack().app, email);
    const me = await agent.get('/api/session').expect(200);
    expect(me.body.user.email).to.equal(email);
    expect(me.body.csrfToken).to.equal(csrf);
    await agent.delete('/api/session').expect(403);
    await agent.delete('/api/session').set('X-CSRF-Token', csrf).expect(204);
    await agent.get('/api/session').expect(401);
  });

  it('refuses cookie requests that change something without the CSRF token', async () => {
    const { email } = await makeUser('coordinator');
    const { agent, csrf } = await signedInAgent(stack().app, email);
    const body = { code: 'CSRF-1', name: 'X', type: 'school' };
    const res = await agent.post('/api/institutions').send(body).expect(403);
    expect(res.body.error.code).to.equal('csrf_invalid');
    await agent.post('/api/institutions').set('X-CSRF-Token', 'forged').send(body).expect(403);
    await agent.post('/api/institutions').set('X-CSRF-Token', csrf).send(body).expect(201);
  });

  it('limits failed attempts per account, and the limit holds for the right password too', async () => {
    const { email } = await makeUser('coordinator');
    const limit = stack().config.limits.signinPerAccount;
    for (let i = 0; i < limit; i++) {
      await request(stack().app).post('/api/session').send({ email, password: 'wrong-password' }).expect(401);
    }
    const blocked = await request(stack().app).post('/api/session').send({ email, password: testPassword }).expect(429);
    expect(blocked.body.error.code).to.equal('too_many_signin_attempts');
    // Another account from the same address is not blocked by this one's failures.
    const other = await makeUser('coordinator');
    await request(stack().app).post('/api/session').send({ email: other.email, password: testPassword }).expect(200);
  });

  it('audits sign-in, failed sign-in and sign-out, without the password', async () => {
    const { email } = await makeUser('coordinator');
    await request(stack().app).post('/api/session').send({ email, password: 'wrong-password' }).expect(401);
    const { agent, csrf } = await signedInAgent(stack().app, email);
    await agent.delete('/api/session').set('X-CSRF-Token', csrf).expect(204);
    const events = await AuditEventModel.find({ 'target.label': email }).sort({ at: 1 }).lean();
    expect(events.map((e) => e.action)).to.include.members(['auth.signin_failed', 'auth.signin', 'auth.signout']);
    expect(JSON.stringify(events)).not.to.include('wrong-password').and.not.to.include(testPassword);
  });

  it('rejects a malformed JSON body with 400 and a JSON error', async () => {
    const res = await request(stack().app).post('/api/session').set('Content-Type', 'application/json').send('{"email":').expect(400);
    expect(res.body.error.code).to.equal('invalid_json');
  });
});
