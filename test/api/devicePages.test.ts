import { randomInt } from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { stack, resetData } from '../support/stack.ts';
import { makeInstitution, makeToken, makeUser, signedInAgent } from '../support/factories.ts';
import { loadCatalogue } from '../../src/i18n/index.ts';
import { rigaToday } from '../../src/shared/dates.ts';

type Catalogue = { errors: Record<string, string>; devices: { page: Record<string, Record<string, unknown>> }; status: { steps: { device: Record<string, string> } } };
const lv = loadCatalogue('lv') as unknown as Catalogue;
const ru = loadCatalogue('ru') as unknown as Catalogue;
const page = (c: Catalogue, path: string) => path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], c.devices.page) as string;

const app = () => stack().app;
const today = rigaToday();
/** A new-form personal code (no check digit), different every call. */
const personalCode = () => `32${String(randomInt(0, 10_000)).padStart(4, '0')}-${String(randomInt(0, 100_000)).padStart(5, '0')}`;
/** Where a redirect points (fails the test when there is none). */
const locationOf = (res: { headers: Record<string, string | undefined> }) => {
  expect(res.headers.location, 'a redirect').to.be.a('string');
  return res.headers.location!;
};
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

function api(token: string) {
  return {
    get: (url: string) => request(app()).get(url).set('Authorization', `Bearer ${token}`),
    post: (url: string, body: object = {}) => request(app()).post(url).set('Authorization', `Bearer ${token}`).send(body),
  };
}

async function world() {
  const a = await makeInstitution({ name: 'Alpha school' });
  const b = await makeInstitution({ name: 'Beta school' });
  const coord = await makeUser('coordinator');
  const pa = await makeUser('principal', a.code);
  const pb = await makeUser('principal', b.code);
  return { a, b, coord, pa, pb, coordApi: api(await makeToken(coord.email)) };
}

type Api = ReturnType<typeof api>;

async function makeNeed(coordApi: Api, institution: string, over: Record<string, unknown> = {}) {
  const code = personalCode();
  const res = await coordApi
    .post('/api/device-needs', { institution, firstName: 'Anna', lastName: 'Ozola', class: '7.a', personalCode: code, deviceType: 'laptop', guardianName: 'Ilze Ozola', guardianPhone: '26123456', language: 'lv', ...over })
    .expect(201);
  return { ...(res.body as { id: string; referenceCode: string; personalCode: string }), fullCode: code };
}

/** Ships one laptop per need, approves the needs and confirms the proposal: each need ends up allocated. Returns need id → serial. */
async function allocate(coordApi: Api, needIds: string[]): Promise<Map<string, string>> {
  const tag = String(randomInt(0, 1e9));
  await coordApi.post('/api/shipments', { reference: `S-${tag}`, receivedAt: today, devices: needIds.map((_, i) => ({ serial: `SN${tag}X${i}`, type: 'laptop', make: 'Lenovo', model: 'T14' })) }).expect(201);
  for (const id of needIds) await coordApi.post(`/api/device-needs/${id}/approve`).expect(200);
  const proposal = await coordApi.post('/api/allocations/proposal').expect(200);
  const matches = (proposal.body.matches as Array<{ need: string; serial: string }>).filter((m) => needIds.includes(m.need));
  const confirmed = await coordApi.post('/api/allocations/confirm', { matches: matches.map((m) => ({ need: m.need, serial: m.serial })) }).expect(200);
  expect(confirmed.body.allocated).to.equal(needIds.length);
  return new Map(matches.map((m) => [m.need, m.serial]));
}

/** Every key a page uses exists: a missing one would show up as its own name. */
function expectTranslated(text: string, what: string) {
  expect(text, `${what} shows an untranslated key`).not.to.match(/devices\.page\.|dashboard\.devices|errors\.[a-z_]+/);
}

