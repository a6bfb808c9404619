import { expect } from 'chai';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { resetData, stack } from '../support/stack.ts';
import { makeInstitution, makeToken, makeUser } from '../support/factories.ts';
import { approveAndAllocate, registerNeedVia, shipVia, validPersonalCode } from '../support/devices.ts';
import { DeviceModel, DeviceNeedModel } from '../../src/devices/model.ts';
import { DomainEventModel } from '../../src/events/model.ts';
import { AuditEventModel } from '../../src/audit/model.ts';
import { saveInstitution } from '../../src/institutions/service.ts';
import { importFile, makeWorkbook } from '../support/imports.ts';
import { bytes } from '../support/bytes.ts';

const api = () => request(stack().app);
const as = (token: string) => ({
  token,
  get: (url: string) => api().get(url).set('Authorization', `Bearer ${token}`),
  post: (url: string, body: object = {}) => api().post(url).set('Authorization', `Bearer ${token}`).send(body),
  patch: (url: string, body: object) => api().patch(url).set('Authorization', `Bearer ${token}`).send(body),
});

/** A valid code with its last digit changed: only the check digit is wrong. */
function wrongCheckDigit(): string {
  const code = validPersonalCode();
  return code.slice(0, -1) + ((Number(code.slice(-1)) + 1) % 10);
}

/** What nothing-changed means for these tests: every need and device exactly as before. */
async function snapshot() {
  const needs = await DeviceNeedModel.find({}, { updatedAt: 0 }).sort({ _id: 1 }).lean();
  const devices = await DeviceModel.find({}, { updatedAt: 0 }).sort({ _id: 1 }).lean();
  return JSON.stringify({ needs, devices });
}

