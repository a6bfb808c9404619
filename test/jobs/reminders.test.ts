import { expect } from 'chai';
import request from 'supertest';
import { stack, resetData } from '../support/stack.ts';
import { makeInstitution, makeToken, makeUser } from '../support/factories.ts';
import { approveAndAllocate, registerNeedVia, shipVia } from '../support/devices.ts';
import { eventually } from '../support/process.ts';
import { startNotifyWorkers, testClock } from '../support/notify.ts';
import { runReminders } from '../../src/notifications/reminders/index.ts';
import { MessageModel } from '../../src/notifications/model.ts';
import { addDays, rigaMoment, rigaToday } from '../../src/shared/dates.ts';
import { upsertSchedules } from '../../jobs/schedulers.ts';
import { systemQueue } from '../../jobs/queues.ts';
import { createQueueRedis } from '../../src/redis.ts';

const api = () => request(stack().app);

describe('notifications: reminders on schedule (injected clock, outbox channel)', function () {
  this.timeout(60_000);
  let coord: string;

  beforeEach(async () => {
    await resetData();
    coord = await makeToken((await makeUser('coordinator')).email);
  });

  it('reminds a guardian of an uncollected device after N days and once more after 2N, never a third time, and only in working hours', async () => {
    const school = await makeInstitution();
    const principal = await makeToken((await makeUser('principal', school.code)).email);
    const need = await registerNeedVia(principal, { firstName: 'Pēteris', guardianPhone: '26123456' });
    await shipVia(coord, [{ serial: 'REM-1', type: 'laptop' }]);
    await approveAndAllocate(coord, [{ need: need.id, serial: 'REM-1' }]);
    await api().post(`/api/device-needs/${need.id}/ready`).set('Authorization', `Bearer ${principal}`).send({ from: '2026-11-20', hours: '9–15' }).expect(200);
    const clock = testClock(rigaMoment('2026-11-22', '12:00'));
    const w = startNotifyWorkers({}, clock.now);
    const reminders = () => MessageModel.find({ template: 'device_uncollected' }).sort({ createdAt: 1 }).lean();
    try {
      expect((await runReminders(w.deps)).made, 'two days: too early').to.equal(0);
      clock.set(rigaMoment('2026-11-23', '07:30'));
      expect((await runReminders(w.deps)).made, 'before the working day').to.equal(0);
      clock.set(rigaMoment('2026-11-23', '08:05'));
      expect((await runReminders(w.deps)).made).to.equal(1);
      expect((await runReminders(w.deps)).made, 'the same run again').to.equal(0);
      clock.set(rigaMoment('2026-11-26', '09:00'));
      expect((await runReminders(w.deps)).made, 'the second reminder').to.equal(1);
      clock.set(rigaMoment('2026-12-02', '09:00'));
      expect((await runReminders(w.deps)).made, 'never a third').to.equal(0);
      const sent = await reminders();
      expect(sent).to.have.length(2);
      expect(sent[0]).to.include({ channel: 'outbox', language: 'lv', essential: false });
      expect(sent[0]!.body).to.include('Pēteris').and.to.include(need.referenceCode).and.to.include('/notifications/opt-out/');
      // With no channel configured the outbox takes them: "sent" there, for the coordinator to read.
      await eventually('outbox', async () => (await MessageModel.countDocuments({ channel: 'outbox', status: 'sent' })) >= 2);
    } finally {
      await w.close();
    }
  });

  it("reminds the head of a base kindergarten whose daily return is missing at the deadline, once, and not one that sent it", async () => {
    const today = rigaToday();
    const late = await makeInstitution({ type: 'kindergarten', base: true, name: 'Vēlais bērnudārzs' });
    const done = await makeInstitution({ type: 'kindergarten', base: true, name: 'Čaklais bērnudārzs' });
    const lateHead = await makeUser('principal', late.code);
    const doneHead = await makeToken((await makeUser('principal', done.code)).email);
    await api().put(`/api/kindergartens/${done.code}/attendance/${today}`).set('Authorization', `Bearer ${doneHead}`).send({ groups: [{ group: done.group!.name, registered: 5, present: 4 }] }).expect(200);
    const clock = testClock(rigaMoment(today, '09:59'));
    const w = startNotifyWorkers({}, clock.now);
    try {
      expect((await runReminders(w.deps)).made, 'before the deadline').to.equal(0);
      clock.set(rigaMoment(today, '10:05'));
      expect((await runReminders(w.deps)).made).to.equal(1);
      expect((await runReminders(w.deps)).made).to.equal(0);
      const m = await MessageModel.findOne({ template: 'attendance_missing' }).lean();
      expect(m!.recipient).to.include({ kind: 'staff', address: lateHead.email });
      expect(m!.body).to.include('Vēlais bērnudārzs').and.to.include(`/kindergartens/${late.code}/attendance/${today}`);
    } finally {
      await w.close();
    }
  });

  it('follows the settings the coordinator changes: a stale needs list during the campaign, stock waiting too long', async () => {
    const school = await makeInstitution({ name: 'Klusā skola' });
    const principal = await makeUser('principal', school.code);
    await registerNeedVia(await makeToken(principal.email));
    await shipVia(coord, [{ serial: 'STALE-1', type: 'tablet' }]);
    const bad = await api()
      .put('/api/notifications/settings')
      .set('Authorization', `Bearer ${coord}`)
      .send({ attendanceMissing: { enabled: true }, needsStale: { enabled: true, days: 0, campaignFrom: null, campaignTo: null }, uncollected: { enabled: true, days: 3 }, stockUnallocated: { enabled: true, days: 14 }, returnsOverdue: { enabled: true } })
      .expect(400);
    expect(bad.body.error.details.fields[0]).to.deep.equal({ field: 'needsStale.days', code: 'days_out_of_range' });
    const today = rigaToday();
    const clock = testClock(rigaMoment(addDays(today, 6), '09:00'));
    const w = startNotifyWorkers({}, clock.now);
    try {
      // No campaign yet: no reminder about the list, however quiet.
      expect(await MessageModel.countDocuments({ template: 'needs_stale' })).to.equal(0);
      await runReminders(w.deps);
      expect(await MessageModel.countDocuments({ template: 'needs_stale' })).to.equal(0);
      await api()
        .put('/api/notifications/settings')
        .set('Authorization', `Bearer ${coord}`)
        .send({ attendanceMissing: { enabled: true }, needsStale: { enabled: true, days: 5, campaignFrom: addDays(today, -10), campaignTo: null }, uncollected: { enabled: true, days: 3 }, stockUnallocated: { enabled: false, days: 14 }, returnsOverdue: { enabled: true } })
        .expect(200);
      await runReminders(w.deps);
      const stale = await MessageModel.find({ template: 'needs_stale' }).lean();
      expect(stale.map((m) => m.recipient!.address)).to.deep.equal([principal.email]);
      expect(stale[0]!.body).to.include('Klusā skola');
      clock.set(rigaMoment(addDays(today, 20), '09:00'));
      await runReminders(w.deps);
      expect(await MessageModel.countDocuments({ template: 'stock_unallocated' }), 'switched off').to.equal(0);
      const settings = await api().get('/api/notifications/settings').set('Authorization', `Bearer ${coord}`).expect(200);
      await api().put('/api/notifications/settings').set('Authorization', `Bearer ${coord}`).send({ ...settings.body, stockUnallocated: { enabled: true, days: 14 } }).expect(200);
      await runReminders(w.deps);
      const stock = await MessageModel.find({ template: 'stock_unallocated' }).lean();
      expect(stock).to.have.length(1);
      expect(stock[0]!.recipient!.kind).to.equal('staff');
      expect(stock[0]!.body).to.match(/\b1\b/);
    } finally {
      await w.close();
    }
  });

  it('registers the notification schedules once however many workers start', async () => {
    const w = startNotifyWorkers({}, () => new Date());
    const conn = createQueueRedis(stack().redisUrl);
    const system = systemQueue(conn, stack().redisPrefix);
    try {
      await upsertSchedules(system, w.queues.runs);
      await upsertSchedules(system, w.queues.runs);
      const keys = (await w.queues.runs.getJobSchedulers()).map((s) => s.key).sort();
      expect(keys).to.deep.equal(['notify-dispatch', 'notify-reminders']);
      expect((await system.getJobSchedulers()).map((s) => s.key).sort()).to.deep.equal(['dashboard', 'heartbeat', 'need-entries', 'sweep-imports']);
      for (const key of keys) await w.queues.runs.removeJobScheduler(key);
      await system.removeJobScheduler('heartbeat');
      await system.removeJobScheduler('dashboard');
    } finally {
      await system.close();
      conn.disconnect();
      await w.close();
    }
  });
});