describe('device pages', () => {
  beforeEach(resetData);

  it('every device page answers 200 for a coordinator, with every text translated', async () => {
    const w = await world();
    const pickup = await makeNeed(w.coordApi, w.a.code);
    const home = await makeNeed(w.coordApi, w.a.code, { firstName: 'Jānis', deliveryMethod: 'home', address: 'Zivju iela 3, Liepāja, LV-3401' });
    const serials = await allocate(w.coordApi, [pickup.id, home.id]);
    const run = await w.coordApi.post('/api/delivery-runs', { day: today, courier: 'Kurjers', needs: [home.id] }).expect(201);
    const { agent, csrf } = await signedInAgent(app(), w.coord.email);

    const pages = [
      '/devices',
      '/devices/new',
      `/devices/needs/${pickup.id}`,
      `/devices/needs/${pickup.id}/agreement`,
      '/devices/stock',
      `/devices/stock/${serials.get(pickup.id)}`,
      '/devices/due-back',
      '/devices/allocation',
      '/devices/deliveries',
      `/devices/deliveries/${run.body.id}`,
      '/dashboard',
    ];
    for (const url of pages) {
      const res = await agent.get(url).expect(200);
      expect(res.type, url).to.equal('text/html');
      expectTranslated(res.text, url);
    }
    const proposal = await agent.post('/devices/allocation/proposal').type('form').send({ _csrf: csrf }).expect(200);
    expectTranslated(proposal.text, 'proposal');
    const report = await agent.get('/devices/report.xlsx').expect(200);
    expect(report.headers['content-type']).to.include('spreadsheetml');

    const list = await agent.get('/devices').expect(200);
    expect(list.text).to.include(`/devices/needs/${pickup.id}`).and.to.include(pickup.referenceCode).and.to.include('Anna');
    expect(list.text).to.include(pickup.personalCode).and.not.to.include(pickup.fullCode);
    const stock = await agent.get('/devices/stock').expect(200);
    expect(stock.text).to.include('href="/devices/report.xlsx"');
    const sheet = await agent.get(`/devices/deliveries/${run.body.id}`).expect(200);
    expect(sheet.text).to.match(/<h2[^>]*>LV-3401<\/h2>/).and.to.include('Zivju iela 3').and.to.include('26123456').and.to.include(serials.get(home.id)!);
    const dash = await agent.get('/dashboard').expect(200);
    expect(dash.text).to.include('href="/devices/stock?status=in_stock"').and.to.include('href="/devices"');
  });

  it('a principal sees only their own institution on every list page, and another school\'s records answer 404', async () => {
    const w = await world();
    const mine = await makeNeed(w.coordApi, w.b.code, { firstName: 'Bertrams', lastName: 'Betulis' });
    const theirs = await makeNeed(w.coordApi, w.a.code, { firstName: 'Alfrēds', lastName: 'Alfasons' });
    const serials = await allocate(w.coordApi, [mine.id, theirs.id]);
    const { agent, csrf } = await signedInAgent(app(), w.pb.email);
    const secrets = ['Alfrēds', 'Alfasons', theirs.referenceCode, serials.get(theirs.id)!, w.a.code];

    for (const url of ['/devices', `/devices?institution=${w.a.code}`, '/devices?q=Alfr', '/devices/stock', `/devices/stock?institution=${w.a.code}`, '/devices/due-back', '/dashboard']) {
      const res = await agent.get(url).expect(200);
      // The address typed is echoed in the language links; nothing else may name A.
      const text = res.text.replaceAll(encodeURIComponent(url), '');
      for (const s of secrets) expect(text, `${url} shows ${s}`).not.to.include(s);
    }
    const own = await agent.get('/devices').expect(200);
    expect(own.text).to.include('Bertrams').and.to.include(mine.referenceCode).and.not.to.include('action="/devices/approve"');
    expect((await agent.get('/devices/stock').expect(200)).text).to.include(serials.get(mine.id)!);

    for (const url of [`/devices/needs/${theirs.id}`, `/devices/needs/${theirs.id}/agreement`, `/devices/stock/${serials.get(theirs.id)}`]) {
      const res = await agent.get(url).expect(404);
      const text = res.text.replaceAll(encodeURIComponent(url), '');
      for (const s of secrets) expect(text, `${url} shows ${s}`).not.to.include(s);
    }
    const handover = await agent.post(`/devices/needs/${theirs.id}/handover`).type('form').send({ _csrf: csrf, serial: serials.get(theirs.id), collectedBy: 'Someone', relation: 'mother' }).expect(404);
    for (const s of secrets) expect(handover.text).not.to.include(s);
    expect((await w.coordApi.get(`/api/device-needs/${theirs.id}`).expect(200)).body.status).to.equal('allocated');
    await agent.get('/devices/allocation').expect(403);
    await agent.get('/devices/deliveries').expect(403);
    await agent.get('/devices/report.xlsx').expect(403);
  });

  it('the need form registers a need and redirects to its page; a principal cannot pick another school', async () => {
    const w = await world();
    const { agent } = await signedInAgent(app(), w.pa.email);
    const form = await agent.get('/devices/new').expect(200);
    expect(form.text).not.to.include('name="institution"');
    const code = personalCode();
    const res = await agent
      .post('/devices/new')
      .type('form')
      .send({ _csrf: csrfOf(form.text), institution: w.b.code, firstName: 'Marta', lastName: 'Kalniņa', class: '12.b', personalCode: code, guardianName: 'Inese Kalniņa', guardianPhone: '26 123 457', language: 'ru', deviceType: 'tablet', reason: 'No computer at home', priority: '', deliveryMethod: 'pickup', address: '' })
      .expect(303);
    const id = /^\/devices\/needs\/([0-9a-f]{24})$/.exec(locationOf(res))?.[1];
    expect(id, locationOf(res)).to.be.a('string');
    const need = (await w.coordApi.get(`/api/device-needs/${id}`).expect(200)).body;
    expect(need).to.include({ institution: w.a.code, firstName: 'Marta', deviceType: 'tablet', priority: 1, status: 'registered' });
    const shown = await agent.get(locationOf(res)).expect(200);
    expect(shown.text).to.include('Marta').and.to.include(need.referenceCode).and.to.include('class="refcode"').and.not.to.include(code);
    expectTranslated(shown.text, 'need page');
  });

  it('a bad personal code re-renders the form with the translated message, the values kept and the code not echoed', async () => {
    const w = await world();
    const { agent, csrf } = await signedInAgent(app(), w.coord.email);
    const fields = { _csrf: csrf, institution: w.a.code, firstName: 'Pēteris', lastName: 'Liepa', class: '5.c', guardianEmail: 'liepa@example.lv', deviceType: 'laptop', deliveryMethod: 'pickup' };
    // 010106-20346: a real date, but the check digit is wrong.
    const bad = await agent.post('/devices/new').type('form').send({ ...fields, personalCode: '010106-20346' }).expect(400);
    expect(bad.text).to.include(lv.errors.personal_code_check_digit).and.to.include('role="alert"');
    expect(bad.text).to.include('value="Pēteris"').and.to.include('value="liepa@example.lv"').and.to.include(`<option value="${w.a.code}" selected>`);
    expect(bad.text).not.to.include('010106-20346').and.not.to.include('0101062034');
    expect(bad.text).to.match(/id="personalCode" name="personalCode" type="text" value=""[^>]*aria-invalid="true"/);
    const garbage = await agent.post('/devices/new').type('form').send({ ...fields, personalCode: 'abc' }).expect(400);
    expect(garbage.text).to.include(lv.errors.invalid_personal_code);
    const home = await agent.post('/devices/new').type('form').send({ ...fields, personalCode: personalCode(), deliveryMethod: 'home', address: '' }).expect(400);
    expect(home.text).to.include(lv.errors.address_needed_for_delivery);
    expect((await w.coordApi.get('/api/device-needs').expect(200)).body.items).to.have.length(0);
  });

  it('the hand-over form on the need page refuses another device and records the right one', async () => {
    const w = await world();
    const first = await makeNeed(w.coordApi, w.a.code);
    const second = await makeNeed(w.coordApi, w.a.code, { firstName: 'Otra' });
    const serials = await allocate(w.coordApi, [first.id, second.id]);
    const { agent, csrf } = await signedInAgent(app(), w.pa.email);
    const pageBefore = await agent.get(`/devices/needs/${first.id}`).expect(200);
    expect(pageBefore.text).to.include(`action="/devices/needs/${first.id}/handover"`).and.to.include(`value="${today}"`).and.to.include(`/devices/needs/${first.id}/agreement`);

    const wrong = await agent.post(`/devices/needs/${first.id}/handover`).type('form').send({ _csrf: csrf, serial: serials.get(second.id), collectedBy: 'Ilze Ozola', relation: 'mother', date: today, returnBy: '' }).expect(409);
    expect(wrong.text).to.include(lv.errors.device_allocated_to_other_pupil).and.to.include('role="alert"').and.to.include('value="Ilze Ozola"');
    const missing = await agent.post(`/devices/needs/${first.id}/handover`).type('form').send({ _csrf: csrf, serial: serials.get(first.id), collectedBy: '', relation: 'mother' }).expect(400);
    expect(missing.text).to.include(lv.errors.collected_by_required);

    const ok = await agent.post(`/devices/needs/${first.id}/handover`).type('form').send({ _csrf: csrf, serial: serials.get(first.id)!.toLowerCase(), collectedBy: 'Ilze Ozola', relation: 'mother', date: today, returnBy: '' }).expect(303);
    expect(locationOf(ok)).to.equal(`/devices/needs/${first.id}?done=handover`);
    const after = await agent.get(locationOf(ok)).expect(200);
    expect(after.text).to.include(lv.status.steps.device.delivered).and.to.include(page(lv, 'done.handover')).and.not.to.include(`/devices/needs/${first.id}/handover"`);
    expect((await w.coordApi.get(`/api/device-needs/${first.id}`).expect(200)).body).to.deep.include({ status: 'delivered' });
    expect((await w.coordApi.get(`/api/devices/${serials.get(first.id)}`).expect(200)).body.status).to.equal('handed_over');
    expect((await w.coordApi.get(`/api/device-needs/${second.id}`).expect(200)).body.status).to.equal('allocated');
    const dueBack = await agent.get('/devices/due-back').expect(200);
    expect(dueBack.text).to.include(serials.get(first.id)!).and.to.include('Ilze Ozola');
  });

  it('the loan agreement is printed in the guardian\'s language, without the personal code', async () => {
    const w = await world();
    const need = await makeNeed(w.coordApi, w.a.code, { language: 'ru', guardianName: 'Ольга Петрова' });
    const serials = await allocate(w.coordApi, [need.id]);
    const { agent } = await signedInAgent(app(), w.pa.email);
    const res = await agent.get(`/devices/needs/${need.id}/agreement`).expect(200);
    expect(res.text).to.include('<html lang="ru">').and.to.include(page(ru, 'agreement.title')).and.to.include(page(ru, 'agreement.o1'));
    expect(res.text).to.include('Ольга Петрова').and.to.include('Anna Ozola').and.to.include(serials.get(need.id)!).and.to.include('Alpha school');
    expect(res.text).not.to.include(need.personalCode).and.not.to.include(need.fullCode).and.not.to.include(need.fullCode.slice(0, 6));
    // The staff note above it stays in the reader's language (Latvian here) and is not printed.
    expect(res.text).to.match(/class="no-print notice" lang="lv"/);
    const none = await makeNeed(w.coordApi, w.a.code);
    const refused = await agent.get(`/devices/needs/${none.id}/agreement`).expect(409);
    expect(refused.text).to.include(lv.errors.need_has_no_device);
  });

  it('allocation through the pages: the proposal explains each row, confirmation reports each row', async () => {
    const w = await world();
    const one = await makeNeed(w.coordApi, w.a.code, { firstName: 'Viens' });
    const two = await makeNeed(w.coordApi, w.b.code, { firstName: 'Divi' });
    await w.coordApi.post('/api/shipments', { reference: 'S-P', receivedAt: today, devices: [{ serial: 'PAGE-1', type: 'laptop' }, { serial: 'PAGE-2', type: 'laptop' }] }).expect(201);
    const { agent, csrf } = await signedInAgent(app(), w.coord.email);
    const approve = await agent.post('/devices/approve').type('form').send({ _csrf: csrf, ids: [one.id, two.id] }).expect(303);
    expect(locationOf(approve)).to.equal('/devices?approved=2&refused=0');
    const proposal = await agent.post('/devices/allocation/proposal').type('form').send({ _csrf: csrf }).expect(200);
    expect(proposal.text).to.include('name="serial_0"').and.to.include('name="include" value="1"').and.to.include('Viens').and.to.include(page(lv, 'allocation.source.office_stock'));
    const needOf = (i: number) => new RegExp(`name="need_${i}" value="([0-9a-f]{24})"`).exec(proposal.text)![1]!;
    const confirm = await agent
      .post('/devices/allocation/confirm')
      .type('form')
      .send({ _csrf: csrf, include: ['0', '1'], need_0: needOf(0), serial_0: 'NO-SUCH-SERIAL', need_1: needOf(1), serial_1: new RegExp('name="serial_1" value="([^"]+)"').exec(proposal.text)![1] })
      .expect(200);
    expect(confirm.text).to.include(page(lv, 'allocation.allocated')).and.to.include(lv.errors.device_not_found);
    const statuses = await Promise.all([one.id, two.id].map(async (id) => (await w.coordApi.get(`/api/device-needs/${id}`).expect(200)).body.status));
    expect(statuses.sort()).to.deep.equal(['allocated', 'approved']);
    await agent.post('/devices/allocation/confirm').type('form').send({ _csrf: csrf, need_0: one.id, serial_0: 'PAGE-1' }).expect(400);
  });

  it('stock: a shipment typed by hand reports unreadable lines and saves nothing, then registers the good list', async () => {
    const w = await world();
    const { agent, csrf } = await signedInAgent(app(), w.coord.email);
    const bad = await agent.post('/devices/shipments').type('form').send({ _csrf: csrf, reference: 'M-1', receivedAt: today, devices: 'AB1;laptop;Dell;5400\nAB2;phone\n;tablet\nAB1;planšete' }).expect(400);
    expect(bad.text).to.include(page(lv, 'stock.lineProblems.unknown_type')).and.to.include(page(lv, 'stock.lineProblems.no_serial')).and.to.include(page(lv, 'stock.lineProblems.repeated'));
    expect(bad.text).to.include('AB2;phone');
    expect((await w.coordApi.get('/api/devices').expect(200)).body.items).to.have.length(0);
    const ok = await agent.post('/devices/shipments').type('form').send({ _csrf: csrf, reference: 'M-1', receivedAt: today, devices: 'ab1;laptop;Dell;5400\r\n\r\nAB2\tplanšete\nAB3;Portatīvais dators' }).expect(303);
    expect(locationOf(ok)).to.equal('/devices/stock?registered=3');
    const list = await agent.get(locationOf(ok)).expect(200);
    expect(list.text).to.include('/devices/stock/AB1').and.to.include('/devices/stock/AB3');
    const again = await agent.post('/devices/shipments').type('form').send({ _csrf: csrf, reference: 'M-2', receivedAt: today, devices: 'AB3;tablet' }).expect(409);
    expect(again.text).to.include(lv.errors.serial_exists).and.to.include('AB3');
    const move = await agent.post('/devices/stock/AB2/move').type('form').send({ _csrf: csrf, institution: w.b.code }).expect(303);
    expect(locationOf(move)).to.equal('/devices/stock/AB2?done=move');
    expect((await w.coordApi.get('/api/devices/AB2').expect(200)).body.institution).to.equal(w.b.code);
  });

  it('home deliveries: a run from ticked needs, the route sheet by area, a stop marked delivered', async () => {
    const w = await world();
    const home = await makeNeed(w.coordApi, w.a.code, { deliveryMethod: 'home', address: 'Rožu iela 1, Liepāja, LV-3401' });
    const serials = await allocate(w.coordApi, [home.id]);
    const { agent, csrf } = await signedInAgent(app(), w.coord.email);
    const form = await agent.get('/devices/deliveries').expect(200);
    expect(form.text).to.include(`value="${home.id}"`).and.to.include('Rožu iela 1');
    await agent.post('/devices/deliveries').type('form').send({ _csrf: csrf, day: today, courier: 'Kārlis' }).expect(400);
    const created = await agent.post('/devices/deliveries').type('form').send({ _csrf: csrf, day: today, courier: 'Kārlis', needs: home.id }).expect(303);
    const runId = /^\/devices\/deliveries\/([0-9a-f]{24})\?/.exec(locationOf(created))?.[1];
    expect(runId, locationOf(created)).to.be.a('string');
    const sheet = await agent.get(locationOf(created)).expect(200);
    expect(sheet.text).to.match(/<h2[^>]*>LV-3401<\/h2>/).and.to.include(serials.get(home.id)!).and.to.include('Kārlis');
    const stopId = new RegExp(`action="/devices/deliveries/${runId}/stops/([0-9a-f]{24})"`).exec(sheet.text)![1];
    const failed = await agent.post(`/devices/deliveries/${runId}/stops/${stopId}`).type('form').send({ _csrf: csrf, outcome: 'delivered', receivedBy: '', relation: 'father' }).expect(400);
    expect(failed.text).to.include(lv.errors.collected_by_required);
    await agent.post(`/devices/deliveries/${runId}/stops/${stopId}`).type('form').send({ _csrf: csrf, outcome: 'delivered', receivedBy: 'Juris Ozols', relation: 'father' }).expect(303);
    expect((await w.coordApi.get(`/api/device-needs/${home.id}`).expect(200)).body.status).to.equal('delivered');
    const done = await agent.get(`/devices/deliveries/${runId}`).expect(200);
    expect(done.text).to.include('Juris Ozols').and.not.to.include(`action="/devices/deliveries/${runId}/stops/`);
  });
});
