import { expect } from 'chai';
import request from 'supertest';
import { resetData, stack } from '../support/stack.ts';
import { makeInstitution, makeToken, makeUser } from '../support/factories.ts';
import { validPersonalCode } from '../support/devices.ts';
import { designateVia, placeVia, requestVia } from '../support/kindergartens.ts';
import { importFile, makeWorkbook } from '../support/imports.ts';
import { AuditEventModel } from '../../src/audit/model.ts';
import { GroupModel } from '../../src/institutions/model.ts';
import { DomainEventModel } from '../../src/events/model.ts';
import { AttendanceModel, GroupSeatsModel, PlacementRequestModel } from '../../src/kindergartens/model.ts';
import { seatsOf } from '../../src/kindergartens/transitions.ts';
import { Types } from 'mongoose';
import { addDays, rigaToday } from '../../src/shared/dates.ts';
import { bytes } from '../support/bytes.ts';

const api = () => request(stack().app);
const as = (token: string) => ({
  get: (url: string) => api().get(url).set('Authorization', `Bearer ${token}`),
  post: (url: string, body: object = {}) => api().post(url).set('Authorization', `Bearer ${token}`).send(body),
  put: (url: string, body: object = {}) => api().put(url).set('Authorization', `Bearer ${token}`).send(body),
});

type Setup = { coord: string; head: string; code: string; groups: Array<{ id: string; name: string; capacity: number }> };

/** A base kindergarten with two groups (capacity 2 and 20), its head and a coordinator. */
async function setup(groups = [{ name: 'Mākonīši', capacity: 2 }, { name: 'Zīļuks', capacity: 20 }], period: { from?: string; to?: string | null } = {}): Promise<Setup> {
  const kg = await makeInstitution({ type: 'kindergarten', name: 'Purvciema bērnudārzs' });
  // Only the groups named here: the factory's own group is removed.
  await GroupModel.deleteOne({ _id: kg.group!._id });
  const coord = await makeToken((await makeUser('coordinator')).email);
  const head = await makeToken((await makeUser('principal', kg.code)).email);
  const designated = await designateVia(coord, kg.code, groups, period.from ?? '2020-01-01', period.to ?? null);
  const byName = designated.groups.filter((g) => groups.some((x) => x.name === g.name));
  return { coord, head, code: kg.code, groups: groups.map((g) => byName.find((x) => x.name === g.name)!) };
}

describe('base kindergartens: designation', () => {
  beforeEach(resetData);

  it('marks a kindergarten as a base kindergarten for a period with its groups and capacities', async () => {
    const s = await setup();
    const res = await as(s.coord).get(`/api/kindergartens/${s.code}`).expect(200);
    expect(res.body.basePeriods).to.deep.equal([{ from: '2020-01-01', to: null }]);
    expect(res.body.groups.map((g: { name: string; capacity: number; placed: number }) => [g.name, g.capacity, g.placed])).to.deep.include.members([
      ['Mākonīši', 2, 0],
      ['Zīļuks', 20, 0],
    ]);
    // Naming the same first day again ends the period instead of adding another.
    await designateVia(s.coord, s.code, [], '2020-01-01', '2020-06-30');
    const after = await as(s.coord).get(`/api/kindergartens/${s.code}`).expect(200);
    expect(after.body.basePeriods).to.deep.equal([{ from: '2020-01-01', to: '2020-06-30' }]);
    expect(await AuditEventModel.countDocuments({ action: 'kindergarten.designate' })).to.equal(2);
  });

  it('refuses a school, a reversed period and a negative capacity, and a head may not designate', async () => {
    const s = await setup();
    const school = await makeInstitution({ type: 'school' });
    const r1 = await as(s.coord).post(`/api/kindergartens/${school.code}/base-periods`, { from: '2020-03-16' }).expect(400);
    expect(r1.body.error.code).to.equal('base_requires_kindergarten');
    const r2 = await as(s.coord).post(`/api/kindergartens/${s.code}/base-periods`, { from: '2020-05-01', to: '2020-04-01' }).expect(400);
    expect(r2.body.error.code).to.equal('base_period_reversed');
    const r3 = await as(s.coord).post(`/api/kindergartens/${s.code}/base-periods`, { from: '2020-05-01', groups: [{ name: 'X', capacity: -1 }] }).expect(400);
    expect(r3.body.error.code).to.equal('capacity_negative');
    await as(s.head).post(`/api/kindergartens/${s.code}/base-periods`, { from: '2020-05-01' }).expect(403);
    const after = await as(s.coord).get(`/api/kindergartens/${s.code}`).expect(200);
    expect(after.body.basePeriods).to.have.length(1);
  });
});

