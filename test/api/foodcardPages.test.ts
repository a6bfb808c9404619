import { expect } from 'chai';
import request from 'supertest';
import { resetData, stack } from '../support/stack.ts';
import { makeInstitution, makeToken, makeUser, signedInAgent } from '../support/factories.ts';
import { validPersonalCode } from '../support/devices.ts';
import { importFile, makeWorkbook } from '../support/imports.ts';
import { catalogueText } from '../support/browser.ts';
import { EntitlementModel, FamilyStatusModel, FoodPeriodModel } from '../../src/foodcards/model.ts';
import { addDays, rigaToday } from '../../src/shared/dates.ts';
import { escapeHtml } from '../../src/web/html.ts';
import { formatDay } from '../../src/web/format.ts';

const app = () => stack().app;
const lv = (key: string, vars: Record<string, string> = {}) => escapeHtml(catalogueText('lv', key, vars));
const en = (key: string, vars: Record<string, string> = {}) => escapeHtml(catalogueText('en', key, vars));
const as = (token: string) => ({
  get: (url: string) => request(app()).get(url).set('Authorization', `Bearer ${token}`),
  post: (url: string, body: object = {}) => request(app()).post(url).set('Authorization', `Bearer ${token}`).send(body),
  put: (url: string, body: object = {}) => request(app()).put(url).set('Authorization', `Bearer ${token}`).send(body),
});
const euros = (cents: number, locale: string) => new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }).format(cents / 100);
const header = ['Personas kods', 'Vārds', 'Uzvārds', 'Klase', 'Statuss', 'Derīgs no', 'Derīgs līdz'];
const locationOf = (res: { headers: Record<string, string | undefined> }) => {
  expect(res.headers.location, 'a redirect').to.be.a('string');
  return res.headers.location!;
};

/** Every key a page uses exists: a missing one would show as its own name. */
function expectTranslated(text: string, what: string) {
  expect(text, `${what} shows an untranslated key`).not.to.match(/foodcards\.page\.|nav\.foodcards|errors\.[a-z_]+/);
}

/** Two schools with a principal each, family statuses imported for both, and a coordinator. */
async function world() {
  const coord = await makeUser('coordinator');
  const coordToken = await makeToken(coord.email);
  const alpha = await makeInstitution({ name: 'Alfa skola' });
  const beta = await makeInstitution({ name: 'Beta skola' });
  const alphaHead = await makeUser('principal', alpha.code);
  const betaHead = await makeUser('principal', beta.code);
  const alphaToken = await makeToken(alphaHead.email);
  const betaToken = await makeToken(betaHead.email);
  await importFile(alphaToken, { kind: 'food-entitlements' }, await makeWorkbook(header, [
    [validPersonalCode(), 'Anna', 'Ozola', '3.a', 'trūcīga', '01.01.2020', '31.12.2020'],
    [validPersonalCode(), 'Jānis', 'Kalns', '7.b', 'maznodrošināta', '06.05.2020', '31.08.2020'],
  ]));
  await importFile(betaToken, { kind: 'food-entitlements' }, await makeWorkbook(header, [[validPersonalCode(), 'Pēteris', 'Priede', '2.c', 'trūcīga', '01.01.2020', '31.12.2020']]));
  return { coord, coordToken, alpha, beta, alphaHead, betaHead };
}

/** A period through the API, with its calendar, computed. */
async function computedPeriod(coordToken: string) {
  const id = (await as(coordToken).post('/api/food-periods', { name: 'Pavasaris 2020', from: '2020-03-16', to: '2020-05-29', rate: '1.42', rates: [{ classFrom: 5, classTo: 12, rate: '1.60' }] }).expect(201)).body.id as string;
  await as(coordToken).put(`/api/food-periods/${id}/calendar`, { holidays: ['2020-04-10', '2020-04-13', '2020-05-01', '2020-05-04'] }).expect(200);
  await as(coordToken).post(`/api/food-periods/${id}/compute`).expect(200);
  return id;
}

