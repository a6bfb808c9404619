import { expect } from 'chai';
import { cellText, cellDate, cellInteger, normalizePhone, normalizeEmail } from '../../../imports/cells.ts';

describe('cellText', () => {
  it('gives empty text for empty cells and errors', () => {
    expect(cellText(null)).to.equal('');
    expect(cellText(undefined)).to.equal('');
    expect(cellText({ error: '#N/A' })).to.equal('');
    expect(cellText({ formula: '1/0', result: { error: '#DIV/0!' } })).to.equal('');
    expect(cellText({ formula: 'A1' })).to.equal('');
  });

  it('tidies strings: NBSP and other Unicode spaces, runs of whitespace, line breaks, zero-width spaces', () => {
    expect(cellText('  Rihards\u00a0 ')).to.equal('Rihards');
    expect(cellText('Personas\u00a0\u00a0kods')).to.equal('Personas kods');
    expect(cellText('a\u2009b\u202fc\u3000d')).to.equal('a b c d');
    expect(cellText('Vecāka\ntālrunis')).to.equal('Vecāka tālrunis');
    expect(cellText('Ozo\u200bla')).to.equal('Ozola');
  });

  it('writes numbers as typed: no exponent, no trailing .0, no float noise', () => {
    expect(cellText(26123456)).to.equal('26123456');
    expect(cellText(26123456.0)).to.equal('26123456');
    expect(cellText(2.5)).to.equal('2.5');
    expect(cellText(-3)).to.equal('-3');
    expect(cellText(0.1 + 0.2)).to.equal('0.3');
    expect(cellText(Number.MAX_SAFE_INTEGER)).to.equal('9007199254740991');
    expect(cellText(1e21)).to.equal('1000000000000000000000');
    expect(cellText(1.5e22)).to.equal('15000000000000000000000');
    expect(cellText(1e-7)).to.equal('0.0000001');
    expect(cellText(Number.NaN)).to.equal('');
  });

  it('writes booleans as Excel shows them and dates as YYYY-MM-DD', () => {
    expect(cellText(true)).to.equal('TRUE');
    expect(cellText(false)).to.equal('FALSE');
    expect(cellText(new Date('2020-09-01T00:00:00Z'))).to.equal('2020-09-01');
  });

  it('joins rich text runs', () => {
    expect(cellText({ richText: [{ text: 'Personas ' }, { text: 'kods', font: { bold: true } }] })).to.equal('Personas kods');
    expect(cellText({ richText: [{ text: ' 020307-' }, { text: '20404\u00a0' }] })).to.equal('020307-20404');
  });

  it('uses the cached result of formulas and shared formulas', () => {
    expect(cellText({ formula: 'A1&B1', result: 'Kalniņš' })).to.equal('Kalniņš');
    expect(cellText({ sharedFormula: 'C2', result: 26500000 })).to.equal('26500000');
    expect(cellText({ formula: 'TODAY()', result: new Date('2020-04-01T00:00:00Z') })).to.equal('2020-04-01');
    expect(cellText({ formula: 'A1', result: { richText: [{ text: 'a' }, { text: 'b' }] } })).to.equal('ab');
  });

  it('uses the text of hyperlinks, plain or rich', () => {
    expect(cellText({ text: 'gimene0@example.lv', hyperlink: 'mailto:gimene0@example.lv' })).to.equal('gimene0@example.lv');
    expect(cellText({ text: { richText: [{ text: 'saite' }] }, hyperlink: 'https://example.lv' })).to.equal('saite');
  });

  it('gives empty text for shapes it does not know', () => {
    expect(cellText({})).to.equal('');
    expect(cellText(Symbol('x'))).to.equal('');
  });
});

