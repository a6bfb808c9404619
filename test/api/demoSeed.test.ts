import { expect } from 'chai';
import request from 'supertest';
import { resetData, stack } from '../support/stack.ts';
import { demoAccounts, seedDemo } from '../../src/demo/seed.ts';
import { demoReferenceCode } from '../../src/demo/devices.ts';
import { demoKindergartenCode } from '../../src/demo/kindergartens.ts';
import { demoFoodCardCode } from '../../src/demo/foodcards.ts';
import { rigaToday } from '../../src/shared/dates.ts';
import { testPersonalCodeKey } from '../support/jobs.ts';

describe('demo data', () => {
  before(resetData);

  it('loads institutions, accounts and devices in every state, and the printed parent code works', async () => {
    const result = await seedDemo({ kind: 'system', name: 'test' }, { personalCodeKey: testPersonalCodeKey, loanDays: 92, staleStockDays: 14 });
    expect(result).to.include({ institutions: 6, users: 3 });
    const agent = request.agent(stack().app);
    const principal = demoAccounts.find((a) => a.role === 'principal')!;
    await agent.post('/api/session').send({ email: principal.email, password: principal.password }).expect(200);
    const needs = (await agent.get('/api/device-needs').expect(200)).body.items as Array<{ status: string }>;
    expect(needs.map((n) => n.status).sort()).to.deep.equal(['allocated', 'approved', 'approved', 'delivered', 'ready_for_pickup', 'registered']);
    const status = await request(stack().app).post('/api/status').send({ referenceCode: demoReferenceCode }).expect(200);
    expect(status.body.items[0]).to.include({ firstName: 'Anna', status: 'ready_for_pickup' });
  });

  it('has base kindergartens with placed and waiting children, six weeks of returns, and a working kindergarten code', async () => {
    const head = demoAccounts.find((a) => a.email.startsWith('vaditaja'))!;
    const agent = request.agent(stack().app);
    await agent.post('/api/session').send({ email: head.email, password: head.password }).expect(200);
    const today = (await agent.get('/api/kindergartens/monitoring').expect(200)).body;
    expect(today.kindergartens.map((k: { code: string }) => k.code)).to.deep.equal(['LIE-PII-PUCITE']);
    expect(today.kindergartens[0].overCapacity).to.deep.equal(['Zīļuki']);
    const coordinator = demoAccounts.find((a) => a.role === 'coordinator')!;
    const office = request.agent(stack().app);
    await office.post('/api/session').send({ email: coordinator.email, password: coordinator.password }).expect(200);
    const all = (await office.get('/api/kindergartens/monitoring').expect(200)).body;
    expect(all.totals).to.include({ kindergartens: 2, missing: 1 });
    const chart = (await office.get('/api/kindergartens/occupancy').expect(200)).body.days as Array<{ day: string; returns: number }>;
    expect(chart).to.have.length(42);
    expect(chart.every((d) => d.returns >= 4)).to.equal(true);
    expect(chart.at(-1)!.day).to.equal(rigaToday());
    const statuses = (await office.get('/api/placement-requests').expect(200)).body.items.map((i: { status: string }) => i.status).sort();
    expect(statuses).to.deep.equal(['placed', 'placed', 'placed', 'received', 'waiting']);
    const status = await request(stack().app).post('/api/status').send({ referenceCode: demoKindergartenCode }).expect(200);
    expect(status.body.items[0]).to.include({ kind: 'kindergarten', firstName: 'Emīlija', status: 'placed' });
  });

  it('has a food-card period with amounts, a batch of loaded cards, and a working food-card code', async () => {
    const coordinator = demoAccounts.find((a) => a.role === 'coordinator')!;
    const office = request.agent(stack().app);
    await office.post('/api/session').send({ email: coordinator.email, password: coordinator.password }).expect(200);
    const periods = (await office.get('/api/food-periods').expect(200)).body.items as Array<{ id: string; schoolDays: number }>;
    expect(periods).to.have.length(1);
    expect(periods[0]!.schoolDays).to.equal(51);
    const totals = (await office.get(`/api/food-periods/${periods[0]!.id}/totals`).expect(200)).body;
    expect(totals.items.map((i: { institution: string; pupils: number }) => [i.institution, i.pupils])).to.deep.equal([['LIE-5VSK', 4]]);
    const cards = (await office.get(`/api/food-cards?period=${periods[0]!.id}`).expect(200)).body.items as Array<{ status: string }>;
    expect(cards.map((c) => c.status)).to.deep.equal(['loaded', 'loaded', 'loaded', 'loaded']);
    const status = await request(stack().app).post('/api/status').send({ referenceCode: demoFoodCardCode }).expect(200);
    expect(status.body.items[0]).to.include({ kind: 'foodcard', status: 'loaded' });
  });
});
