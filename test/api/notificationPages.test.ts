import { expect } from 'chai';
import request from 'supertest';
import { Types } from 'mongoose';
import { resetData, stack } from '../support/stack.ts';
import { makeInstitution, makeToken, makeUser, signedInAgent } from '../support/factories.ts';
import { registerNeedVia } from '../support/devices.ts';
import { catalogueText } from '../support/browser.ts';
import { testPersonalCodeKey } from '../support/jobs.ts';
import { DeviceNeedModel } from '../../src/devices/model.ts';
import { ContactTaskModel, MessageModel, OptOutModel } from '../../src/notifications/model.ts';
import { messageId } from '../../src/notifications/messageService.ts';
import { contactHash } from '../../src/notifications/contacts.ts';
import { openContactTask } from '../../src/notifications/taskService.ts';
import { reminderSettings } from '../../src/notifications/settings.ts';
import { templateNames } from '../../src/notifications/templates.ts';
import { escapeHtml } from '../../src/web/html.ts';
import type { Lang } from '../../src/i18n/index.ts';

const app = () => stack().app;
const say = (lang: Lang, key: string, vars: Record<string, string> = {}) => escapeHtml(catalogueText(lang, key, vars));
const lv = (key: string, vars: Record<string, string> = {}) => say('lv', key, vars);
const csrfOf = (text: string) => /name="_csrf" value="([^"]+)"/.exec(text)?.[1] ?? '';
const token = (address: string) => contactHash(testPersonalCodeKey, address);

/** Every key a page uses exists: a missing one would show as its own name. */
function expectTranslated(text: string, what: string) {
  expect(text, `${what} shows an untranslated key`).not.to.match(/notifications\.page\.|institutions\.contactTasks\.|nav\.messages|errors\.[a-z_]+/);
}

let seq = 0;
/** A message straight into the log, as the senders leave it. */
async function makeMessage(over: { status?: string; channel?: 'email' | 'sms' | 'outbox'; template?: string; address?: string; institution?: Types.ObjectId | null; failure?: { code: string | null; message: string | null } } = {}) {
  const key = `test.event:${++seq}|guardian:${seq}|${over.channel ?? 'email'}`;
  const _id = messageId(key);
  await MessageModel.create({
    _id,
    key,
    event: `test.event:${seq}`,
    template: over.template ?? 'need_registered',
    essential: true,
    language: 'lv',
    channel: over.channel ?? 'email',
    recipient: { kind: 'guardian', address: over.address ?? `vecaks${seq}@example.lv`, name: `Vecāks ${seq}` },
    institution: over.institution ?? null,
    subject: 'Ierīces pieteikums reģistrēts',
    body: `Labdien! Pirmā rinda ${seq}.\nOtrā rinda <b>nav markup</b>.`,
    status: over.status ?? 'sent',
    attempts: over.status === 'failed' ? 3 : 1,
    failure: over.failure ?? { code: null, message: null },
  });
  return _id;
}

