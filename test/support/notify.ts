import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { createQueueRedis } from '../../src/redis.ts';
import { startNotificationWorkers } from '../../jobs/notificationWorkers.ts';
import { stack, testConfig } from './stack.ts';
import { testPersonalCodeKey } from './jobs.ts';

export type ReceivedMail = { to: string[]; messageId: string; subject: string; text: string };

/**
 * A real SMTP server on a free port. `reject` answers 550 to a recipient (a bounce), `tempfail`
 * 451 to the next N tries of a recipient, `delayMs` slows each accepted message down.
 */
export async function startSmtp(o: { reject?: (to: string) => boolean; tempfail?: Map<string, number>; delayMs?: number } = {}) {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 1024 * 1024,
    onRcptTo(address, _session, cb) {
      const to = address.address.toLowerCase();
      if (o.reject?.(to)) return cb(Object.assign(new Error('5.1.1 No such user'), { responseCode: 550 }));
      const left = o.tempfail?.get(to) ?? 0;
      if (left > 0) {
        o.tempfail!.set(to, left - 1);
        return cb(Object.assign(new Error('4.2.1 Try again later'), { responseCode: 451 }));
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        // Long headers are folded onto several lines; unfold them before reading.
        const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
        const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
        const finish = () => {
          const body = raw.split(/\r?\n\r?\n/).slice(1).join('\n\n');
          const encoding = header('Content-Transfer-Encoding').toLowerCase();
          const text = encoding === 'quoted-printable' ? quotedPrintable(body) : encoding === 'base64' ? Buffer.from(body, 'base64').toString('utf8') : body;
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), messageId: header('Message-ID'), subject: header('Subject'), text });
          cb();
        };
        if (o.delayMs) setTimeout(finish, o.delayMs);
        else finish();
      });
    },
  });
  // A client killed mid-conversation (the crash test kills the worker) resets its connection;
  // without a listener that error would be thrown out of the test process.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Decodes a quoted-printable body (soft line breaks and =XX bytes). */
function quotedPrintable(s: string): string {
  const joined = s.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    if (joined[i] === '=' && /^[0-9A-F]{2}$/i.test(joined.slice(i + 1, i + 3))) {
      bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(joined[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

export type SmsRequest = { to: string; from: string; text: string; reference: string; authorization: string | undefined };

/**
 * A real HTTP server playing the SMS provider: answers `{id}`; `answer` may choose another status
 * (400 with an invalid-number code, 503) per request.
 */
export async function startSmsProvider(answer: (req: SmsRequest, n: number) => { status: number; body: unknown } | null = () => null) {
  const requests: SmsRequest[] = [];
  let n = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Omit<SmsRequest, 'authorization'>;
      const r = { ...body, authorization: req.headers.authorization };
      const special = answer(r, n++);
      if (!special || special.status < 300) requests.push(r);
      const out = special ?? { status: 200, body: { id: `sms-${requests.length}`, status: 'accepted' } };
      res.writeHead(out.status, { 'content-type': 'application/json' }).end(JSON.stringify(out.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/messages`, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A clock a test can set. */
export function testClock(start: Date) {
  let at = start.getTime();
  return { now: () => new Date(at), set: (d: Date) => void (at = d.getTime()) };
}

/** The notification senders in this process, with the given channels and clock. */
export function startNotifyWorkers(env: Record<string, string>, now: () => Date) {
  const s = stack();
  const connection = createQueueRedis(s.redisUrl);
  const config = testConfig(s.dataDir, { NOTIFY_RETRY_MS: '200', NOTIFY_ATTEMPTS: '3', PUBLIC_URL: 'https://izglitiba.example.lv', ...env });
  const w = startNotificationWorkers({ connection, redisPrefix: s.redisPrefix, config, key: testPersonalCodeKey, now });
  return {
    ...w,
    async close() {
      await w.close();
      connection.disconnect();
    },
  };
}
