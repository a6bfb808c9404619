import { expect } from 'chai';
import request from 'supertest';
import { Types } from 'mongoose';
import { stack } from '../support/stack.ts';
import { approveAndAllocate, freshSchoolAndCoordinator, registerNeedVia, shipVia, validPersonalCode } from '../support/devices.ts';
import { importFile, makeWorkbook } from '../support/imports.ts';
import { deleteKeysUnder } from '../../src/redis.ts';
import { DeviceNeedModel } from '../../src/devices/model.ts';
import { needStatusFacts, needStatusFields, rebuildNeedStatuses, type NeedForStatus } from '../../src/devices/needStatuses.ts';

const send = (method: 'post' | 'patch', token: string, url: string, body: object = {}) =>
  request(stack().app)[method](url).set('Authorization', `Bearer ${token}`).send(body);
/** A parent's lookup; the tries so far are forgotten first, as this test looks up more than one parent would. */
async function lookup(code: string) {
  await deleteKeysUnder(stack().redis, `${stack().redisPrefix}:rl`);
  return (await request(stack().app).post('/api/status').send({ referenceCode: code }).expect(200)).body.items[0];
}

const keyOf = (code: string) => `${stack().redisPrefix}:need-status:${code}`;
type Stored = Record<string, unknown> & { syncedAt: number };
/** A need's entry as kept in Redis, or null. */
async function entryOf(code: string): Promise<Stored | null> {
  const value = await stack().redis.get(keyOf(code));
  return value ? (JSON.parse(value) as Stored) : null;
}
const putEntry = (code: string, entry: Stored) => stack().redis.set(keyOf(code), JSON.stringify(entry));

/** Each need's entry says exactly what the need says; returns how many needs have one. */
async function expectEntriesRight(step: string): Promise<number> {
  const needs = await DeviceNeedModel.collection.find<NeedForStatus>({}, { projection: needStatusFields }).toArray();
  let withEntry = 0;
  for (const need of needs) {
    const entry = await entryOf(need.referenceCode);
    if (!entry) continue;
    withEntry += 1;
    const { syncedAt, ...facts } = entry;
    expect(syncedAt, step).to.be.a('number');
    expect(facts, `${step}: ${need.referenceCode}`).to.deep.equal(await needStatusFacts(need));
  }
  return withEntry;
}