describe('food-card pages', () => {
  beforeEach(resetData);

  it('every page renders for the coordinator with every text translated and euros in the reader\'s locale', async () => {
    const w = await world();
    const period = await computedPeriod(w.coordToken);
    const bare = (await as(w.coordToken).post('/api/food-periods', { name: 'Rudens 2020', from: '2020-09-01', to: '2020-12-22', rate: '2' }).expect(201)).body.id as string;
    const anna = await EntitlementModel.findOne({ class: '3.a' }).lean();
    const { agent } = await signedInAgent(app(), w.coord.email);
    const urls = ['/foodcards', `/foodcards/periods/${period}`, `/foodcards/periods/${bare}`, `/foodcards/periods/${period}/entitlements`, `/foodcards/periods/${period}/entitlements?institution=${w.alpha.code}`, `/foodcards/entitlements/${String(anna!._id)}`];
    for (const lang of ['lv', 'ru', 'en']) {
      await agent.get(`/lang/${lang}?next=/foodcards`).expect(303);
      for (const url of urls) {
        const res = await agent.get(url).expect(200);
        expect(res.type, url).to.equal('text/html');
        expectTranslated(res.text, `${lang} ${url}`);
      }
    }
    await agent.get('/lang/lv?next=/foodcards').expect(303);
    const list = await agent.get('/foodcards').expect(200);
    expect(list.text).to.include('Pavasaris 2020').and.to.include('Rudens 2020').and.to.include(`href="/foodcards/periods/${period}"`);
    expect(list.text).to.include(escapeHtml(euros(142, 'lv-LV'))).and.to.include(escapeHtml(euros(160, 'lv-LV')));
    expect(list.text).to.include(lv('foodcards.page.periods.calendarSet', { days: '51' })).and.to.include(lv('foodcards.page.periods.calendarNotSet'));
    expect(list.text).to.include('action="/foodcards/periods"').and.to.include('href="/foodcards"').and.to.include(lv('nav.foodcards'));

    const page = await agent.get(`/foodcards/periods/${period}`).expect(200);
    // Anna 51 days × 1.42, Jānis 18 × 1.60 in Alfa; Pēteris 51 × 1.42 in Beta.
    expect(page.text).to.include(`href="/foodcards/periods/${period}/entitlements?institution=${w.alpha.code}"`).and.to.include('Beta skola');
    expect(page.text).to.include(escapeHtml(euros(51 * 142 + 18 * 160, 'lv-LV'))).and.to.include(escapeHtml(euros(2 * 51 * 142 + 18 * 160, 'lv-LV')));
    expect(page.text).to.include(`action="/foodcards/periods/${period}/calendar"`).and.to.include(`action="/foodcards/periods/${period}/compute"`);
    // The calendar form shows the saved days, one per line.
    expect(page.text).to.include('2020-04-10\n2020-04-13\n2020-05-01\n2020-05-04</textarea>');

    const rows = await agent.get(`/foodcards/periods/${period}/entitlements?institution=${w.alpha.code}`).expect(200);
    expect(rows.text).to.include('Anna Ozola').and.to.include('Jānis Kalns').and.to.include('3.a').and.not.to.include('Pēteris');
    expect(rows.text).to.include(lv('foodcards.page.familyStatus.low_income')).and.to.include(escapeHtml(euros(18 * 160, 'lv-LV')));
    expect(rows.text).to.include(`href="/foodcards/entitlements/${String(anna!._id)}"`).and.not.to.match(/\d{6}-\d{5}/);

    const explained = await agent.get(`/foodcards/entitlements/${String(anna!._id)}`).expect(200);
    expect(explained.text).to.include('Anna Ozola').and.to.include(lv('foodcards.page.explain.sum', { days: '51', rate: euros(142, 'lv-LV'), amount: euros(51 * 142, 'lv-LV') }));
    expect(explained.text).to.match(/data-day="2020-04-10" data-reason="holiday"/).and.to.match(/data-day="2020-03-21" data-reason="weekend"/).and.to.match(/data-day="2020-03-16" data-reason="school_day"/);
    expect(explained.text).to.include(lv('foodcards.page.reason.holiday')).and.to.include(lv('foodcards.page.reason.weekend'));
  });

  it('the period form sets up a period; a refusal comes back in the reader\'s language with what was typed, and saves nothing', async () => {
    const w = await world();
    const { agent, csrf } = await signedInAgent(app(), w.coord.email);
    await agent.get('/lang/en?next=/foodcards').expect(303);
    const reversed = await agent.post('/foodcards/periods').type('form').send({ _csrf: csrf, name: 'Ziema', from: '2021-01-31', to: '2021-01-04', rate: '1,42' }).expect(400);
    expect(reversed.text).to.include(en('errors.period_reversed')).and.to.include('value="Ziema"').and.to.include('value="1,42"').and.to.include('value="2021-01-31"');
    expect(reversed.text).to.match(/id="to"[^>]*aria-invalid="true"/);
    const overlap = await agent
      .post('/foodcards/periods')
      .type('form')
      .send({ _csrf: csrf, name: 'Ziema', from: '2021-01-04', to: '2021-01-31', rate: '1.42', bandFrom_0: '1', bandTo_0: '6', bandRate_0: '1.50', bandFrom_2: '5', bandTo_2: '12', bandRate_2: '1.60' })
      .expect(400);
    expect(overlap.text).to.include(en('errors.rate_bands_overlap')).and.to.include('name="bandFrom_2" value="5"');
    const badRate = await agent.post('/foodcards/periods').type('form').send({ _csrf: csrf, name: 'Ziema', from: '2021-01-04', to: '2021-01-31', rate: 'daudz' }).expect(400);
    expect(badRate.text).to.include(en('errors.invalid_rate')).and.to.include('value="daudz"');
    expectTranslated(badRate.text, 'refused period form');
    expect(await FoodPeriodModel.countDocuments({})).to.equal(0);

    const made = await agent
      .post('/foodcards/periods')
      .type('form')
      .send({ _csrf: csrf, name: 'Ziema', from: '2021-01-04', to: '2021-01-31', rate: '1,42', bandFrom_1: '5', bandTo_1: '12', bandRate_1: '1.6' })
      .expect(303);
    const saved = await FoodPeriodModel.findOne({}).lean();
    expect(saved).to.include({ name: 'Ziema', from: '2021-01-04', to: '2021-01-31', defaultRateCents: 142 });
    expect(saved!.rates.map((b) => ({ ...b }))).to.deep.equal([{ classFrom: 5, classTo: 12, cents: 160 }]);
    expect(locationOf(made)).to.equal(`/foodcards/periods/${String(saved!._id)}?done=created`);
    const page = await agent.get(locationOf(made)).expect(200);
    expect(page.text).to.include(en('foodcards.page.period.done.created'));
  });

  it('the calendar form saves the days or comes back with the refusal; the compute button shows its summary', async () => {
    const w = await world();
    const id = (await as(w.coordToken).post('/api/food-periods', { name: 'Pavasaris 2020', from: '2020-03-16', to: '2020-05-29', rate: '1.42' }).expect(201)).body.id as string;
    const { agent, csrf } = await signedInAgent(app(), w.coord.email);
    // Computing before the calendar is refused with the reason.
    const early = await agent.post(`/foodcards/periods/${id}/compute`).type('form').send({ _csrf: csrf }).expect(409);
    expect(early.text).to.include(lv('errors.period_without_calendar'));
    expect(await EntitlementModel.countDocuments({})).to.equal(0);

    const outside = await agent.post(`/foodcards/periods/${id}/calendar`).type('form').send({ _csrf: csrf, holidays: '2020-04-10\n2020-06-23', daysOff: '', extraSchoolDays: '' }).expect(400);
    expect(outside.text).to.include(lv('errors.day_outside_period')).and.to.include('2020-04-10\n2020-06-23</textarea>');
    const badDay = await agent.post(`/foodcards/periods/${id}/calendar`).type('form').send({ _csrf: csrf, holidays: '', daysOff: '10.04.2020', extraSchoolDays: '' }).expect(400);
    expect(badDay.text).to.include(lv('errors.invalid_date')).and.to.match(/id="daysOff"[^>]*aria-invalid="true"/);
    const both = await agent.post(`/foodcards/periods/${id}/calendar`).type('form').send({ _csrf: csrf, holidays: '2020-04-18', daysOff: '', extraSchoolDays: '2020-04-18' }).expect(400);
    expect(both.text).to.include(lv('errors.day_both_off_and_school'));
    expect((await FoodPeriodModel.findById(id).lean())!.calendar!.setAt).to.equal(null);

    const saved = await agent.post(`/foodcards/periods/${id}/calendar`).type('form').send({ _csrf: csrf, holidays: '2020-04-10\r\n2020-04-13, 2020-05-01\n\n2020-05-04', daysOff: '', extraSchoolDays: '2020-04-18' }).expect(303);
    expect(locationOf(saved)).to.equal(`/foodcards/periods/${id}?done=calendar`);
    const cal = (await FoodPeriodModel.findById(id).lean())!.calendar!;
    expect(cal.holidays).to.deep.equal(['2020-04-10', '2020-04-13', '2020-05-01', '2020-05-04']);
    expect(cal.extraSchoolDays).to.deep.equal(['2020-04-18']);

    const computed = await agent.post(`/foodcards/periods/${id}/compute`).type('form').send({ _csrf: csrf }).expect(200);
    // Anna and Pēteris 52 days (51 + a Saturday), Jānis 18, at 1.42.
    const cents = (52 + 52 + 18) * 142;
    expect(computed.text).to.include(lv('foodcards.page.compute.done', { pupils: '3', institutions: '2', amount: euros(cents, 'lv-LV') }));
    expect(computed.text).to.include(lv('foodcards.page.compute.changes', { created: '3', updated: '0', unchanged: '0' }));
    expect(await EntitlementModel.countDocuments({})).to.equal(3);
  });

  it('a principal sees their own pupils only and gets 403 on the coordinator\'s pages and 404 on another institution\'s', async () => {
    const w = await world();
    const period = await computedPeriod(w.coordToken);
    const peteris = await EntitlementModel.findOne({ class: '2.c' }).lean();
    const anna = await EntitlementModel.findOne({ class: '3.a' }).lean();
    const { agent, csrf } = await signedInAgent(app(), w.alphaHead.email);

    const periods = await agent.get('/foodcards').expect(200);
    expectTranslated(periods.text, 'principal /foodcards');
    expect(periods.text).to.include(`href="/foodcards/periods/${period}/entitlements?institution=${w.alpha.code}"`).and.to.include(lv('nav.foodcards'));
    expect(periods.text).not.to.include('action="/foodcards/periods"').and.not.to.include(`href="/foodcards/periods/${period}"`);

    for (const url of [`/foodcards/periods/${period}/entitlements`, `/foodcards/periods/${period}/entitlements?institution=${w.alpha.code}`]) {
      const own = await agent.get(url).expect(200);
      expectTranslated(own.text, url);
      expect(own.text, url).to.include('Anna Ozola').and.to.include('Jānis Kalns').and.not.to.include('Pēteris').and.not.to.include('Beta skola');
    }
    await agent.get(`/foodcards/entitlements/${String(anna!._id)}`).expect(200);

    for (const url of [`/foodcards/periods/${period}`]) await agent.get(url).expect(403);
    await agent.post('/foodcards/periods').type('form').send({ _csrf: csrf, name: 'X', from: '2021-01-04', to: '2021-01-31', rate: '1' }).expect(403);
    await agent.post(`/foodcards/periods/${period}/calendar`).type('form').send({ _csrf: csrf, holidays: '' }).expect(403);
    await agent.post(`/foodcards/periods/${period}/compute`).type('form').send({ _csrf: csrf }).expect(403);
    const other = await agent.get(`/foodcards/periods/${period}/entitlements?institution=${w.beta.code}`).expect(404);
    expect(other.text).not.to.include('Pēteris');
    const explain = await agent.get(`/foodcards/entitlements/${String(peteris!._id)}`).expect(404);
    expect(explain.text).not.to.include('Pēteris');
    expect(await FoodPeriodModel.countDocuments({})).to.equal(1);
  });
});

