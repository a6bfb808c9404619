import { expect } from 'chai';
import request from 'supertest';
import { stack, resetData } from '../support/stack.ts';
import { makeInstitution, makeToken, makeUser } from '../support/factories.ts';
import { registerNeedVia } from '../support/devices.ts';
import { eventually } from '../support/process.ts';
import { startNotifyWorkers, startSmsProvider, startSmtp, testClock } from '../support/notify.ts';
import { dispatchEvents } from '../../src/notifications/eventMessages.ts';
import { createMessages, requeueStuck } from '../../src/notifications/messageService.ts';
import { ContactTaskModel, MessageModel } from '../../src/notifications/model.ts';
import { recordEvents } from '../../src/events/service.ts';
import { backfillEventFlags } from '../../src/events/backfill.ts';
import { DomainEventModel } from '../../src/events/model.ts';
import { ImportModel } from '../../src/imports/model.ts';
import { importsFirst } from '../../jobs/processors/importsFirst.ts';
import { Types } from 'mongoose';
import { DeviceNeedModel } from '../../src/devices/model.ts';
import { loadCatalogue } from '../../src/i18n/index.ts';
import { rigaMoment } from '../../src/shared/dates.ts';

type Catalogue = { messages: Record<string, { subject: string; body: string }> };
const catalogues = { lv: loadCatalogue('lv') as Catalogue, ru: loadCatalogue('ru') as Catalogue, en: loadCatalogue('en') as Catalogue };
const api = () => request(stack().app);
const midday = rigaMoment('2026-11-24', '12:00');

async function settled(ids: () => Promise<number>, what: string) {
  await eventually(what, async () => (await ids()) === 0, 20_000);
}
const waiting = () => MessageModel.countDocuments({ status: { $in: ['queued', 'retrying', 'sending'] } });

