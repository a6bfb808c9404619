import { expect } from 'chai';
import { cellText, normalizeEmail, normalizePhone } from '../../../imports/cells.ts';
import { Dropped, optionalEmail, optionalPhone } from '../../../imports/kinds/fieldSchemas.ts';
import { rowParser, type ParsedRow } from '../../../imports/kinds/index.ts';
import { deviceNeeds } from '../../../imports/kinds/deviceNeeds.ts';

const warnings = <T>(r: ParsedRow<T>) => r.warnings.map((w) => `${w.field}:${w.code}`);

/** What an optional contact field makes of a cell: the value, or the Dropped's code and what it keeps. */
function read(schema: ReturnType<typeof optionalPhone>, cell: unknown): unknown {
  const out: unknown = schema.parse(cell);
  return out instanceof Dropped ? { code: out.code, kept: out.kept } : out;
}

describe('phones whose + Excel dropped', () => {
  it('take 10 to 15 bare digits as an international number', () => {
    expect(normalizePhone(cellText(37061234567))).to.equal('+37061234567');
    expect(normalizePhone(cellText(447911123456))).to.equal('+447911123456');
    expect(normalizePhone('4915112345678')).to.equal('+4915112345678');
  });

  it('keep the rules for the Latvian code and for 00', () => {
    expect(normalizePhone(cellText(37126123456))).to.equal('+37126123456');
    expect(normalizePhone('00447911123456')).to.equal('+447911123456');
    for (const raw of ['37136123456', '3712612345', '371261234567']) expect(normalizePhone(raw), raw).to.equal(null);
  });

  it('refuse bare digits that start as Latvian numbers do: a mistyped Latvian number, not a foreign one', () => {
    for (const raw of ['2612345678', '26123456789', '6712345678']) expect(normalizePhone(raw), raw).to.equal(null);
    // Written with its + or 00, a number in a country whose code starts with 2 or 6 is taken.
    expect(normalizePhone('+61412345678')).to.equal('+61412345678');
  });

  it('do not guess from digits that start with 0, are spaced or are too long', () => {
    for (const raw of ['0261234567', '370 612 34567', '2612345 67890', '1234567890123456', '261234567']) expect(normalizePhone(raw), raw).to.equal(null);
  });
});

describe('several phones or e-mails in one cell', () => {
  const phone = optionalPhone();
  const email = optionalEmail();
  const firstKept = (kept: string) => ({ code: 'only_first_kept', kept });

  it('keep the first phone with a warning, whatever separates them', () => {
    for (const cell of ['26123456, 29123456', '26123456 / 29123456', '26123456; 29123456', '26123456 vai 29123456', '26123456 29123456', '+371 26123456, +371 29123456']) {
      expect(read(phone, cell), cell).to.deep.equal(firstKept('+37126123456'));
    }
    expect(read(phone, '+44 7911 123456, 26123456')).to.deep.equal(firstKept('+447911123456'));
    expect(read(phone, 'nav, 26123456, 29123456')).to.deep.equal(firstKept('+37126123456'));
  });

  it('keep the first e-mail with a warning', () => {
    for (const cell of ['a@x.lv; b@x.lv', 'a@x.lv, b@x.lv', 'A@X.lv b@x.lv', 'a@x.lv / b@x.lv']) {
      expect(read(email, cell), cell).to.deep.equal(firstKept('a@x.lv'));
    }
  });

  it('still drop a single contact with a remark, and keep a single one as it is', () => {
    expect(read(phone, 'mob. 26123456')).to.deep.equal({ code: 'invalid_phone', kept: null });
    expect(read(phone, '26123456, zvanīt vakarā')).to.deep.equal({ code: 'invalid_phone', kept: null });
    expect(read(email, 'a@x.lv (mamma)')).to.deep.equal({ code: 'invalid_email', kept: null });
    expect(read(phone, '261 23 456')).to.equal('+37126123456');
    expect(read(phone, '')).to.equal(null);
  });

  it('reports the row with the warning that only the first was kept', () => {
    const parse = rowParser(deviceNeeds, { date1904: false, today: '2021-04-15' });
    const r = parse({ class: '5.a', firstName: 'Anna', lastName: 'Bērziņa', personalCode: '020307-20404', deviceType: 'Planšete', guardianPhone: '26123456, 29123456', guardianEmail: 'a@x.lv; b@x.lv' });
    expect(r.ok).to.equal(true);
    expect(warnings(r)).to.deep.equal(['guardianPhone:only_first_kept', 'guardianEmail:only_first_kept']);
  });
});

describe('a full stop typed after an e-mail address', () => {
  it('is not part of the address', () => {
    expect(normalizeEmail('anna@inbox.lv.')).to.equal('anna@inbox.lv');
    expect(normalizeEmail('Anna@Inbox.LV..')).to.equal('anna@inbox.lv');
    expect(read(optionalEmail(), 'anna@inbox.lv.')).to.equal('anna@inbox.lv');
  });

  it('does not make an address out of one that lacks a domain', () => {
    for (const raw of ['anna@inbox.', 'anna@.', 'anna.']) expect(normalizeEmail(raw), raw).to.equal(null);
  });
});
