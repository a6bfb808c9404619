import { expect } from 'chai';
import request from 'supertest';
import { resetData, stack } from '../support/stack.ts';
import { demoAccounts, seedDemo } from '../../src/demo/seed.ts';
import { demoReferenceCode } from '../../src/demo/devices.ts';
import { testPersonalCodeKey } from '../support/jobs.ts';

describe('demo data', () => {
  before(resetData);

  it('loads institutions, accounts and devices in every state, and the printed parent code works', async () => {
    const result = await seedDemo({ kind: 'system', name: 'test' }, { personalCodeKey: testPersonalCodeKey, loanDays: 92, staleStockDays: 14 });
    expect(result).to.include({ institutions: 6, users: 2 });
    const agent = request.agent(stack().app);
    const principal = demoAccounts.find((a) => a.role === 'principal')!;
    await agent.post('/api/session').send({ email: principal.email, password: principal.password }).expect(200);
    const needs = (await agent.get('/api/device-needs').expect(200)).body.items as Array<{ status: string }>;
    expect(needs.map((n) => n.status).sort()).to.deep.equal(['allocated', 'approved', 'approved', 'delivered', 'ready_for_pickup', 'registered']);
    const status = await request(stack().app).post('/api/status').send({ referenceCode: demoReferenceCode }).expect(200);
    expect(status.body.items[0]).to.include({ firstName: 'Anna', status: 'ready_for_pickup' });
  });
});
