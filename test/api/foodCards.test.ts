import { expect } from 'chai';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { buildTestApp, resetData, stack, testConfig } from '../support/stack.ts';
import { makeInstitution, makeToken, makeUser } from '../support/factories.ts';
import { validPersonalCode } from '../support/devices.ts';
import { importFile, makeWorkbook } from '../support/imports.ts';
import { FoodCardBatchModel, FoodCardModel, FoodCardNumberModel } from '../../src/foodcards/cardModel.ts';
import { DomainEventModel } from '../../src/events/model.ts';
import { PupilModel } from '../../src/pupils/model.ts';
import { bytes } from '../support/bytes.ts';

const as = (token: string) => ({
  get: (url: string) => request(stack().app).get(url).set('Authorization', `Bearer ${token}`),
  post: (url: string, body: object = {}) => request(stack().app).post(url).set('Authorization', `Bearer ${token}`).send(body),
  put: (url: string, body: object = {}) => request(stack().app).put(url).set('Authorization', `Bearer ${token}`).send(body),
});
const header = ['Personas kods', 'Vārds', 'Uzvārds', 'Klase', 'Statuss', 'Derīgs no', 'Derīgs līdz'];
const evil = '=HYPERLINK("http://x","y")';

type Card = { id: string; firstName: string; topUps: unknown[]; institution: string; status: string; cents: number; number: string | null; referenceCode: string; amount: { issuedCents: number; storedCents: number; differenceCents: number; proposal: string | null } };

