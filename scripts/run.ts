import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { bootstrap } from '../src/runtime.ts';
import { childEnv, projectRoot } from '../src/config.ts';
import { connectDatabase, disconnectDatabase, syncIndexes } from '../src/db.ts';
import { isEmptyDatabase, seedDemo, demoAccounts } from '../src/demo/seed.ts';
import { demoReferenceCode } from '../src/demo/devices.ts';
import { demoKindergartenCode } from '../src/demo/kindergartens.ts';
import { demoFoodCardCode } from '../src/demo/foodcards.ts';
import { translator } from '../src/i18n/index.ts';
import { resolvePersonalCodeKey } from '../src/infra/secrets.ts';
import { workerArgs } from '../jobs/nodeFlags.ts';

/**
 * The supervisor behind `scripts/start`: resolves (or starts) FerretDB and Redis, seeds the demo
 * data on first start, runs the API and the worker as child processes, and stops everything in
 * order on Ctrl-C or SIGTERM (children first, then the embedded servers it started).
 */
const t = translator('en');
const { config, logger, connections } = await bootstrap('start');

await connectDatabase(connections.mongoUri, logger, 10);
await syncIndexes();
await connections.afterIndexSync();
const demoDevices = { personalCodeKey: resolvePersonalCodeKey(config.personalCodeKey, config.dataDir), loanDays: config.devices.loanDays, staleStockDays: config.devices.staleStockDays };
const seeded = (await isEmptyDatabase()) ? await seedDemo({ kind: 'system', name: 'demo-seed' }, demoDevices) : null;
await disconnectDatabase();

const env = childEnv({ MONGODB_URI: connections.mongoUri, REDIS_URL: connections.redisUrl });
const children: Array<{ name: string; proc: ChildProcess }> = [];
let stopping = false;

function launch(name: string, args: string[]): void {
  const proc = spawn(process.execPath, args, { env, stdio: 'inherit' });
  children.push({ name, proc });
  proc.on('exit', (code) => {
    if (stopping) return;
    console.error(t('start.childExited', { name, code }));
    void stop(1);
  });
}

async function stop(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map(
      ({ proc }) =>
        new Promise<void>((resolve) => {
          if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
          proc.once('exit', () => resolve());
          proc.kill('SIGTERM');
        }),
    ),
  );
  await connections.stopOwned();
  process.exit(exitCode);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

launch('api', [path.join(projectRoot, 'src', 'server.ts')]);
launch('worker', workerArgs(path.join(projectRoot, 'jobs', 'worker.ts')));

const url = config.publicUrl ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
const deadline = Date.now() + 60_000;
let ready = false;
while (!ready && Date.now() < deadline && !stopping) {
  ready = await fetch(`http://127.0.0.1:${config.port}/readyz`).then((r) => r.ok, () => false);
  if (!ready) await new Promise((r) => setTimeout(r, 200));
}
if (!ready) {
  console.error(t('start.notReady', { seconds: 60 }));
  await stop(1);
}
const lines = ['', t('start.ready', { url }), ...(seeded ? [t('start.seeded')] : []), t('start.signins')];
for (const a of demoAccounts) lines.push(t('start.account', { role: a.role, email: a.email, password: a.password }));
lines.push(t('start.statusDemo', { url, code: demoReferenceCode }));
lines.push(t('start.statusDemoKindergarten', { code: demoKindergartenCode }));
lines.push(t('start.statusDemoFoodCard', { code: demoFoodCardCode }));
lines.push(t('start.stop'), '');
console.log(lines.join('\n'));
