import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { Types } from 'mongoose';
import { projectRoot } from '../../src/config.ts';
import { createQueueRedis } from '../../src/redis.ts';
import { addEmbeddedLookupIndexes } from '../../src/infra/ferretdb.ts';
import { readBackend } from '../../src/infra/ferretdbBackend.ts';
import { InstitutionModel } from '../../src/institutions/model.ts';
import { PupilModel } from '../../src/pupils/model.ts';
import { DeviceNeedModel } from '../../src/devices/model.ts';
import { newReferenceCode } from '../../src/devices/referenceCode.ts';
import { addDays, rigaMoment, rigaToday } from '../../src/shared/dates.ts';
import type { NotifyDeps } from '../../src/notifications/deps.ts';
import { MessageModel } from '../../src/notifications/model.ts';
import { messageCounts } from '../../src/notifications/messageService.ts';
import { runReminders, remindersFrom } from '../../src/notifications/reminders/index.ts';
import { messageQueue, notifyQueue, notifySmsQueue } from '../../jobs/queues.ts';
import { workerNodeFlags } from '../../jobs/nodeFlags.ts';
import { cpuShares, postgresBackends, snapshot, type Watched } from './cpu.ts';
import { benchScratch } from './scratch.ts';
import { startSmtpSink } from './smtpSink.ts';

/**
 * The product's target for notifications: "10,000 reminders fanned out to a local SMTP server:
 * all delivered exactly once; at least 200 messages/s end to end."
 *
 * Seeds (untimed) pupils whose guardians have distinct e-mail addresses (languages spread over
 * lv/ru/en) across institutions, each with a device ready for pickup for 4-5 days, so the
 * `uncollected` reminder (default: after 3 days) is due for every one of them. Then times one
 * runReminders() (it finds the due reminders, makes the messages and queues them) until a real
 * SMTP server in this process has received every message and every Message record is `sent`.
 * The senders run in a separate process (scripts/bench/notifyWorker.ts: the worker's
 * startNotificationWorkers with its defaults), as they do in production. Afterwards checks that
 * every message arrived exactly once: one copy per Message-ID, one message per guardian, and no
 * record in any status but `sent`.
 *
 *   scripts/bench/notify [PUPILS] [INSTITUTIONS]
 */
const pupilCount = Number(process.argv[2] ?? 10_000);
const institutionCount = Number(process.argv[3] ?? 50);
const targetRate = 200;
// No progress for this long while waiting means something is stuck: fail rather than hang.
const stallMs = 90_000;
const languages = ['lv', 'ru', 'en'] as const;
const firstNames = ['Anna', 'Jānis', 'Marija', 'Andris', 'Elīza', 'Roberts', 'Sofija', 'Artjoms', 'Alise', 'Daniils'];
const batch = 1000;
const mailFrom = 'Izglītības pārvalde <no-reply@bench.example.lv>';
const mailDomain = 'bench.example.lv';

const guardianEmail = (i: number) => `vecaks${i}@bench.example.lv`;