describe('notifications: sending (real SMTP server, real HTTP SMS provider)', function () {
  this.timeout(60_000);
  let coord: string;
  let principal: string;
  let code: string;

  beforeEach(async () => {
    await resetData();
    const inst = await makeInstitution();
    code = inst.code;
    coord = await makeToken((await makeUser('coordinator')).email);
    principal = await makeToken((await makeUser('principal', code)).email);
  });

  it('e-mails each guardian in their own language with the reference code and the status page, once however often the events are dispatched', async () => {
    const smtp = await startSmtp();
    const w = startNotifyWorkers({ SMTP_URL: smtp.url }, () => midday);
    try {
      const needs = [];
      for (const [i, language] of (['lv', 'ru', 'en'] as const).entries()) {
        needs.push(await registerNeedVia(principal, { firstName: `Bērns${i}`, guardianPhone: '', guardianEmail: `vecaks${i}@example.lv`, language }));
      }
      await dispatchEvents(w.deps);
      await dispatchEvents(w.deps);
      await eventually('three mails', async () => smtp.mails.length >= 3, 20_000);
      await settled(waiting, 'all sent');
      expect(smtp.mails).to.have.length(3);
      for (const [i, language] of (['lv', 'ru', 'en'] as const).entries()) {
        const mail = smtp.mails.find((m) => m.to[0] === `vecaks${i}@example.lv`)!;
        expect(mail, language).to.exist;
        expect(decodeURIComponentSafe(mail.subject)).to.equal(catalogues[language].messages.need_registered!.subject);
        expect(mail.text).to.include(needs[i]!.referenceCode);
        expect(mail.text).to.include('https://izglitiba.example.lv/status');
      }
      const logged = await api().get('/api/notifications/messages?status=sent').set('Authorization', `Bearer ${coord}`).expect(200);
      expect(logged.body.total).to.equal(3);
      expect(logged.body.items[0]).to.include({ channel: 'email', template: 'need_registered', attempts: 1 });
      await api().get('/api/notifications/messages').set('Authorization', `Bearer ${principal}`).expect(403);
    } finally {
      await w.close();
      await smtp.close();
    }
  });

  it('dispatches waiting events a page at a time, at most so many pages a run, stops when the worker closes, and dispatches events stored before the waiting flag once the backfill flags them', async () => {
    const smtp = await startSmtp();
    const w = startNotifyWorkers({ SMTP_URL: smtp.url }, () => midday);
    try {
      const needs = [];
      for (let i = 0; i < 5; i++) needs.push(await registerNeedVia(principal, { firstName: `Bērns${i}`, guardianPhone: '', guardianEmail: `vecaks${i}@example.lv` }));
      const events = await DomainEventModel.find({ type: 'device.need_registered' }).sort({ at: 1 }).lean();
      expect(events.map((e) => e.pending)).to.deep.equal([true, true, true, true, true]);
      // The two oldest as a version before the flag stored them: no `pending`, not handled.
      const legacy = events.slice(0, 2).map((e) => e._id);
      await DomainEventModel.collection.updateMany({ _id: { $in: legacy } }, { $unset: { pending: '' } });
      const made = async () => (await MessageModel.distinct('event')).length;

      expect(await dispatchEvents(w.deps, { batch: 2, maxPages: 1 })).to.deep.include({ events: 2, more: true });
      expect(await made()).to.equal(2);
      expect(await dispatchEvents(w.deps, { batch: 2, stopping: () => true })).to.deep.include({ events: 0, more: true });
      expect(await dispatchEvents(w.deps, { batch: 2 })).to.deep.include({ events: 1, more: false });
      expect(await made()).to.equal(3);
      expect(await DomainEventModel.countDocuments({ handledAt: null })).to.equal(2);

      expect(await backfillEventFlags()).to.equal(2);
      expect(await backfillEventFlags()).to.equal(0);
      expect(await dispatchEvents(w.deps)).to.deep.include({ events: 2, more: false });
      expect(await made()).to.equal(5);
      expect(await DomainEventModel.countDocuments({ pending: true })).to.equal(0);
      expect(await DomainEventModel.countDocuments({ handledAt: null })).to.equal(0);
      await eventually('five mails', async () => smtp.mails.length >= 5, 20_000);
      expect(smtp.mails.map((m) => m.to[0]).sort()).to.deep.equal(needs.map((_, i) => `vecaks${i}@example.lv`));
    } finally {
      await w.close();
      await smtp.close();
    }
  });

  it('marks a page of events recorded together (as an import batch records them) handled in one go, only that page, each message made once', async () => {
    const smtp = await startSmtp();
    const w = startNotifyWorkers({ SMTP_URL: smtp.url }, () => midday);
    try {
      for (let i = 0; i < 5; i++) await registerNeedVia(principal, { firstName: `Bērns${i}`, guardianPhone: '', guardianEmail: `bloks${i}@example.lv` });
      // Recorded again as one block, the way an import's batch records its registrations.
      const recorded = await DomainEventModel.find({ type: 'device.need_registered' }).lean();
      await DomainEventModel.deleteMany({});
      await recordEvents(recorded.map((e) => ({ type: e.type, key: e.key, subject: { kind: e.subject!.kind, id: e.subject!.id }, institution: e.institution, pupil: e.pupil, at: e.at })));
      expect(await DomainEventModel.distinct('block')).to.have.length(1);
      const waiting = () => DomainEventModel.countDocuments({ pending: true });

      expect(await dispatchEvents(w.deps, { batch: 2, maxPages: 1 })).to.deep.include({ events: 2, more: true });
      expect(await waiting(), 'the rest of the block still waits').to.equal(3);
      expect(await dispatchEvents(w.deps, { batch: 2, maxPages: 1 })).to.deep.include({ events: 2, more: true });
      expect(await waiting()).to.equal(1);
      expect(await dispatchEvents(w.deps, { batch: 2 })).to.deep.include({ events: 1, more: false });
      expect(await waiting()).to.equal(0);
      expect(await DomainEventModel.countDocuments({ handledAt: null })).to.equal(0);
      expect(await MessageModel.countDocuments()).to.equal(5);
      await eventually('five mails', async () => smtp.mails.length >= 5, 20_000);
      expect(smtp.mails.map((m) => m.to[0]).sort()).to.deep.equal([0, 1, 2, 3, 4].map((i) => `bloks${i}@example.lv`));
    } finally {
      await w.close();
      await smtp.close();
    }
  });

  it('lets a running import go first: new events wait for it, but no longer than the longest wait', async () => {
    const w = startNotifyWorkers({}, () => midday);
    try {
      await registerNeedVia(principal, { guardianPhone: '', guardianEmail: 'vecaks@example.lv' });
      const recorded = (await DomainEventModel.findOne({ pending: true }).lean())!.at;
      const at = (ms: number) => () => new Date(recorded.getTime() + ms);
      const running = await ImportModel.create({ kind: 'device-needs', uploadedBy: 'someone', fileId: new Types.ObjectId(), fileName: 'a.xlsx', format: 'xlsx', size: 1, status: 'running' });
      expect(await importsFirst(at(1_000), 60_000)()).to.equal(true);
      expect(await dispatchEvents(w.deps, { giveWay: importsFirst(at(1_000), 60_000) })).to.deep.include({ events: 0, more: true });
      expect(await MessageModel.countDocuments()).to.equal(0);
      // Waited long enough: made although the import still runs.
      expect(await importsFirst(at(61_000), 60_000)()).to.equal(false);
      // No import running: made at once.
      await ImportModel.updateOne({ _id: running._id }, { $set: { status: 'succeeded' } });
      expect(await importsFirst(at(1_000), 60_000)()).to.equal(false);
      expect(await dispatchEvents(w.deps, { giveWay: importsFirst(at(1_000), 60_000) })).to.deep.include({ events: 1, more: false });
      expect(await MessageModel.countDocuments()).to.equal(1);
    } finally {
      await w.close();
    }
  });

  it('sends SMS through the provider, holds them between 20:00 and 08:00 Riga time, and sends them in the morning', async () => {
    const sms = await startSmsProvider();
    const clock = testClock(rigaMoment('2026-11-24', '21:30'));
    const w = startNotifyWorkers({ SMS_URL: sms.url, SMS_TOKEN: 'provider-token', SMS_SENDER: 'Izglitiba' }, clock.now);
    try {
      const need = await registerNeedVia(principal, { guardianPhone: '26123456', language: 'ru' });
      await dispatchEvents(w.deps);
      await eventually('held for the night', async () => (await MessageModel.countDocuments({ status: 'held' })) === 1);
      const held = await MessageModel.findOne({ status: 'held' }).lean();
      expect(held!.notBefore!.toISOString()).to.equal(rigaMoment('2026-11-25', '08:00').toISOString());
      expect(sms.requests).to.have.length(0);
      const [job] = await w.queues.sms.getDelayed();
      expect(job, 'the SMS job waits for the morning').to.exist;
      clock.set(rigaMoment('2026-11-25', '08:00'));
      await job!.promote();
      await eventually('sent in the morning', async () => sms.requests.length === 1);
      await settled(waiting, 'recorded');
      expect(sms.requests[0]).to.include({ to: '+37126123456', from: 'Izglitiba', authorization: 'Bearer provider-token' });
      expect(sms.requests[0]!.text).to.include(need.referenceCode);
      const sent = await MessageModel.findOne({}).lean();
      expect(sent).to.include({ status: 'sent', channel: 'sms', language: 'ru', providerId: 'sms-1' });
    } finally {
      await w.close();
      await sms.close();
    }
  });

  it('retries a transient failure with backoff and stops at once on an invalid number, which becomes a task on the institution page', async () => {
    const sms = await startSmsProvider((r, n) => {
      if (r.to === '+37120000000') return { status: 400, body: { error: { code: 'invalid_number', message: 'Invalid recipient number' } } };
      if (r.to === '+37126666666' && n < 3) return { status: 503, body: { error: 'busy' } };
      return null;
    });
    const w = startNotifyWorkers({ SMS_URL: sms.url, SMS_TOKEN: 'provider-token' }, () => midday);
    try {
      await registerNeedVia(principal, { firstName: 'Laura', guardianPhone: '20000000' });
      await registerNeedVia(principal, { firstName: 'Kārlis', guardianPhone: '26666666' });
      await dispatchEvents(w.deps);
      await settled(waiting, 'both settled');
      const bad = await MessageModel.findOne({ 'recipient.address': '+37120000000' }).lean();
      expect(bad).to.deep.include({ status: 'failed', attempts: 1 });
      expect(bad!.failure!.code).to.equal('invalid_number');
      const flaky = await MessageModel.findOne({ 'recipient.address': '+37126666666' }).lean();
      expect(flaky!.status).to.equal('sent');
      expect(flaky!.attempts).to.be.greaterThan(1);
      expect(sms.requests.filter((r) => r.to === '+37126666666')).to.have.length(1);
      const tasks = await api().get(`/api/institutions/${code}/contact-tasks`).set('Authorization', `Bearer ${principal}`).expect(200);
      expect(tasks.body.items).to.have.length(1);
      expect(tasks.body.items[0]).to.deep.include({ channel: 'sms', address: '+37120000000' });
      expect(tasks.body.items[0].pupil.firstName).to.equal('Laura');
      expect(tasks.body.items[0].reason.code).to.equal('invalid_number');
      await api().post(`/api/institutions/${code}/contact-tasks/${tasks.body.items[0].id}/done`).set('Authorization', `Bearer ${principal}`).expect(204);
      const after = await api().get(`/api/institutions/${code}/contact-tasks`).set('Authorization', `Bearer ${principal}`).expect(200);
      expect(after.body.items).to.have.length(0);
    } finally {
      await w.close();
      await sms.close();
    }
  });

  it('turns a bounced e-mail into a task to fix the contact, and gives up on a mail server that keeps deferring', async () => {
    const smtp = await startSmtp({ reject: (to) => to === 'nav@example.lv', tempfail: new Map([['later@example.lv', 99]]) });
    const w = startNotifyWorkers({ SMTP_URL: smtp.url }, () => midday);
    try {
      await registerNeedVia(principal, { firstName: 'Toms', guardianPhone: '', guardianEmail: 'nav@example.lv' });
      await registerNeedVia(principal, { firstName: 'Ilze', guardianPhone: '', guardianEmail: 'later@example.lv' });
      await dispatchEvents(w.deps);
      await settled(waiting, 'settled');
      const bounced = await MessageModel.findOne({ 'recipient.address': 'nav@example.lv' }).lean();
      expect(bounced!.status).to.equal('failed');
      expect(bounced!.failure!.code).to.equal('recipient_rejected');
      const deferred = await MessageModel.findOne({ 'recipient.address': 'later@example.lv' }).lean();
      expect(deferred).to.deep.include({ status: 'failed', attempts: 3 });
      expect(deferred!.failure!.code).to.equal('smtp_temporary');
      // Deferred is not a wrong address: only the bounce is a task.
      const tasks = await ContactTaskModel.find({}).lean();
      expect(tasks.map((t) => t.address)).to.deep.equal(['nav@example.lv']);
      expect(smtp.mails).to.have.length(0);
    } finally {
      await w.close();
      await smtp.close();
    }
  });

  it('respects an opt-out for non-essential messages only, and a resend sends once more', async () => {
    const smtp = await startSmtp();
    const w = startNotifyWorkers({ SMTP_URL: smtp.url }, () => midday);
    try {
      const need = await registerNeedVia(principal, { guardianPhone: '', guardianEmail: 'Mamma@Example.lv' });
      await api().post('/api/notifications/opt-outs').set('Authorization', `Bearer ${coord}`).send({ address: 'mamma@example.lv' }).expect(201);
      const doc = await DeviceNeedModel.findById(need.id).lean();
      await recordEvents([{ type: 'device.handed_over', key: 'device.handed_over:test', subject: { kind: 'deviceNeed', id: doc!._id }, institution: doc!.institution, pupil: doc!.pupil, data: { date: '2026-11-24' } }]);
      await dispatchEvents(w.deps);
      await settled(waiting, 'settled');
      const byTemplate = Object.fromEntries((await MessageModel.find({}).lean()).map((m) => [m.template, m]));
      expect(byTemplate.need_registered!.status).to.equal('sent');
      expect(byTemplate.device_handed_over!.status).to.equal('suppressed');
      expect(byTemplate.device_handed_over!.failure!.code).to.equal('opted_out');
      expect(smtp.mails).to.have.length(1);

      const id = byTemplate.need_registered!._id;
      await api().post(`/api/notifications/messages/${id}/resend`).set('Authorization', `Bearer ${coord}`).expect(202);
      await eventually('resent', async () => smtp.mails.length === 2);
      await settled(waiting, 'settled again');
      const again = await MessageModel.findById(id).lean();
      expect(again).to.deep.include({ status: 'sent', resends: 1, attempts: 1 });
      await api().post(`/api/notifications/messages/${byTemplate.device_handed_over!._id}/resend`).set('Authorization', `Bearer ${coord}`).expect(409);
    } finally {
      await w.close();
      await smtp.close();
    }
  });

  it('queues again a message whose job was lost (a Redis that restarted empty) and sends it once', async () => {
    const smtp = await startSmtp();
    const clock = testClock(midday);
    const w = startNotifyWorkers({ SMTP_URL: smtp.url }, clock.now);
    try {
      // Made, but its job never reached the queue.
      const lost = { ...w.deps, queue: { enqueue: async () => {} } };
      await createMessages([{ event: 'test.lost', template: 'returns_overdue', language: 'en', recipientRef: 'user:1', recipient: { kind: 'staff', address: 'office@example.lv' }, channel: 'email', params: { count: 2, url: 'x' } }], lost);
      expect(await requeueStuck(w.deps), 'not yet: it may still be on its way').to.equal(0);
      clock.set(new Date(Date.now() + 16 * 60 * 1000));
      expect(await requeueStuck(w.deps)).to.equal(1);
      await eventually('sent', async () => smtp.mails.length === 1);
      await settled(waiting, 'recorded');
      clock.set(new Date(Date.now() + 32 * 60 * 1000));
      expect(await requeueStuck(w.deps), 'sent: nothing to requeue').to.equal(0);
      expect(smtp.mails).to.have.length(1);
    } finally {
      await w.close();
      await smtp.close();
    }
  });

  it('records delivery receipts from the SMS provider, checked by their own token', async () => {
    const sms = await startSmsProvider();
    const w = startNotifyWorkers({ SMS_URL: sms.url, SMS_TOKEN: 'provider-token' }, () => midday);
    try {
      await registerNeedVia(principal, { guardianPhone: '26111111' });
      await registerNeedVia(principal, { guardianPhone: '26222222' });
      await dispatchEvents(w.deps);
      await eventually('both sent', async () => (await MessageModel.countDocuments({ status: 'sent' })) === 2);
      const app = (await import('../support/stack.ts')).buildTestApp(stack().redis, stack().redisPrefix, (await import('../support/stack.ts')).testConfig(stack().dataDir, { SMS_RECEIPT_TOKEN: 'receipt-token-0123456789' }));
      const one = await MessageModel.findOne({ 'recipient.address': '+37126111111' }).lean();
      const two = await MessageModel.findOne({ 'recipient.address': '+37126222222' }).lean();
      await request(app).post('/api/notifications/sms/receipts').set('X-Receipt-Token', 'wrong').send({ id: one!.providerId, status: 'delivered' }).expect(401);
      await request(app).post('/api/notifications/sms/receipts').set('X-Receipt-Token', 'receipt-token-0123456789').send({ id: one!.providerId, status: 'delivered' }).expect(200);
      await request(app).post('/api/notifications/sms/receipts').set('X-Receipt-Token', 'receipt-token-0123456789').send({ reference: two!._id, status: 'failed', reason: 'absent subscriber number' }).expect(200);
      expect((await MessageModel.findById(one!._id).lean())!.status).to.equal('delivered');
      expect((await MessageModel.findById(two!._id).lean())!.status).to.equal('failed');
      expect(await ContactTaskModel.countDocuments({ address: '+37126222222', status: 'open' })).to.equal(1);
    } finally {
      await w.close();
      await sms.close();
    }
  });
});

/** Subjects with non-ASCII letters arrive MIME-encoded (=?UTF-8?Q?…?= or B), possibly in several words. */
function decodeURIComponentSafe(subject: string): string {
  return subject.replace(/=\?UTF-8\?([QB])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) => {
    if (enc.toUpperCase() === 'B') return Buffer.from(text, 'base64').toString('utf8');
    const bytes: number[] = [];
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '=' && /^[0-9A-F]{2}$/i.test(text.slice(i + 1, i + 3))) {
        bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
        i += 2;
      } else bytes.push(text[i] === '_' ? 32 : text.charCodeAt(i));
    }
    return Buffer.from(bytes).toString('utf8');
  });
}