describe('status entries (what the parents’ lookup reads of a device need)', () => {
  let coord: string;
  let principal: string;

  beforeEach(async () => {
    ({ principal, coord } = await freshSchoolAndCoordinator());
  });

  it('every change of a need through the API and through a list keeps its entry right', async () => {
    const personalCode = validPersonalCode();
    const pickup = await registerNeedVia(principal, { personalCode, firstName: 'Marta' });
    const home = await registerNeedVia(principal, { deliveryMethod: 'home', address: 'Graudu iela 12-3, Liepāja, LV-3401', deviceType: 'tablet' });
    expect(await expectEntriesRight('registered')).to.equal(2);

    // A list naming the pupil again corrects the first name.
    const header = ['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce'];
    const list = await importFile(principal, { kind: 'device-needs' }, await makeWorkbook(header, [['7.b', 'Martta', 'Bērziņa', personalCode, 'dators']]));
    expect(list.status, JSON.stringify(list)).to.equal('succeeded');
    await expectEntriesRight('renamed by a list');
    expect(await lookup(pickup.referenceCode)).to.include({ firstName: 'Martta', status: 'registered' });

    await send('patch', principal, `/api/device-needs/${pickup.id}`, { deviceType: 'tablet' }).expect(200);
    await expectEntriesRight('type changed');
    expect((await lookup(pickup.referenceCode)).details).to.include({ deviceType: 'tablet' });

    await shipVia(coord, [{ serial: 'ST-1', type: 'tablet' }, { serial: 'ST-2', type: 'tablet' }]);
    await approveAndAllocate(coord, [{ need: pickup.id, serial: 'ST-1' }, { need: home.id, serial: 'ST-2' }]);
    await expectEntriesRight('allocated');

    await send('post', principal, `/api/device-needs/${pickup.id}/ready`, { from: '2020-04-06', hours: '9:00–15:00' }).expect(200);
    await expectEntriesRight('ready for pickup');
    const ready = await lookup(pickup.referenceCode);
    expect(ready.steps.map((s: { status: string }) => s.status)).to.deep.equal(['registered', 'approved', 'allocated', 'ready_for_pickup']);
    expect(ready.details).to.include({ pickupHours: '9:00–15:00', pickupFrom: '2020-04-06' });

    await send('post', coord, '/api/delivery-runs', { day: '2099-04-08', courier: 'Kurjers' }).expect(201);
    await expectEntriesRight('out for delivery');
    expect((await lookup(home.referenceCode)).details).to.include({ deliveryDay: '2099-04-08' });

    await send('post', principal, `/api/device-needs/${pickup.id}/handover`, { serial: 'ST-1', collectedBy: 'Inese Bērziņa', relation: 'mother', date: '2020-04-07' }).expect(200);
    expect(await expectEntriesRight('handed over')).to.equal(2);
    expect(await lookup(pickup.referenceCode)).to.include({ status: 'delivered' });

    // A list's new pupils have no entry until the next mending run; a lookup meanwhile reads the
    // need and writes its entry.
    const rows = [['3.a', 'Jānis', 'Kalniņš', validPersonalCode(), 'planšete'], ['3.a', 'Līva', 'Kalniņa', validPersonalCode(), 'planšete']];
    const fresh = await importFile(principal, { kind: 'device-needs' }, await makeWorkbook(header, rows));
    expect(fresh.status, JSON.stringify(fresh)).to.equal('succeeded');
    const [janis, liva] = [await DeviceNeedModel.findOne({ firstName: 'Jānis' }).lean(), await DeviceNeedModel.findOne({ firstName: 'Līva' }).lean()];
    expect(await entryOf(janis!.referenceCode)).to.equal(null);
    expect(await entryOf(liva!.referenceCode)).to.equal(null);
    expect(await lookup(janis!.referenceCode)).to.include({ firstName: 'Jānis', status: 'registered' });
    expect(await entryOf(janis!.referenceCode)).to.include({ firstName: 'Jānis', status: 'registered' });
    expect(await rebuildNeedStatuses(new Date(Date.now() + 3_600_000))).to.deep.equal({ added: 1, changed: 0, removed: 0 });
    expect(await expectEntriesRight('mended')).to.equal(4);
  });

  it('the lookup answers from the entry; a mending run fixes wrong entries and leaves alone one written after it began', async () => {
    const needs: Array<{ id: string; referenceCode: string }> = [];
    for (let i = 0; i < 4; i++) needs.push(await registerNeedVia(principal, { firstName: `Bērns${i}` }));
    await send('post', coord, '/api/device-needs/approve', { ids: needs.map((n) => n.id) }).expect(200);
    const code = (k: number) => needs[k]!.referenceCode;
    const old = Date.now() - 3_600_000;

    // As a process stopped between writing a need and its entry would leave them:
    await DeviceNeedModel.updateOne({ _id: new Types.ObjectId(needs[0]!.id) }, { $set: { status: 'cancelled' }, $push: { history: { status: 'cancelled', at: new Date(), by: 'test', note: null } } });
    await putEntry(code(0), { ...(await entryOf(code(0)))!, syncedAt: old }); // an old step
    await stack().redis.del(keyOf(code(1))); // no entry at all
    // An entry whose code no need has (needs are never deleted, but a test of the clean-up).
    await putEntry('ZZZZ-ZZZZ-ZZZ', { ...(await entryOf(code(2)))!, referenceCode: 'ZZZZ-ZZZZ-ZZZ', syncedAt: old });
    // Written after the run begins (below), so newer than what it reads: left alone.
    const now = new Date(Date.now() - 1000);
    await putEntry(code(3), { ...(await entryOf(code(3)))!, firstName: 'Vēlāk', syncedAt: now.getTime() + 500 });

    // The lookup reads the entries, wrong ones included: the parent sees the step before until mended.
    expect(await lookup(needs[0]!.referenceCode)).to.include({ status: 'approved' });
    expect(await lookup(needs[3]!.referenceCode)).to.include({ firstName: 'Vēlāk' });

    expect(await rebuildNeedStatuses(now)).to.deep.equal({ added: 1, changed: 1, removed: 1 });
    const cancelled = await lookup(needs[0]!.referenceCode);
    expect(cancelled.status).to.equal('cancelled');
    expect(cancelled.steps.map((s: { status: string }) => s.status)).to.deep.equal(['registered', 'approved', 'cancelled']);
    expect(await entryOf(code(1))).to.include({ firstName: 'Bērns1', status: 'approved' });
    expect(await entryOf('ZZZZ-ZZZZ-ZZZ')).to.equal(null);
    await deleteKeysUnder(stack().redis, `${stack().redisPrefix}:rl`);
    await request(stack().app).post('/api/status').send({ referenceCode: 'ZZZZ-ZZZZ-ZZZ' }).expect(404);
    expect(await lookup(needs[3]!.referenceCode), 'the newer entry is kept').to.include({ firstName: 'Vēlāk' });

    // A later run no longer counts that entry as newer, and mends it too.
    expect(await rebuildNeedStatuses(new Date(Date.now() + 3_600_000))).to.deep.equal({ added: 0, changed: 1, removed: 0 });
    expect(await expectEntriesRight('mended')).to.equal(4);
  });
});
