import { expect } from 'chai';
import request from 'supertest';
import { stack, resetData } from '../support/stack.ts';
import { makeInstitution, makeToken, makeUser, signedInAgent } from '../support/factories.ts';
import { approveAndAllocate, registerNeedVia, shipVia } from '../support/devices.ts';
import { ContactTaskModel, MessageModel } from '../../src/notifications/model.ts';
import { DeviceNeedModel } from '../../src/devices/model.ts';
import { rigaToday } from '../../src/shared/dates.ts';
import { refreshDashboard } from '../../src/dashboard/service.ts';
import { weekStarts } from '../../src/dashboard/figures.ts';

const app = () => stack().app;
const api = (token: string) => ({
  get: (url: string) => request(app()).get(url).set('Authorization', `Bearer ${token}`),
  post: (url: string, body: object = {}) => request(app()).post(url).set('Authorization', `Bearer ${token}`).send(body),
});
type Row = { code: string | null; name: string; devices: Record<string, number>; food: Record<string, number>; messages: Record<string, number>; weekly: { handedOver: number[] } };

async function world() {
  const a = await makeInstitution({ name: 'Alpha school' });
  const b = await makeInstitution({ name: 'Beta school' });
  const coord = await makeUser('coordinator');
  const pa = await makeUser('principal', a.code);
  const coordToken = await makeToken(coord.email);
  const paToken = await makeToken(pa.email);
  const handed = await registerNeedVia(coordToken, { institution: a.code, firstName: 'Anna' });
  await registerNeedVia(coordToken, { institution: a.code, firstName: 'Andris' });
  await registerNeedVia(coordToken, { institution: b.code, firstName: 'Bruno' });
  await shipVia(coordToken, [{ serial: 'DASH-1', type: 'laptop' }, { serial: 'DASH-2', type: 'laptop' }]);
  await approveAndAllocate(coordToken, [{ need: handed.id, serial: 'DASH-1' }]);
  await api(paToken).post(`/api/device-needs/${handed.id}/ready`, { from: rigaToday(), hours: '9–15' }).expect(200);
  await api(paToken).post(`/api/device-needs/${handed.id}/handover`, { serial: 'DASH-1', collectedBy: 'Inese', relation: 'mother', date: rigaToday() }).expect(200);
  // A failed message and a contact to fix at B.
  const pupil = (await DeviceNeedModel.findOne({ firstName: 'Bruno' }).lean())!.pupil;
  await MessageModel.create({ _id: 'm1', key: 'k1', event: 'e', template: 'need_registered', essential: true, language: 'lv', channel: 'sms', recipient: { kind: 'guardian', address: '+37126000001' }, institution: b.institution._id, pupil, body: 'x', status: 'failed' });
  await ContactTaskModel.create({ institution: b.institution._id, pupil, channel: 'sms', address: '+37126000001', message: 'm1', reason: { code: 'invalid_number' }, openKey: `${pupil}:sms` });
  return { a, b, coord, coordToken, paToken };
}

describe('the morning dashboard', () => {
  beforeEach(resetData);

  it('counts every institution\'s devices, messages and contacts to fix, with the totals and this week\'s hand-overs', async () => {
    const w = await world();
    const view = (await api(w.coordToken).get('/api/dashboard').expect(200)).body as { total: Row; rows: Row[]; weeks: string[] };
    expect(view.total.devices).to.include({ needed: 3, handedOver: 1, outstanding: 2, allocated: 0, awaitingApproval: 2, inStock: 1 });
    expect(view.total.messages).to.deep.equal({ failed: 1, tasks: 1 });
    expect(view.weeks).to.deep.equal(weekStarts(new Date()));
    expect(view.total.weekly.handedOver.at(-1)).to.equal(1);
    const byCode = new Map(view.rows.map((r) => [r.code, r]));
    expect(byCode.get(w.a.code)!.devices).to.include({ needed: 2, handedOver: 1, outstanding: 1 });
    expect(byCode.get(w.b.code)!.messages).to.deep.equal({ failed: 1, tasks: 1 });
    // The device not yet given to a school is the office's own stock, on a line of its own.
    expect(byCode.get(null)!.devices.inStock).to.equal(1);
  });

  it('shows a principal their own institution only', async () => {
    const w = await world();
    const view = (await api(w.paToken).get('/api/dashboard').expect(200)).body as { total: Row; rows: Row[] };
    expect(view.rows.map((r) => r.code)).to.deep.equal([w.a.code]);
    expect(view.total.devices).to.include({ needed: 2, handedOver: 1, inStock: 0 });
    expect(view.total.messages).to.deep.equal({ failed: 0, tasks: 0 });
    const page = (await api(w.paToken).get('/dashboard').expect(200)).text;
    expect(page).to.include('Alpha school').and.not.to.include('Beta school');
    expect(page).not.to.include('id="institutions-h"');
  });

  it('keeps the counted figures until the worker or a coordinator counts again', async () => {
    const w = await world();
    expect((await api(w.coordToken).get('/api/dashboard').expect(200)).body.total.devices.needed).to.equal(3);
    await registerNeedVia(w.coordToken, { institution: w.b.code, firstName: 'Berta' });
    expect((await api(w.coordToken).get('/api/dashboard').expect(200)).body.total.devices.needed).to.equal(3);
    await api(w.paToken).post('/dashboard/refresh').expect(403);
    await api(w.coordToken).post('/dashboard/refresh').expect(303);
    expect((await api(w.coordToken).get('/api/dashboard').expect(200)).body.total.devices.needed).to.equal(4);
    await registerNeedVia(w.coordToken, { institution: w.b.code, firstName: 'Bernhards' });
    await refreshDashboard(14);
    expect((await api(w.coordToken).get('/api/dashboard').expect(200)).body.total.devices.needed).to.equal(5);
  });

  it('links every figure to the list behind it, and filters, sorts and pages the institutions', async () => {
    const w = await world();
    for (let i = 0; i < 55; i++) await makeInstitution({ name: `Zeta ${String(i).padStart(2, '0')}` });
    const { agent } = await signedInAgent(app(), w.coord.email);
    const page = (await agent.get('/dashboard').expect(200)).text;
    const a = encodeURIComponent(w.a.code);
    expect(page).to.include(`href="/devices?institution=${a}&amp;status=delivered"`).and.to.include(`href="/devices/stock?status=in_stock"`);
    expect(page).to.include(`href="/notifications?status=failed&amp;institution=${encodeURIComponent(w.b.code)}"`);
    expect(page).to.include(`href="/institutions/${encodeURIComponent(w.b.code)}#contact-tasks"`);
    expect(page).to.include('<svg').and.to.include('rel="next"');
    const sorted = (await agent.get('/api/dashboard?sort=outstanding').expect(200)).body.rows as Row[];
    expect(sorted.slice(0, 2).map((r) => r.name)).to.deep.equal(['Alpha school', 'Beta school']);
    const found = (await agent.get('/api/dashboard?q=beta').expect(200)).body;
    expect(found.rows.map((r: Row) => r.name)).to.deep.equal(['Beta school']);
    expect(found.total.devices.needed).to.equal(3);
    const second = (await agent.get('/api/dashboard?page=2').expect(200)).body;
    expect(second.page).to.equal(2);
    expect(second.rows).to.have.length(58 - 50);
    await agent.get('/api/dashboard?sort=nonsense').expect(400);
  });
});
