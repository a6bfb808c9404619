import { expect } from 'chai';
import request from 'supertest';
import { stack, resetData } from '../support/stack.ts';
import { makeInstitution, makeToken, makeUser, signedInAgent } from '../support/factories.ts';
import { importFile, makeWorkbook, upload, waitForImport } from '../support/imports.ts';
import { personalCodes } from '../support/personalCodes.ts';
import { ImportModel } from '../../src/imports/model.ts';
import { issuesShown } from '../../src/imports/service.ts';

const header = ['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce'];
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
const uploadAction = (html: string) => /action="(\/imports\?_csrf=[^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&');

async function principal() {
  const inst = await makeInstitution();
  const user = await makeUser('principal', inst.code);
  return { ...inst, user, token: await makeToken(user.email) };
}

describe('imports: the pages around an upload', () => {
  beforeEach(resetData);
  afterEach(() => stack().jobs.worker.resume());

  it('gives a refused file back on the upload form with the reason by the file field and the kind still chosen', async () => {
    const p = await principal();
    const { agent } = await signedInAgent(stack().app, p.user.email);
    await agent.get('/lang/en?next=/imports').expect(303);
    const form = await agent.get('/imports').expect(200);
    // A principal sees only the kinds they may upload, and only those kinds' templates.
    expect(form.text).not.to.contain('templates/ministry-shipment.xlsx');
    // No uploads yet: no list of them to download either.
    expect(form.text).not.to.contain('href="/imports.xlsx"');
    expect(form.text).to.contain('templates/device-needs.xlsx');
    expect(form.text).to.match(/up to \d+ MB/);

    const pdf = Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n\u0000');
    const res = await agent.post(uploadAction(form.text)!).field('kind', 'food-entitlements').field('dryRun', 'true').attach('file', pdf, 'list.xlsx').expect(415);
    expect(res.text).to.contain('id="file-error"');
    expect(res.text).to.contain('aria-invalid="true"');
    expect(res.text).to.match(/<option value="food-entitlements" selected>/);
    expect(res.text).to.contain('<form method="post" action="/imports?_csrf=');
    expect(await ImportModel.countDocuments()).to.equal(0);
  });

  it('shows a waiting import as busy, updated in place by a script and reloading by itself without one', async () => {
    const p = await principal();
    await stack().jobs.worker.pause();
    const res = await upload(p.token, { kind: 'device-needs' }, await makeWorkbook(header, [['5.a', 'Anna', 'Ozola', personalCodes(1)[0], 'planšete']])).expect(202);
    const { agent } = await signedInAgent(stack().app, p.user.email);
    await agent.get('/lang/en?next=/imports').expect(303);
    const page = await agent.get(`/imports/${res.body.id}`).expect(200);
    expect(page.headers.refresh).to.equal(undefined);
    expect(page.text).to.contain('<noscript><meta http-equiv="refresh" content="2"></noscript>');
    expect(page.text).to.contain('<script src="/assets/importProgress.js" defer></script>');
    // No total yet: a bar without a value, which browsers draw as busy, not as 0 %.
    expect(page.text).to.contain('<progress id="progress"></progress>');
    expect(page.text).to.contain(`data-import-progress="/api/imports/${res.body.id}"`);
    expect(page.text).to.contain('data-saving="{{processed}} of {{total}} rows processed"');
    await agent.get('/assets/importProgress.js').expect(200).expect('Content-Type', /javascript/);
    // The script reads the import with the page's own session.
    const api = await agent.get(`/api/imports/${res.body.id}`).expect(200);
    expect(api.body.progress).to.deep.equal({ processed: 0, total: null, checked: 0 });

    // Finished before the next test clears the queue under it.
    stack().jobs.worker.resume();
    expect((await waitForImport(p.token, res.body.id)).status).to.equal('succeeded');
  });

  it('names the columns nothing was read from, so a principal knows their data was not imported', async () => {
    const p = await principal();
    const file = await makeWorkbook([...header, 'Mājdzīvnieks', 'Piezīmes skolotājai'], [['5.a', 'Anna', 'Ozola', personalCodes(1)[0], 'planšete', 'kaķis', 'sēž pie loga']]);
    const done = await importFile(p.token, { kind: 'device-needs' }, file);
    expect(done.summary).to.include({ created: 1, rejected: 0 });
    const api = await request(stack().app).get(`/api/imports/${done.id}`).set('Authorization', `Bearer ${p.token}`).expect(200);
    expect(api.body.unusedColumns).to.deep.equal(['Mājdzīvnieks', 'Piezīmes skolotājai']);
    const { agent } = await signedInAgent(stack().app, p.user.email);
    await agent.get('/lang/en?next=/imports').expect(303);
    const page = await agent.get(`/imports/${done.id}`).expect(200);
    expect(page.text).to.contain('These columns were not read: “Mājdzīvnieks”, “Piezīmes skolotājai”.');
  });

  it('says when the errors table is cut short and how many there are, and the API gives the total too', async () => {
    const p = await principal();
    const rows = Array.from({ length: issuesShown + 5 }, (_, i) => ['5.a', `Vārds${i}`, `Uzvārds${i}`, '123', 'planšete']);
    const done = await importFile(p.token, { kind: 'device-needs' }, await makeWorkbook(header, rows));
    expect(done.summary.rejected).to.equal(issuesShown + 5);
    const api = await request(stack().app).get(`/api/imports/${done.id}`).set('Authorization', `Bearer ${p.token}`).expect(200);
    expect(api.body.errors).to.have.length(issuesShown);
    expect(api.body.issuesTotal).to.equal(issuesShown + 5);

    const { agent } = await signedInAgent(stack().app, p.user.email);
    await agent.get('/lang/en?next=/imports').expect(303);
    const page = await agent.get(`/imports/${done.id}`).expect(200);
    expect(page.text).to.contain(`the first ${issuesShown} of ${issuesShown + 5} errors and warnings`);

    const few = await importFile(p.token, { kind: 'device-needs' }, await makeWorkbook(header, rows.slice(0, 3)));
    const small = await agent.get(`/imports/${few.id}`).expect(200);
    expect(small.text).not.to.contain('errors and warnings. The file');
    expect(csrfOf(small.text)).to.be.a('string');
  });
});
