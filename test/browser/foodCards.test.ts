import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { catalogueText, horizontalOverflow, signIn, trimmed, useBrowserSuite } from '../support/browser.ts';
import { makeToken, makeUser } from '../support/factories.ts';
import { validPersonalCode } from '../support/devices.ts';
import { importFile, makeWorkbook } from '../support/imports.ts';
import { resetData, stack } from '../support/stack.ts';

/** Staff sign in in Latvian. */
const text = (key: string, vars: Record<string, string> = {}) => catalogueText('lv', key, vars);
const as = (token: string) => ({
  get: (url: string) => request(stack().app).get(url).set('Authorization', `Bearer ${token}`),
  post: (url: string, body: object = {}) => request(stack().app).post(url).set('Authorization', `Bearer ${token}`).send(body),
  put: (url: string, body: object = {}) => request(stack().app).put(url).set('Authorization', `Bearer ${token}`).send(body),
});
const header = ['Personas kods', 'Vārds', 'Uzvārds', 'Klase', 'Statuss', 'Derīgs no', 'Derīgs līdz'];

describe('food cards at school in a browser', function () {
  this.timeout(90_000);
  const suite = useBrowserSuite();
  // The browser suites share one database, and the imports suite counts pupils from an empty one.
  after(resetData);

  it('a principal on a phone records who collected a loaded card and sees it collected; a card not loaded is not offered', async () => {
    // Everything before the page through the JSON API: pupils, a period with its calendar, the
    // amounts, a batch, card numbers, and Anna's card loaded (Jānis's stays issued).
    const tag = randomBytes(3).toString('hex').toUpperCase();
    const principalToken = await makeToken(suite.principal.email);
    const coordToken = await makeToken((await makeUser('coordinator')).email);
    await importFile(principalToken, { kind: 'food-entitlements' }, await makeWorkbook(header, [
      [validPersonalCode(), 'Anna', `Ozola${tag}`, '3.a', 'trūcīga', '01.01.2020', '31.12.2020'],
      [validPersonalCode(), 'Jānis', `Kalns${tag}`, '7.b', 'maznodrošināta', '01.01.2020', '31.12.2020'],
    ]));
    const period = (await as(coordToken).post('/api/food-periods', { name: `Pavasaris ${tag}`, from: '2020-03-16', to: '2020-05-29', rate: '1.42' }).expect(201)).body.id as string;
    await as(coordToken).put(`/api/food-periods/${period}/calendar`, { holidays: ['2020-04-10', '2020-04-13'] }).expect(200);
    await as(coordToken).post(`/api/food-periods/${period}/compute`).expect(200);
    const batch = (await as(coordToken).post(`/api/food-periods/${period}/batches`).expect(201)).body.batch.id as string;
    const cards = (await as(coordToken).get(`/api/food-cards?period=${period}`).expect(200)).body.items as Array<{ id: string; firstName: string }>;
    const anna = cards.find((c) => c.firstName === 'Anna')!;
    const janis = cards.find((c) => c.firstName === 'Jānis')!;
    const number = `LK-${tag}`;
    await as(coordToken).post(`/api/food-batches/${batch}/numbers`, { items: [{ card: anna.id, number }] }).expect(200);
    await as(coordToken).post(`/api/food-batches/${batch}/loaded`, { cards: [anna.id], readyFrom: '2020-03-20' }).expect(200);

    const page = await suite.open({ viewport: { width: 360, height: 740 } });
    await signIn(page, suite.principal);
    await page.getByRole('banner').getByRole('link', { name: text('nav.foodcards'), exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/foodcards');
    await page.getByRole('link', { name: text('foodcards.page.nav.cards'), exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/foodcards/cards');
    expect(await horizontalOverflow(page), 'cards page wider than the phone').to.be.at.most(0);

    const waiting = page.locator('#uncollected');
    const annaCard = waiting.getByRole('listitem', { name: `Anna Ozola${tag}`, exact: true });
    expect(await trimmed(annaCard)).to.include(number).and.to.include('3.a');
    // Jānis's card is not loaded: no hand-over form is offered for it, only the count of those waiting to be loaded.
    expect(await waiting.getByRole('listitem', { name: `Jānis Kalns${tag}`, exact: true }).count()).to.equal(0);
    expect(await page.locator(`form[action="/foodcards/cards/${janis.id}/handover"]`).count()).to.equal(0);
    expect(await trimmed(page.locator('#not-loaded'))).to.equal(text('foodcards.page.cards.notLoaded', { n: '1' }));

    // Who collected it and how they are related; the date stays today.
    await annaCard.getByLabel(text('foodcards.page.cards.collectedBy'), { exact: true }).fill(`Inese Ozola${tag}`);
    await annaCard.getByLabel(text('foodcards.page.cards.relation'), { exact: true }).selectOption('mother');
    await annaCard.getByRole('button', { name: text('foodcards.page.cards.submit'), exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/foodcards/cards' && url.searchParams.get('done') === 'handover');

    const notice = page.getByRole('status').filter({ hasText: number });
    expect(await trimmed(notice)).to.equal(text('foodcards.page.cards.done', { number, pupil: `Anna Ozola${tag}` }));
    const collected = page.locator('#collected').locator('li', { hasText: `Anna Ozola${tag}` });
    expect(await trimmed(collected)).to.include(`Inese Ozola${tag}`).and.to.include(text('foodcards.page.cards.relations.mother'));
    expect(await waiting.getByRole('listitem', { name: `Anna Ozola${tag}`, exact: true }).count()).to.equal(0);
    expect(await horizontalOverflow(page), 'confirmation wider than the phone').to.be.at.most(0);
    const stored = (await as(coordToken).get(`/api/food-cards/${anna.id}`).expect(200)).body;
    expect(stored.status).to.equal('collected');
    expect(stored.handover).to.include({ collectedBy: `Inese Ozola${tag}`, relation: 'mother' });
  });
});
