import { expect } from 'chai';
import request from 'supertest';
import { stack, resetData } from '../support/stack.ts';
import { makeInstitution, makeToken, makeUser, signedInAgent } from '../support/factories.ts';
import { registerNeedVia, validPersonalCode } from '../support/devices.ts';
import { requestVia } from '../support/kindergartens.ts';
import { AuditEventModel } from '../../src/audit/model.ts';
import { PupilModel } from '../../src/pupils/model.ts';
import { backfillSearchKeys } from '../../src/pupils/backfill.ts';
import { candidateLimit } from '../../src/pupils/searchService.ts';
import { pupilSearchKeys, sampleKey } from '../../src/pupils/searchKeys.ts';

const app = () => stack().app;
const api = (token: string) => ({
  get: (url: string) => request(app()).get(url).set('Authorization', `Bearer ${token}`),
  post: (url: string, body: object = {}) => request(app()).post(url).set('Authorization', `Bearer ${token}`).send(body),
});
type Hit = { kind: string; id: string; firstName: string; lastName: string; class: string; personalCodeMasked: string; institution: { code: string } | null };

async function world() {
  const a = await makeInstitution({ name: 'Alpha school' });
  const b = await makeInstitution({ name: 'Beta school' });
  const coord = await makeUser('coordinator');
  const pa = await makeUser('principal', a.code);
  const pb = await makeUser('principal', b.code);
  const coordToken = await makeToken(coord.email);
  const paToken = await makeToken(pa.email);
  const pbToken = await makeToken(pb.email);
  const annaCode = validPersonalCode();
  await registerNeedVia(coordToken, { institution: a.code, firstName: 'Anna', lastName: 'Bērziņa', class: '9.a', personalCode: annaCode });
  await registerNeedVia(coordToken, { institution: a.code, firstName: 'Andris', lastName: 'Kalniņš', class: '9.b' });
  await registerNeedVia(coordToken, { institution: b.code, firstName: 'Anete', lastName: 'Bērziņa', class: '9.a' });
  return { a, b, coord, pa, pb, coordToken, paToken, pbToken, annaCode };
}

const names = (hits: Hit[]) => hits.map((h) => `${h.firstName} ${h.lastName}`).sort();