describe('notification pages', () => {
  beforeEach(resetData);

  it('every coordinator page renders in each language with every text translated; principals get 403', async () => {
    const school = await makeInstitution({ name: 'Alfa skola' });
    const coord = await makeUser('coordinator');
    const head = await makeUser('principal', school.code);
    const id = await makeMessage({ status: 'failed', channel: 'sms', address: '+37126123456', institution: school.institution._id, failure: { code: 'invalid_number', message: '400 bad number' } });
    const outbox = await makeMessage({ channel: 'outbox', status: 'sent' });
    const { agent } = await signedInAgent(app(), coord.email);
    const urls = ['/notifications', `/notifications/messages/${id}`, `/notifications/messages/${outbox}`, '/notifications/templates', '/notifications/settings', `/notifications?status=failed&channel=sms&institution=${school.code}&q=2612`];
    for (const lang of ['lv', 'ru', 'en'] as const) {
      await agent.get(`/lang/${lang}?next=/notifications`).expect(303);
      for (const url of urls) {
        const res = await agent.get(url).expect(200);
        expect(res.type, url).to.equal('text/html');
        expectTranslated(res.text, `${lang} ${url}`);
      }
      const log = await agent.get('/notifications').expect(200);
      expect(log.text).to.include(say(lang, 'nav.messages')).and.to.include(say(lang, 'notifications.page.statuses.failed')).and.to.include(say(lang, 'notifications.page.failures.invalid_number'));
      const templates = await agent.get('/notifications/templates').expect(200);
      for (const name of templateNames) expect(templates.text, name).to.include(say(lang, `notifications.page.templates.${name}`));
      // The opt-out line of a non-essential guardian template, with the example link, in each language.
      expect(templates.text).to.include('/notifications/opt-out/EXAMPLE').and.to.include(say(lang, 'notifications.page.languages.ru')).and.to.include(say(lang, 'notifications.page.nonEssential'));
    }
    await agent.get('/lang/lv?next=/notifications').expect(303);

    const log = await agent.get('/notifications').expect(200);
    expect(log.text).to.include(`href="/notifications/messages/${id}"`).and.to.include('+37126123456').and.to.include(lv('notifications.page.templates.need_registered'));
    expect(log.text).to.include(lv('notifications.page.log.shown', { total: '2', first: '1', last: '2' })).and.to.include('class="table-wrap"');
    const filtered = await agent.get(`/notifications?status=failed&institution=${school.code}`).expect(200);
    expect(filtered.text).to.include(`data-message="${id}"`).and.not.to.include(`data-message="${outbox}"`);
    const none = await agent.get('/notifications?q=nobody').expect(200);
    expect(none.text).to.include(lv('notifications.page.log.none'));
    // A day that cannot be read comes back as a refused filter, the field marked.
    const bad = await agent.get('/notifications?from=2020-13-40').expect(400);
    expect(bad.text).to.include(lv('errors.invalid_date')).and.to.match(/id="from"[^>]*aria-invalid="true"/);

    const one = await agent.get(`/notifications/messages/${id}`).expect(200);
    expect(one.text).to.include('Otrā rinda &lt;b&gt;nav markup&lt;/b&gt;.').and.to.include(`action="/notifications/messages/${id}/resend"`).and.to.include('name="_csrf"');
    expect(one.text).not.to.include(lv('notifications.page.message.outboxNote'));
    const inOutbox = await agent.get(`/notifications/messages/${outbox}`).expect(200);
    expect(inOutbox.text).to.include(lv('notifications.page.message.outboxNote'));
    await agent.get('/notifications/messages/nope').expect(404);

    const headToken = await makeToken(head.email);
    for (const url of ['/notifications', `/notifications/messages/${id}`, '/notifications/templates', '/notifications/settings']) {
      await request(app()).get(url).set('Authorization', `Bearer ${headToken}`).expect(403);
    }
    await request(app()).post(`/notifications/messages/${id}/resend`).set('Authorization', `Bearer ${headToken}`).expect(403);
    await request(app()).post('/notifications/settings').set('Authorization', `Bearer ${headToken}`).send({}).expect(403);
    const { agent: headAgent } = await signedInAgent(app(), head.email);
    const dash = await headAgent.get('/dashboard').expect(200);
    expect(dash.text).not.to.include('href="/notifications"');
    // Signed out, the pages ask for a sign-in.
    await request(app()).get('/notifications').expect(303).expect('location', '/signin?next=%2Fnotifications');
  });

  it('resend from the page puts a failed message back in the queue; one still queued is refused with a clear message', async () => {
    const coord = await makeUser('coordinator');
    const id = await makeMessage({ status: 'failed', failure: { code: 'recipient_rejected', message: '550 no such user' } });
    const { agent, csrf } = await signedInAgent(app(), coord.email);
    const res = await agent.post(`/notifications/messages/${id}/resend`).type('form').send({ _csrf: csrf }).expect(303);
    expect(res.headers.location).to.equal(`/notifications/messages/${id}?done=resent`);
    const stored = await MessageModel.findById(id).lean();
    expect(stored).to.include({ status: 'queued', attempts: 0, resends: 1 });
    expect(stored!.failure?.code).to.equal(null);
    const page = await agent.get(res.headers.location!).expect(200);
    expect(page.text).to.include(lv('notifications.page.message.resent')).and.to.include(lv('notifications.page.statuses.queued'));
    // Queued again: no resend form, and a resend sent anyway is refused on the page.
    expect(page.text).not.to.include(`action="/notifications/messages/${id}/resend"`);
    const again = await agent.post(`/notifications/messages/${id}/resend`).type('form').send({ _csrf: csrf }).expect(409);
    expect(again.text).to.include(lv('errors.message_not_resendable'));
    const suppressed = await makeMessage({ status: 'suppressed', failure: { code: 'opted_out', message: null } });
    const refused = await agent.post(`/notifications/messages/${suppressed}/resend`).type('form').send({ _csrf: csrf }).expect(409);
    expect(refused.text).to.include(lv('errors.message_opted_out'));
    await agent.post('/notifications/messages/nope/resend').type('form').send({ _csrf: csrf }).expect(404);
    // Without the form's token nothing happens.
    const other = await makeMessage({ status: 'failed' });
    await agent.post(`/notifications/messages/${other}/resend`).type('form').send({}).expect(403);
    expect((await MessageModel.findById(other).lean())!.status).to.equal('failed');
  });

  it('the settings form saves the reminders; zero days is refused next to its field and saves nothing', async () => {
    const coord = await makeUser('coordinator');
    const { agent, csrf } = await signedInAgent(app(), coord.email);
    const form = await agent.get('/notifications/settings').expect(200);
    expect(form.text).to.match(/id="needsStale_enabled"[^>]*checked/).and.to.match(/id="uncollected_days"[^>]*value="3"/);
    const saved = await agent
      .post('/notifications/settings')
      .type('form')
      .send({ _csrf: csrf, attendanceMissing_enabled: 'on', needsStale_enabled: 'on', needsStale_days: '10', needsStale_campaignFrom: '2026-09-01', needsStale_campaignTo: '2026-12-20', uncollected_days: '5', stockUnallocated_enabled: 'on', stockUnallocated_days: '21' })
      .expect(303);
    expect(saved.headers.location).to.equal('/notifications/settings?done=saved');
    const s = await reminderSettings();
    expect(s.needsStale).to.deep.include({ enabled: true, days: 10, campaignFrom: '2026-09-01', campaignTo: '2026-12-20' });
    expect(s.uncollected).to.deep.equal({ enabled: false, days: 5 });
    expect(s.stockUnallocated).to.deep.equal({ enabled: true, days: 21 });
    expect(s.returnsOverdue.enabled).to.equal(false);
    expect(s.attendanceMissing.enabled).to.equal(true);
    const shown = await agent.get('/notifications/settings?done=saved').expect(200);
    expect(shown.text).to.include(lv('notifications.page.settings.saved')).and.to.match(/id="uncollected_enabled"(?![^>]*checked)[^>]*>/).and.to.match(/id="needsStale_days"[^>]*value="10"/);

    const refused = await agent
      .post('/notifications/settings')
      .type('form')
      .send({ _csrf: csrf, needsStale_enabled: 'on', needsStale_days: '0', uncollected_enabled: 'on', uncollected_days: '3', stockUnallocated_days: '14' })
      .expect(400);
    expect(refused.text).to.include(lv('errors.days_out_of_range'));
    expect(refused.text).to.match(/id="needsStale_days"[^>]*value="0"[^>]*aria-invalid="true"[^>]*aria-describedby="[^"]*needsStale_days-error/);
    expect(refused.text).to.match(/<p class="notice error field-error" id="needsStale_days-error">/);
    expect(refused.text).not.to.match(/id="uncollected_days"[^>]*aria-invalid/);
    const reversed = await agent
      .post('/notifications/settings')
      .type('form')
      .send({ _csrf: csrf, needsStale_days: '7', needsStale_campaignFrom: '2026-12-01', needsStale_campaignTo: '2026-09-01', uncollected_days: '3', stockUnallocated_days: '14' })
      .expect(400);
    expect(reversed.text).to.include(lv('errors.campaign_ends_before_start')).and.to.include('id="needsStale_campaignTo-error"');
    expectTranslated(reversed.text, 'refused settings');
    expect((await reminderSettings()).needsStale.days).to.equal(10);
  });

  it('a parent opts out through the link without signing in; a malformed token is 404', async () => {
    const address = 'vecaks@example.lv';
    const tok = token(address);
    const agent = request.agent(app());
    const page = await agent.get(`/notifications/opt-out/${tok}`).expect(200);
    expect(page.text).to.include(lv('notifications.page.optOut.intro')).and.to.include(`action="/notifications/opt-out/${tok}"`);
    expectTranslated(page.text, 'opt-out page');
    // The form's token protects the anonymous form like any other.
    await agent.post(`/notifications/opt-out/${tok}`).type('form').send({}).expect(403);
    expect(await OptOutModel.countDocuments({})).to.equal(0);
    const done = await agent.post(`/notifications/opt-out/${tok}`).type('form').send({ _csrf: csrfOf(page.text) }).expect(303);
    expect(done.headers.location).to.equal(`/notifications/opt-out/${tok}?done=confirmed`);
    const stored = await OptOutModel.findOne({ contactHash: tok }).lean();
    expect(stored).to.include({ via: 'link' });
    expect((await agent.get(done.headers.location!).expect(200)).text).to.include(lv('notifications.page.optOut.done'));
    const later = await request(app()).get(`/notifications/opt-out/${tok}`).expect(200);
    expect(later.text).to.include(lv('notifications.page.optOut.already')).and.not.to.include(`action="/notifications/opt-out/${tok}"`);
    // Twice is once.
    const again = await agent.get(`/notifications/opt-out/${tok}`).expect(200);
    await agent.post(`/notifications/opt-out/${tok}`).type('form').send({ _csrf: csrfOf(again.text) || csrfOf(page.text) }).expect(303);
    expect(await OptOutModel.countDocuments({})).to.equal(1);

    const bad = await request(app()).get('/notifications/opt-out/not-a-token').expect(404);
    expect(bad.text).to.include(lv('errors.not_found'));
    await request(app()).get(`/notifications/opt-out/${tok}x`).expect(404);
    const fresh = request.agent(app());
    const csrf = csrfOf((await fresh.get(`/notifications/opt-out/${token('other@example.lv')}`).expect(200)).text);
    await fresh.post('/notifications/opt-out/short').type('form').send({ _csrf: csrf }).expect(404);
    expect(await OptOutModel.countDocuments({})).to.equal(1);
  });

  it('the institution page lists the contacts to fix; "Fixed" closes the task; another institution\'s head gets 404', async () => {
    const alpha = await makeInstitution({ name: 'Alfa skola' });
    const beta = await makeInstitution({ name: 'Beta skola' });
    const alphaHead = await makeUser('principal', alpha.code);
    const betaHead = await makeUser('principal', beta.code);
    const coord = await makeUser('coordinator');
    const need = await registerNeedVia(await makeToken(alphaHead.email), { firstName: 'Anna', lastName: 'Ozola', class: '3.a', guardianPhone: '26000000' });
    const pupil = (await DeviceNeedModel.findById(need.id).lean())!.pupil as Types.ObjectId;
    await openContactTask({ institution: alpha.institution._id, pupil, channel: 'sms', address: '+37126000000', message: 'm1', reason: { code: 'invalid_number', message: '400 bad number' } });
    const task = await ContactTaskModel.findOne({}).lean();
    const taskId = String(task!._id);

    const { agent, csrf } = await signedInAgent(app(), alphaHead.email);
    const page = await agent.get(`/institutions/${alpha.code}`).expect(200);
    expect(page.text).to.include(lv('institutions.contactTasks.title')).and.to.include('Anna Ozola').and.to.include('3.a').and.to.include('+37126000000');
    expect(page.text).to.include(lv('notifications.page.failures.invalid_number')).and.to.include(`action="/institutions/${alpha.code}/contact-tasks/${taskId}/done"`);
    expectTranslated(page.text, 'institution page');

    // The head of another school: 404 for the page and for the form, and the task stays open.
    const { agent: betaAgent, csrf: betaCsrf } = await signedInAgent(app(), betaHead.email);
    await betaAgent.get(`/institutions/${alpha.code}`).expect(404);
    await betaAgent.post(`/institutions/${alpha.code}/contact-tasks/${taskId}/done`).type('form').send({ _csrf: betaCsrf }).expect(404);
    await betaAgent.post(`/institutions/${beta.code}/contact-tasks/${taskId}/done`).type('form').send({ _csrf: betaCsrf }).expect(404);
    expect((await ContactTaskModel.findById(taskId).lean())!.status).to.equal('open');
    const betaPage = await betaAgent.get(`/institutions/${beta.code}`).expect(200);
    expect(betaPage.text).to.include(lv('institutions.contactTasks.none')).and.not.to.include('Anna Ozola');

    const fixed = await agent.post(`/institutions/${alpha.code}/contact-tasks/${taskId}/done`).type('form').send({ _csrf: csrf }).expect(303);
    expect(fixed.headers.location).to.equal(`/institutions/${alpha.code}?done=contact#contact-tasks`);
    const closed = await ContactTaskModel.findById(taskId).lean();
    expect(closed).to.include({ status: 'done' });
    const after = await agent.get(`/institutions/${alpha.code}?done=contact`).expect(200);
    expect(after.text).to.include(lv('institutions.contactTasks.done')).and.to.include(lv('institutions.contactTasks.none')).and.not.to.include('Anna Ozola');
    // Closing it again answers 404; the coordinator sees the same section.
    await agent.post(`/institutions/${alpha.code}/contact-tasks/${taskId}/done`).type('form').send({ _csrf: csrf }).expect(404);
    const { agent: coordAgent } = await signedInAgent(app(), coord.email);
    expect((await coordAgent.get(`/institutions/${alpha.code}`).expect(200)).text).to.include(lv('institutions.contactTasks.title'));
  });
});
