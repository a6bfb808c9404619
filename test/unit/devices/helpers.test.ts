import { expect } from 'chai';
import { effectivePriority, priorityForClass } from '../../../src/devices/priority.ts';
import { newReferenceCode } from '../../../src/devices/referenceCode.ts';
import { newPlacementCode } from '../../../src/kindergartens/referenceCode.ts';
import { codeDomain, groupReferenceCode, normalizeReferenceCode, referenceAlphabet, referenceDomains, registerStatusLookup } from '../../../src/status/registry.ts';

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
    // Each domain (devices, kindergarten places, …) keeps a quarter of all codes.
    expect(Math.log2(referenceAlphabet.length ** 11 / referenceDomains)).to.be.greaterThan(50);
    for (const ch of '01OILU') expect(referenceAlphabet).not.to.include(ch);
    const codes = new Set(Array.from({ length: 2000 }, newReferenceCode));
    expect(codes.size).to.equal(2000);
    for (const c of codes) expect(c).to.match(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{3}$/);
  });

  it('gives each domain codes carrying its own number, and refuses two domains the same number', () => {
    for (let i = 0; i < 200; i++) {
      expect(codeDomain(newReferenceCode().replace(/-/g, ''))).to.equal(3);
      expect(codeDomain(newPlacementCode().replace(/-/g, ''))).to.equal(2);
    }
    // The demo codes printed by scripts/start are of their domains.
    expect(codeDomain('K7QM4XPA9TR')).to.equal(3);
    expect(codeDomain('P7KD3MWA8HS')).to.equal(2);
    registerStatusLookup('test-one', 1, async () => []);
    expect(() => registerStatusLookup('test-two', 1, async () => [])).to.throw(/already test-one/);
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
