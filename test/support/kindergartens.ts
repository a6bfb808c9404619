import { expect } from 'chai';
import request from 'supertest';
import { stack } from './stack.ts';
import { validPersonalCode } from './devices.ts';

const api = () => request(stack().app);

/**
 * Designates a kindergarten (made with makeInstitution({type: 'kindergarten'})) as a base
 * kindergarten from `from` (open-ended unless `to`) with these groups, through the API.
 */
export async function designateVia(coordToken: string, code: string, groups: Array<{ name: string; capacity: number }>, from = '2020-01-01', to: string | null = null) {
  const res = await api().post(`/api/kindergartens/${encodeURIComponent(code)}/base-periods`).set('Authorization', `Bearer ${coordToken}`).send({ from, to, groups });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body as { code: string; groups: Array<{ id: string; name: string; capacity: number; placed: number }> };
}

/** Registers a request for a place through the API (coordinator). */
export async function requestVia(coordToken: string, over: Record<string, unknown> = {}) {
  const res = await api()
    .post('/api/placement-requests')
    .set('Authorization', `Bearer ${coordToken}`)
    .send({
      firstName: 'Marta',
      lastName: 'Kalniņa',
      personalCode: validPersonalCode(),
      parentName: 'Ilze Kalniņa',
      parentPhone: '26111222',
      language: 'lv',
      employer: 'Rīgas Austrumu slimnīca',
      sector: 'health',
      neededFrom: '2020-03-16',
      preferredArea: 'Purvciems',
      ...over,
    });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body as { id: string; referenceCode: string; status: string };
}

/** Places a request in a group (coordinator); returns the response for the caller to check. */
export function placeVia(coordToken: string, requestId: string, groupId: string) {
  return api().post(`/api/placement-requests/${requestId}/place`).set('Authorization', `Bearer ${coordToken}`).send({ group: groupId });
}
