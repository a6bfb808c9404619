import { expect } from 'chai';
import { effectivePriority, priorityForClass } from '../../../src/devices/priority.ts';
import { newReferenceCode } from '../../../src/devices/referenceCode.ts';
import { groupReferenceCode, normalizeReferenceCode, referenceAlphabet } from '../../../src/status/registry.ts';

describe('device helpers', () => {
  it('gives final-year classes the first priority', () => {
    expect(priorityForClass('12.a')).to.equal(1);
    expect(priorityForClass('9B')).to.equal(1);
    expect(priorityForClass('1.b')).to.equal(3);
    expect(priorityForClass('11')).to.equal(3);
    expect(priorityForClass(null)).to.equal(3);
    expect(effectivePriority(5, '12.a')).to.equal(5);
  });

  it('makes reference codes of at least 50 random bits without look-alike characters, grouped for reading aloud', () => {
    expect(Math.log2(referenceAlphabet.length) * 11).to.be.greaterThan(50);
    for (const ch of '01OILU') expect(referenceAlphabet).not.to.include(ch);
    const codes = new Set(Array.from({ length: 2000 }, newReferenceCode));
    expect(codes.size).to.equal(2000);
    for (const c of codes) expect(c).to.match(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{3}$/);
  });

  it('accepts a code in any case, with or without dashes or spaces', () => {
    const code = newReferenceCode();
    const bare = code.replace(/-/g, '');
    for (const typed of [code, code.toLowerCase(), bare, bare.toLowerCase(), ` ${code.slice(0, 4)} ${code.slice(5)} `]) {
      expect(normalizeReferenceCode(typed), typed).to.equal(bare);
    }
    expect(groupReferenceCode(bare)).to.equal(code);
    expect(normalizeReferenceCode('K7QM-4XPA-9T')).to.equal(null);
    expect(normalizeReferenceCode('K7QM-4XPA-9TO')).to.equal(null);
  });
});
