import { expect } from 'chai';
import { html, raw, escapeHtml } from '../../src/web/html.ts';
import { safeNext } from '../../src/http/language.ts';
import { hashPassword, verifyPassword } from '../../src/auth/password.ts';
import { isCalendarDay, rigaToday } from '../../src/shared/dates.ts';
import { normalizeReferenceCode } from '../../src/status/registry.ts';
import { parseInput } from '../../src/http/parse.ts';
import { InstitutionInputSchema } from '../../src/institutions/service.ts';
import { ValidationError } from '../../src/errors.ts';
import { toAppError } from '../../src/http/errorHandler.ts';

describe('html template', () => {
  it('escapes interpolated text, keeps Html, joins arrays and drops null/false', () => {
    const out = html`<p title="${'"x"'}">${'<b>&'}${raw('<i>ok</i>')}${['a', html`<br>`]}${null}${false}</p>`;
    expect(out.value).to.equal('<p title="&quot;x&quot;">&lt;b&gt;&amp;<i>ok</i>a<br></p>');
    expect(escapeHtml("'")).to.equal('&#39;');
  });
});

describe('safe redirects', () => {
  it('allows only same-site paths', () => {
    expect(safeNext('/dashboard')).to.equal('/dashboard');
    for (const bad of ['//evil.example', 'https://evil.example', '/\\evil.example', undefined, 42]) expect(safeNext(bad)).to.equal('/');
  });
});

describe('passwords', () => {
  it('hashes with a salt and verifies only the right password', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).to.match(/^scrypt\$/).and.not.equal(b);
    expect(await verifyPassword('correct horse', a)).to.equal(true);
    expect(await verifyPassword('correct hors', a)).to.equal(false);
    expect(await verifyPassword('x', 'garbage')).to.equal(false);
  });
});

describe('calendar days (Europe/Riga)', () => {
  it('accepts only real days', () => {
    expect(isCalendarDay('2020-02-29')).to.equal(true);
    expect(isCalendarDay('2021-02-29')).to.equal(false);
    expect(isCalendarDay('2020-13-01')).to.equal(false);
    expect(isCalendarDay('1.3.2020')).to.equal(false);
  });
  it('takes today on Riga time, across midnight UTC', () => {
    expect(rigaToday(new Date('2020-03-15T22:30:00Z'))).to.equal('2020-03-16');
    expect(rigaToday(new Date('2020-07-15T20:59:00Z'))).to.equal('2020-07-15');
    expect(rigaToday(new Date('2020-07-15T21:00:00Z'))).to.equal('2020-07-16');
  });
});

describe('reference codes', () => {
  it('accept any case, with or without dashes and spaces; reject look-alike characters', () => {
    expect(normalizeReferenceCode('k7qm-4xpa-9tr')).to.equal('K7QM4XPA9TR');
    expect(normalizeReferenceCode(' K7QM 4XPA 9TR ')).to.equal('K7QM4XPA9TR');
    expect(normalizeReferenceCode('K7QM-4XPA-9TO')).to.equal(null);
    // Our codes are 11 characters; a shorter or longer one is not ours.
    expect(normalizeReferenceCode('K7QM-4XPA-9T')).to.equal(null);
    expect(normalizeReferenceCode('short')).to.equal(null);
  });
});

describe('input parsing', () => {
  it('turns a schema failure into a ValidationError with the domain code and the fields', () => {
    try {
      parseInput(InstitutionInputSchema, { code: 'S', name: 'S', type: 'school', base: true });
      expect.fail('should throw');
    } catch (err) {
      expect(err).to.be.instanceOf(ValidationError);
      expect((err as ValidationError).code).to.equal('base_requires_kindergarten');
      expect((err as ValidationError).details?.fields).to.deep.equal([{ field: 'base', code: 'base_requires_kindergarten' }]);
    }
  });
  it('uses the generic code for plain type errors', () => {
    expect(() => parseInput(InstitutionInputSchema, { code: 'S', name: 'S', type: 'castle' })).to.throw(ValidationError).with.property('code', 'invalid_input');
  });
});

describe('error mapping', () => {
  it('maps each kind of failure to its own status', () => {
    expect(toAppError({ name: 'CastError' }).status).to.equal(404);
    expect(toAppError({ code: 11000 }).status).to.equal(409);
    expect(toAppError({ code: 'EBADCSRFTOKEN', status: 403 }).status).to.equal(403);
    expect(toAppError({ type: 'entity.parse.failed', status: 400 }).code).to.equal('invalid_json');
    expect(toAppError({ type: 'entity.too.large', status: 413 }).status).to.equal(413);
    expect(toAppError({ name: 'MongoServerSelectionError', message: 'x' }).status).to.equal(503);
    expect(toAppError(new Error("Stream isn't writeable and enableOfflineQueue options is false")).status).to.equal(503);
    expect(toAppError({ status: 404 }).status).to.equal(404);
    expect(toAppError(new Error('boom')).status).to.equal(500);
    expect(toAppError(undefined).status).to.equal(500);
  });
});
