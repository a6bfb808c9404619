import { expect } from 'chai';
import request from 'supertest';
import { resetData, stack } from './stack.ts';
import { makeInstitution, makeToken, makeUser } from './factories.ts';

const weights = [1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
let next = Math.floor(Math.random() * 3000);

/** A fresh valid old-form personal code (a real birth date in 2008–2016 and the right check digit). */
export function validPersonalCode(): string {
  for (;;) {
    const n = next++;
    const day = new Date(Date.UTC(2008, 0, 1) + (n % 3000) * 86_400_000);
    const serial = String(Math.floor(n / 3000) % 1000).padStart(3, '0');
    const d = [String(day.getUTCDate()).padStart(2, '0'), String(day.getUTCMonth() + 1).padStart(2, '0'), String(day.getUTCFullYear() % 100).padStart(2, '0'), '2', serial].join('');
    const k = (1101 - weights.reduce((s, w, j) => s + w * Number(d[j]), 0)) % 11;
    if (k < 10) return `${d.slice(0, 6)}-${d.slice(6)}${k}`;
  }
}

const api = () => request(stack().app);

/** Empties the data, then makes a school with its principal, and a coordinator: their bearer tokens. */
export async function freshSchoolAndCoordinator(): Promise<{ principal: string; coord: string }> {
  await resetData();
  const inst = await makeInstitution();
  const principal = await makeToken((await makeUser('principal', inst.code)).email);
  return { principal, coord: await makeToken((await makeUser('coordinator')).email) };
}

/** Registers a need through the API as `token` (a principal's own institution unless `institution` is given). */
export async function registerNeedVia(token: string, over: Record<string, unknown> = {}) {
  const res = await api()
    .post('/api/device-needs')
    .set('Authorization', `Bearer ${token}`)
    .send({ firstName: 'Anna', lastName: 'Bērziņa', class: '7.b', personalCode: validPersonalCode(), deviceType: 'laptop', guardianName: 'Inese Bērziņa', guardianPhone: '26123456', language: 'lv', ...over });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body as { id: string; referenceCode: string; status: string; institution: string };
}

/** Registers a shipment of devices by hand (coordinator). */
export async function shipVia(coordToken: string, devices: Array<{ serial: string; type: 'laptop' | 'tablet' }>, reference = 'VM-2020/1') {
  const res = await api().post('/api/shipments').set('Authorization', `Bearer ${coordToken}`).send({ reference, receivedAt: '2020-04-01', devices: devices.map((d) => ({ make: 'Lenovo', model: 'T14', ...d })) });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body as { id: string };
}

/** Approves needs, then allocates the given serial to each (coordinator); fails the test if any is refused. */
export async function approveAndAllocate(coordToken: string, pairs: Array<{ need: string; serial: string }>) {
  await api().post('/api/device-needs/approve').set('Authorization', `Bearer ${coordToken}`).send({ ids: pairs.map((p) => p.need) }).expect(200);
  const res = await api().post('/api/allocations/confirm').set('Authorization', `Bearer ${coordToken}`).send({ matches: pairs });
  expect(res.status).to.equal(200);
  expect(res.body.refused, JSON.stringify(res.body.results)).to.equal(0);
}
