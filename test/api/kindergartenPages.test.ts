import { expect } from 'chai';
import request from 'supertest';
import { resetData, stack } from '../support/stack.ts';
import { makeInstitution, makeToken, makeUser, signedInAgent } from '../support/factories.ts';
import { validPersonalCode } from '../support/devices.ts';
import { designateVia, placeVia, requestVia } from '../support/kindergartens.ts';
import { catalogueText } from '../support/browser.ts';
import { GroupModel } from '../../src/institutions/model.ts';
import { AttendanceModel, PlacementRequestModel } from '../../src/kindergartens/model.ts';
import { addDays, rigaToday } from '../../src/shared/dates.ts';
import { escapeHtml } from '../../src/web/html.ts';

const app = () => stack().app;
const today = () => rigaToday();
const lv = (key: string, vars: Record<string, string> = {}) => escapeHtml(catalogueText('lv', key, vars));
const ru = (key: string, vars: Record<string, string> = {}) => escapeHtml(catalogueText('ru', key, vars));
const api = (token: string) => ({
  get: (url: string) => request(app()).get(url).set('Authorization', `Bearer ${token}`),
  post: (url: string, body: object = {}) => request(app()).post(url).set('Authorization', `Bearer ${token}`).send(body),
});
/** Where a redirect points (fails the test when there is none). */
const locationOf = (res: { headers: Record<string, string | undefined> }) => {
  expect(res.headers.location, 'a redirect').to.be.a('string');
  return res.headers.location!;
};
/** The text of one element with this id (its first closing tag of the same name ends it). */
function section(page: string, id: string): string {
  const start = page.indexOf(`id="${id}"`);
  if (start < 0) return '';
  const open = page.lastIndexOf('<', start);
  const tag = /^<(\w+)/.exec(page.slice(open))![1]!;
  return page.slice(open, page.indexOf(`</${tag}>`, start));
}

/** Every key a page uses exists: a missing one would show as its own name. */
function expectTranslated(text: string, what: string) {
  expect(text, `${what} shows an untranslated key`).not.to.match(/kindergartens\.page\.|nav\.kindergartens|errors\.[a-z_]+/);
}

type Group = { id: string; name: string; capacity: number };

/**
 * Two base kindergartens with their heads, a coordinator, and a school's head. Alpha has a small
 * group (2 places) with two children placed and a big one (20); Beta has one group.
 */
async function world() {
  const alpha = await makeInstitution({ type: 'kindergarten', name: 'Alfa bērnudārzs' });
  const beta = await makeInstitution({ type: 'kindergarten', name: 'Beta bērnudārzs' });
  const school = await makeInstitution({ type: 'school', name: 'Gamma skola' });
  // Only the groups named here: the factory's own group is removed.
  await GroupModel.deleteMany({ _id: { $in: [alpha.group!._id, beta.group!._id] } });
  const coord = await makeUser('coordinator');
  const coordToken = await makeToken(coord.email);
  const alphaGroups = (await designateVia(coordToken, alpha.code, [{ name: 'Mākonīši', capacity: 2 }, { name: 'Zīļuks', capacity: 20 }], '2020-01-01')).groups as Group[];
  await designateVia(coordToken, beta.code, [{ name: 'Bitītes', capacity: 5 }], '2020-01-01');
  const small = alphaGroups.find((g) => g.name === 'Mākonīši')!;
  const big = alphaGroups.find((g) => g.name === 'Zīļuks')!;
  const anna = await requestVia(coordToken, { firstName: 'Anna', lastName: 'Ābele' });
  const boriss = await requestVia(coordToken, { firstName: 'Boriss', lastName: 'Bērziņš' });
  await placeVia(coordToken, anna.id, small.id).expect(200);
  await placeVia(coordToken, boriss.id, small.id).expect(200);
  return {
    alpha,
    beta,
    school,
    small,
    big,
    anna,
    boriss,
    coord,
    coordToken,
    alphaHead: await makeUser('principal', alpha.code),
    betaHead: await makeUser('principal', beta.code),
    schoolHead: await makeUser('principal', school.code),
  };
}

