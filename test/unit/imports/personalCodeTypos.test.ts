import { expect } from 'chai';
import { parsePersonalCode } from '../../../imports/personalCode.ts';

const code = (raw: unknown) => {
  const r = parsePersonalCode(raw);
  return r.ok ? r.value.code : r.reason;
};

describe('personal codes with small typing slips', () => {
  it('take no notice of a full stop typed after the code', () => {
    expect(code('100109-20601.')).to.equal('100109-20601');
    expect(code('02030720404.')).to.equal('020307-20404');
    expect(code(' 020307-20404. ')).to.equal('020307-20404');
    expect(code('321234-56789.')).to.equal('321234-56789');
  });

  it('restore the leading zero of a code kept as text after Excel took it for a number', () => {
    expect(code('1011021005')).to.equal('010110-21005');
    expect(code('10110-21005')).to.equal('010110-21005');
    expect(code('2030720404')).to.equal('020307-20404');
  });

  it('let the date and check digit decide whether the padded code is one', () => {
    expect(code('10110-21006')).to.equal('check_digit');
    expect(code('3212345678')).to.equal('format');
    expect(code('9999921005')).to.equal('date');
  });

  it('still refuse a full stop alone and digits short by more than one', () => {
    expect(code('.')).to.equal('missing');
    expect(code('101121005')).to.equal('format');
    expect(code('020307.20404')).to.equal('format');
  });
});