type ApiCard = { id: string; firstName: string; status: string; number: string | null };

/** A batch of the computed period through the API: numbers for Anna and Pēteris, their cards loaded; Jānis's card stays issued. */
async function loadedCards(coordToken: string, period: string) {
  await as(coordToken).post(`/api/food-periods/${period}/batches`).expect(201);
  const items = (await as(coordToken).get(`/api/food-cards?period=${period}`).expect(200)).body.items as ApiCard[];
  const card = (name: string) => items.find((i) => i.firstName === name)!;
  const batch = (await as(coordToken).get(`/api/food-periods/${period}/batches`).expect(200)).body.items[0].id as string;
  await as(coordToken).post(`/api/food-batches/${batch}/numbers`, { items: [{ card: card('Anna').id, number: 'LK-0001' }, { card: card('Pēteris').id, number: 'LK-0002' }] }).expect(200);
  await as(coordToken).post(`/api/food-batches/${batch}/loaded`, { cards: [card('Anna').id, card('Pēteris').id], readyFrom: '2020-03-20' }).expect(200);
  return { anna: card('Anna').id, janis: card('Jānis').id, peteris: card('Pēteris').id };
}

describe('food-card pages: the cards at school', () => {
  beforeEach(resetData);

  it('a principal sees their own institution\'s cards only, in every language, and another institution\'s card is a 404', async () => {
    const w = await world();
    const period = await computedPeriod(w.coordToken);
    const c = await loadedCards(w.coordToken, period);
    const { agent, csrf } = await signedInAgent(app(), w.alphaHead.email);
    for (const lang of ['lv', 'ru', 'en']) {
      await agent.get(`/lang/${lang}?next=/foodcards/cards`).expect(303);
      const res = await agent.get('/foodcards/cards').expect(200);
      expectTranslated(res.text, `${lang} /foodcards/cards`);
    }
    await agent.get('/lang/lv?next=/foodcards/cards').expect(303);
    const page = await agent.get(`/foodcards/cards?period=${period}`).expect(200);
    expect(page.text).to.include('Anna Ozola').and.to.include('LK-0001').and.to.include('3.a').and.not.to.include('Pēteris').and.not.to.include('LK-0002');
    expect(page.text).to.include(`action="/foodcards/cards/${c.anna}/handover"`).and.not.to.include(`action="/foodcards/cards/${c.janis}/handover"`);
    expect(page.text).to.include(lv('foodcards.page.cards.notLoaded', { n: '1' })).and.to.include('href="/foodcards/cards"');
    const periods = await agent.get('/foodcards').expect(200);
    expect(periods.text).to.include('href="/foodcards/cards"');

    const other = await agent.post(`/foodcards/cards/${c.peteris}/handover`).type('form').send({ _csrf: csrf, collectedBy: 'Ieva Egle', relation: 'mother' }).expect(404);
    expect(other.text).not.to.include('Pēteris');
    expect((await as(w.coordToken).get(`/api/food-cards/${c.peteris}`).expect(200)).body.status).to.equal('loaded');
    // The coordinator sees both institutions' cards.
    const office = await signedInAgent(app(), w.coord.email);
    const all = await office.agent.get(`/foodcards/cards?period=${period}`).expect(200);
    expect(all.text).to.include('Anna Ozola').and.to.include('Pēteris Priede');
  });

  it('the hand-over form records who collected a loaded card; refusals come back in the reader\'s language with what was typed', async () => {
    const w = await world();
    const period = await computedPeriod(w.coordToken);
    const c = await loadedCards(w.coordToken, period);
    const { agent, csrf } = await signedInAgent(app(), w.alphaHead.email);
    await agent.get('/lang/en?next=/foodcards/cards').expect(303);

    const blank = await agent.post(`/foodcards/cards/${c.anna}/handover`).type('form').send({ _csrf: csrf, collectedBy: '  ', relation: 'father', date: '2020-03-23' }).expect(400);
    expect(blank.text).to.include(en('errors.card_collector_required')).and.to.match(new RegExp(`id="collectedBy-${c.anna}"[^>]*aria-invalid="true"`));
    expect(blank.text).to.include('<option value="father" selected>').and.to.include('value="2020-03-23"');
    const notLoaded = await agent.post(`/foodcards/cards/${c.janis}/handover`).type('form').send({ _csrf: csrf, collectedBy: 'Pēteris Kalns', relation: 'father' }).expect(409);
    expect(notLoaded.text).to.include(en('errors.card_not_loaded'));
    expectTranslated(notLoaded.text, 'refused hand-over');

    const done = await agent.post(`/foodcards/cards/${c.anna}/handover`).type('form').send({ _csrf: csrf, collectedBy: 'Inese Ozola', relation: 'mother', date: '2020-03-23' }).expect(303);
    expect(locationOf(done)).to.equal(`/foodcards/cards?period=${period}&done=handover&card=${c.anna}`);
    const page = await agent.get(locationOf(done)).expect(200);
    expect(page.text).to.include(en('foodcards.page.cards.done', { number: 'LK-0001', pupil: 'Anna Ozola' }));
    expect(page.text).to.include(en('foodcards.page.cards.collectedOn', { date: formatDay('2020-03-23', 'en'), name: 'Inese Ozola', relation: catalogueText('en', 'foodcards.page.cards.relations.mother') }));
    expect(page.text).not.to.include(`action="/foodcards/cards/${c.anna}/handover"`);
    const card = (await as(w.coordToken).get(`/api/food-cards/${c.anna}`).expect(200)).body;
    expect(card.status).to.equal('collected');
    expect(card.handover).to.deep.equal({ collectedBy: 'Inese Ozola', relation: 'mother', date: '2020-03-23' });

    const again = await agent.post(`/foodcards/cards/${c.anna}/handover`).type('form').send({ _csrf: csrf, collectedBy: 'Jānis Ozols', relation: 'father' }).expect(409);
    expect(again.text).to.include(en('errors.card_already_collected'));
    expect((await as(w.coordToken).get(`/api/food-cards/${c.anna}`).expect(200)).body.handover.collectedBy).to.equal('Inese Ozola');
  });
});

