import { expect } from 'chai';
import request from 'supertest';
import express from 'express';
import { stack, resetData } from '../support/stack.ts';
import { toAppError, errorHandler } from '../../src/http/errorHandler.ts';
import { InstitutionModel } from '../../src/institutions/model.ts';
import { createLogger } from '../../src/logger.ts';
import { makeToken, makeUser } from '../support/factories.ts';
import { Conflict, Forbidden, NotFound, Unauthenticated, ValidationError } from '../../src/errors.ts';

describe('error mapping against the real database', () => {
  beforeEach(resetData);

  it('a duplicate key from the database becomes 409, not 400 or 500', async () => {
    await InstitutionModel.create({ code: 'DUP', name: 'A', type: 'school' });
    const err = await InstitutionModel.create({ code: 'DUP', name: 'B', type: 'school' }).then(() => null, (e: unknown) => e);
    expect(err, 'the unique index holds').not.to.equal(null);
    expect(toAppError(err).status).to.equal(409);
  });

  it('a malformed id (cast error) becomes 404', async () => {
    const coord = await makeUser('coordinator');
    const res = await request(stack().app)
      .patch('/api/users/not-an-object-id')
      .set('Authorization', `Bearer ${await makeToken(coord.email)}`)
      .send({ active: false })
      .expect(404);
    expect(res.body.error.code).to.equal('not_found');
  });

  it('each error class keeps its own status through the handler', async () => {
    const app = express();
    app.use((req, _res, next) => {
      req.lang = 'en';
      next();
    });
    const cases = [new ValidationError(), new Unauthenticated(), new Forbidden(), new NotFound(), new Conflict(), new Error('boom')];
    cases.forEach((e, i) => app.get(`/api/${i}`, () => {
      throw e;
    }));
    app.use(errorHandler(createLogger('silent', 'test')));
    const statuses = [];
    for (let i = 0; i < cases.length; i++) statuses.push((await request(app).get(`/api/${i}`)).status);
    expect(statuses).to.deep.equal([400, 401, 403, 404, 409, 500]);
    const res = await request(app).get('/api/5');
    expect(res.body.error.message).not.to.include('boom');
  });
});
