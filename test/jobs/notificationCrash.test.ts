import { expect } from 'chai';
import { Types } from 'mongoose';
import type { ChildProcess } from 'node:child_process';
import { stack, resetData } from '../support/stack.ts';
import { eventually, exited, startEntry } from '../support/process.ts';
import { startSmtp } from '../support/notify.ts';
import { testPersonalCodeKey } from '../support/jobs.ts';
import { createMessages, type MessageDraft } from '../../src/notifications/messageService.ts';
import { MessageModel } from '../../src/notifications/model.ts';

const count = 200;

describe('notifications: a worker killed mid-batch, then restarted (real processes)', function () {
  this.timeout(180_000);
  let worker: ChildProcess | undefined;
  afterEach(() => {
    if (worker && worker.exitCode === null) worker.kill('SIGKILL');
  });

  it('sends every message at most once; none is lost, and any cut off mid-send shows as unknown', async () => {
    await resetData();
    // Each mail takes a while to be accepted, so the kill lands with messages in flight.
    const smtp = await startSmtp({ delayMs: 150 });
    const s = stack();
    const env = { MONGODB_URI: s.mongoUri, REDIS_URL: s.redisUrl, DATA_DIR: s.dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'test', SMTP_URL: smtp.url, PERSONAL_CODE_KEY: testPersonalCodeKey.toString('utf8') };
    try {
      const drafts: MessageDraft[] = Array.from({ length: count }, (_, i) => ({
        event: `test.crash:${i}`,
        template: 'stock_unallocated',
        language: 'lv',
        recipientRef: `user:${i}`,
        recipient: { kind: 'staff', address: `koordinators${i}@example.lv`, user: new Types.ObjectId() },
        channel: 'email',
        params: { count: i, days: 14, url: 'https://izglitiba.example.lv/devices' },
      }));
      // Made and queued as the API or a reminder run would; the worker process sends them.
      const made = await createMessages(drafts, { key: testPersonalCodeKey, baseUrl: 'https://izglitiba.example.lv', configured: { email: true, sms: false }, queue: s.jobs.messageQueue, now: () => new Date() });
      expect(made).to.deep.equal({ made: count, queued: count });

      worker = startEntry('jobs/worker.ts', env);
      await eventually('some mails arrive', async () => smtp.mails.length >= 30, 60_000);
      worker.kill('SIGKILL');
      await exited(worker);
      const cutAt = smtp.mails.length;
      expect(cutAt, 'killed mid-run').to.be.lessThan(count);

      // A new worker takes over once the dead one's job locks run out.
      worker = startEntry('jobs/worker.ts', env);
      await eventually('every message settled', async () => (await MessageModel.countDocuments({ status: { $in: ['queued', 'retrying', 'sending'] } })) === 0, 150_000);
      worker.kill('SIGTERM');
      await exited(worker);

      const received = new Map<string, number>();
      for (const m of smtp.mails) received.set(m.messageId, (received.get(m.messageId) ?? 0) + 1);
      const twice = [...received].filter(([, n]) => n > 1);
      expect(twice, 'no message arrived twice').to.deep.equal([]);
      const all = await MessageModel.find({}, { status: 1 }).lean();
      const byStatus = (st: string) => all.filter((m) => m.status === st);
      expect(all).to.have.length(count);
      expect(byStatus('sent').length + byStatus('unknown').length, 'none lost: each sent, or unknown for a person to check').to.equal(count);
      for (const m of byStatus('sent')) expect(received.get(`<${m._id}@localhost>`), `sent ${m._id} arrived once`).to.equal(1);
      // Only what was in flight at the kill can be unknown: far fewer than were sent.
      expect(byStatus('unknown').length).to.be.lessThan(count / 2);
    } finally {
      await smtp.close();
    }
  });
});
