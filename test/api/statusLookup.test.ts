import { expect } from 'chai';
import request from 'supertest';
import { buildTestApp, resetData, stack, testConfig } from '../support/stack.ts';
import { makeInstitution, makeToken, makeUser } from '../support/factories.ts';
import { registerNeedVia } from '../support/devices.ts';
import { requestVia } from '../support/kindergartens.ts';
import { DeviceNeedModel } from '../../src/devices/model.ts';
import { readNeedStatus, rebuildNeedStatuses } from '../../src/devices/needStatuses.ts';
import { deleteKeysUnder } from '../../src/redis.ts';
import { newPlacementCode } from '../../src/kindergartens/referenceCode.ts';

describe('parents status lookup: device needs', () => {
  let code: string;

  beforeEach(async () => {
    await resetData();
    const school = await makeInstitution();
    const token = await makeToken((await makeUser('principal', school.code)).email);
    code = (await registerNeedVia(token, { firstName: 'Marta', lastName: 'Ozoliņa', guardianEmail: 'mamma@example.lv' })).referenceCode;
  });

  it('shows the first name and the steps, nothing else about the child', async () => {
    const res = await request(stack().app).post('/api/status').send({ referenceCode: code }).expect(200);
    expect(res.body.items).to.have.length(1);
    expect(Object.keys(res.body.items[0]).sort()).to.deep.equal(['details', 'firstName', 'kind', 'status', 'steps']);
    expect(res.body.items[0]).to.include({ firstName: 'Marta', status: 'registered' });
    const text = JSON.stringify(res.body);
    for (const secret of ['Ozoliņa', 'mamma@', '2612', 'Bērziņa']) expect(text).not.to.include(secret);
    expect(text).not.to.match(/\d{6}-\d/);
  });

  it('answers with the first name kept on the need, or the pupil’s for a need stored without it', async () => {
    const need = await DeviceNeedModel.findOne({ referenceCode: code }).lean();
    expect(need!.firstName).to.equal('Marta');
    await DeviceNeedModel.collection.updateOne({ _id: need!._id }, { $unset: { firstName: '' } });
    // Read from the need itself (its entry gone, as after Redis lost its data), which writes the entry again.
    await deleteKeysUnder(stack().redis, `${stack().redisPrefix}:need-status`);
    const res = await request(stack().app).post('/api/status').send({ referenceCode: code }).expect(200);
    expect(res.body.items[0].firstName).to.equal('Marta');
    expect(await readNeedStatus(code)).to.include({ firstName: 'Marta' });
    const again = await request(stack().app).post('/api/status').send({ referenceCode: code }).expect(200);
    expect(again.body.items[0].firstName).to.equal('Marta');
  });

  it('still finds a code stored before codes carried their domain (one that names another domain)', async () => {
    const legacy = newPlacementCode();
    await DeviceNeedModel.updateOne({ referenceCode: code }, { $set: { referenceCode: legacy } });
    // Stored so long ago that a mending run has since written its entry.
    await rebuildNeedStatuses(new Date(Date.now() + 3_600_000));
    const res = await request(stack().app).post('/api/status').send({ referenceCode: legacy }).expect(200);
    expect(res.body.items).to.have.length(1);
    expect(res.body.items[0]).to.include({ kind: 'device', firstName: 'Marta' });
    await request(stack().app).post('/api/status').send({ referenceCode: code }).expect(404);
  });

  it('renders the page in Latvian, Russian and English', async () => {
    const expected = { lv: 'Pieteikums reģistrēts', ru: 'Заявка зарегистрирована', en: 'Request registered' };
    for (const [lang, text] of Object.entries(expected)) {
      const agent = request.agent(stack().app);
      await agent.get(`/lang/${lang}?next=/status`).expect(303);
      const page = await agent.get('/status').expect(200);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
      const res = await agent.post('/status').type('form').send({ _csrf: csrf, referenceCode: code.toLowerCase() }).expect(200);
      expect(res.text, lang).to.include(text);
      expect(res.text, lang).to.include('Marta');
      expect(res.text, lang).to.include(`lang="${lang}"`);
      expect(res.text).not.to.include('Ozoliņa');
    }
  });

  it('shows everything tied to the codes checked on one device on one page, a wrong code keeping what was found, until forgotten', async () => {
    const coordToken = await makeToken((await makeUser('coordinator')).email);
    const place = await requestVia(coordToken, { firstName: 'Jānis', lastName: 'Ozoliņš' });
    const agent = request.agent(stack().app);
    const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const csrf = csrfOf((await agent.get('/status').expect(200)).text);
    const first = await agent.post('/status').type('form').send({ _csrf: csrf, referenceCode: code }).expect(200);
    expect(first.text).to.include('data-kind="device"').and.not.to.include('data-kind="kindergarten"');
    const both = await agent.post('/status').type('form').send({ _csrf: csrf, referenceCode: place.referenceCode.toLowerCase() }).expect(200);
    expect(both.text).to.include('data-kind="device"').and.to.include('data-kind="kindergarten"').and.to.include('Marta').and.to.include('Jānis');
    // The newest code's answer comes first.
    expect(both.text.indexOf('data-kind="kindergarten"')).to.be.lessThan(both.text.indexOf('data-kind="device"'));
    const wrong = await agent.post('/status').type('form').send({ _csrf: csrf, referenceCode: 'ZZZZ-ZZZZ-ZZZ' }).expect(404);
    expect(wrong.text).to.include('status-error').and.to.include('data-kind="device"').and.to.include('data-kind="kindergarten"');
    // Another device (no cookie) sees none of it.
    expect((await request(stack().app).get('/status').expect(200)).text).not.to.include('data-kind=');
    await agent.post('/status/forget').type('form').send({ _csrf: csrf }).expect(303);
    expect((await agent.get('/status').expect(200)).text).not.to.include('data-kind=');
  });

  it('limits tries per code as well as per IP: a code tried too often answers 429 from anywhere', async () => {
    const s = stack();
    const app = buildTestApp(s.redis, `${s.redisPrefix}:percode`, testConfig(s.dataDir, { STATUS_LIMIT_PER_IP: '1000', STATUS_LIMIT_PER_CODE: '3' }));
    const bare = code.replace(/-/g, '');
    // Any spelling of the code counts as the same code.
    for (const typed of [code, bare.toLowerCase(), ` ${code} `]) await request(app).post('/api/status').send({ referenceCode: typed }).expect(200);
    const limited = await request(app).post('/api/status').send({ referenceCode: code }).expect(429);
    expect(limited.body.error.code).to.equal('too_many_requests');
    // The page is limited by the same counter.
    const agent = request.agent(app);
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/status').expect(200)).text)?.[1] ?? '';
    await agent.post('/status').type('form').send({ _csrf: csrf, referenceCode: code }).expect(429);
    // Another code is not held back by this one's count.
    await request(app).post('/api/status').send({ referenceCode: 'K7QM-4XPA-9TR' }).expect(404);
  });
});
