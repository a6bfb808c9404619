import { expect } from 'chai';
import request from 'supertest';
import { Types } from 'mongoose';
import { stack } from '../support/stack.ts';
import { freshSchoolAndCoordinator, registerNeedVia, shipVia, validPersonalCode } from '../support/devices.ts';
import { importFile, makeWorkbook } from '../support/imports.ts';
import { DeviceNeedModel } from '../../src/devices/model.ts';
import { OpenNeedModel, readOpenNeeds, readOpenNeedsFromNeeds, rebuildOpenNeeds } from '../../src/devices/openNeeds.ts';
import type { OpenNeed } from '../../src/devices/allocation.ts';

const post = (token: string, url: string, body: object = {}) => request(stack().app).post(url).set('Authorization', `Bearer ${token}`).send(body);
const patch = (token: string, url: string, body: object) => request(stack().app).patch(url).set('Authorization', `Bearer ${token}`).send(body);

const sorted = (needs: OpenNeed[]) => needs.map((n) => `${n.id} ${n.institution} ${n.type} ${n.priority} ${n.createdAt}`).sort();

/** The entries say exactly what the needs say: the same needs waiting, with the same type, priority and age. */
async function expectEntriesRight(step: string) {
  const fromEntries = await readOpenNeeds();
  expect(fromEntries, `${step}: the entries are built`).to.not.equal(null);
  expect(sorted(fromEntries!), step).to.deep.equal(sorted(await readOpenNeedsFromNeeds()));
  return fromEntries!;
}

describe('allocation entries (the proposal’s list of needs waiting for a device)', () => {
  let coord: string;
  let principal: string;

  beforeEach(async () => {
    ({ principal, coord } = await freshSchoolAndCoordinator());
  });

  it('before their first build (after an upgrade) the proposal reads the needs themselves, and proposes the same', async () => {
    const needs = [await registerNeedVia(principal), await registerNeedVia(principal, { deviceType: 'tablet' })];
    await post(coord, '/api/device-needs/approve', { ids: needs.map((n) => n.id) }).expect(200);
    await shipVia(coord, [{ serial: 'ON-1', type: 'laptop' }, { serial: 'ON-2', type: 'tablet' }]);
    // As after an upgrade: needs approved before there were entries.
    await OpenNeedModel.deleteMany({});
    expect(await readOpenNeeds()).to.equal(null);
    const before = (await post(coord, '/api/allocations/proposal').expect(200)).body.matches;
    expect(await rebuildOpenNeeds()).to.deep.equal({ added: 2, changed: 0, closed: 0 });
    const after = (await post(coord, '/api/allocations/proposal').expect(200)).body.matches;
    expect(before).to.have.length(2);
    expect(after).to.deep.equal(before);
  });

  it('every change of a need through the API and through a list keeps its entry right', async () => {
    await rebuildOpenNeeds();
    const codes = Array.from({ length: 5 }, () => validPersonalCode());
    const needs: Array<{ id: string }> = [];
    for (const personalCode of codes) needs.push(await registerNeedVia(principal, { personalCode }));
    await expectEntriesRight('registered');
    expect(await readOpenNeeds()).to.have.length(0);

    await post(coord, '/api/device-needs/approve', { ids: needs.map((n) => n.id) }).expect(200);
    expect(await expectEntriesRight('approved')).to.have.length(5);

    await patch(principal, `/api/device-needs/${needs[0]!.id}`, { deviceType: 'tablet', priority: 1 }).expect(200);
    const changed = (await expectEntriesRight('type and priority changed')).find((n) => n.id === needs[0]!.id);
    expect(changed).to.include({ type: 'tablet', priority: 1 });

    await post(principal, `/api/device-needs/${needs[1]!.id}/cancel`, { reason: 'Ģimene pārcēlās' }).expect(200);
    expect(await expectEntriesRight('cancelled')).to.have.length(4);

    await shipVia(coord, [{ serial: 'ON-9', type: 'laptop' }]);
    const confirm = await post(coord, '/api/allocations/confirm', { matches: [{ need: needs[2]!.id, serial: 'ON-9' }] }).expect(200);
    expect(confirm.body.allocated).to.equal(1);
    expect(await expectEntriesRight('allocated')).to.have.length(3);

    // A list naming an approved pupil again with another device changes the need's type.
    const header = ['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce'];
    const list = await importFile(principal, { kind: 'device-needs' }, await makeWorkbook(header, [['7.b', 'Anna', 'Bērziņa', codes[3], 'planšete']]));
    expect(list.status, JSON.stringify(list)).to.equal('succeeded');
    const listed = (await expectEntriesRight('changed by a list')).find((n) => n.id === needs[3]!.id);
    expect(listed).to.include({ type: 'tablet' });

    // Nothing was left for a rebuild to mend.
    expect(await rebuildOpenNeeds(new Date(Date.now() + 3_600_000))).to.deep.equal({ added: 0, changed: 0, closed: 0 });
  });

  it('a rebuild mends entries a stopped process left wrong, and leaves alone one written after it began', async () => {
    const needs: Array<{ id: string }> = [];
    for (let i = 0; i < 6; i++) needs.push(await registerNeedVia(principal));
    await post(coord, '/api/device-needs/approve', { ids: needs.slice(0, 5).map((n) => n.id) }).expect(200);
    await rebuildOpenNeeds();
    await expectEntriesRight('built');

    const old = new Date(Date.now() - 3_600_000);
    const id = (k: number) => new Types.ObjectId(needs[k]!.id);
    // As a process stopped between writing a need and its entry would leave them:
    await OpenNeedModel.deleteOne({ _id: id(0) }); // an approved need without its entry
    await OpenNeedModel.updateOne({ _id: id(1) }, { $set: { slot: 'none', syncedAt: old } }); // shown closed while it waits
    await OpenNeedModel.updateOne({ _id: id(2) }, { $set: { priority: 9, syncedAt: old } }); // an old priority
    // Cancelled with its entry left open:
    await DeviceNeedModel.updateOne({ _id: id(3) }, { $set: { status: 'cancelled' } });
    await OpenNeedModel.updateOne({ _id: id(3) }, { $set: { syncedAt: old } });
    // Written after the rebuild begins (below), so newer than what it reads: left alone.
    const now = new Date(Date.now() - 1000);
    await OpenNeedModel.updateOne({ _id: id(4) }, { $set: { priority: 8, syncedAt: new Date(now.getTime() + 500) } });
    expect(await rebuildOpenNeeds(now)).to.deep.equal({ added: 1, changed: 2, closed: 1 });
    const entries = await readOpenNeeds();
    expect(entries!.find((n) => n.id === needs[4]!.id)?.priority, 'the newer entry is kept').to.equal(8);
    expect(entries!.map((n) => n.id)).to.not.include(needs[3]!.id);

    // A later run no longer counts that entry as newer, and mends it too.
    expect(await rebuildOpenNeeds(new Date(Date.now() + 3_600_000))).to.deep.equal({ added: 0, changed: 1, closed: 0 });
    await expectEntriesRight('mended');
  });
});