describe('devices: from a need through a shipment to a hand-over and back', () => {
  let coord: ReturnType<typeof as>;
  let principal: ReturnType<typeof as>;
  let schoolCode: string;

  beforeEach(async () => {
    await resetData();
    const school = await makeInstitution({ name: 'Liepājas 5. vidusskola' });
    await saveInstitution({ kind: 'system', name: 'test' }, { code: school.code, name: 'Liepājas 5. vidusskola', type: 'school', address: 'Ventspils iela 51, Liepāja' });
    schoolCode = school.code;
    const p = await makeUser('principal', school.code);
    const c = await makeUser('coordinator');
    principal = as(await makeToken(p.email));
    coord = as(await makeToken(c.email));
  });

  it('walks a pickup need through every step, with who and when kept and events recorded', async () => {
    const need = await registerNeedVia(principal.token, { class: '12.a', firstName: 'Anna' });
    expect(need.status).to.equal('registered');
    expect(need.referenceCode).to.match(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{3}$/);
    const listed = await principal.get('/api/device-needs').expect(200);
    expect(listed.body.items[0]).to.include({ id: need.id, firstName: 'Anna', deviceType: 'laptop', status: 'registered', referenceCode: need.referenceCode, priority: 1 });
    expect(listed.body.items[0].personalCode).to.match(/^\d{6}-\d\*{4}$/);

    // An edit changes what it names and keeps the rest.
    await principal.patch(`/api/device-needs/${need.id}`, { reason: 'Nav datora mājās' }).expect(200);
    const edited = await principal.patch(`/api/device-needs/${need.id}`, { priority: 2 }).expect(200);
    expect(edited.body).to.include({ reason: 'Nav datora mājās', priority: 2 });

    // A principal cannot approve; the coordinator can.
    await principal.post(`/api/device-needs/${need.id}/approve`).expect(403);
    await coord.post(`/api/device-needs/${need.id}/approve`).expect(200);

    await shipVia(coord.token, [{ serial: 'LNV-001', type: 'laptop' }, { serial: 'IPD-001', type: 'tablet' }]);
    const proposal = await coord.post('/api/allocations/proposal').expect(200);
    expect(proposal.body.matches).to.have.length(1);
    expect(proposal.body.matches[0]).to.include({ need: need.id, serial: 'LNV-001', institution: schoolCode });
    expect(proposal.body.matches[0].reason).to.include({ priority: 2, rank: 1, enough: true, source: 'office_stock' });
    const confirmed = await coord.post('/api/allocations/confirm', { matches: [{ need: need.id, serial: 'lnv-001' }] }).expect(200);
    expect(confirmed.body).to.include({ allocated: 1, refused: 0 });

    const device = await principal.get('/api/devices/LNV-001').expect(200);
    expect(device.body).to.include({ status: 'allocated', institution: schoolCode });

    await principal.post(`/api/device-needs/${need.id}/ready`, { from: '2020-04-06', hours: 'P.–Pk. 9:00–15:00, 12. kabinets' }).expect(200);
    const status = await api().post('/api/status').send({ referenceCode: need.referenceCode.toLowerCase().replace(/-/g, '') }).expect(200);
    expect(status.body.items).to.have.length(1);
    const item = status.body.items[0];
    expect(item).to.include({ kind: 'device', firstName: 'Anna', status: 'ready_for_pickup' });
    expect(item.steps.map((s: { status: string }) => s.status)).to.deep.equal(['registered', 'approved', 'allocated', 'ready_for_pickup']);
    expect(item.details).to.include({ pickupPlace: 'Liepājas 5. vidusskola, Ventspils iela 51, Liepāja', pickupHours: 'P.–Pk. 9:00–15:00, 12. kabinets', pickupFrom: '2020-04-06' });
    expect(JSON.stringify(status.body)).not.to.match(/Bērziņa|LNV-001|\d{6}-\d/);

    const handed = await principal.post(`/api/device-needs/${need.id}/handover`, { serial: 'LNV-001', collectedBy: 'Inese Bērziņa', relation: 'mother', date: '2020-04-07' }).expect(200);
    expect(handed.body.status).to.equal('delivered');
    expect(handed.body.handover).to.include({ collectedBy: 'Inese Bērziņa', relation: 'mother', date: '2020-04-07' });
    expect(handed.body.handover.returnBy).to.match(/^2020-0[67]-\d\d$/);
    expect(handed.body.history.map((h: { status: string }) => h.status)).to.deep.equal(['registered', 'approved', 'allocated', 'ready_for_pickup', 'delivered']);
    expect(handed.body.history.every((h: { by: string; at: string }) => h.by && h.at)).to.equal(true);

    const due = await principal.get('/api/devices/due-back').expect(200);
    expect(due.body.items.map((d: { serial: string }) => d.serial)).to.deep.equal(['LNV-001']);

    const back = await principal.post('/api/devices/LNV-001/return', { condition: 'good', date: '2020-06-01' }).expect(200);
    expect(back.body.status).to.equal('returned');
    const after = await principal.get(`/api/device-needs/${need.id}`).expect(200);
    expect(after.body.status).to.equal('returned');
    await coord.post('/api/devices/LNV-001/restock').expect(200);
    expect((await coord.get('/api/devices/LNV-001').expect(200)).body.status).to.equal('in_stock');

    const events = await DomainEventModel.find({ 'subject.id': (await DeviceNeedModel.findById(need.id))!._id }).sort({ at: 1 }).lean();
    expect(events.map((e) => e.type)).to.deep.equal(['device.need_registered', 'device.need_approved', 'device.allocated', 'device.ready_for_pickup', 'device.handed_over', 'device.returned']);
    expect(JSON.stringify(events)).not.to.match(/\d{6}-\d{5}/);
    expect(await AuditEventModel.countDocuments({ action: 'device.handover' })).to.equal(1);
  });

  it('delivers home needs on a run; a failed stop goes back for another run', async () => {
    const need = await registerNeedVia(principal.token, { deliveryMethod: 'home', address: 'Graudu iela 12-3, Liepāja, LV-3401', deviceType: 'tablet' });
    await shipVia(coord.token, [{ serial: 'TAB-1', type: 'tablet' }]);
    await approveAndAllocate(coord.token, [{ need: need.id, serial: 'TAB-1' }]);
    // Home deliveries are not collected at school.
    const ready = await principal.post(`/api/device-needs/${need.id}/ready`, { from: '2020-04-06', hours: '9–15' }).expect(409);
    expect(ready.body.error.code).to.equal('need_is_home_delivery');

    const day = '2099-04-08';
    const run = await coord.post('/api/delivery-runs', { day, courier: 'Kurjers Pēteris' }).expect(201);
    expect(run.body.stops).to.equal(1);
    const sheet = await coord.get(`/api/delivery-runs/${run.body.id}`).expect(200);
    expect(sheet.body.stops[0]).to.include({ area: 'LV-3401', address: 'Graudu iela 12-3, Liepāja, LV-3401', status: 'pending' });
    expect(sheet.body.stops[0].device.serial).to.equal('TAB-1');
    const status = await api().post('/api/status').send({ referenceCode: need.referenceCode }).expect(200);
    expect(status.body.items[0]).to.include({ status: 'out_for_delivery' });
    expect(status.body.items[0].details.deliveryDay).to.equal(day);
    expect(JSON.stringify(status.body)).not.to.include('Graudu');

    const stopId = sheet.body.stops[0].id;
    await coord.post(`/api/delivery-runs/${run.body.id}/stops/${stopId}`, { outcome: 'failed', reason: 'Neviena nav mājās' }).expect(200);
    expect((await coord.get(`/api/device-needs/${need.id}`)).body.status).to.equal('allocated');
    const again = await coord.post(`/api/delivery-runs/${run.body.id}/stops/${stopId}`, { outcome: 'delivered', receivedBy: 'X', relation: 'father' }).expect(409);
    expect(again.body.error.code).to.equal('stop_already_marked');

    const second = await coord.post('/api/delivery-runs', { day, needs: [need.id] }).expect(201);
    const sheet2 = await coord.get(`/api/delivery-runs/${second.body.id}`).expect(200);
    await coord.post(`/api/delivery-runs/${second.body.id}/stops/${sheet2.body.stops[0].id}`, { outcome: 'delivered', receivedBy: 'Jānis Kalniņš', relation: 'father' }).expect(200);
    const done = await coord.get(`/api/device-needs/${need.id}`).expect(200);
    expect(done.body).to.include({ status: 'delivered' });
    expect(done.body.handover).to.include({ collectedBy: 'Jānis Kalniņš', relation: 'father', date: day });
    expect((await coord.get('/api/devices/TAB-1')).body.status).to.equal('handed_over');
  });

  it('refuses bad input with a clear 409 or 400 and changes nothing', async () => {
    const token = principal.token;
    const a = await registerNeedVia(token, { firstName: 'Alise' });
    const b = await registerNeedVia(token, { firstName: 'Bruno' });
    await shipVia(coord.token, [{ serial: 'L-A', type: 'laptop' }, { serial: 'L-B', type: 'laptop' }, { serial: 'T-1', type: 'tablet' }]);
    await approveAndAllocate(coord.token, [{ need: a.id, serial: 'L-A' }, { need: b.id, serial: 'L-B' }]);

    const cases: Array<{ name: string; call: () => Promise<request.Response>; status: number; code: string }> = [
      { name: 'a serial already in stock', call: () => coord.post('/api/shipments', { reference: 'VM-2', receivedAt: '2020-04-02', devices: [{ serial: 'NEW-1', type: 'laptop' }, { serial: 'l-a', type: 'laptop' }] }), status: 409, code: 'serial_exists' },
      { name: 'a serial twice in one shipment', call: () => coord.post('/api/shipments', { reference: 'VM-3', receivedAt: '2020-04-02', devices: [{ serial: 'N-2', type: 'laptop' }, { serial: 'N-2', type: 'laptop' }] }), status: 400, code: 'serial_repeated' },
      { name: 'one device added twice', call: () => coord.post('/api/devices', { serial: 'T-1', type: 'tablet' }), status: 409, code: 'serial_exists' },
      { name: 'a hand-over of a device allocated to another pupil', call: () => principal.post(`/api/device-needs/${a.id}/handover`, { serial: 'L-B', collectedBy: 'Ktre', relation: 'mother' }), status: 409, code: 'device_allocated_to_other_pupil' },
      { name: 'a hand-over of a device allocated to nobody', call: () => principal.post(`/api/device-needs/${a.id}/handover`, { serial: 'T-1', collectedBy: 'Ktre', relation: 'mother' }), status: 409, code: 'device_not_allocated_to_need' },
      { name: 'a return of a device never handed over', call: () => principal.post('/api/devices/L-A/return', { condition: 'good' }), status: 409, code: 'device_not_handed_over' },
      { name: 'a return with an unknown condition', call: () => principal.post('/api/devices/L-A/return', { condition: 'meh' }), status: 400, code: 'invalid_input' },
      { name: 'a hand-over without who collected', call: () => principal.post(`/api/device-needs/${a.id}/handover`, { serial: 'L-A', collectedBy: ' ', relation: 'mother' }), status: 400, code: 'collected_by_required' },
      { name: 'a need with a wrong check digit', call: () => principal.post('/api/device-needs', { firstName: 'X', lastName: 'Y', class: '1', personalCode: wrongCheckDigit(), deviceType: 'laptop' }), status: 400, code: 'personal_code_check_digit' },
      { name: 'a home delivery without an address', call: () => principal.post('/api/device-needs', { firstName: 'X', lastName: 'Y', class: '1', personalCode: validPersonalCode(), deviceType: 'laptop', deliveryMethod: 'home' }), status: 400, code: 'address_needed_for_delivery' },
      { name: 'an edit of a need already allocated', call: () => principal.patch(`/api/device-needs/${a.id}`, { deviceType: 'tablet' }), status: 409, code: 'need_not_editable' },
      { name: 'a device moved while allocated', call: () => coord.post('/api/devices/L-A/move', { institution: null }), status: 409, code: 'device_not_in_stock' },
      { name: 'a stop of a run that does not exist', call: () => coord.post('/api/delivery-runs/64b7f0000000000000000000/stops/64b7f0000000000000000001', { outcome: 'failed', reason: 'x' }), status: 404, code: 'stop_not_found' },
    ];
    for (const c of cases) {
      const before = await snapshot();
      const res = await c.call();
      expect(res.status, c.name).to.equal(c.status);
      expect(res.body.error.code, c.name).to.equal(c.code);
      expect(res.body.error.message, c.name).to.be.a('string').and.not.equal(c.code);
      expect(await snapshot(), `${c.name} changed nothing`).to.equal(before);
    }
    expect(await DeviceModel.countDocuments({ serial: { $in: ['NEW-1', 'N-2'] } })).to.equal(0);
  });

  it('never allocates to a cancelled need, and a cancelled need gives its device back', async () => {
    const token = principal.token;
    const a = await registerNeedVia(token);
    const b = await registerNeedVia(token);
    await shipVia(coord.token, [{ serial: 'C-1', type: 'laptop' }, { serial: 'C-2', type: 'laptop' }]);
    await coord.post('/api/device-needs/approve', { ids: [a.id, b.id] }).expect(200);
    await principal.post(`/api/device-needs/${a.id}/cancel`, { reason: 'Ģimene iegādājās datoru' }).expect(200);
    const refused = await coord.post('/api/allocations/confirm', { matches: [{ need: a.id, serial: 'C-1' }] }).expect(200);
    expect(refused.body.results[0]).to.include({ ok: false, code: 'need_cancelled' });
    expect((await coord.get('/api/devices/C-1')).body.status).to.equal('in_stock');

    await coord.post('/api/allocations/confirm', { matches: [{ need: b.id, serial: 'C-2' }] }).expect(200);
    await principal.post(`/api/device-needs/${b.id}/cancel`, { reason: 'Pārcēlās' }).expect(200);
    const device = (await coord.get('/api/devices/C-2').expect(200)).body;
    expect(device.status).to.equal('in_stock');
    expect(await DeviceModel.countDocuments({ need: { $ne: null } })).to.equal(0);
    const cancelledAgain = await principal.post(`/api/device-needs/${b.id}/cancel`, { reason: 'x' }).expect(409);
    expect(cancelledAgain.body.error.code).to.equal('need_not_cancellable');
  });

  it('a device-needs list registers needs with priorities from the class and one event per need, however often it is uploaded', async () => {
    const header = ['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce', 'Prioritāte'];
    const rows = [
      ['12.b', 'Ieva', 'Liepa', validPersonalCode(), 'dators', null],
      ['4.a', 'Roberts', 'Kļava', validPersonalCode(), 'planšete', null],
      ['9.a', 'Līga', 'Egle', validPersonalCode(), 'dators', 4],
    ];
    const file = await makeWorkbook(header, rows);
    for (let i = 0; i < 2; i++) await importFile(principal.token, { kind: 'device-needs' }, file, 'needs.xlsx');
    const listed = (await principal.get('/api/device-needs').expect(200)).body.items as Array<{ firstName: string; priority: number; referenceCode: string }>;
    expect(Object.fromEntries(listed.map((n) => [n.firstName, n.priority]))).to.deep.equal({ Ieva: 1, Roberts: 3, Līga: 4 });
    expect(await DomainEventModel.countDocuments({ type: 'device.need_registered' })).to.equal(3);
    const status = await api().post('/api/status').send({ referenceCode: listed[0]!.referenceCode }).expect(200);
    expect(status.body.items[0].status).to.equal('registered');
  });

  it('reports per institution for the ministry as .xlsx, user text never a formula', async () => {
    const evil = await makeInstitution({ name: '=HYPERLINK("http://x","y")' });
    const evilPrincipal = await makeUser('principal', evil.code);
    const token = await makeToken(evilPrincipal.email);
    const a = await registerNeedVia(token, { deviceType: 'laptop' });
    await registerNeedVia(token, { deviceType: 'tablet' });
    await shipVia(coord.token, [{ serial: 'R-1', type: 'laptop' }]);
    await approveAndAllocate(coord.token, [{ need: a.id, serial: 'R-1' }]);

    const json = await coord.get('/api/reports/devices').expect(200);
    expect(json.body.items.find((r: { code: string }) => r.code === evil.code)).to.include({ neededLaptops: 1, neededTablets: 1, received: 1, allocated: 1, handedOver: 0, outstanding: 2 });
    await principal.get('/api/reports/devices.xlsx').expect(403);
    const res = await coord.get('/api/reports/devices.xlsx').buffer(true).parse(bytes);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.include('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    let found = false;
    ws.eachRow((row) => {
      row.eachCell((cell) => {
        expect(cell.type, `cell ${cell.address}`).not.to.equal(ExcelJS.ValueType.Formula);
        if (cell.value === '=HYPERLINK("http://x","y")') found = true;
      });
    });
    expect(found, 'the name is kept as text').to.equal(true);
  });
});

