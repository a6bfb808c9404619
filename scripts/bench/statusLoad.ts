import fs from 'node:fs';
import http from 'node:http';
import readline from 'node:readline';

/**
 * The parents of scripts/bench/status and scripts/bench/storm, in a process of their own so that
 * they never share an event loop with the server they measure. N keep-alive clients each POST a
 * reference code, wait for the whole answer and send the next. Every answer is checked; the
 * result is one JSON line on stdout.
 *
 * Without `ratePerSecond` the load is a closed loop: the rate is as high as the server can take,
 * and by Little's law the mean latency is then the number of clients over that rate. With it, the
 * lookups are paced: lookup k is due at start + k / rate, the next free client sends it (waiting
 * until it is due), and its latency counts from when it was due, not from when it was sent, so a
 * server that falls behind is charged for the queue it causes (no "coordinated omission").
 *
 * The measured window is either timed (`warmupMs`, then `durationMs`) or, without `durationMs`,
 * opened and closed by the caller through stdin (`measure`, then `stop`), so a storm's figures and
 * the quiet ones before it are taken by the same code. After the window the clients finish the
 * lookup in hand; one still unanswered five seconds later is cut off and counted `unanswered`.
 *
 * argv[2]: JSON {url, concurrency, codesFile, unknownShare, expect, warmupMs?, durationMs?, ratePerSecond?}
 *   expect 'lookup': a known code must answer 200 with that pupil's first name and status, an
 *                    unknown one 404 `status_not_found` (the real API);
 *   expect 'ok':     every request must answer 200 (the bare server, which knows no codes).
 * codesFile: JSON {known: [[code, firstName, status], ...], unknown: [code, ...]}
 */
type Settings = { url: string; concurrency: number; codesFile: string; unknownShare: number; expect: 'lookup' | 'ok'; warmupMs?: number; durationMs?: number; ratePerSecond?: number };
type Known = [code: string, firstName: string, status: string];

const settings = JSON.parse(process.argv[2] ?? '{}') as Settings;
const codes = JSON.parse(fs.readFileSync(settings.codesFile, 'utf8')) as { known: Known[]; unknown: string[] };
const target = new URL(settings.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: settings.concurrency });

/** As parents type it: any mix of upper and lower case, and a third of the time without dashes. */
function asTyped(code: string): string {
  let s = '';
  for (const ch of code) s += Math.random() < 0.5 ? ch.toLowerCase() : ch;
  return Math.random() < 1 / 3 ? s.replaceAll('-', '') : s;
}

function post(body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Null when the answer is right, else what was wrong. */
function wrongness(known: Known | null, status: number, text: string): string | null {
  if (settings.expect === 'ok') return status === 200 ? null : `expected 200, got ${status}`;
  try {
    if (!known) {
      if (status !== 404) return `unknown code: expected 404, got ${status} ${text.slice(0, 200)}`;
      const code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
      return code === 'status_not_found' ? null : `unknown code: 404 with error code ${code}`;
    }
    if (status !== 200) return `known code ${known[0]}: expected 200, got ${status} ${text.slice(0, 200)}`;
    const items = (JSON.parse(text) as { items?: Array<{ kind: string; firstName: string; status: string }> }).items ?? [];
    const item = items.length === 1 ? items[0]! : null;
    if (!item || item.kind !== 'device' || item.firstName !== known[1] || item.status !== known[2]) {
      return `known code ${known[0]}: expected ${known[1]}/${known[2]}, got ${text.slice(0, 200)}`;
    }
    return null;
  } catch (err) {
    return `unreadable answer (${(err as Error).message}): ${text.slice(0, 200)}`;
  }
}

let measureFrom = Infinity;
let measureTo = Infinity;
let stopping = false;
const { promise: stopped, resolve: stopResolved } = Promise.withResolvers<void>();
function stop() {
  if (stopping) return;
  measureTo = Math.min(measureTo, performance.now());
  stopping = true;
  stopResolved();
}
// Preallocated so recording a latency costs nothing measurable; grown if ever needed.
let latencies = new Float64Array(1 << 20);
let measured = 0;
let total = 0;
let known = 0;
let unknown = 0;
let errors = 0;
let cutOffs = 0;
const samples: string[] = [];

function fail(message: string) {
  errors += 1;
  if (samples.length < 5) samples.push(message);
}

const started = performance.now();
let tickets = 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** When the next lookup is due to be sent: now in a closed loop, else the next paced slot (waited for). */
async function nextDue(): Promise<number> {
  if (!settings.ratePerSecond) return performance.now();
  const due = started + (tickets++ * 1000) / settings.ratePerSecond;
  const wait = due - performance.now();
  if (wait > 0) await sleep(wait);
  return due;
}

async function client(): Promise<void> {
  while (!stopping) {
    const due = await nextDue();
    if (stopping) break;
    const isUnknown = Math.random() < settings.unknownShare;
    const entry = isUnknown ? null : codes.known[Math.floor(Math.random() * codes.known.length)]!;
    const code = entry ? entry[0] : codes.unknown[Math.floor(Math.random() * codes.unknown.length)]!;
    const body = JSON.stringify({ referenceCode: asTyped(code) });
    let answer: { status: number; text: string };
    try {
      answer = await post(body);
    } catch (err) {
      // A lookup cut off after the window (see below) is no answer to judge.
      if (!stopping) fail(`request failed: ${(err as Error).message}`);
      else cutOffs += 1;
      continue;
    }
    const t1 = performance.now();
    total += 1;
    if (entry) known += 1;
    else unknown += 1;
    const wrong = wrongness(entry, answer.status, answer.text);
    if (wrong) fail(wrong);
    // Counted: answers that arrived inside the measured window.
    if (t1 >= measureFrom && t1 <= measureTo) {
      if (measured === latencies.length) {
        const bigger = new Float64Array(latencies.length * 2);
        bigger.set(latencies);
        latencies = bigger;
      }
      latencies[measured++] = t1 - due;
    }
  }
}

const clients = Promise.all(Array.from({ length: settings.concurrency }, client));
if (settings.durationMs !== undefined) {
  measureFrom = performance.now() + (settings.warmupMs ?? 0);
  measureTo = measureFrom + settings.durationMs;
  setTimeout(stop, (settings.warmupMs ?? 0) + settings.durationMs);
} else {
  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line.trim() === 'measure') measureFrom = performance.now();
    if (line.trim() === 'stop') lines.close();
  });
  // `stop`, or the caller went away without saying it: end quietly. Nothing more will be read,
  // and an open stdin would keep this process alive.
  lines.on('close', () => {
    stop();
    process.stdin.destroy();
  });
}
await stopped;
// A server that stopped answering must not keep the caller waiting.
const cutOff = setTimeout(() => agent.destroy(), 5000);
await clients;
clearTimeout(cutOff);
agent.destroy();
const seconds = Number.isFinite(measureFrom) ? (measureTo - measureFrom) / 1000 : 0;
const sorted = latencies.subarray(0, measured).sort();
const pct = (q: number) => (measured ? sorted[Math.min(measured - 1, Math.max(0, Math.ceil(q * measured) - 1))]! : NaN);
const result = {
  requests: total,
  measured,
  seconds,
  perSecond: seconds > 0 ? measured / seconds : 0,
  p50: pct(0.5),
  p90: pct(0.9),
  p99: pct(0.99),
  max: measured ? sorted[measured - 1]! : NaN,
  known,
  unknown,
  errors,
  unanswered: cutOffs,
  samples,
};
process.stdout.write(JSON.stringify(result) + '\n');
