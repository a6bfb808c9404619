import { expect } from 'chai';
import request from 'supertest';
import { stack, resetData } from '../support/stack.ts';
import { listRoutes, type RouteEntry } from '../support/routes.ts';
import { makeInstitution, makeToken, makeUser } from '../support/factories.ts';
import { importFile, makeWorkbook } from '../support/imports.ts';
import { GroupModel, InstitutionModel } from '../../src/institutions/model.ts';
import { UserModel } from '../../src/auth/model.ts';
import { DeviceModel, DeviceNeedModel } from '../../src/devices/model.ts';
import { approveAndAllocate, registerNeedVia, shipVia } from '../support/devices.ts';
import { placeVia, requestVia } from '../support/kindergartens.ts';
import { rigaToday } from '../../src/shared/dates.ts';
import { AttendanceModel, PlacementRequestModel } from '../../src/kindergartens/model.ts';
import { EntitlementModel } from '../../src/foodcards/model.ts';
import { ContactTaskModel, MessageModel } from '../../src/notifications/model.ts';
import { createMessages } from '../../src/notifications/messageService.ts';
import { testPersonalCodeKey } from '../support/jobs.ts';
import { FoodCardModel } from '../../src/foodcards/cardModel.ts';
import { AuditEventModel } from '../../src/audit/model.ts';

/**
 * The tenant-isolation harness. It walks the real route table and calls every staff route as a
 * principal of institution B with the ids of institution A. Each later issue adds its routes'
 * parameters to `paramsFor` and its public routes to `publicRoutes`; a route this harness does
 * not understand fails it, so no route can slip past unchecked.
 */

// Routes anyone may call. Everything else must carry an access marker (requireRole/requireStaff).
const publicRoutes = new Set([
  'GET /healthz',
  'GET /readyz',
  'GET /',
  'GET /lang/:lang',
  'GET /signin',
  'POST /signin',
  'POST /signout',
  'POST /api/session',
  'GET /status',
  'POST /status',
  'POST /status/forget',
  'POST /api/status',
  // The guardian's opt-out link (the token is an HMAC of the address), and the SMS provider's
  // receipts (checked by their own token).
  'GET /notifications/opt-out/:token',
  'POST /notifications/opt-out/:token',
  'POST /api/notifications/sms/receipts',
]);

// Staff routes without a target in the path: they answer B about B only (checked for A's data),
// with the statuses listed (an upload without a file is a 400, not a leak).
const ownScopeRoutes = new Map<string, number[]>([
  ['GET /api/session', [200]],
  ['DELETE /api/session', [204]],
  ['GET /dashboard', [200]],
  ['GET /api/dashboard', [200]],
  // The child search: without a search text it finds nothing; with one, only B's children.
  ['GET /pupils', [200]],
  ['POST /pupils', [200]],
  ['GET /api/pupils', [200]],
  // List exports: the same scoped service calls as their pages (checked inside the workbooks by listExports.test.ts).
  ['GET /devices.xlsx', [200]],
  ['GET /devices/stock.xlsx', [200]],
  ['GET /devices/due-back.xlsx', [200]],
  ['GET /foodcards/cards.xlsx', [200]],
  ['GET /foodcards/periods/:periodId/entitlements.xlsx', [200]],
  ['GET /foodcards/statuses.xlsx', [200]],
  ['GET /imports.xlsx', [200]],
  ['GET /api/institutions', [200]],
  ['GET /api/imports', [200]],
  ['POST /api/imports', [400]],
  ['GET /imports', [200]],
  ['POST /imports', [400]],
  ['GET /api/imports/templates/:kind.xlsx', [200]],
  ['GET /api/device-needs', [200]],
  // The harness body is not a need: a validation error, before any institution is looked at.
  ['POST /api/device-needs', [400]],
  ['GET /api/devices', [200]],
  ['GET /api/devices/due-back', [200]],
  ['GET /api/devices/stale', [200]],
  ['GET /devices', [200]],
  ['GET /devices/new', [200]],
  // The harness body is not a need: the form comes back with its errors (a principal's institution field is ignored).
  ['POST /devices/new', [400]],
  ['GET /devices/stock', [200]],
  ['GET /devices/due-back', [200]],
  ['GET /api/kindergartens/monitoring', [200]],
  ['GET /api/kindergartens/occupancy', [200]],
  ['GET /api/kindergartens/attendance.xlsx', [200]],
  ['GET /api/kindergartens/settings', [200]],
  ['GET /kindergartens', [200]],
  ['GET /api/food-periods/:periodId/entitlements', [200]],
  ['GET /api/food-periods/:periodId/totals', [200]],
  // The harness body is not a family status: a validation error, before any institution is looked at.
  ['POST /api/family-statuses', [400]],
  ['GET /api/family-statuses/expiring', [200]],
  ['GET /foodcards', [200]],
  ['GET /foodcards/periods/:periodId/entitlements', [200]],
  ['GET /api/food-periods/:periodId/card-totals', [200]],
  ['GET /api/food-cards', [200]],
  ['GET /api/food-cards/uncollected', [200]],
  ['GET /foodcards/cards', [200]],
  ['GET /foodcards/statuses', [200]],
  // The harness body is not a family status: the form comes back with its errors (a principal's institution field is ignored).
  ['POST /foodcards/statuses', [400]],
]);