describe('the child search and the child page', () => {
  beforeEach(resetData);

  it('finds children by name prefix, name and surname, class, birth digits and whole personal code, diacritics and case aside', async () => {
    const w = await world();
    const coord = api(w.coordToken);
    const search = async (q: string) => ((await coord.get(`/api/pupils?q=${encodeURIComponent(q)}`).expect(200)).body.items as Hit[]);
    expect(names(await search('an'))).to.deep.equal(['Andris Kalniņš', 'Anete Bērziņa', 'Anna Bērziņa']);
    expect(names(await search('berzina'))).to.deep.equal(['Anete Bērziņa', 'Anna Bērziņa']);
    expect(names(await search('ANNA bērz'))).to.deep.equal(['Anna Bērziņa']);
    expect(names(await search('9.a'))).to.deep.equal(['Anete Bērziņa', 'Anna Bērziņa']);
    expect(names(await search('9A bērz'))).to.deep.equal(['Anete Bērziņa', 'Anna Bērziņa']);
    expect(names(await search('bērziņa anna'))).to.deep.equal(['Anna Bērziņa']);
    expect(names(await search('9.a anete'))).to.deep.equal(['Anete Bērziņa']);
    expect(names(await search('9.b bērz'))).to.deep.equal([]);
    expect(names(await search('an anna'))).to.deep.equal(['Anna Bērziņa']);
    expect(names(await search(w.annaCode.slice(0, 6)))).to.include('Anna Bērziņa');
    const byCode = await search(w.annaCode.replace('-', ''));
    expect(names(byCode)).to.deep.equal(['Anna Bērziņa']);
    expect(byCode[0]!.personalCodeMasked).to.equal(`${w.annaCode.slice(0, 8)}****`);
    expect(JSON.stringify(byCode)).not.to.include(w.annaCode);
    expect(await search('zz')).to.deep.equal([]);
    expect(await search('')).to.deep.equal([]);
  });

  it('finds a base-kindergarten request child alongside pupils, and a principal only their own institution', async () => {
    const w = await world();
    await requestVia(w.coordToken, { firstName: 'Annija', lastName: 'Ozola' });
    const coordHits = (await api(w.coordToken).get('/api/pupils?q=ann').expect(200)).body.items as Hit[];
    expect(coordHits.map((h) => `${h.kind}:${h.firstName}`).sort()).to.deep.equal(['placement:Annija', 'pupil:Anna']);
    const aHits = (await api(w.paToken).get('/api/pupils?q=b%C4%93rzi%C5%86a').expect(200)).body.items as Hit[];
    expect(names(aHits)).to.deep.equal(['Anna Bērziņa']);
    const bHits = (await api(w.pbToken).get(`/api/pupils?q=${w.annaCode}`).expect(200)).body.items as Hit[];
    expect(bHits).to.deep.equal([]);
  });

  it('shows one child on one page with the device request, masked code only; another institution gets 404', async () => {
    const w = await world();
    const [anna] = (await api(w.coordToken).get('/api/pupils?q=anna').expect(200)).body.items as Hit[];
    const child = (await api(w.paToken).get(`/api/pupils/${anna!.id}`).expect(200)).body;
    expect(child).to.include({ firstName: 'Anna', lastName: 'Bērziņa', class: '9.a' });
    expect(child.need).to.include({ status: 'registered', deviceType: 'laptop' });
    expect(child.history.map((h: { area: string; status: string }) => `${h.area}:${h.status}`)).to.include('device:registered');
    expect(JSON.stringify(child)).not.to.include(w.annaCode);
    await api(w.pbToken).get(`/api/pupils/${anna!.id}`).expect(404);
    await api(w.pbToken).post(`/api/pupils/${anna!.id}/personal-code`).expect(404);
    await api(w.pbToken).get('/api/pupils/0123456789abcdef01234567').expect(404);
    expect(await AuditEventModel.countDocuments({ action: 'pupil.personal_code_view' })).to.equal(0);

    const page = await signedInAgent(app(), w.pa.email);
    const html = (await page.agent.get(`/pupils/${anna!.id}`).expect(200)).text;
    expect(html).to.include('Bērziņa').and.to.include(`${w.annaCode.slice(0, 8)}****`).and.not.to.include(w.annaCode);
    expect(html).to.include(`/devices/needs/${child.need.id}`);
  });

  it('shows the whole personal code on request only, and every view is in the audit log, found by the pupil', async () => {
    const w = await world();
    const [anna] = (await api(w.coordToken).get('/api/pupils?q=anna').expect(200)).body.items as Hit[];
    const shown = await api(w.paToken).post(`/api/pupils/${anna!.id}/personal-code`).expect(200);
    expect(shown.body.personalCode).to.equal(w.annaCode);

    const { agent, csrf } = await signedInAgent(app(), w.coord.email);
    const page = await agent.post(`/pupils/${anna!.id}/personal-code`).type('form').send({ _csrf: csrf }).expect(200);
    expect(page.text).to.include(w.annaCode);
    expect(page.headers['cache-control']).to.include('no-store');
    await agent.post(`/pupils/${anna!.id}/personal-code`).type('form').send({}).expect(403);

    const views = await AuditEventModel.find({ action: 'pupil.personal_code_view' }).lean();
    expect(views.map((v) => v.actor?.email).sort()).to.deep.equal([w.coord.email, w.pa.email].sort());
    expect(views.every((v) => v.pupil === anna!.id && v.institution === w.a.code)).to.equal(true);
    expect(JSON.stringify(views)).not.to.include(w.annaCode);

    const byId = (await api(w.coordToken).get(`/api/audit?pupil=${anna!.id}&action=pupil.`).expect(200)).body.items;
    expect(byId).to.have.length(2);
    const byName = (await api(w.coordToken).get(`/api/audit?pupil=${encodeURIComponent('Anna Bērziņa')}`).expect(200)).body.items as Array<{ action: string }>;
    expect(byName.map((i) => i.action)).to.include('pupil.personal_code_view').and.to.include('device_need.create');
    const other = (await api(w.coordToken).get(`/api/audit?pupil=${encodeURIComponent('Anete')}&action=pupil.`).expect(200)).body.items;
    expect(other).to.deep.equal([]);
    await api(w.paToken).get(`/api/audit?pupil=${anna!.id}`).expect(403);
  });

  it('the search form posts, so a typed personal code is never in an address', async () => {
    const w = await world();
    const { agent, csrf } = await signedInAgent(app(), w.pa.email);
    const form = (await agent.get('/pupils').expect(200)).text;
    expect(form).to.match(/<form method="post" action="\/pupils"/);
    const found = await agent.post('/pupils').type('form').send({ _csrf: csrf, q: w.annaCode }).expect(200);
    expect(found.text).to.include('Bērziņa').and.to.include(`${w.annaCode.slice(0, 8)}****`);
  });

  it('says a search too broad to read whole shows only some of the matches, and a surname finds the one child', async () => {
    const w = await world();
    const a = await PupilModel.findOne({ lastName: 'Bērziņa', firstName: 'Anna' }).lean();
    // More Annas than one search reads, none in a sample (so the whole word is read); stored
    // directly, as an import would store them.
    const many = Array.from({ length: candidateLimit + 40 }, (_, i) => {
      const lastName = `Ozola${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`;
      return { institution: a!.institution, class: '5.c', firstName: 'Anna', lastName, personalCodeHash: `h${i}`, personalCodeMasked: '010110-*****', personalCodeEnc: 'x', searchKeys: pupilSearchKeys({ firstName: 'Anna', lastName, class: '5.c', personalCodeMasked: '010110-*****' }) };
    });
    await PupilModel.insertMany(many.filter((p) => !p.searchKeys.includes(sampleKey('anna', 32))));
    const broad = (await api(w.coordToken).get('/api/pupils?q=anna').expect(200)).body as { items: Hit[]; more: boolean; partial: boolean };
    expect(broad.items).to.have.length(50);
    expect(broad).to.include({ more: true, partial: true });
    const one = (await api(w.coordToken).get('/api/pupils?q=anna%20ozolaka').expect(200)).body as { items: Hit[]; more: boolean; partial: boolean };
    expect(names(one.items)).to.deep.equal(['Anna Ozolaka']);
    expect(one).to.include({ more: false, partial: false });
  });

  it('answers one word that matches thousands from the sample of children that carry it, said to be some of them', async () => {
    const w = await world();
    const a = await PupilModel.findOne({ lastName: 'Bērziņa', firstName: 'Anna' }).lean();
    const pupil = (lastName: string, i: number) => ({ institution: a!.institution, class: '5.c', firstName: 'Anna', lastName, personalCodeHash: `h${i}`, personalCodeMasked: '010110-*****', personalCodeEnc: 'x', searchKeys: pupilSearchKeys({ firstName: 'Anna', lastName, class: '5.c', personalCodeMasked: '010110-*****' }) });
    // Surnames whose children fall in the sample, found by trying: as many as mark a word as broad.
    const sampled: string[] = [];
    for (let i = 0; sampled.length < 5; i++) {
      const lastName = `Liepa${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + (Math.floor(i / 26) % 26))}${String.fromCharCode(97 + Math.floor(i / 676))}`;
      if (pupil(lastName, 0).searchKeys.includes(sampleKey('anna'))) sampled.push(lastName);
    }
    await PupilModel.insertMany([...sampled.map((n, i) => pupil(n, i)), ...Array.from({ length: 30 }, (_, i) => pupil(`Priede${String.fromCharCode(97 + (i % 26))}${i}`, 100 + i))]);
    const broad = (await api(w.coordToken).get('/api/pupils?q=anna').expect(200)).body as { items: Hit[]; more: boolean; partial: boolean };
    expect(broad).to.include({ more: true, partial: true });
    // The sample's children are shown (the world's own Anna too, should her random code put her in it).
    expect(broad.items.map((h) => h.lastName)).to.include.members(sampled);
    expect(broad.items.length).to.be.at.most(sampled.length + 1);
    // A word few children share is read whole.
    const narrow = (await api(w.coordToken).get('/api/pupils?q=priede').expect(200)).body as { items: Hit[]; partial: boolean };
    expect(narrow.partial).to.equal(false);
    const page = await signedInAgent(app(), w.coord.email);
    const html = (await page.agent.post('/pupils').type('form').send({ _csrf: page.csrf, q: 'anna' }).expect(200)).text;
    expect(html).to.include('parādīti tikai daži');
  });

  it('gives pupils stored before the search, or with keys made an older way, their keys once, at start', async () => {
    const w = await world();
    await PupilModel.updateMany({}, { $unset: { searchKeys: 1 } });
    await PupilModel.updateOne({ firstName: 'Anna' }, { $set: { searchKeys: ['anna', 'berzina'] } });
    expect(await backfillSearchKeys()).to.equal(3);
    expect(await backfillSearchKeys()).to.equal(0);
    const hits = (await api(w.coordToken).get('/api/pupils?q=kaln').expect(200)).body.items as Hit[];
    expect(names(hits)).to.deep.equal(['Andris Kalniņš']);
    const paired = (await api(w.coordToken).get('/api/pupils?q=anna%20b%C4%93rz').expect(200)).body.items as Hit[];
    expect(names(paired)).to.deep.equal(['Anna Bērziņa']);
  });
});