describe('base kindergartens: placement and the waiting list', () => {
  let s: Setup;
  beforeEach(async () => {
    await resetData();
    s = await setup();
  });

  it('places children up to capacity, then the group is full and requests wait in order of arrival', async () => {
    const small = s.groups[0]!;
    const a = await requestVia(s.coord, { firstName: 'Anna' });
    const b = await requestVia(s.coord, { firstName: 'Beāte' });
    const c = await requestVia(s.coord, { firstName: 'Cilda' });
    const d = await requestVia(s.coord, { firstName: 'Dace' });
    expect((await placeVia(s.coord, a.id, small.id).expect(200)).body).to.include({ status: 'placed', group: small.name, institution: s.code });
    await placeVia(s.coord, b.id, small.id).expect(200);
    const full = await placeVia(s.coord, c.id, small.id).expect(409);
    expect(full.body.error.code).to.equal('group_full');
    expect((await PlacementRequestModel.findById(c.id).lean())!.status, 'a refused placement changes nothing').to.equal('received');

    const cw = await as(s.coord).post(`/api/placement-requests/${c.id}/wait`).expect(200);
    expect(cw.body).to.include({ status: 'waiting', position: 1 });
    const dw = await as(s.coord).post(`/api/placement-requests/${d.id}/wait`).expect(200);
    expect(dw.body).to.include({ status: 'waiting', position: 2 });
    const waiting = await as(s.coord).get('/api/placement-requests?status=waiting').expect(200);
    expect(waiting.body.items.map((i: { firstName: string; position: number }) => [i.firstName, i.position])).to.deep.equal([
      ['Cilda', 1],
      ['Dace', 2],
    ]);
    // The list shows the personal code masked, never in full.
    expect(JSON.stringify(waiting.body)).not.to.match(/\d{6}-\d{5}/);

    // The options offered for a waiting child leave out the full group.
    const detail = await as(s.coord).get(`/api/placement-requests/${c.id}`).expect(200);
    expect(detail.body.options.map((o: { group: string }) => o.group)).to.deep.equal(['Zīļuks']);

    // A child leaves: the seat is free again for the first on the list.
    const ended = await as(s.coord).post(`/api/placement-requests/${a.id}/end`, { reason: 'Mamma atgriežas mājās' }).expect(200);
    expect(ended.body.status).to.equal('ended');
    await placeVia(s.coord, c.id, small.id).expect(200);
    const seats = await GroupSeatsModel.findOne({ group: small.id }).lean();
    expect(seats!.placed.map(String).sort()).to.deep.equal([b.id, c.id].sort());
    expect((await as(s.coord).get(`/api/placement-requests/${d.id}`).expect(200)).body.position).to.equal(1);
    expect(await DomainEventModel.countDocuments({ type: 'kindergarten.placed' })).to.equal(3);
  });

  it('keeps one open request per child, and refuses what cannot be done with a clear code', async () => {
    const code = validPersonalCode();
    const first = await requestVia(s.coord, { personalCode: code });
    const dup = await as(s.coord).post('/api/placement-requests', { firstName: 'Marta', lastName: 'Kalniņa', personalCode: code, employer: 'VUGD', sector: 'police', neededFrom: '2020-03-16' }).expect(409);
    expect(dup.body.error.code).to.equal('request_exists');
    const bad = await as(s.coord).post('/api/placement-requests', { firstName: 'Marta', lastName: 'Kalniņa', personalCode: validPersonalCode(), employer: 'VUGD', sector: 'bakery', neededFrom: '2020-03-16' }).expect(400);
    expect(bad.body.error.code).to.equal('invalid_sector');
    const noCode = await as(s.coord).post('/api/placement-requests', { firstName: 'Marta', lastName: 'Kalniņa', personalCode: '123', employer: 'VUGD', sector: 'police', neededFrom: '2020-03-16' }).expect(400);
    expect(noCode.body.error.code).to.equal('invalid_personal_code');

    await placeVia(s.coord, first.id, s.groups[1]!.id).expect(200);
    expect((await placeVia(s.coord, first.id, s.groups[0]!.id).expect(409)).body.error.code).to.equal('request_not_open');
    expect((await placeVia(s.coord, first.id, 'nonsense').expect(409)).body.error.code).to.equal('request_not_open');
    await as(s.coord).post(`/api/placement-requests/${first.id}/end`, { reason: 'beidzās' }).expect(200);
    // Once the place has ended, the child may ask again.
    await requestVia(s.coord, { personalCode: code });
    expect(await PlacementRequestModel.countDocuments({})).to.equal(2);
  });

  it('refuses a group that does not exist and a kindergarten that is not a base kindergarten on the first day', async () => {
    const r = await requestVia(s.coord, { neededFrom: addDays(rigaToday(), 1) });
    expect((await placeVia(s.coord, r.id, '000000000000000000000000').expect(400)).body.error.code).to.equal('unknown_group');
    const ended = await setup([{ name: 'Vecā grupa', capacity: 5 }], { from: '2020-01-01', to: '2020-06-30' });
    expect((await placeVia(s.coord, r.id, ended.groups[0]!.id).expect(409)).body.error.code).to.equal('not_base_that_day');
    expect((await PlacementRequestModel.findById(r.id).lean())!.status).to.equal('received');
  });

  it('gives back a seat left over from a placement cut off between its two writes', async () => {
    const [small, big] = s.groups as [Setup['groups'][0], Setup['groups'][0]];
    const r = await requestVia(s.coord);
    // As if a placement into the small group took the seat and stopped before marking the request.
    await seatsOf(new Types.ObjectId(small.id));
    await GroupSeatsModel.updateOne({ group: small.id }, { $push: { placed: new Types.ObjectId(r.id) } });
    await placeVia(s.coord, r.id, big.id).expect(200);
    expect((await GroupSeatsModel.findOne({ group: small.id }).lean())!.placed).to.deep.equal([]);
    expect((await GroupSeatsModel.findOne({ group: big.id }).lean())!.placed.map(String)).to.deep.equal([r.id]);
    // The same for a request withdrawn while such a seat is held.
    const w = await requestVia(s.coord);
    await GroupSeatsModel.updateOne({ group: small.id }, { $push: { placed: new Types.ObjectId(w.id) } });
    await as(s.coord).post(`/api/placement-requests/${w.id}/withdraw`, { reason: 'vairs nevajag' }).expect(200);
    expect((await GroupSeatsModel.findOne({ group: small.id }).lean())!.placed).to.deep.equal([]);
  });

  it('is only for coordinators: a head gets 403 on every request route', async () => {
    const r = await requestVia(s.coord);
    await as(s.head).get('/api/placement-requests').expect(403);
    await as(s.head).get(`/api/placement-requests/${r.id}`).expect(403);
    await as(s.head).post(`/api/placement-requests/${r.id}/place`, { group: s.groups[0]!.id }).expect(403);
    await as(s.head).post('/api/placement-requests', {}).expect(403);
    expect((await PlacementRequestModel.findById(r.id).lean())!.status).to.equal('received');
  });

  it('shows parents the decision on the status page: waiting with the place in the queue, then the place', async () => {
    const first = await requestVia(s.coord, { firstName: 'Anna' });
    const r = await requestVia(s.coord, { firstName: 'Elza', lastName: 'Slepenā', parentPhone: '29999888' });
    await as(s.coord).post(`/api/placement-requests/${first.id}/wait`).expect(200);
    await as(s.coord).post(`/api/placement-requests/${r.id}/wait`).expect(200);
    const waiting = await api().post('/api/status').send({ referenceCode: r.referenceCode.toLowerCase().replaceAll('-', '') }).expect(200);
    expect(waiting.body.items).to.have.length(1);
    expect(waiting.body.items[0]).to.deep.include({ kind: 'kindergarten', firstName: 'Elza', status: 'waiting', details: { waitingPosition: '2' } });
    expect(waiting.body.items[0].steps.map((x: { status: string }) => x.status)).to.deep.equal(['received', 'waiting']);

    await placeVia(s.coord, r.id, s.groups[1]!.id).expect(200);
    const placed = await api().post('/api/status').send({ referenceCode: r.referenceCode }).expect(200);
    expect(placed.body.items[0]).to.include({ status: 'placed' });
    expect(placed.body.items[0].details).to.include({ kindergartenPlace: 'Purvciema bērnudārzs', groupName: 'Zīļuks', placedFrom: rigaToday() });
    const text = JSON.stringify(placed.body);
    for (const secret of ['Slepenā', '29999888', 'slimnīca', 'Purvciems']) expect(text).not.to.include(secret);

    const agent = request.agent(stack().app);
    await agent.get('/lang/ru?next=/status').expect(303);
    const form = await agent.get('/status').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
    const page = await agent.post('/status').type('form').send({ _csrf: csrf, referenceCode: r.referenceCode }).expect(200);
    for (const text of ['Место предоставлено', 'Место в базовом детском саду', 'Zīļuks', 'Purvciema bērnudārzs']) expect(page.text).to.include(text);
  });
});