// Routes whose answer holds no institution's data as text even for those allowed (templates, workbooks).
const noInstitutionData = new Set([
  'GET /api/notifications/messages/:messageId',
  'GET /api/notifications/templates/:template',
  'GET /notifications/messages/:messageId',
'GET /api/imports/templates/:kind.xlsx', 'GET /api/imports/:importId/report.xlsx', 'GET /foodcards/periods/:periodId/entitlements.xlsx', 'GET /api/food-periods/:periodId', 'GET /api/food-periods/:periodId/batches', 'GET /api/food-batches/:batchId/order.xlsx']);

type Fixture = {
  a: { code: string; name: string; principalEmail: string; principalId: string; groupName: string; importId: string; needId: string; serial: string; runId: string; stopId: string; requestId: string; periodId: string; entitlementId: string; batchId: string; cardId: string; messageId: string; taskId: string; pupilId: string };
  bToken: string;
  aToken: string;
  coordToken: string;
};

function paramsFor(f: Fixture): Record<string, string> {
  const a = f.a;
  return { code: a.code, id: a.principalId, importId: a.importId, kind: 'device-needs', needId: a.needId, serial: a.serial, runId: a.runId, stopId: a.stopId, requestId: a.requestId, day: rigaToday(), periodId: a.periodId, entitlementId: a.entitlementId, batchId: a.batchId, cardId: a.cardId, messageId: a.messageId, taskId: a.taskId, template: 'need_registered', token: 'A'.repeat(32), pupilId: a.pupilId };
}

function fill(path: string, params: Record<string, string>): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`tenant harness: no value for :${name} in ${path}; add it to paramsFor`);
    return encodeURIComponent(v);
  });
}

function call(route: RouteEntry, url: string, token: string) {
  const agent = request(stack().app);
  const m = route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete';
  const req = agent[m](url).set('Authorization', `Bearer ${token}`);
  return m === 'get' || m === 'delete' ? req : req.send({ name: 'changed', capacity: 999, active: false, code: 'X', type: 'school' });
}