describe('food-card pages: the coordinator\'s card batches', () => {
  beforeEach(resetData);

  it('makes a batch from the period page, takes card numbers one per line, marks the cards loaded, and refuses a bad line with what was typed', async () => {
    const w = await world();
    const period = await computedPeriod(w.coordToken);
    const { agent, csrf } = await signedInAgent(app(), w.coord.email);
    await agent.get('/lang/en?next=/foodcards').expect(303);
    const empty = await agent.get(`/foodcards/periods/${period}`).expect(200);
    expect(empty.text).to.include(`action="/foodcards/periods/${period}/batches"`).and.to.include(en('foodcards.page.batches.none'));

    const made = await agent.post(`/foodcards/periods/${period}/batches`).type('form').send({ _csrf: csrf }).expect(200);
    expect(made.text).to.include(en('foodcards.page.batches.outcome.created'));
    const batch = (await as(w.coordToken).get(`/api/food-periods/${period}/batches`).expect(200)).body.items[0].id as string;
    expect(made.text).to.include(`href="/api/food-batches/${batch}/order.xlsx"`).and.to.include(`action="/foodcards/batches/${batch}/numbers"`);
    expectTranslated(made.text, 'period page with a batch');
    const again = await agent.post(`/foodcards/periods/${period}/batches`).type('form').send({ _csrf: csrf }).expect(200);
    expect(again.text).to.include(en('foodcards.page.batches.outcome.nothingChanged'));

    const items = (await as(w.coordToken).get(`/api/food-cards?period=${period}`).expect(200)).body.items as ApiCard[];
    const anna = items.find((i) => i.firstName === 'Anna')!;
    const others = items.filter((i) => i.firstName !== 'Anna');
    const early = await agent.post(`/foodcards/batches/${batch}/loaded`).type('form').send({ _csrf: csrf }).expect(409);
    expect(early.text).to.include(en('errors.card_without_number'));
    const bad = await agent.post(`/foodcards/batches/${batch}/numbers`).type('form').send({ _csrf: csrf, numbers: `${anna.id} X!` }).expect(400);
    expect(bad.text).to.include(en('errors.invalid_card_number')).and.to.include(`${anna.id} X!</textarea>`);
    // By card id, and by pupil id for the others.
    const pupils = await Promise.all(others.map(async (o) => (await as(w.coordToken).get(`/api/food-cards/${o.id}`).expect(200)).body.pupil as string));
    const typed = [`${anna.id} lk-1001`, ...pupils.map((p, i) => `${p} LK-200${i}`)].join('\r\n');
    const saved = await agent.post(`/foodcards/batches/${batch}/numbers`).type('form').send({ _csrf: csrf, numbers: typed }).expect(303);
    expect(locationOf(saved)).to.equal(`/foodcards/periods/${period}?done=numbers#batches`);
    expect((await as(w.coordToken).get(`/api/food-cards/${anna.id}`).expect(200)).body.number).to.equal('LK-1001');
    const loaded = await agent.post(`/foodcards/batches/${batch}/loaded`).type('form').send({ _csrf: csrf }).expect(303);
    const page = await agent.get(locationOf(loaded).replace('#batches', '')).expect(200);
    expect(page.text).to.include(en('foodcards.page.batches.done.loaded'));
    const after = (await as(w.coordToken).get(`/api/food-cards?period=${period}`).expect(200)).body.items as ApiCard[];
    expect(after.map((c) => c.status)).to.deep.equal(['loaded', 'loaded', 'loaded']);

    const head = await signedInAgent(app(), w.alphaHead.email);
    await head.agent.post(`/foodcards/periods/${period}/batches`).type('form').send({ _csrf: head.csrf }).expect(403);
    await head.agent.post(`/foodcards/batches/${batch}/loaded`).type('form').send({ _csrf: head.csrf }).expect(403);
  });
});

