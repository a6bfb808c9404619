import { expect } from 'chai';
import { rowParser, type ParsedRow } from '../../../imports/kinds/index.ts';
import { deviceNeeds } from '../../../imports/kinds/deviceNeeds.ts';
import { foodEntitlements } from '../../../imports/kinds/foodEntitlements.ts';
import { kindergartenAttendance } from '../../../imports/kinds/kindergartenAttendance.ts';
import { ministryShipment } from '../../../imports/kinds/ministryShipment.ts';

const ctx = { date1904: false, today: '2020-04-15' };
const issues = <T>(r: ParsedRow<T>) => ({
  errors: r.ok ? [] : r.errors.map((e) => `${e.field}:${e.code}`),
  warnings: r.warnings.map((w) => `${w.field}:${w.code}`),
});

describe('import kinds: one zod schema per kind', () => {
  describe('device-needs', () => {
    const parse = rowParser(deviceNeeds, ctx);
    const good = { class: '5.a', firstName: 'Anna', lastName: 'Bērziņa', personalCode: '020307-20404', deviceType: 'Planšete' };

    it('normalises a valid row and defaults what was left out', () => {
      const r = parse({ ...good, guardianPhone: 26123456, guardianEmail: ' Anna@Example.LV ', language: 'русский', priority: 2 });
      expect(r.ok).to.equal(true);
      if (!r.ok) return;
      expect(r.key).to.equal('020307-20404');
      expect(r.record).to.deep.include({ deviceType: 'tablet', guardianPhone: '+37126123456', guardianEmail: 'anna@example.lv', language: 'ru', priority: 2, deliveryMethod: 'pickup', address: null });
      expect(r.record.personalCode).to.deep.equal({ code: '020307-20404', form: 'old', birthDate: '2007-03-02' });
    });

    it('rejects missing and invalid required fields, one error per field, and still lists the warnings', () => {
      const r = parse({ firstName: 'Anna', personalCode: '020307-20405', deviceType: 'velosipēds', guardianPhone: '12', guardianEmail: 'x@', language: 'klingoņu' });
      expect(r.ok).to.equal(false);
      expect(issues(r)).to.deep.equal({
        errors: ['class:required', 'lastName:required', 'personalCode:personal_code_check_digit', 'deviceType:unknown_device_type'],
        warnings: ['guardianPhone:invalid_phone', 'guardianEmail:invalid_email', 'language:unknown_language'],
      });
    });

    it('drops invalid optional fields with a warning and keeps the row', () => {
      const r = parse({ ...good, priority: 9, deliveryMethod: 'piegāde mājās' });
      expect(r.ok).to.equal(true);
      expect(issues(r).warnings).to.deep.equal(['priority:invalid_priority', 'address:address_needed_for_delivery']);
      // No language named: null, so a known guardian keeps theirs (a new one gets Latvian when saved).
      if (r.ok) expect(r.record).to.include({ priority: null, deliveryMethod: 'home', language: null });
    });

    it('takes a formula’s cached result and a code typed as a number (the new form too)', () => {
      const r = parse({ ...good, personalCode: { formula: 'A1', result: 32123412345 }, firstName: { richText: [{ text: 'An' }, { text: 'na' }] } });
      expect(r.ok).to.equal(true);
      if (r.ok) expect(r.record).to.deep.include({ firstName: 'Anna', personalCode: { code: '321234-12345', form: 'new', birthDate: null } });
    });
  });

  describe('food-entitlements', () => {
    const parse = rowParser(foodEntitlements, ctx);
    const good = { personalCode: '020307-20404', firstName: 'A', lastName: 'B', status: 'maznodrošinātā ģimene', validFrom: new Date(Date.UTC(2020, 2, 16)), validTo: '29.05.2020' };

    it('reads real dates, text dates and serials, both ends inclusive', () => {
      // Serial 43,980 in the 1900 date system is 29 May 2020.
      const r = parse({ ...good, validTo: 43_980 });
      expect(r.ok).to.equal(true);
      if (r.ok) expect(r.record).to.include({ status: 'low_income', validFrom: '2020-03-16', validTo: '2020-05-29' });
      const oneDay = parse({ ...good, validTo: '16.03.2020' });
      expect(oneDay.ok).to.equal(true);
    });

    it('rejects a validity that ends before it starts, an unknown status and a date that is no date', () => {
      expect(issues(parse({ ...good, validTo: '15.03.2020' })).errors).to.deep.equal(['validTo:validity_reversed']);
      expect(issues(parse({ ...good, status: 'bagāta', validFrom: '31.02.2020' })).errors).to.deep.equal(['status:unknown_status', 'validFrom:invalid_date']);
      expect(issues(parse({ ...good, validFrom: null })).errors).to.deep.equal(['validFrom:required']);
    });
  });

  describe('kindergarten-attendance', () => {
    const parse = rowParser(kindergartenAttendance, ctx);

    it('keys a day and group whatever the group’s case, and warns when more are present than registered', () => {
      const r = parse({ day: '15.04.2020', group: 'Zīļuki', registered: '12', present: 14 });
      expect(r.ok).to.equal(true);
      const shouted = parse({ day: '15.04.2020', group: 'ZĪĻUKI', registered: 1, present: 1 });
      expect(r.ok && shouted.ok && r.key === shouted.key).to.equal(true);
      expect(issues(r).warnings).to.deep.equal(['present:present_above_registered']);
    });

    it('rejects a future day, a negative count and a count that is not a number', () => {
      expect(issues(parse({ day: '16.04.2020', group: 'G', registered: -1, present: 'daudz' })).errors).to.deep.equal([
        'day:date_in_future',
        'registered:negative',
        'present:not_a_number',
      ]);
    });
  });

  describe('ministry-shipment', () => {
    const parse = rowParser(ministryShipment, ctx);

    it('upper-cases serials, drops spaces inside them and defaults the condition', () => {
      const r = parse({ deviceType: 'klēpjdators', serial: ' 5cg 0123abc ', make: 'HP' });
      expect(r.ok).to.equal(true);
      if (r.ok) expect(r.record).to.deep.equal({ deviceType: 'laptop', make: 'HP', model: null, serial: '5CG0123ABC', condition: 'new' });
      expect(issues(parse({ deviceType: 'planšete', serial: '#' })).errors).to.deep.equal(['serial:invalid_serial']);
    });

    it('tells a serial cell showing a formula error from an empty one', () => {
      expect(issues(parse({ deviceType: 'planšete', serial: { error: '#N/A' } })).errors).to.deep.equal(['serial:formula_error']);
      expect(issues(parse({ deviceType: 'planšete', serial: '' })).errors).to.deep.equal(['serial:required']);
    });
  });
});