describe('kindergarten pages', () => {
  beforeEach(resetData);

  it('every page answers 200 for the coordinator, with every text translated', async () => {
    const w = await world();
    const waiting = await requestVia(w.coordToken, { firstName: 'Vilis' });
    const { agent } = await signedInAgent(app(), w.coord.email);
    for (const url of [
      '/kindergartens',
      `/kindergartens?day=${addDays(today(), -3)}`,
      `/kindergartens/${w.alpha.code}`,
      `/kindergartens/${w.alpha.code}/attendance`,
      `/kindergartens/${w.alpha.code}/attendance?day=2020-01-01`,
      '/kindergartens/requests',
      '/kindergartens/requests?status=placed&q=Anna',
      '/kindergartens/requests/new',
      `/kindergartens/requests/${waiting.id}`,
      `/kindergartens/requests/${w.anna.id}`,
    ]) {
      const res = await agent.get(url).expect(200);
      expect(res.type, url).to.equal('text/html');
      expectTranslated(res.text, url);
    }
    const monitoring = await agent.get('/kindergartens').expect(200);
    // Both base kindergartens with present / capacity, the chart with its accessible name and figures, the export and the deadline.
    expect(monitoring.text).to.include('Alfa bērnudārzs').and.to.include('Beta bērnudārzs').and.to.include('0 / 22').and.to.include('0 / 5');
    expect(monitoring.text).to.match(/<svg[^>]+role="img"[^>]+aria-label="[^"]+"/).and.to.include('<details>');
    expect(monitoring.text).to.include('action="/api/kindergartens/attendance.xlsx"').and.to.include('action="/kindergartens/deadline"');
    expect(monitoring.text).to.include(`href="/kindergartens/${w.alpha.code}/attendance?day=${today()}"`);
    expect(monitoring.text).to.include('href="/kindergartens"').and.to.include(lv('nav.kindergartens'));
    // No return is in yet: both kindergartens are listed as due or missing.
    const missing = section(monitoring.text, 'missing');
    expect(missing).to.include('Alfa bērnudārzs').and.to.include('Beta bērnudārzs');

    const kg = await agent.get(`/kindergartens/${w.alpha.code}`).expect(200);
    expect(kg.text).to.include('Anna Ābele').and.to.include('Boriss Bērziņš').and.to.include('action="/kindergartens/' + w.alpha.code + '/designate"');
    // Only first and last names of children: no personal codes or parents.
    expect(kg.text).not.to.match(/\d{6}-\d{5}/).and.not.to.include('Ilze Kalniņa');
  });

  it('a head sees their own kindergarten only, with today\'s return first; another kindergarten answers 404 and requests 403', async () => {
    const w = await world();
    const { agent, csrf } = await signedInAgent(app(), w.alphaHead.email);
    const own = await agent.get('/kindergartens').expect(200);
    expect(own.text).to.include('Alfa bērnudārzs').and.not.to.include('Beta bērnudārzs').and.not.to.include(w.beta.code);
    expect(own.text).to.include(`href="/kindergartens/${w.alpha.code}/attendance?day=${today()}"`).and.to.include(lv('kindergartens.page.own.todayReturn'));
    expect(own.text).not.to.include('action="/kindergartens/deadline"');
    const kg = await agent.get(`/kindergartens/${w.alpha.code}`).expect(200);
    expect(kg.text).to.include('Anna Ābele').and.not.to.include('/designate"');

    for (const url of [`/kindergartens/${w.beta.code}`, `/kindergartens/${w.beta.code}/attendance`, `/kindergartens/${w.beta.code}/attendance?day=2020-03-16`]) {
      const res = await agent.get(url).expect(404);
      expect(res.text, url).not.to.include('Bitītes').and.not.to.include('Beta bērnudārzs');
    }
    const betaGroup = (await api(w.coordToken).get(`/api/kindergartens/${w.beta.code}`).expect(200)).body.groups[0].id as string;
    await agent.post(`/kindergartens/${w.beta.code}/attendance`).type('form').send({ _csrf: csrf, group_0: betaGroup, registered_0: '3', present_0: '3' }).expect(404);
    await agent.post(`/kindergartens/${w.beta.code}/designate`).type('form').send({ _csrf: csrf, from: '2020-01-01' }).expect(404);
    await agent.post(`/kindergartens/${w.alpha.code}/designate`).type('form').send({ _csrf: csrf, from: '2020-01-01' }).expect(403);
    await agent.post('/kindergartens/deadline').type('form').send({ _csrf: csrf, deadline: '11:00' }).expect(403);
    expect(await AttendanceModel.countDocuments({})).to.equal(0);
    for (const url of ['/kindergartens/requests', '/kindergartens/requests/new', `/kindergartens/requests/${w.anna.id}`]) await agent.get(url).expect(403);
    await agent.post(`/kindergartens/requests/${w.anna.id}/withdraw`).type('form').send({ _csrf: csrf, reason: 'x' }).expect(403);

    // A school's head has the menu item, and the page says it is for kindergartens.
    const school = await signedInAgent(app(), w.schoolHead.email);
    const page = await school.agent.get('/kindergartens').expect(200);
    expect(page.text).to.include(lv('kindergartens.page.own.notKindergarten')).and.not.to.include('Alfa bērnudārzs');
  });

  it('a head sends the return by counts and by ticks; the confirmation flags the group over capacity and monitoring shows it', async () => {
    const w = await world();
    const { agent } = await signedInAgent(app(), w.alphaHead.email);
    const url = `/kindergartens/${w.alpha.code}/attendance`;
    const form = await agent.get(url).expect(200);
    expect(form.text).to.include('inputmode="numeric"').and.to.include('Anna Ābele').and.to.include(lv('kindergartens.page.return.useTicks'));
    expect(form.text).to.include('src="/assets/returnForm.js"');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1]!;
    // The form lists the groups by name: Mākonīši first (index 0), then Zīļuks.
    expect(form.text.indexOf('Mākonīši')).to.be.lessThan(form.text.indexOf('Zīļuks'));
    const sent = await agent
      .post(url)
      .type('form')
      .send({ _csrf: csrf, day: today(), group_0: w.small.id, registered_0: '', present_0: '', mode_0: 'ticks', children_0: [w.anna.id, w.boriss.id], group_1: w.big.id, registered_1: '25', present_1: '23' })
      .expect(303);
    expect(locationOf(sent)).to.match(new RegExp(`^${url}\\?day=${today()}&sent=1`));
    const done = await agent.get(locationOf(sent)).expect(200);
    const confirmation = section(done.text, 'confirmation');
    expect(confirmation).to.include(lv('kindergartens.page.return.accepted', { day: '' }).split(' ')[0]!);
    expect(confirmation).to.include(lv('kindergartens.page.return.acceptedOver')).and.to.include('Zīļuks').and.not.to.include('Mākonīši');

    const stored = (await api(w.coordToken).get(`/api/kindergartens/${w.alpha.code}/attendance/${today()}`).expect(200)).body.groups as Array<{ name: string; submitted: { registered: number; present: number; ticked: string[] } }>;
    expect(stored.find((g) => g.name === 'Mākonīši')!.submitted).to.deep.include({ registered: 2, present: 2 });
    expect(stored.find((g) => g.name === 'Mākonīši')!.submitted.ticked).to.have.members([w.anna.id, w.boriss.id]);
    expect(stored.find((g) => g.name === 'Zīļuks')!.submitted).to.include({ registered: 25, present: 23 });

    // The form shows what was sent, with the ticks kept.
    expect(done.text).to.match(new RegExp(`value="${w.anna.id}" data-child checked`)).and.to.include('value="23"');

    const coord = await signedInAgent(app(), w.coord.email);
    const monitoring = await coord.agent.get('/kindergartens').expect(200);
    expect(monitoring.text).to.include('25 / 22');
    expect(section(monitoring.text, 'missing')).to.include('Beta bērnudārzs').and.not.to.include('Alfa bērnudārzs');
    expect(monitoring.text).to.match(/<tr class="over"><th scope="row">Zīļuks<\/th>/).and.to.include(lv('kindergartens.page.monitoring.state.overCapacity'));
  });

  it('a wrong count comes back in the reader\'s language with what was typed, and nothing is saved', async () => {
    const w = await world();
    const { agent, csrf } = await signedInAgent(app(), w.alphaHead.email);
    const url = `/kindergartens/${w.alpha.code}/attendance?day=${today()}`;
    const negative = await agent.post(url).type('form').send({ _csrf: csrf, group_0: w.small.id, registered_0: '2', present_0: '1', group_1: w.big.id, registered_1: '10', present_1: '-1' }).expect(400);
    expect(negative.text).to.include(lv('errors.count_negative')).and.to.include(lv('kindergartens.page.return.fieldOfGroup', { group: 'Zīļuks', field: catalogueText('lv', 'kindergartens.page.return.present') }));
    expect(negative.text).to.match(/name="present_1"[^>]*value="-1"[^>]*aria-invalid="true"/);
    expect(negative.text).to.match(/name="registered_0"[^>]*value="2"/);

    await agent.get('/lang/ru?next=/').expect(303);
    const words = await agent.post(url).type('form').send({ _csrf: csrf, group_0: w.small.id, registered_0: '2', present_0: 'divi', group_1: w.big.id, registered_1: '', present_1: '3' }).expect(400);
    expect(words.text).to.include(ru('errors.not_a_number')).and.to.include('value="divi"');
    const unknown = await agent.post(url).type('form').send({ _csrf: csrf, group_0: w.small.id, mode_0: 'ticks', children_0: [w.anna.id, '000000000000000000000000'], group_1: w.big.id, registered_1: '1', present_1: '1' }).expect(400);
    expect(unknown.text).to.include(ru('errors.unknown_child'));
    expect(await AttendanceModel.countDocuments({})).to.equal(0);

    // A big kindergarten's return (many groups, every child ticked) is not refused for its size.
    const many = await agent
      .post(url)
      .type('form')
      .send({ _csrf: csrf, group_0: w.small.id, mode_0: 'ticks', children_0: Array.from({ length: 999 }, (_, i) => i.toString(16).padStart(24, '0')), group_1: w.big.id, registered_1: '1', present_1: '1' })
      .expect(400);
    expect(many.text).to.include(ru('errors.unknown_child'));
    expect(await AttendanceModel.countDocuments({})).to.equal(0);

    const future = await agent.get(`/kindergartens/${w.alpha.code}/attendance?day=${addDays(today(), 1)}`).expect(400);
    expect(future.text).to.include(ru('errors.day_in_future')).and.not.to.include('name="group_0"');
  });

  it('a day that is not a base day shows a notice instead of the form, with the days before and after', async () => {
    const w = await world();
    await designateVia(w.coordToken, w.beta.code, [], '2020-01-01', '2020-03-20');
    const { agent } = await signedInAgent(app(), w.betaHead.email);
    const page = await agent.get(`/kindergartens/${w.beta.code}/attendance?day=2020-03-23`).expect(200);
    expect(page.text).to.include(lv('kindergartens.page.return.notBase', { name: 'Beta bērnudārzs', day: '' }).split(' ')[0]!).and.not.to.include('name="group_0"');
    expect(page.text).to.include(`href="/kindergartens/${w.beta.code}/attendance?day=2020-03-22"`).and.to.include(`href="/kindergartens/${w.beta.code}/attendance?day=2020-03-24"`);
    const base = await agent.get(`/kindergartens/${w.beta.code}/attendance?day=2020-03-20`).expect(200);
    expect(base.text).to.include('name="group_0"').and.to.include(lv('kindergartens.page.return.lateNow'));
    // The head's monitoring says the kindergarten is not a base kindergarten today.
    const monitoring = await agent.get('/kindergartens').expect(200);
    expect(monitoring.text).to.include(lv('kindergartens.page.own.notBase', { day: '' }).split(' ')[0]!);
  });

  it('the coordinator designates a kindergarten by form, a wrong line is marked and nothing changes, and the deadline changes', async () => {
    const w = await world();
    const gamma = await makeInstitution({ type: 'kindergarten', name: 'Gamma bērnudārzs' });
    const { agent, csrf } = await signedInAgent(app(), w.coord.email);
    const page = await agent.get(`/kindergartens/${gamma.code}`).expect(200);
    expect(page.text).to.include(lv('kindergartens.page.kindergarten.noPeriods')).and.to.include('name="groupName_1"');

    const bad = await agent
      .post(`/kindergartens/${gamma.code}/designate`)
      .type('form')
      .send({ _csrf: csrf, from: '2020-04-01', to: '', groupName_0: '', groupCapacity_0: '', groupName_1: 'Saulītes', groupCapacity_1: '-3' })
      .expect(400);
    expect(bad.text).to.include(lv('errors.capacity_negative')).and.to.match(/name="groupCapacity_1"[^>]*value="-3"[^>]*aria-invalid="true"/);
    expect((await api(w.coordToken).get(`/api/kindergartens/${gamma.code}`).expect(200)).body.basePeriods).to.have.length(0);

    const ok = await agent
      .post(`/kindergartens/${gamma.code}/designate`)
      .type('form')
      .send({ _csrf: csrf, from: '2020-04-01', to: '2020-05-31', groupName_0: 'Saulītes', groupCapacity_0: '12', groupName_1: '', groupCapacity_1: '' })
      .expect(303);
    expect(locationOf(ok)).to.equal(`/kindergartens/${gamma.code}?done=designate`);
    const after = await api(w.coordToken).get(`/api/kindergartens/${gamma.code}`).expect(200);
    expect(after.body.basePeriods).to.deep.equal([{ from: '2020-04-01', to: '2020-05-31' }]);
    expect(after.body.groups.map((g: Group) => [g.name, g.capacity])).to.deep.include(['Saulītes', 12]);
    const shown = await agent.get(locationOf(ok)).expect(200);
    expect(shown.text).to.include(lv('kindergartens.page.designate.done')).and.to.include('Saulītes');

    const wrong = await agent.post('/kindergartens/deadline').type('form').send({ _csrf: csrf, deadline: '25:00' }).expect(400);
    expect(wrong.text).to.include(lv('errors.invalid_deadline')).and.to.include('value="25:00"');
    const changed = await agent.post('/kindergartens/deadline').type('form').send({ _csrf: csrf, deadline: '09:30' }).expect(303);
    const notice = await agent.get(locationOf(changed)).expect(200);
    expect(notice.text).to.include(lv('kindergartens.page.deadline.changed', { deadline: '09:30' }));
    expect((await api(w.coordToken).get('/api/kindergartens/settings').expect(200)).body.deadline).to.equal('09:30');
  });

  it('the coordinator registers a request by form and places, queues and withdraws requests from their pages', async () => {
    const w = await world();
    const { agent, csrf } = await signedInAgent(app(), w.coord.email);
    const code = validPersonalCode();
    const fields = { _csrf: csrf, firstName: 'Rūta', lastName: 'Rozīte', employer: 'Liepājas slimnīca', sector: 'health', neededFrom: '2020-03-16', parentName: 'Inga Rozīte', parentPhone: '26123456', language: 'lv', preferredArea: '' };
    const refused = await agent.post('/kindergartens/requests/new').type('form').send({ ...fields, personalCode: '123' }).expect(400);
    expect(refused.text).to.include(lv('errors.invalid_personal_code')).and.to.include('value="Rozīte"').and.not.to.include('value="123"');
    const noSector = await agent.post('/kindergartens/requests/new').type('form').send({ ...fields, sector: '', personalCode: code }).expect(400);
    expect(noSector.text).to.include(lv('errors.invalid_sector')).and.not.to.include(code);

    const created = await agent.post('/kindergartens/requests/new').type('form').send({ ...fields, personalCode: code }).expect(303);
    const requestUrl = locationOf(created).split('?')[0]!;
    expect(requestUrl).to.match(/^\/kindergartens\/requests\/[0-9a-f]{24}$/);
    const id = requestUrl.split('/').pop()!;
    const page = await agent.get(locationOf(created)).expect(200);
    const stored = await PlacementRequestModel.findById(id).lean();
    expect(page.text).to.include(lv('kindergartens.page.request.done.created')).and.to.include(stored!.referenceCode).and.to.include(stored!.child!.personalCodeMasked);
    expect(page.text).not.to.include(code);
    // The small group is full, so only the big one is offered; a full group chosen anyway is refused.
    expect(page.text).to.include(`value="${w.big.id}"`).and.not.to.include(`value="${w.small.id}"`);
    const full = await agent.post(`${requestUrl}/place`).type('form').send({ _csrf: csrf, group: w.small.id }).expect(409);
    expect(full.text).to.include(lv('errors.group_full', { group: 'Mākonīši' }));

    // The waiting list shows the queue position in the list and on the page.
    const other = await requestVia(w.coordToken, { firstName: 'Otto', lastName: 'Ozols' });
    await agent.post(`/kindergartens/requests/${other.id}/wait`).type('form').send({ _csrf: csrf }).expect(303);
    await agent.post(`${requestUrl}/wait`).type('form').send({ _csrf: csrf }).expect(303);
    // The queue goes by arrival, not by when a request was put on the list: Rūta came first.
    const waiting = await agent.get('/kindergartens/requests?status=waiting').expect(200);
    expect(waiting.text).to.include('Otto Ozols').and.to.include('Rūta Rozīte').and.not.to.include('Anna Ābele');
    expect(waiting.text.indexOf('Rūta Rozīte')).to.be.lessThan(waiting.text.indexOf('Otto Ozols'));
    expect(waiting.text).to.include(lv('kindergartens.page.requests.position', { position: '1' })).and.to.include(lv('kindergartens.page.requests.position', { position: '2' }));
    const searched = await agent.get('/kindergartens/requests?q=Ozols').expect(200);
    // A search leaves Rūta out, yet Otto is still second in the whole queue.
    expect(searched.text).to.include('Otto Ozols').and.to.include(lv('kindergartens.page.requests.position', { position: '2' })).and.not.to.include('Rūta Rozīte');
    const waitingPage = await agent.get(`/kindergartens/requests/${other.id}`).expect(200);
    expect(waitingPage.text).to.match(/<dd>2<\/dd>/);

    const placed = await agent.post(`${requestUrl}/place`).type('form').send({ _csrf: csrf, group: w.big.id }).expect(303);
    expect(locationOf(placed)).to.equal(`${requestUrl}?done=place`);
    const placedPage = await agent.get(locationOf(placed)).expect(200);
    expect(placedPage.text).to.include(lv('kindergartens.page.request.done.place')).and.to.include('Zīļuks').and.to.include(`action="${requestUrl}/end"`);

    const noReason = await agent.post(`/kindergartens/requests/${other.id}/withdraw`).type('form').send({ _csrf: csrf, reason: '' }).expect(400);
    expect(noReason.text).to.include(lv('errors.reason_required'));
    await agent.post(`/kindergartens/requests/${other.id}/withdraw`).type('form').send({ _csrf: csrf, reason: 'Vecāks strādā no mājām' }).expect(303);
    const withdrawn = await agent.get(`/kindergartens/requests/${other.id}`).expect(200);
    expect(withdrawn.text).to.include('Vecāks strādā no mājām').and.to.include(lv('kindergartens.page.requestStatus.withdrawn')).and.not.to.include('/place"');

    await agent.post(`${requestUrl}/end`).type('form').send({ _csrf: csrf, reason: 'Ģimene pārcēlās' }).expect(303);
    expect((await PlacementRequestModel.findById(id).lean())!.status).to.equal('ended');
    await agent.get('/kindergartens/requests/000000000000000000000000').expect(404);
  });
});

