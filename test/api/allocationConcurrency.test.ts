import { expect } from 'chai';
import request from 'supertest';
import { resetData, stack } from '../support/stack.ts';
import { makeInstitution, makeToken, makeUser } from '../support/factories.ts';
import { registerNeedVia, shipVia } from '../support/devices.ts';
import { DeviceModel, DeviceNeedModel } from '../../src/devices/model.ts';

const post = (token: string, url: string, body: object = {}) => request(stack().app).post(url).set('Authorization', `Bearer ${token}`).send(body);

/** Every allocated device points at a need that points back, and no need or device appears twice. */
async function expectConsistent() {
  const devices = await DeviceModel.find({ status: 'allocated' }).lean();
  const needs = await DeviceNeedModel.find({ status: 'allocated' }).lean();
  expect(new Set(needs.map((n) => String(n.device))).size, 'no device given to two needs').to.equal(needs.length);
  expect(devices.length, 'as many allocated devices as allocated needs').to.equal(needs.length);
  for (const d of devices) {
    const n = needs.find((x) => String(x._id) === String(d.need));
    expect(n, `device ${d.serial} has its need`).to.not.equal(undefined);
    expect(String(n!.device)).to.equal(String(d._id));
  }
  return { devices, needs };
}

describe('allocation: two coordinators confirming at the same moment', () => {
  let coordA: string;
  let coordB: string;
  let needs: string[];
  const size = 24;

  beforeEach(async () => {
    await resetData();
    const schools = [await makeInstitution(), await makeInstitution()];
    const tokens = await Promise.all(schools.map(async (s) => makeToken((await makeUser('principal', s.code)).email)));
    coordA = await makeToken((await makeUser('coordinator')).email);
    coordB = await makeToken((await makeUser('coordinator')).email);
    needs = [];
    for (let i = 0; i < size; i++) needs.push((await registerNeedVia(tokens[i % 2]!)).id);
    await post(coordA, '/api/device-needs/approve', { ids: needs }).expect(200);
    await shipVia(coordA, Array.from({ length: size }, (_, i) => ({ serial: `CC-${String(i).padStart(3, '0')}`, type: 'laptop' as const })));
  });

  it('the same proposal confirmed twice at once allocates each device once', async () => {
    const proposal = (await post(coordA, '/api/allocations/proposal').expect(200)).body;
    expect(proposal.matches).to.have.length(size);
    const matches = proposal.matches.map((m: { need: string; serial: string }) => ({ need: m.need, serial: m.serial }));
    const [a, b] = await Promise.all([post(coordA, '/api/allocations/confirm', { matches }), post(coordB, '/api/allocations/confirm', { matches })]);
    expect(a.status).to.equal(200);
    expect(b.status).to.equal(200);
    expect(a.body.allocated + b.body.allocated, 'each match confirmed by exactly one of them').to.equal(size);
    const { devices } = await expectConsistent();
    expect(devices).to.have.length(size);
  });

  it('crossed proposals (same devices, different needs) never give one device or one need twice', async () => {
    const serials = Array.from({ length: size }, (_, i) => `CC-${String(i).padStart(3, '0')}`);
    const first = needs.map((need, i) => ({ need, serial: serials[i]! }));
    // The second coordinator pairs the same devices with the needs in another order.
    const second = needs.map((need, i) => ({ need, serial: serials[(i + 7) % size]! }));
    const [a, b] = await Promise.all([post(coordA, '/api/allocations/confirm', { matches: first }), post(coordB, '/api/allocations/confirm', { matches: second })]);
    const refused = [...a.body.results, ...b.body.results].filter((r: { ok: boolean }) => !r.ok);
    for (const r of refused) expect(r.code).to.be.oneOf(['device_not_in_stock', 'need_not_approved']);
    const { devices, needs: allocated } = await expectConsistent();
    expect(devices.length).to.equal(a.body.allocated + b.body.allocated);
    // Whatever is left over is still free to allocate: nothing is stuck half-claimed.
    const free = await DeviceModel.countDocuments({ status: 'in_stock', need: null });
    const waiting = await DeviceNeedModel.countDocuments({ status: 'approved', device: null });
    expect(free + devices.length).to.equal(size);
    expect(waiting + allocated.length).to.equal(size);
  });

  it('releases a device left claimed without its need (a confirmation cut off between its two writes)', async () => {
    const device = await DeviceModel.findOne({ serial: 'CC-000' });
    const need = await DeviceNeedModel.findById(needs[0]);
    // The device was claimed long ago; the need never followed.
    await DeviceModel.collection.updateOne({ _id: device!._id }, { $set: { status: 'allocated', need: need!._id, updatedAt: new Date(Date.now() - 3_600_000) } });
    const proposal = (await post(coordA, '/api/allocations/proposal').expect(200)).body;
    expect(proposal.matches.map((m: { serial: string }) => m.serial)).to.include('CC-000');
    const released = await DeviceModel.findById(device!._id).lean();
    expect(released).to.include({ status: 'in_stock', need: null });
  });
});