describe('base kindergartens: two coordinators placing at the same moment', () => {
  beforeEach(resetData);

  it('never puts more children in a group than its capacity', async () => {
    const s = await setup([{ name: 'Trīs vietas', capacity: 3 }]);
    const other = await makeToken((await makeUser('coordinator')).email);
    const requests = [];
    for (let i = 0; i < 10; i++) requests.push(await requestVia(s.coord, { firstName: `Bērns ${i}` }));
    const group = s.groups[0]!.id;
    const results = await Promise.all(requests.map((r, i) => placeVia(i % 2 ? other : s.coord, r.id, group)));
    const ok = results.filter((r) => r.status === 200);
    expect(ok, 'exactly as many placed as there are places').to.have.length(3);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect(r.status).to.equal(409);
      expect(r.body.error.code).to.be.oneOf(['group_full', 'placement_busy']);
    }
    const seats = await GroupSeatsModel.findOne({ group }).lean();
    expect(seats!.placed).to.have.length(3);
    const placed = await PlacementRequestModel.find({ status: 'placed' }).lean();
    expect(placed.map((p) => String(p._id)).sort()).to.deep.equal(seats!.placed.map(String).sort());
  });

  it('gives one child one place when two coordinators place the same child in two groups at once', async () => {
    const s = await setup([{ name: 'A', capacity: 5 }, { name: 'B', capacity: 5 }]);
    const other = await makeToken((await makeUser('coordinator')).email);
    for (let round = 0; round < 5; round++) {
      const r = await requestVia(s.coord, { firstName: `Bērns ${round}` });
      const results = await Promise.all([placeVia(s.coord, r.id, s.groups[0]!.id), placeVia(other, r.id, s.groups[1]!.id)]);
      expect(results.map((x) => x.status).sort()).to.deep.equal([200, 409]);
      const holding = await GroupSeatsModel.find({ placed: r.id }).lean();
      expect(holding, 'the child holds exactly one seat').to.have.length(1);
      const doc = await PlacementRequestModel.findById(r.id).lean();
      expect(String(doc!.group)).to.equal(String(holding[0]!.group));
    }
  });
});