describe('the family statuses page', () => {
  beforeEach(resetData);

  it('records a status by hand, refuses a reversed validity saving nothing, and lists those about to expire in the reader’s scope', async () => {
    const school = await makeInstitution({ name: 'Statusu skola' });
    const other = await makeInstitution({ name: 'Cita skola' });
    const head = await makeUser('principal', school.code);
    const { agent, csrf } = await signedInAgent(stack().app, head.email);
    const page = await agent.get('/foodcards/statuses').expect(200);
    expect(page.text).to.include('id="st-personalCode"');
    expect(page.text, 'a principal names no school').not.to.include('id="st-institution"');

    const soon = addDays(rigaToday(), 3);
    const bad = await agent
      .post('/foodcards/statuses')
      .type('form')
      .send({ _csrf: csrf, personalCode: validPersonalCode(), firstName: 'Anna', lastName: 'Ozola', class: '3.a', status: 'poor', validFrom: '2026-12-31', validTo: '2026-01-01' })
      .expect(400);
    expect(bad.text).to.include('role="alert"');
    expect(bad.text).to.include('aria-invalid="true"');
    expect(bad.text, 'the typed name is kept').to.include('value="Ozola"');
    expect(await FamilyStatusModel.countDocuments({})).to.equal(0);

    const ok = await agent
      .post('/foodcards/statuses')
      .type('form')
      .send({ _csrf: csrf, personalCode: validPersonalCode(), firstName: 'Anna', lastName: 'Ozola', class: '3.a', status: 'low_income', validFrom: '2026-01-01', validTo: soon })
      .expect(303);
    expect(ok.headers.location).to.equal('/foodcards/statuses?done=saved');
    const listed = await agent.get('/foodcards/statuses').expect(200);
    expect(listed.text).to.include('Ozola');
    expect(listed.text).to.match(/\d{6}-\d\*{4}/);

    const otherHead = await makeUser('principal', other.code);
    const otherAgent = await signedInAgent(stack().app, otherHead.email);
    const theirs = await otherAgent.agent.get('/foodcards/statuses?days=60').expect(200);
    expect(theirs.text).not.to.include('Ozola');
    const stored = await FamilyStatusModel.find({}).lean();
    expect(stored).to.have.length(1);
    expect(stored[0]).to.include({ status: 'low_income', validTo: soon });
  });
});
