import { expect } from 'chai';
import request from 'supertest';
import { stack, resetData } from '../support/stack.ts';
import { makeInstitution, makeUser, testPassword } from '../support/factories.ts';
import { loadCatalogue } from '../../src/i18n/index.ts';

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
const lv = loadCatalogue('lv') as { signin: Record<string, string>; nav: Record<string, string>; dashboard: Record<string, string> };
const ru = loadCatalogue('ru') as typeof lv;

describe('web pages: sign-in form, navigation per role, language', () => {
  beforeEach(resetData);

  it('signs in through the form with its CSRF token and shows the navigation of the role', async () => {
    const { code } = await makeInstitution();
    const principal = await makeUser('principal', code);
    const agent = request.agent(stack().app);
    const form = await agent.get('/signin').expect(200);
    const token = csrfOf(form.text);
    expect(token).to.be.a('string');
    await agent.post('/signin').type('form').send({ email: principal.email, password: testPassword }).expect(403);
    const ok = await agent.post('/signin').type('form').send({ _csrf: token, email: principal.email, password: testPassword, next: '/dashboard' }).expect(303);
    expect(ok.headers.location).to.equal('/dashboard');
    const dash = await agent.get('/dashboard').expect(200);
    expect(dash.text).to.include(lv.nav.myInstitution).and.not.to.include(lv.nav.audit);
    expect(dash.text).to.include(`/institutions/${code}`);
  });

  it('a wrong password re-renders the form with a 401 and the message; the next parameter cannot leave the site', async () => {
    const coord = await makeUser('coordinator');
    const agent = request.agent(stack().app);
    const token = csrfOf((await agent.get('/signin').expect(200)).text);
    const bad = await agent.post('/signin').type('form').send({ _csrf: token, email: coord.email, password: 'nope-nope-nope' }).expect(401);
    expect(bad.text).to.include(lv.signin.failed);
    const ok = await agent.post('/signin').type('form').send({ _csrf: token, email: coord.email, password: testPassword, next: '//evil.example/x' }).expect(303);
    expect(ok.headers.location).to.equal('/dashboard');
    const dash = await agent.get('/dashboard').expect(200);
    expect(dash.text).to.include(lv.nav.audit).and.to.include(lv.nav.users);
  });

  it('a staff page opened signed out redirects to the sign-in form and back', async () => {
    const res = await request(stack().app).get('/institutions/ABC').expect(303);
    expect(res.headers.location).to.equal('/signin?next=%2Finstitutions%2FABC');
  });

  it('the language switch is remembered in a cookie and only returns to local paths', async () => {
    const agent = request.agent(stack().app);
    const sw = await agent.get('/lang/ru?next=/signin').expect(303);
    expect(sw.headers.location).to.equal('/signin');
    const page = await agent.get('/signin').expect(200);
    expect(page.text).to.include('<html lang="ru">').and.to.include(ru.signin.title);
    const evil = await agent.get('/lang/en?next=https://evil.example').expect(303);
    expect(evil.headers.location).to.equal('/');
    const unknown = await agent.get('/lang/de?next=/').expect(303);
    expect(String(unknown.headers['set-cookie'] ?? '')).not.to.include('lang=');
    expect((await request(stack().app).get('/').expect(200)).text).to.include('<html lang="lv">');
  });

  it('escapes user text in pages', async () => {
    await makeInstitution({ code: 'XSS-1', name: '<script>alert(1)</script>' });
    const coord = await makeUser('coordinator');
    const agent = request.agent(stack().app);
    await agent.post('/api/session').send({ email: coord.email, password: testPassword }).expect(200);
    const res = await agent.get('/institutions').expect(200);
    expect(res.text).not.to.include('<script>alert(1)</script>');
    expect(res.text).to.include('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('sends security headers', async () => {
    const res = await request(stack().app).get('/').expect(200);
    expect(res.headers['content-security-policy']).to.include("script-src 'self'");
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    expect(res.headers['x-powered-by']).to.equal(undefined);
    expect(res.headers['set-cookie'], 'a plain visit starts no session').to.equal(undefined);
  });
});

describe('parents status lookup (public area)', () => {
  beforeEach(resetData);

  it('answers unknown and malformed codes alike with 404, and 429 after too many tries', async () => {
    const unknown = await request(stack().app).post('/api/status').send({ referenceCode: 'K7QM-4XPA-9T' }).expect(404);
    const malformed = await request(stack().app).post('/api/status').send({ referenceCode: 'hello' }).expect(404);
    expect(unknown.body).to.deep.equal(malformed.body);
    const limit = stack().config.limits.statusPerIp;
    for (let i = 2; i < limit; i++) await request(stack().app).post('/api/status').send({ referenceCode: 'K7QM-4XPA-9T' }).expect(404);
    const res = await request(stack().app).post('/api/status').send({ referenceCode: 'K7QM-4XPA-9T' }).expect(429);
    expect(res.body.error.code).to.equal('too_many_requests');
  });
});