describe('base kindergartens: the daily return', () => {
  let s: Setup;
  const today = () => rigaToday();
  beforeEach(async () => {
    await resetData();
    s = await setup();
  });

  it('takes a head’s return for today and shows it on the monitoring view at once, over capacity flagged', async () => {
    const [small, big] = s.groups as [Setup['groups'][0], Setup['groups'][0]];
    const before = await as(s.coord).get('/api/kindergartens/monitoring').expect(200);
    const kg = before.body.kindergartens.find((k: { code: string }) => k.code === s.code);
    expect(kg.missing.sort()).to.deep.equal(['Mākonīši', 'Zīļuks']);

    const res = await as(s.head)
      .put(`/api/kindergartens/${s.code}/attendance/${today()}`, { groups: [{ group: small.name, registered: 3, present: 3 }, { group: big.id, registered: '15', present: '12' }] })
      .expect(200);
    const line = (name: string) => res.body.groups.find((g: { group: string }) => g.group === name);
    expect(line('Mākonīši')).to.include({ present: 3, capacity: 2, overCapacity: true });
    expect(line('Zīļuks')).to.include({ present: 12, capacity: 20, overCapacity: false });

    const after = await as(s.coord).get('/api/kindergartens/monitoring').expect(200);
    const row = after.body.kindergartens.find((k: { code: string }) => k.code === s.code);
    expect(row).to.include({ present: 15, capacity: 22, registered: 18 });
    expect(row.missing).to.deep.equal([]);
    expect(row.overCapacity).to.deep.equal(['Mākonīši']);
    expect(after.body.totals).to.include({ overCapacity: 1, missing: 0 });

    const form = await as(s.head).get(`/api/kindergartens/${s.code}/attendance/${today()}`).expect(200);
    expect(form.body.groups.find((g: { name: string }) => g.name === 'Zīļuks').submitted).to.include({ registered: 15, present: 12 });

    const chart = await as(s.coord).get(`/api/kindergartens/occupancy?from=${addDays(today(), -6)}&to=${today()}`).expect(200);
    expect(chart.body.days).to.have.length(7);
    expect(chart.body.days.at(-1)).to.include({ day: today(), present: 15, capacity: 22, returns: 2, overCapacity: 1 });
    // A later edit of the day is seen by the chart, not an old kept sum.
    await as(s.head).put(`/api/kindergartens/${s.code}/attendance/${today()}`, { groups: [{ group: big.name, registered: 15, present: 10 }] }).expect(200);
    const again = await as(s.coord).get(`/api/kindergartens/occupancy?from=${today()}&to=${today()}`).expect(200);
    expect(again.body.days[0]).to.include({ present: 13 });
  });

  for (const [label, line, code] of [
    ['present below zero', { registered: 5, present: -1 }, 'count_negative'],
    ['present not a number', { registered: 5, present: 'daudz' }, 'not_a_number'],
    ['registered left empty', { registered: '', present: 3 }, 'count_required'],
    ['a fraction', { registered: 5, present: 2.5 }, 'count_not_whole'],
  ] as const) {
    it(`rejects ${label} with ${code} and saves nothing, not even the good group`, async () => {
      const res = await as(s.head)
        .put(`/api/kindergartens/${s.code}/attendance/${today()}`, { groups: [{ group: 'Zīļuks', registered: 10, present: 9 }, { group: 'Mākonīši', ...line }] })
        .expect(400);
      expect(res.body.error.code).to.equal(code);
      expect(await AttendanceModel.countDocuments({})).to.equal(0);
    });
  }

  it('rejects a day in the future, a group that does not exist and a day the kindergarten is not a base kindergarten', async () => {
    const future = await as(s.head).put(`/api/kindergartens/${s.code}/attendance/${addDays(today(), 1)}`, { groups: [{ group: 'Zīļuks', registered: 1, present: 1 }] }).expect(400);
    expect(future.body.error.code).to.equal('day_in_future');
    const unknown = await as(s.head).put(`/api/kindergartens/${s.code}/attendance/${today()}`, { groups: [{ group: 'Zīļuks', registered: 1, present: 1 }, { group: 'Pūcītes', registered: 1, present: 1 }] }).expect(400);
    expect(unknown.body.error.code).to.equal('unknown_group');
    expect(unknown.body.error.details.fields).to.deep.equal([{ field: 'groups.1.group', code: 'unknown_group' }]);
    const before = await as(s.head).put(`/api/kindergartens/${s.code}/attendance/2019-12-31`, { groups: [{ group: 'Zīļuks', registered: 1, present: 1 }] }).expect(400);
    expect(before.body.error.code).to.equal('not_base_that_day');
    const school = await makeInstitution({ type: 'school' });
    const schoolHead = await makeToken((await makeUser('principal', school.code)).email);
    const notKg = await as(schoolHead).put(`/api/kindergartens/${school.code}/attendance/${today()}`, { groups: [{ group: 'Zīļuks', registered: 1, present: 1 }] }).expect(400);
    expect(notKg.body.error.code).to.equal('not_a_kindergarten');
    const badDay = await as(s.head).put(`/api/kindergartens/${s.code}/attendance/2020-02-30`, { groups: [{ group: 'Zīļuks', registered: 1, present: 1 }] }).expect(400);
    expect(badDay.body.error.code).to.equal('invalid_date');
    expect(await AttendanceModel.countDocuments({})).to.equal(0);
  });

  it('counts from ticked children: present is the number ticked, registered the children placed', async () => {
    const small = s.groups[0]!;
    const a = await requestVia(s.coord, { firstName: 'Anna', neededFrom: '2020-03-16' });
    const b = await requestVia(s.coord, { firstName: 'Beāte', neededFrom: '2020-03-16' });
    await placeVia(s.coord, a.id, small.id).expect(200);
    await placeVia(s.coord, b.id, small.id).expect(200);
    const form = await as(s.head).get(`/api/kindergartens/${s.code}/attendance/${today()}`).expect(200);
    expect(form.body.groups.find((g: { name: string }) => g.name === small.name).children.map((c: { firstName: string }) => c.firstName).sort()).to.deep.equal(['Anna', 'Beāte']);

    const wrong = await as(s.head).put(`/api/kindergartens/${s.code}/attendance/${today()}`, { groups: [{ group: small.id, children: [a.id, '000000000000000000000000'] }] }).expect(400);
    expect(wrong.body.error.code).to.equal('unknown_child');
    const res = await as(s.head).put(`/api/kindergartens/${s.code}/attendance/${today()}`, { groups: [{ group: small.id, children: [a.id] }] }).expect(200);
    expect(res.body.groups[0]).to.include({ registered: 2, present: 1 });
    const stored = await AttendanceModel.findOne({ group: small.id }).lean();
    expect(stored!.presentChildren!.map(String)).to.deep.equal([a.id]);
  });

  it('marks a return after the deadline as late and audits a late edit; the deadline is the coordinator’s to set', async () => {
    await as(s.head).put('/api/kindergartens/settings', { deadline: '09:00' }).expect(403);
    expect((await as(s.coord).put('/api/kindergartens/settings', { deadline: '25:00' }).expect(400)).body.error.code).to.equal('invalid_deadline');
    expect((await as(s.head).get('/api/kindergartens/settings').expect(200)).body.deadline).to.equal('10:00');
    // Midnight: today's deadline has always passed, whenever the test runs.
    await as(s.coord).put('/api/kindergartens/settings', { deadline: '00:00' }).expect(200);
    const first = await as(s.head).put(`/api/kindergartens/${s.code}/attendance/${today()}`, { groups: [{ group: 'Zīļuks', registered: 10, present: 9 }] }).expect(200);
    expect(first.body).to.include({ late: true });
    await as(s.head).put(`/api/kindergartens/${s.code}/attendance/${today()}`, { groups: [{ group: 'Zīļuks', registered: 10, present: 8 }] }).expect(200);
    const audit = await AuditEventModel.find({ action: /^attendance\./ }).sort({ at: 1 }).lean();
    expect(audit.map((a) => a.action)).to.deep.equal(['attendance.late_return', 'attendance.late_edit']);
    expect(audit[1]!.details).to.deep.include({ present: 8, previous: { registered: 10, present: 9 } });
    const stored = await AttendanceModel.findOne({ day: today() }).lean();
    expect(stored).to.include({ present: 8, late: true });
    expect(stored!.history.map((h) => h.present)).to.deep.equal([9, 8]);

    // Yesterday's return is late under any deadline, and is still accepted.
    await as(s.coord).put('/api/kindergartens/settings', { deadline: '23:59' }).expect(200);
    const yesterday = await as(s.head).put(`/api/kindergartens/${s.code}/attendance/${addDays(today(), -1)}`, { groups: [{ group: 'Zīļuks', registered: 10, present: 7 }] }).expect(200);
    expect(yesterday.body.late).to.equal(true);
  });

  it('lets only the kindergarten’s own head and coordinators see or send its return', async () => {
    const other = await setup([{ name: 'Cita', capacity: 5 }]);
    await as(other.head).get(`/api/kindergartens/${s.code}/attendance/${today()}`).expect(404);
    await as(other.head).put(`/api/kindergartens/${s.code}/attendance/${today()}`, { groups: [{ group: 'Zīļuks', registered: 1, present: 1 }] }).expect(404);
    const mon = await as(other.head).get('/api/kindergartens/monitoring').expect(200);
    expect(mon.body.kindergartens.map((k: { code: string }) => k.code)).to.deep.equal([other.code]);
    await as(s.coord).put(`/api/kindergartens/${s.code}/attendance/${today()}`, { groups: [{ group: 'Zīļuks', registered: 1, present: 1 }] }).expect(200);
    expect(await AttendanceModel.countDocuments({})).to.equal(1);
  });

  it('takes the kindergarten-attendance import into the same records, the monitoring view and the chart', async () => {
    const day = addDays(today(), -2);
    const [y, m, d] = day.split('-');
    const file = await makeWorkbook(['Datums', 'Grupa', 'Reģistrēti', 'Klātesoši'], [
      [`${d}.${m}.${y}`, 'Mākonīši', 2, 4],
      [`${d}.${m}.${y}`, 'zīļuks', 18, 16],
      [`${d}.${m}.${y}`, 'Nav tādas', 1, 1],
    ]);
    const imp = await importFile(s.head, { kind: 'kindergarten-attendance' }, file, 'apmeklejums.xlsx');
    expect(imp.summary).to.include({ created: 2, rejected: 1 });
    expect(imp.warnings.map((w: { code: string }) => w.code)).to.include('over_capacity');
    const mon = await as(s.coord).get(`/api/kindergartens/monitoring?day=${day}`).expect(200);
    const row = mon.body.kindergartens.find((k: { code: string }) => k.code === s.code);
    expect(row).to.include({ present: 20, capacity: 22 });
    expect(row.overCapacity).to.deep.equal(['Mākonīši']);
    const chart = await as(s.coord).get(`/api/kindergartens/occupancy?from=${day}&to=${day}`).expect(200);
    expect(chart.body.days[0]).to.include({ present: 20, capacity: 22, returns: 2 });
  });

  it('exports a period to .xlsx, names as text', async () => {
    await as(s.coord).post(`/api/kindergartens/${s.code}/base-periods`, { from: '2020-01-01', groups: [{ name: '=HYPERLINK("http://x")', capacity: 4 }] }).expect(201);
    await as(s.head).put(`/api/kindergartens/${s.code}/attendance/${today()}`, { groups: [{ group: '=HYPERLINK("http://x")', registered: 4, present: 3 }, { group: 'Zīļuks', registered: 4, present: 3 }] }).expect(200);
    const res = await as(s.coord)
      .get(`/api/kindergartens/attendance.xlsx?from=${addDays(today(), -3)}&to=${today()}`)
      .buffer(true)
      .parse(bytes)
      .expect(200);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.rowCount).to.equal(3);
    const cells: unknown[] = [];
    ws.eachRow((row) => row.eachCell((c) => cells.push(c.value)));
    expect(cells).to.include('=HYPERLINK("http://x")');
    expect(cells.some((c) => typeof c === 'object' && c !== null && 'formula' in c)).to.equal(false);
    const reversed = await as(s.coord).get(`/api/kindergartens/attendance.xlsx?from=${today()}&to=${addDays(today(), -3)}`).expect(400);
    expect(reversed.body.error.code).to.equal('period_reversed');
  });
});