describe('the dashboard’s base-kindergarten tiles', () => {
  beforeEach(resetData);

  it('shows today’s present / places, over capacity and the waiting list to the coordinator; a head their own; a school none', async () => {
    const w = await world();
    const headToken = await makeToken(w.alphaHead.email);
    await api(headToken).get('/api/kindergartens/monitoring').expect(200);
    await request(app()).put(`/api/kindergartens/${w.alpha.code}/attendance/${today()}`).set('Authorization', `Bearer ${headToken}`).send({ groups: [{ group: 'Mākonīši', registered: 2, present: 3 }] }).expect(200);
    const waiting = await requestVia(w.coordToken, { firstName: 'Cilda' });
    await api(w.coordToken).post(`/api/placement-requests/${waiting.id}/wait`).expect(200);

    const coordPage = (await api(w.coordToken).get('/dashboard').expect(200)).text;
    expect(coordPage).to.include(lv('dashboard.kindergartensToday'));
    // 3 present of 2 + 20 + 5 places; one group over capacity; one child waiting.
    expect(coordPage).to.match(/<span class="value">3 \/ 27<\/span>/);
    expect(coordPage).to.include('href="/kindergartens/requests?status=waiting"');
    // The over-capacity tile is a warning (the one device tile that can be, stale stock, is not here).
    expect(coordPage).to.match(/class="tile warn" href="\/kindergartens"><span class="value">1<\/span>/);
    const headPage = (await api(headToken).get('/dashboard').expect(200)).text;
    expect(headPage).to.match(/<span class="value">3 \/ 22<\/span>/);
    expect(headPage).not.to.include('requests?status=waiting');
    const schoolPage = (await api(await makeToken(w.schoolHead.email)).get('/dashboard').expect(200)).text;
    expect(schoolPage).not.to.include(lv('dashboard.kindergartensToday'));
  });
});
