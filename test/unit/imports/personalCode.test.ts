import { expect } from 'chai';
import { parsePersonalCode, maskPersonalCode } from '../../../imports/personalCode.ts';

// Check digits below were computed with (1101 - Σ weight·digit) mod 11, weights 1 6 3 7 9 10 5 8 4 2.

describe('personal codes: old form DDMMYY-CNNNK', () => {
  it('accepts a valid code and derives the birth date', () => {
    expect(parsePersonalCode('020307-20404')).to.deep.equal({
      ok: true,
      value: { code: '020307-20404', form: 'old', birthDate: '2007-03-02' },
    });
  });

  it('accepts the code without the dash, with stray spaces, NBSP and typographic dashes', () => {
    for (const raw of ['02030720404', ' 020307-20404 ', '020307\u00a0-\u00a020404', '020307 20404', '020307–20404', '\u200b020307-20404']) {
      const r = parsePersonalCode(raw);
      expect(r, raw).to.deep.equal({ ok: true, value: { code: '020307-20404', form: 'old', birthDate: '2007-03-02' } });
    }
  });

  it('accepts a code typed as a number, restoring a lost leading zero', () => {
    expect(parsePersonalCode(2030720404)).to.deep.equal({
      ok: true,
      value: { code: '020307-20404', form: 'old', birthDate: '2007-03-02' },
    });
    expect(parsePersonalCode(15031020007)).to.deep.equal({
      ok: true,
      value: { code: '150310-20007', form: 'old', birthDate: '2010-03-15' },
    });
  });

  it('maps the century digit: 0 → 1800s, 1 → 1900s, 2 → 2000s', () => {
    const birth = (raw: string): string | null => {
      const r = parsePersonalCode(raw);
      return r.ok ? r.value.birthDate : null;
    };
    expect(birth('010185-01239')).to.equal('1885-01-01');
    expect(birth('010199-12347')).to.equal('1999-01-01');
    expect(birth('010106-20006')).to.equal('2006-01-01');
  });

  it('rejects a wrong check digit', () => {
    expect(parsePersonalCode('150310-20000')).to.deep.equal({ ok: false, reason: 'check_digit' });
    expect(parsePersonalCode('020307-20405')).to.deep.equal({ ok: false, reason: 'check_digit' });
  });

  it('rejects every code whose check value is 10', () => {
    // 010100-0123? sums to a check value of 10, which no digit can match.
    for (let k = 0; k <= 9; k++) expect(parsePersonalCode(`010100-0123${k}`)).to.deep.equal({ ok: false, reason: 'check_digit' });
  });

  it('rejects impossible dates before looking at the check digit', () => {
    expect(parsePersonalCode('310299-12345')).to.deep.equal({ ok: false, reason: 'date' });
    expect(parsePersonalCode('001299-12345')).to.deep.equal({ ok: false, reason: 'date' });
    expect(parsePersonalCode('011399-12345')).to.deep.equal({ ok: false, reason: 'date' });
    // 29 February: 2000 and 2004 are leap years, 1900 is not.
    expect(parsePersonalCode('290200-21239')).to.deep.include({ ok: true });
    expect(parsePersonalCode('290204-21232')).to.deep.include({ ok: true });
    expect(parsePersonalCode('290200-11239')).to.deep.equal({ ok: false, reason: 'date' });
  });

  it('treats a century digit 3..9 as a format error', () => {
    for (const c of ['3', '4', '5', '6', '7', '8', '9']) {
      expect(parsePersonalCode(`010106-${c}0006`)).to.deep.equal({ ok: false, reason: 'format' });
    }
  });
});

describe('personal codes: new form 32NNNN-NNNNN', () => {
  it('accepts it with or without the dash and as a number, with no date and no check digit', () => {
    const expected = { ok: true, value: { code: '321234-56789', form: 'new', birthDate: null } };
    expect(parsePersonalCode('321234-56789')).to.deep.equal(expected);
    expect(parsePersonalCode('32123456789')).to.deep.equal(expected);
    expect(parsePersonalCode(32123456789)).to.deep.equal(expected);
    expect(parsePersonalCode('329999-00000')).to.deep.include({ ok: true });
  });

  it('still needs 11 digits', () => {
    expect(parsePersonalCode('321234-5678')).to.deep.equal({ ok: false, reason: 'format' });
    expect(parsePersonalCode('321234-567890')).to.deep.equal({ ok: false, reason: 'format' });
  });
});

describe('personal codes: what is not a code', () => {
  it('reports missing input', () => {
    for (const raw of [null, undefined, '', '   ', '\u00a0']) expect(parsePersonalCode(raw)).to.deep.equal({ ok: false, reason: 'missing' });
  });

  it('reports malformed input as a format error', () => {
    for (const raw of ['020307-2040', '0203072040', '02030-720404', '020307-2040A', 'abc', '020307--20404', 2030720.5, -2030720404, 203072, true, {}, new Date(0)]) {
      expect(parsePersonalCode(raw), String(raw)).to.deep.equal({ ok: false, reason: 'format' });
    }
  });
});

describe('masking personal codes', () => {
  it('keeps the first 8 characters of the normalised code', () => {
    expect(maskPersonalCode('010106-20006')).to.equal('010106-2****');
    expect(maskPersonalCode('01010620006')).to.equal('010106-2****');
    expect(maskPersonalCode(' 321234-56789 ')).to.equal('321234-5****');
  });

  it('masks codes that failed validation too', () => {
    expect(maskPersonalCode('150310-20000')).to.equal('150310-2****');
  });
});