describe('cellDate', () => {
  it('takes JS dates by their UTC day, rounding float error to the nearest day', () => {
    expect(cellDate(new Date('2020-09-01T00:00:00Z'))).to.equal('2020-09-01');
    expect(cellDate(new Date('2020-08-31T23:59:59.999Z'))).to.equal('2020-09-01');
    expect(cellDate(new Date('2020-09-01T00:00:00.001Z'))).to.equal('2020-09-01');
    expect(cellDate(new Date(Number.NaN))).to.equal(null);
  });

  it('reads 1900-system serial numbers, including the fake 29 February 1900', () => {
    expect(cellDate(1)).to.equal('1900-01-01');
    expect(cellDate(59)).to.equal('1900-02-28');
    expect(cellDate(60)).to.equal(null);
    expect(cellDate(61)).to.equal('1900-03-01');
    expect(cellDate(43831)).to.equal('2020-01-01');
    expect(cellDate(44075)).to.equal('2020-09-01');
    expect(cellDate(44074.99999999)).to.equal('2020-09-01');
    expect(cellDate(2958465)).to.equal('9999-12-31');
    expect(cellDate(0)).to.equal(null);
    expect(cellDate(-5)).to.equal(null);
    expect(cellDate(2958466)).to.equal(null);
  });

  it('reads 1904-system serial numbers', () => {
    expect(cellDate(0, true)).to.equal('1904-01-01');
    expect(cellDate(1, true)).to.equal('1904-01-02');
    expect(cellDate(42613, true)).to.equal('2020-09-01');
    expect(cellDate(-1, true)).to.equal(null);
  });

  it('reads date text in the shapes people type', () => {
    expect(cellDate('01.09.2020')).to.equal('2020-09-01');
    expect(cellDate('1.9.2020')).to.equal('2020-09-01');
    expect(cellDate('01.09.20')).to.equal('2020-09-01');
    expect(cellDate('01.09.2020.')).to.equal('2020-09-01');
    expect(cellDate(' 01.09.2020\u00a0')).to.equal('2020-09-01');
    expect(cellDate('01.09.2020 08:30')).to.equal('2020-09-01');
    expect(cellDate('01/09/2020')).to.equal('2020-09-01');
    expect(cellDate('2020-09-01')).to.equal('2020-09-01');
    expect(cellDate('2020-09-01 00:00:00')).to.equal('2020-09-01');
    expect(cellDate('2020-02-01T00:00:00.000Z')).to.equal('2020-02-01');
    expect(cellDate('29.02.2020')).to.equal('2020-02-29');
  });

  it('rejects impossible or unrecognised dates', () => {
    for (const v of ['31.02.2020', '29.02.2021', '00.01.2020', '01.13.2020', '2020-13-01', '1.9', 'rīt', '', '01.09.202', '09/31/2020', true, null, undefined, { error: '#VALUE!' }]) {
      expect(cellDate(v), String(v)).to.equal(null);
    }
  });

  it('reads formula results, rich text and hyperlinks', () => {
    expect(cellDate({ formula: 'DATE(2020,9,1)', result: 44075 })).to.equal('2020-09-01');
    expect(cellDate({ formula: 'A1', result: new Date('2020-09-01T00:00:00Z') })).to.equal('2020-09-01');
    expect(cellDate({ sharedFormula: 'A1', result: '01.09.2020' })).to.equal('2020-09-01');
    expect(cellDate({ formula: 'A1', result: 42613, date1904: true })).to.equal('2020-09-01');
    expect(cellDate({ richText: [{ text: '01.09.' }, { text: '2020' }] })).to.equal('2020-09-01');
    expect(cellDate({ text: '01.09.2020', hyperlink: 'https://example.lv' })).to.equal('2020-09-01');
  });
});

describe('cellInteger', () => {
  it('accepts whole numbers and numeric text', () => {
    expect(cellInteger(25)).to.equal(25);
    expect(cellInteger(0)).to.equal(0);
    expect(cellInteger('25')).to.equal(25);
    expect(cellInteger(' 1 200\u00a0')).to.equal(1200);
    expect(cellInteger('-3')).to.equal(-3);
    expect(cellInteger({ formula: 'A1+1', result: 4 })).to.equal(4);
    expect(cellInteger({ richText: [{ text: '1' }, { text: '2' }] })).to.equal(12);
  });

  it('does not round or guess', () => {
    for (const v of [2.5, '2.5', '2,5', '12a', '', null, undefined, true, new Date(0), 1e21, '99999999999999999', { error: '#N/A' }]) {
      expect(cellInteger(v), String(v)).to.equal(null);
    }
  });
});

describe('normalizePhone', () => {
  it('writes Latvian numbers as +371 and 8 digits', () => {
    for (const raw of ['26123456', '261 23 456', '26-12-34-56', '+37126123456', '+371 26123456', '+371 261 23 456', '00371 26123456', '0037126123456', '37126123456', '(+371) 26123456', '\u00a026123456 ']) {
      expect(normalizePhone(raw), raw).to.equal('+37126123456');
    }
    expect(normalizePhone('67123456')).to.equal('+37167123456');
  });

  it('keeps other international numbers written with + or 00', () => {
    expect(normalizePhone('+44 20 7946 0958')).to.equal('+442079460958');
    expect(normalizePhone('00370 612 34567')).to.equal('+37061234567');
    expect(normalizePhone('+7 (912) 345-67-89')).to.equal('+79123456789');
  });

  it('rejects everything else', () => {
    for (const raw of ['', '2612345', '261234567', '36123456', '+371 36123456', '+371 2612345', '0037126', '+1234567', '+1234567890123456', '26123456 vai 29123456', 'nav', '2612345a']) {
      expect(normalizePhone(raw), raw).to.equal(null);
    }
  });
});

describe('normalizeEmail', () => {
  it('trims and lower-cases plausible addresses', () => {
    expect(normalizeEmail(' Gimene0@Example.LV ')).to.equal('gimene0@example.lv');
    expect(normalizeEmail('anna.berzina+skola@sub.example.lv')).to.equal('anna.berzina+skola@sub.example.lv');
    expect(normalizeEmail('mailto:gimene0@example.lv')).to.equal('gimene0@example.lv');
    expect(normalizeEmail('\u00a0a@b.lv\u00a0')).to.equal('a@b.lv');
  });

  it('rejects what cannot be an address', () => {
    for (const raw of ['', 'gimene0', 'gimene0@example', '@example.lv', 'a@@example.lv', 'a@b@example.lv', 'anna berzina@example.lv', 'a@example..lv', 'a@.example.lv']) {
      expect(normalizeEmail(raw), raw).to.equal(null);
    }
  });
});