describe('food cards: batches, card numbers, loading and the hand-over', () => {
  let coord: string;
  let principal: string;
  let otherPrincipal: string;
  let school: string;
  let other: string;
  let codes: string[];
  let period: string;

  const cards = async (token = coord, query = `period=${period}`) => (await as(token).get(`/api/food-cards?${query}`).expect(200)).body.items as Card[];
  const byName = (items: Card[], n: string) => items.find((i) => i.firstName === n)!;

  beforeEach(async () => {
    await resetData();
    coord = await makeToken((await makeUser('coordinator')).email);
    school = (await makeInstitution({ name: 'Liepājas 5. vidusskola' })).code;
    other = (await makeInstitution({ name: evil })).code;
    principal = await makeToken((await makeUser('principal', school)).email);
    otherPrincipal = await makeToken((await makeUser('principal', other)).email);
    codes = [validPersonalCode(), validPersonalCode(), validPersonalCode(), validPersonalCode()];
    await importFile(
      principal,
      { kind: 'food-entitlements' },
      await makeWorkbook(header, [
        [codes[0], 'Anna', 'Ozola', '3.a', 'trūcīga', '01.01.2020', '31.12.2020'],
        [codes[1], 'Jānis', 'Kalns', '7.b', 'maznodrošināta', '06.05.2020', '31.08.2020'],
        [codes[2], 'Marta', 'Liepa', '9.c', 'trūcīga', '01.09.2019', '13.03.2020'],
      ]),
    );
    await importFile(otherPrincipal, { kind: 'food-entitlements' }, await makeWorkbook(header, [[codes[3], 'Pēteris', 'Egle', '2.a', 'trūcīga', '01.01.2020', '31.12.2020']]));
    period = (await as(coord).post('/api/food-periods', { name: 'Pavasaris 2020', from: '2020-03-16', to: '2020-05-29', rate: '1.42', rates: [{ classFrom: 5, classTo: 12, rate: '1.60' }] }).expect(201)).body.id;
  });

  const setUp = async () => {
    await as(coord).put(`/api/food-periods/${period}/calendar`, { holidays: ['2020-04-10', '2020-04-13', '2020-05-01', '2020-05-04'] }).expect(200);
    await as(coord).post(`/api/food-periods/${period}/compute`).expect(200);
  };

  it('refuses a batch for a period without a calendar, with nothing made', async () => {
    const res = await as(coord).post(`/api/food-periods/${period}/batches`).expect(409);
    expect(res.body.error.code).to.equal('period_without_calendar');
    expect(await FoodCardBatchModel.countDocuments({})).to.equal(0);
    await as(principal).post(`/api/food-periods/${period}/batches`).expect(403);
  });

  it('makes a batch of the pupils with an amount, per institution, and making it again makes nothing twice', async () => {
    await setUp();
    const res = await as(coord).post(`/api/food-periods/${period}/batches`).expect(201);
    expect(res.body.created).to.equal(true);
    // Anna 51 days at 1.42, Jānis 18 at 1.60, Pēteris 51 at 1.42; Marta's status ended before.
    expect(res.body.batch).to.include({ status: 'confirmed', seq: 1, cards: 3, topUps: 0, cents: 7242 + 2880 + 7242 });
    expect(res.body.batch.institutions).to.deep.equal([
      { institution: school, name: 'Liepājas 5. vidusskola', cards: 2, cardCents: 10122, topUps: 0, topUpCents: 0, cents: 10122 },
      { institution: other, name: evil, cards: 1, cardCents: 7242, topUps: 0, topUpCents: 0, cents: 7242 },
    ].sort((a, b) => a.institution.localeCompare(b.institution)));
    expect(await FoodCardModel.countDocuments({})).to.equal(3);

    const again = await as(coord).post(`/api/food-periods/${period}/batches`).expect(200);
    expect(again.body).to.include({ created: false, reason: 'nothing_changed' });
    expect(again.body.batch.id).to.equal(res.body.batch.id);
    expect(await FoodCardModel.countDocuments({})).to.equal(3);
    expect(await FoodCardBatchModel.countDocuments({})).to.equal(1);
    const list = await as(coord).get(`/api/food-periods/${period}/batches`).expect(200);
    expect(list.body.items).to.have.length(1);
  });

  it('writes the supplier order as .xlsx per institution, names kept as text, never a formula', async () => {
    await setUp();
    await PupilModel.updateOne({ firstName: 'Anna' }, { $set: { lastName: evil } });
    const batch = (await as(coord).post(`/api/food-periods/${period}/batches`).expect(201)).body.batch.id;
    await as(principal).get(`/api/food-batches/${batch}/order.xlsx`).expect(403);
    const res = await as(coord)
      .get(`/api/food-batches/${batch}/order.xlsx`)
      .buffer(true)
      .parse(bytes);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.include('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ArrayBuffer);
    expect(wb.worksheets).to.have.length(2);
    let texts = 0;
    for (const ws of wb.worksheets) {
      ws.eachRow((row) => {
        row.eachCell((cell) => {
          expect(cell.type, `cell ${ws.name}!${cell.address}`).not.to.equal(ExcelJS.ValueType.Formula);
          if (cell.value === evil) texts += 1;
        });
      });
    }
    // The institution's name on the first sheet, the pupil's surname on the second.
    expect(texts).to.equal(2);
    const rows = wb.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][];
    const own = rows.find((r) => r[1] === school)!;
    expect(own.slice(1, 8)).to.deep.equal([school, 'Liepājas 5. vidusskola', 2, 101.22, 0, 0, 101.22]);
    expect(wb.worksheets[1]!.rowCount).to.equal(4);
    expect(JSON.stringify(rows)).not.to.match(/\d{6}-\d{5}/);
  });

  it('assigns card numbers (a used one refused with nothing changed), loads, hands over at school and lists the uncollected', async () => {
    await setUp();
    const batch = (await as(coord).post(`/api/food-periods/${period}/batches`).expect(201)).body.batch.id;
    const all = await cards();
    const anna = byName(all, 'Anna');
    const janis = byName(all, 'Jānis');
    const peteris = byName(all, 'Pēteris');
    expect(anna).to.include({ status: 'issued', number: null, cents: 7242 });

    // Loading before the numbers came back is refused.
    const early = await as(coord).post(`/api/food-batches/${batch}/loaded`).expect(409);
    expect(early.body.error.code).to.equal('card_without_number');

    const first = await as(coord).post(`/api/food-batches/${batch}/numbers`, { items: [{ card: anna.id, number: '6001-0001' }, { pupil: (await PupilModel.findOne({ firstName: 'Jānis' }).lean())!._id.toString(), number: '6001-0002' }] }).expect(200);
    expect(first.body).to.include({ assigned: 2 });
    // The same list again changes nothing.
    const same = await as(coord).post(`/api/food-batches/${batch}/numbers`, { items: [{ card: anna.id, number: '6001-0001' }] }).expect(200);
    expect(same.body).to.include({ assigned: 0, unchanged: 1 });
    // A number already used refuses the whole list: Pēteris keeps no number.
    const used = await as(coord).post(`/api/food-batches/${batch}/numbers`, { items: [{ card: peteris.id, number: '6001-0001' }] }).expect(409);
    expect(used.body.error.code).to.equal('card_number_used');
    const twice = await as(coord).post(`/api/food-batches/${batch}/numbers`, { items: [{ card: peteris.id, number: '6001-0009' }, { card: janis.id, number: '6001-0009' }] }).expect(409);
    expect(twice.body.error.code).to.equal('card_number_used');
    expect(byName(await cards(), 'Pēteris').number).to.equal(null);
    expect(byName(await cards(), 'Jānis').number).to.equal('6001-0002');
    expect(await FoodCardNumberModel.countDocuments({})).to.equal(2);
    await as(principal).post(`/api/food-batches/${batch}/numbers`, { items: [{ card: peteris.id, number: '6001-0003' }] }).expect(403);

    // A hand-over of a card never loaded.
    const notLoaded = await as(principal).post(`/api/food-cards/${anna.id}/handover`, { collectedBy: 'Inese Ozola', relation: 'mother' }).expect(409);
    expect(notLoaded.body.error.code).to.equal('card_not_loaded');
    expect(byName(await cards(), 'Anna').status).to.equal('issued');

    await as(coord).post(`/api/food-batches/${batch}/loaded`, { cards: [anna.id, janis.id], readyFrom: '2020-06-01' }).expect(200);
    expect(byName(await cards(), 'Anna')).to.include({ status: 'loaded' });
    expect(await DomainEventModel.countDocuments({ type: 'foodcard.ready' })).to.equal(2);

    // Another school's principal neither sees nor hands over the card.
    await as(otherPrincipal).post(`/api/food-cards/${anna.id}/handover`, { collectedBy: 'X', relation: 'other' }).expect(404);
    await as(otherPrincipal).get(`/api/food-cards/${anna.id}`).expect(404);
    expect((await cards(otherPrincipal)).map((c) => c.firstName)).to.deep.equal(['Pēteris']);
    await as(otherPrincipal).get(`/api/food-cards?institution=${school}`).expect(404);

    const given = await as(principal).post(`/api/food-cards/${anna.id}/handover`, { collectedBy: 'Inese Ozola', relation: 'mother', date: '2020-06-02' }).expect(200);
    expect(given.body).to.include({ status: 'collected' });
    expect(given.body.handover).to.deep.equal({ collectedBy: 'Inese Ozola', relation: 'mother', date: '2020-06-02' });
    expect(await DomainEventModel.countDocuments({ type: 'foodcard.collected' })).to.equal(1);
    const again = await as(principal).post(`/api/food-cards/${anna.id}/handover`, { collectedBy: 'Inese Ozola', relation: 'mother' }).expect(409);
    expect(again.body.error.code).to.equal('card_already_collected');

    const uncollected = await as(principal).get(`/api/food-cards/uncollected?period=${period}`).expect(200);
    expect(uncollected.body.items.map((c: Card) => [c.firstName, c.status])).to.deep.equal([['Jānis', 'loaded']]);
    const everyone = await as(coord).get(`/api/food-cards/uncollected?period=${period}`).expect(200);
    expect(everyone.body.items.map((c: Card) => c.firstName).sort()).to.deep.equal(['Jānis', 'Pēteris']);

    const totals = await as(coord).get(`/api/food-periods/${period}/card-totals`).expect(200);
    expect(totals.body.items.find((i: { institution: string }) => i.institution === school)).to.deep.include({
      issued: { count: 2, cents: 10122 },
      loaded: { count: 2, cents: 10122 },
      collected: { count: 1, cents: 7242 },
    });
    const theirTotals = await as(otherPrincipal).get(`/api/food-periods/${period}/card-totals`).expect(200);
    expect(theirTotals.body.items).to.have.length(1);
    expect(theirTotals.body.items[0]).to.deep.include({ institution: other, issued: { count: 1, cents: 7242 }, loaded: { count: 0, cents: 0 } });
  });

  it('shows parents the card ready at school and then collected', async () => {
    await setUp();
    const batch = (await as(coord).post(`/api/food-periods/${period}/batches`).expect(201)).body.batch.id;
    const anna = byName(await cards(), 'Anna');
    // An app of its own with room for this test's lookups of one code under the per-IP limit.
    const s = stack();
    const app = buildTestApp(s.redis, `${s.redisPrefix}:foodcards`, testConfig(s.dataDir, { STATUS_LIMIT_PER_IP: '100', STATUS_LIMIT_PER_CODE: '100' }));
    expect(anna.referenceCode).to.match(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{3}$/);
    const ordered = await request(app).post('/api/status').send({ referenceCode: anna.referenceCode }).expect(200);
    expect(ordered.body.items[0]).to.include({ kind: 'foodcard', firstName: 'Anna', status: 'issued' });

    await as(coord).post(`/api/food-batches/${batch}/numbers`, { items: [{ card: anna.id, number: '7001' }] }).expect(200);
    await as(coord).post(`/api/food-batches/${batch}/loaded`, { cards: [anna.id], readyFrom: '2020-06-01' }).expect(200);
    const ready = await request(app).post('/api/status').send({ referenceCode: anna.referenceCode.toLowerCase() }).expect(200);
    expect(ready.body.items[0]).to.include({ status: 'loaded' });
    expect(ready.body.items[0].details).to.include({ pickupPlace: 'Liepājas 5. vidusskola', pickupFrom: '2020-06-01' });
    expect(ready.body.items[0].steps.map((s: { status: string }) => s.status)).to.deep.equal(['issued', 'loaded']);

    await as(principal).post(`/api/food-cards/${anna.id}/handover`, { collectedBy: 'Inese Ozola', relation: 'mother', date: '2020-06-03' }).expect(200);
    const collected = await request(app).post('/api/status').send({ referenceCode: anna.referenceCode }).expect(200);
    expect(collected.body.items[0]).to.include({ status: 'collected' });
    expect(collected.body.items[0].details).to.deep.equal({ collectedOn: '2020-06-03' });
    expect(collected.body.items[0].steps.at(-1)).to.deep.equal({ status: 'collected', date: '2020-06-03' });
    const text = JSON.stringify(collected.body);
    for (const secret of ['Ozola', '7001', '7242']) expect(text).not.to.include(secret);

    // The page in each language.
    const expected = { lv: 'Karte saņemta', ru: 'Карта получена', en: 'Card collected' };
    for (const [lang, t] of Object.entries(expected)) {
      const agent = request.agent(stack().app);
      await agent.get(`/lang/${lang}?next=/status`).expect(303);
      const page = await agent.get('/status').expect(200);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
      const res = await agent.post('/status').type('form').send({ _csrf: csrf, referenceCode: anna.referenceCode }).expect(200);
      expect(res.text, lang).to.include(t);
      expect(res.text, lang).to.include('data-detail="collectedOn"');
    }
  });

  it('shows a status change after issue as a difference with a top-up proposal; a batch changing too many waits for confirmation, then tops up', async () => {
    await setUp();
    const first = (await as(coord).post(`/api/food-periods/${period}/batches`).expect(201)).body.batch.id;
    // Jānis's status now starts on 1 April (more days), Anna's ends on 31 March (fewer).
    await importFile(
      principal,
      { kind: 'food-entitlements' },
      await makeWorkbook(header, [
        [codes[0], 'Anna', 'Ozola', '3.a', 'trūcīga', '01.01.2020', '31.03.2020'],
        [codes[1], 'Jānis', 'Kalns', '7.b', 'maznodrošināta', '01.04.2020', '31.08.2020'],
      ]),
    );
    await as(coord).post(`/api/food-periods/${period}/compute`).expect(200);
    const before = await cards();
    // 1 Apr – 29 May: 43 weekdays less 4 holidays = 39 days at 1.60.
    expect(byName(before, 'Jānis').cents).to.equal(2880);
    expect(byName(before, 'Jānis').amount).to.deep.equal({ issuedCents: 2880, storedCents: 39 * 160, differenceCents: 39 * 160 - 2880, proposal: 'top_up' });
    // Anna: 16–31 March is 12 school days.
    expect(byName(before, 'Anna').amount).to.deep.equal({ issuedCents: 7242, storedCents: 12 * 142, differenceCents: 12 * 142 - 7242, proposal: 'note_decrease' });

    // Two of the three pupils issued changed: above 10 %, so the batch waits with the changes listed.
    const waiting = await as(coord).post(`/api/food-periods/${period}/batches`).expect(201);
    expect(waiting.body.batch).to.include({ status: 'awaiting_confirmation', seq: 2, cards: 0, topUps: 1, cents: 39 * 160 - 2880, changedPupils: 2, comparedPupils: 3 });
    expect(waiting.body.batch.changes.map((c: { firstName: string; kind: string; previousCents: number; cents: number }) => [c.firstName, c.kind, c.previousCents, c.cents]).sort()).to.deep.equal([
      ['Anna', 'changed', 7242, 12 * 142],
      ['Jānis', 'changed', 2880, 39 * 160],
    ]);
    expect(await FoodCardModel.countDocuments({})).to.equal(3);
    // Asking again gives the same waiting batch, nothing new.
    const same = await as(coord).post(`/api/food-periods/${period}/batches`).expect(200);
    expect(same.body).to.include({ created: false, reason: 'awaiting_confirmation' });
    expect(same.body.batch.id).to.equal(waiting.body.batch.id);
    await as(principal).post(`/api/food-batches/${waiting.body.batch.id}/confirm`).expect(403);

    const confirmed = await as(coord).post(`/api/food-batches/${waiting.body.batch.id}/confirm`).expect(200);
    expect(confirmed.body).to.include({ status: 'confirmed', topUps: 1 });
    const again = await as(coord).post(`/api/food-batches/${waiting.body.batch.id}/confirm`).expect(409);
    expect(again.body.error.code).to.equal('batch_not_awaiting_confirmation');
    const after = await cards();
    expect(after).to.have.length(3);
    expect(byName(after, 'Jānis').topUps).to.have.length(1);
    expect(byName(after, 'Jānis').amount).to.deep.include({ issuedCents: 39 * 160, differenceCents: 0, proposal: null });
    // What was issued on Anna's card is never changed: the decrease stays a note.
    expect(byName(after, 'Anna').cents).to.equal(7242);
    expect(byName(after, 'Anna').amount.proposal).to.equal('note_decrease');
    expect(await FoodCardModel.countDocuments({ batch: first })).to.equal(3);

    // Nothing new to issue now.
    const nothing = await as(coord).post(`/api/food-periods/${period}/batches`).expect(200);
    expect(nothing.body).to.include({ created: false, reason: 'nothing_changed' });
  });

  it('makes one batch and gives a number to one card only when asked twice at once', async () => {
    await setUp();
    const both = await Promise.all([as(coord).post(`/api/food-periods/${period}/batches`), as(coord).post(`/api/food-periods/${period}/batches`)]);
    expect(both.map((r) => r.status).sort()).to.satisfy((s: number[]) => s.includes(201) && s.every((x) => [200, 201, 409].includes(x)));
    expect(await FoodCardBatchModel.countDocuments({})).to.equal(1);
    expect(await FoodCardModel.countDocuments({})).to.equal(3);
    const batch = (await FoodCardBatchModel.findOne({}).lean())!._id.toString();
    const all = await cards();
    const [a, b] = [byName(all, 'Anna'), byName(all, 'Pēteris')];
    const tries = await Promise.all([
      as(coord).post(`/api/food-batches/${batch}/numbers`, { items: [{ card: a.id, number: '9001' }] }),
      as(coord).post(`/api/food-batches/${batch}/numbers`, { items: [{ card: b.id, number: '9001' }] }),
    ]);
    expect(tries.map((r) => r.status).sort()).to.deep.equal([200, 409]);
    expect(await FoodCardModel.countDocuments({ number: '9001' })).to.equal(1);
  });

  it('makes a batch final at once when the changes stay under the guard', async () => {
    await setUp();
    await as(coord).post(`/api/food-periods/${period}/batches`).expect(201);
    await importFile(principal, { kind: 'food-entitlements' }, await makeWorkbook(header, [[codes[1], 'Jānis', 'Kalns', '7.b', 'maznodrošināta', '01.04.2020', '31.08.2020']]));
    await as(coord).post(`/api/food-periods/${period}/compute`).expect(200);
    // One pupil of three is 33 %: under a guard of 50 % the batch is final at once.
    const res = await as(coord).post(`/api/food-periods/${period}/batches`, { guardPercent: 50 }).expect(201);
    expect(res.body.batch).to.include({ status: 'confirmed', topUps: 1, changedPupils: 1 });
  });
});