describe('tenant isolation: every staff route as a principal of another institution', () => {
  let f: Fixture;
  let routes: RouteEntry[];

  before(async () => {
    await resetData();
    const a = await makeInstitution({ type: 'kindergarten', base: true, name: 'Alpha kindergarten' });
    const b = await makeInstitution({ type: 'school', name: 'Beta school' });
    const pa = await makeUser('principal', a.code);
    const pb = await makeUser('principal', b.code);
    const coord = await makeUser('coordinator');
    const aToken = await makeToken(pa.email);
    // A pupil of A with a device need, so that lists of pupils have something of A's to leak.
    await importFile(aToken, { kind: 'device-needs' }, await makeWorkbook(['Klase', 'Vārds', 'Uzvārds', 'Personas kods', 'Ierīce'], [['3.a', 'Alfrēds', 'Alfasons', '020307-20404', 'planšete']]), 'needs.xlsx');
    const imp = await importFile(aToken, { kind: 'kindergarten-attendance' }, await makeWorkbook(['Datums', 'Grupa', 'Reģistrēti', 'Klātesoši'], [['16.03.2020', a.group!.name, 3, 2]]), 'alpha.xlsx');
    // A's device need on its way home on a delivery run, with a device allocated at A.
    const coordToken = await makeToken(coord.email);
    const homeNeed = await registerNeedVia(aToken, { firstName: 'Alfrēds', lastName: 'Alfasons', deliveryMethod: 'home', address: 'Alfa iela 1, Liepāja' });
    await shipVia(coordToken, [{ serial: 'ALPHA-001', type: 'laptop' }]);
    await approveAndAllocate(coordToken, [{ need: homeNeed.id, serial: 'ALPHA-001' }]);
    const run = await request(stack().app).post('/api/delivery-runs').set('Authorization', `Bearer ${coordToken}`).send({ day: '2099-01-01', needs: [homeNeed.id] }).expect(201);
    const sheet = await request(stack().app).get(`/api/delivery-runs/${run.body.id}`).set('Authorization', `Bearer ${coordToken}`).expect(200);
    // A child placed in A's group, so the request's page names A.
    const placement = await requestVia(coordToken, { firstName: 'Alfrēds', lastName: 'Alfasons' });
    await placeVia(coordToken, placement.id, String(a.group!._id)).expect(200);
    const period = await request(stack().app).post('/api/food-periods').set('Authorization', `Bearer ${coordToken}`).send({ name: 'Pavasaris', from: '2020-03-16', to: '2020-05-29', rate: '1.42' }).expect(201);
    // A's pupil with a family status and an amount computed for the period.
    await importFile(aToken, { kind: 'food-entitlements' }, await makeWorkbook(['Personas kods', 'Vārds', 'Uzvārds', 'Statuss', 'Derīgs no', 'Derīgs līdz'], [['020307-20404', 'Alfrēds', 'Alfasons', 'trūcīga', '01.01.2020', '31.12.2020']]), 'food.xlsx');
    await request(stack().app).put(`/api/food-periods/${period.body.id}/calendar`).set('Authorization', `Bearer ${coordToken}`).send({}).expect(200);
    await request(stack().app).post(`/api/food-periods/${period.body.id}/compute`).set('Authorization', `Bearer ${coordToken}`).expect(200);
    const entitlement = await EntitlementModel.findOne({}).lean();
    // The first card batch of the period (final at once) holds A's card.
    const batch = await request(stack().app).post(`/api/food-periods/${period.body.id}/batches`).set('Authorization', `Bearer ${coordToken}`).send({}).expect(201);
    const card = await FoodCardModel.findOne({}).lean();
    // A message to A's guardian and a contact of A's to fix.
    const pupil = (await DeviceNeedModel.findById(homeNeed.id).lean())!.pupil;
    await createMessages(
      [{ event: 'test.tenant', template: 'need_registered', language: 'lv', recipientRef: `guardian:${pupil}`, recipient: { kind: 'guardian', address: '+37126000001' }, channel: 'outbox', institution: a.institution._id, pupil, params: { firstName: 'Alfrēds', code: homeNeed.referenceCode, statusUrl: 'x', institution: 'Alpha kindergarten' } }],
      { key: testPersonalCodeKey, baseUrl: 'http://x', configured: { email: false, sms: false }, queue: { enqueue: async () => {} }, now: () => new Date() },
    );
    const message = await MessageModel.findOne({}).lean();
    const task = await ContactTaskModel.create({ institution: a.institution._id, pupil, channel: 'sms', address: '+37126000001', message: message!._id, reason: { code: 'invalid_number' }, openKey: `${pupil}:sms` });
    f = {
      a: {
        code: a.code,
        name: 'Alpha kindergarten',
        principalEmail: pa.email,
        principalId: String(pa.user._id),
        groupName: a.group!.name,
        importId: imp.id,
        needId: homeNeed.id,
        serial: 'ALPHA-001',
        runId: run.body.id,
        stopId: sheet.body.stops[0].id,
        requestId: placement.id,
        periodId: period.body.id,
        entitlementId: String(entitlement!._id),
        batchId: batch.body.batch.id,
        cardId: String(card!._id),
        messageId: String(message!._id),
        taskId: String(task._id),
        pupilId: String(pupil),
      },
      aToken,
      bToken: await makeToken(pb.email),
      coordToken,
    };
    routes = listRoutes(stack().app);
  });

  it('finds the routes (the walk itself works)', () => {
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    expect(keys).to.include.members(['GET /api/institutions/:code', 'GET /api/users', 'GET /audit', 'POST /api/session']);
  });

  it('every route is either public by name or guarded by a role marker', () => {
    const unguarded = routes.filter((r) => !r.roles && !publicRoutes.has(`${r.method} ${r.path}`)).map((r) => `${r.method} ${r.path}`);
    expect(unguarded, 'routes without requireRole/requireStaff').to.deep.equal([]);
  });

  it('answers 403 or 404 and never institution A data to principal B', async () => {
    const secrets = [f.a.code, f.a.name, f.a.principalEmail, f.a.groupName, 'Alfrēds', 'Alfasons', '020307-2', 'Alfa iela', f.a.serial];
    const checked: string[] = [];
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      if (!route.roles) continue;
      const url = fill(route.path, paramsFor(f));
      const res = await call(route, url, f.bToken);
      const text = res.text ?? '';
      for (const s of secrets) expect(text, `${key} leaked ${s}`).not.to.include(s);
      if (ownScopeRoutes.has(key)) expect(res.status, key).to.be.oneOf(ownScopeRoutes.get(key)!);
      else expect(res.status, key).to.be.oneOf([403, 404]);
      checked.push(key);
    }
    expect(checked.length).to.be.greaterThan(8);
  });

  it('left institution A untouched after all of B attempts', async () => {
    const inst = await InstitutionModel.findOne({ code: f.a.code }).lean();
    expect(inst?.name).to.equal(f.a.name);
    const group = await GroupModel.findOne({ institution: inst!._id }).lean();
    expect(group?.capacity).to.equal(10);
    const user = await UserModel.findOne({ email: f.a.principalEmail }).lean();
    expect(user?.active).to.equal(true);
    const need = await DeviceNeedModel.findById(f.a.needId).lean();
    expect(need).to.include({ status: 'out_for_delivery', deviceType: 'laptop', address: 'Alfa iela 1, Liepāja' });
    expect(need!.history).to.have.length(4);
    const device = await DeviceModel.findOne({ serial: f.a.serial }).lean();
    expect(device).to.include({ status: 'allocated' });
    expect(String(device!.need)).to.equal(f.a.needId);
    const placement = await PlacementRequestModel.findById(f.a.requestId).lean();
    expect(placement).to.include({ status: 'placed' });
    expect(await AttendanceModel.countDocuments({ institution: inst!._id })).to.equal(1);
    expect(await EntitlementModel.countDocuments({ institution: inst!._id })).to.equal(1);
    expect(await ContactTaskModel.countDocuments({ institution: inst!._id, status: 'open' })).to.equal(1);
    expect((await MessageModel.findById(f.a.messageId).lean())!.status).to.equal('queued');
    // B never saw A's pupil's whole personal code, so no such view was recorded.
    expect(await AuditEventModel.countDocuments({ action: 'pupil.personal_code_view' })).to.equal(0);
  });

  it('the same parameterised routes do answer for those allowed (so the 404s above are real)', async () => {
    for (const route of routes.filter((r) => r.roles && r.method === 'GET' && r.path.includes(':'))) {
      const url = fill(route.path, paramsFor(f));
      const token = route.roles!.includes('principal') ? f.aToken : f.coordToken;
      const res = await call(route, url, token);
      expect(res.status, `${route.method} ${route.path}`).to.equal(200);
      if (!noInstitutionData.has(`${route.method} ${route.path}`)) expect(res.text, `${route.method} ${route.path}`).to.include(f.a.code);
    }
  });
});