async function seed(today: string): Promise<void> {
  const now = new Date();
  const institutions = Array.from({ length: institutionCount }, (_, i) => ({
    _id: new Types.ObjectId(),
    code: `N${String(i).padStart(4, '0')}`,
    name: `Liepājas ${i + 1}. vidusskola`,
    type: 'school',
    address: `Skolas iela ${i + 1}, Liepāja`,
  }));
  await InstitutionModel.insertMany(institutions);
  const codes = new Set<string>();
  for (let i = 0; i < pupilCount; i += batch) {
    const pupils = [];
    const needs = [];
    for (let j = i; j < Math.min(pupilCount, i + batch); j++) {
      const institution = institutions[j % institutionCount]!._id;
      const pupil = new Types.ObjectId();
      const firstName = firstNames[j % firstNames.length]!;
      pupils.push({
        _id: pupil,
        institution,
        class: `${(j % 12) + 1}.${'abc'[j % 3]}`,
        firstName,
        lastName: `Uzvārds${j}`,
        personalCodeHash: createHash('sha256').update(`bench-notify-pupil-${j}`).digest('base64url'),
        personalCodeMasked: '010110-*****',
        personalCodeEnc: `bench-${j}-${randomBytes(12).toString('base64')}`,
        birthDate: '2012-01-01',
        guardian: { name: `Vecāks ${j}`, phone: null, email: guardianEmail(j), language: languages[j % languages.length] },
        createdAt: now,
        updatedAt: now,
      });
      let code = newReferenceCode();
      while (codes.has(code)) code = newReferenceCode();
      codes.add(code);
      // Ready 4 or 5 days ago: past the 3 days after which the first reminder goes.
      const from = addDays(today, -(4 + (j % 2)));
      const readyAt = new Date(`${from}T09:00:00Z`);
      needs.push({
        institution,
        pupil,
        firstName,
        deviceType: j % 2 ? 'laptop' : 'tablet',
        priority: 3,
        deliveryMethod: 'pickup',
        referenceCode: code,
        status: 'ready_for_pickup',
        device: new Types.ObjectId(),
        pickup: { from, hours: '8:00-16:00' },
        history: ['registered', 'approved', 'allocated', 'ready_for_pickup'].map((status) => ({ status, at: readyAt, by: 'import:bench', note: null })),
        version: 3,
        createdAt: readyAt,
        updatedAt: readyAt,
      });
    }
    await PupilModel.insertMany(pupils);
    await DeviceNeedModel.insertMany(needs);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const scratch = benchScratch('notify');

let failed = false;
try {
  const mongo = await scratch.startDatabase();
  await addEmbeddedLookupIndexes(scratch.dataDir);
  const { server: redisServer, prefix: redisPrefix } = await scratch.startRedis();

  // Reminders other than the kindergarten deadline wait for the working day: before 08:00 (Riga)
  // the run stands at 08:01 of the same day, which is the same run a little later.
  const realNow = new Date();
  const today = rigaToday(realNow);
  const earliest = new Date(rigaMoment(today, remindersFrom).getTime() + 60_000);
  const clock = () => {
    const now = new Date();
    return now < earliest ? earliest : now;
  };

  console.log(`seeding ${institutionCount} institutions and ${pupilCount} pupils, each with a device ready for pickup for 4-5 days and a guardian with an e-mail address (${languages.join('/')})...`);
  const seedStart = performance.now();
  await seed(today);
  console.log(`seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

  const smtp = await startSmtpSink();
  scratch.onCleanup(smtp.close);

  const personalCodeKey = randomBytes(32).toString('hex');
  const env = {
    ...process.env,
    MONGODB_URI: mongo.uri,
    REDIS_URL: redisServer.url,
    DATA_DIR: scratch.dataDir,
    SMTP_URL: smtp.url,
    MAIL_FROM: mailFrom,
    PUBLIC_URL: 'https://izglitiba.example.lv',
    PERSONAL_CODE_KEY: personalCodeKey,
    LOG_LEVEL: 'warn',
  };
  const worker: ChildProcess = spawn(process.execPath, [...workerNodeFlags, path.join(projectRoot, 'scripts', 'bench', 'notifyWorker.ts')], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  scratch.onCleanup(async () => {
    if (worker.exitCode !== null || worker.signalCode !== null) return;
    const exited = new Promise((r) => worker.once('exit', r));
    worker.kill('SIGTERM');
    await Promise.race([exited, sleep(15_000).then(() => worker.kill('SIGKILL'))]);
  });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', (m) => (m === 'ready' ? resolve() : reject(new Error(`worker said ${String(m)}`))));
    worker.once('exit', (code) => reject(new Error(`the worker exited (${code}) before it was ready`)));
  });

  // The producer side, as the worker's scheduled reminders run has it (jobs/notificationWorkers.ts).
  const connection = createQueueRedis(redisServer.url);
  const email = notifyQueue(connection, redisPrefix);
  const sms = notifySmsQueue(connection, redisPrefix);
  scratch.onCleanup(async () => {
    await Promise.all([email.close(), sms.close()]);
    connection.disconnect();
  });
  const deps: NotifyDeps = {
    key: Buffer.from(personalCodeKey, 'utf8'),
    baseUrl: env.PUBLIC_URL,
    configured: { email: true, sms: false },
    queue: messageQueue(email, sms, { attempts: 6, delayMs: 30_000 }),
    now: clock,
  };

  const backend = readBackend(path.join(scratch.dataDir, 'ferretdb', 'backend.json'));
  const watched: Watched = () => ({
    'this process (reminders run, SMTP server)': [process.pid],
    'sender process': worker.pid ? [worker.pid] : [],
    ferretdb: [mongo.pid],
    postgresql: backend?.handler === 'pg' ? postgresBackends(backend.database) : [],
    ...(redisServer.pid ? { redis: [redisServer.pid] } : {}),
  });

  console.log(`timed: runReminders() until the SMTP server has ${pupilCount} messages and every record is sent...`);
  const before = snapshot(watched);
  const start = performance.now();
  const run = await runReminders(deps);
  const madeAt = performance.now();
  const receivedAtRunEnd = smtp.counts.received;
  console.log(`  runReminders: made ${run.made}, queued ${run.queued} in ${((madeAt - start) / 1000).toFixed(2)} s (the SMTP server had ${receivedAtRunEnd} by then)`);
  if (run.made !== pupilCount || run.queued !== pupilCount) throw new Error(`runReminders made ${run.made} and queued ${run.queued} messages, expected ${pupilCount}`);

  let sent = 0;
  let progressAt = performance.now();
  let lastProgress = -1;
  let nextReport = performance.now() + 5000;
  for (;;) {
    sent = smtp.counts.received >= pupilCount ? await MessageModel.countDocuments({ status: 'sent' }) : 0;
    if (smtp.counts.received >= pupilCount && sent >= pupilCount) break;
    const progress = smtp.counts.received + sent;
    if (progress !== lastProgress) {
      lastProgress = progress;
      progressAt = performance.now();
    }
    if (performance.now() - progressAt > stallMs) throw new Error(`no progress for ${stallMs / 1000} s: ${smtp.counts.received} received, statuses ${JSON.stringify(await messageCounts())}`);
    if (worker.exitCode !== null) throw new Error(`the sender process exited (${worker.exitCode})`);
    if (performance.now() >= nextReport) {
      nextReport += 5000;
      console.log(`  ${((performance.now() - start) / 1000).toFixed(0)} s: ${smtp.counts.received} received`);
    }
    await sleep(smtp.counts.received >= pupilCount ? 20 : 100);
  }
  const end = performance.now();
  const cpu = cpuShares(before, snapshot(watched));

  // Anything sent twice would arrive late, after its first copy: give stragglers a moment.
  await sleep(2000);
  const records = await MessageModel.find({}, { _id: 1, status: 1, language: 1, 'recipient.address': 1 }).lean();
  const expectedIds = new Set(records.map((m) => `<${m._id}@${mailDomain}>`));
  const counts = await messageCounts();
  let duplicates = 0;
  let unexpected = 0;
  for (const [id, n] of smtp.byMessageId) {
    if (n > 1) duplicates += n - 1;
    if (!expectedIds.has(id)) unexpected += n;
  }
  const lost = [...expectedIds].filter((id) => !smtp.byMessageId.has(id)).length + Math.max(0, pupilCount - records.length);
  const guardians = Array.from({ length: pupilCount }, (_, i) => guardianEmail(i));
  const notOnce = guardians.filter((g) => smtp.byRecipient.get(g) !== 1).length;
  const seeded = new Set(guardians);
  const strangers = [...smtp.byRecipient.keys()].filter((r) => !seeded.has(r)).length;
  const notSent = records.length - (counts.sent ?? 0);
  const byLanguage = Object.entries(Object.groupBy(records, (m) => m.language)).map(([l, ms]) => `${l} ${ms?.length ?? 0}`);

  const totalS = (end - start) / 1000;
  const makeS = (madeAt - start) / 1000;
  const rate = pupilCount / totalS;
  console.log(`received ${smtp.counts.received} messages with ${smtp.byMessageId.size} distinct Message-IDs for ${smtp.byRecipient.size} recipients; records: ${JSON.stringify(counts)} (${byLanguage.join(', ')})`);
  console.log(`  last message arrived at ${((smtp.counts.lastAt - start) / 1000).toFixed(2)} s; every record sent at ${totalS.toFixed(2)} s`);
  console.log(`  sending after the run: ${((end - madeAt) / 1000).toFixed(2)} s for the ${pupilCount - receivedAtRunEnd} messages not yet received when it returned`);
  console.log(`  guardians without exactly one message: ${notOnce}; recipients not seeded: ${strangers}; Message-IDs not ours: ${unexpected}`);
  console.log(`CPU in cores while timed: ${cpu}`);
  if (notOnce || strangers || unexpected) failed = true;

  const line = (name: string, value: string, unit: string, op: '>=' | '<=', target: number, pass: boolean) => {
    // A figure off its target is reported; a message lost, doubled or left unsent fails the run.
    if (!pass && unit === 'count') failed = true;
    console.log(`BENCH notify.${name} ${value} ${unit} target ${op} ${target} ${pass ? 'pass' : 'miss'}`);
  };
  line('make_queue_s', makeS.toFixed(2), 's', '<=', pupilCount / targetRate, makeS <= pupilCount / targetRate);
  line('total_s', totalS.toFixed(2), 's', '<=', pupilCount / targetRate, totalS <= pupilCount / targetRate);
  line('rate', rate.toFixed(0), 'msg/s', '>=', targetRate, rate >= targetRate);
  line('duplicates', String(duplicates), 'count', '<=', 0, duplicates === 0);
  line('lost', String(lost), 'count', '<=', 0, lost === 0);
  line('not_sent', String(notSent), 'count', '<=', 0, notSent === 0);
} catch (err) {
  failed = true;
  console.error((err as Error).message);
} finally {
  await scratch.cleanup();
}
process.exit(failed ? 1 : 0);
