import { expect } from 'chai';
import { classPairKey, namePairKey, pupilSearchKeys, sampleKey, sampleRates, searchKeysVersion } from '../../../src/pupils/searchKeys.ts';

describe('child search keys', () => {
  const keys = pupilSearchKeys({ firstName: 'Anna Marija', lastName: 'Bērziņa', class: '9.A', personalCodeMasked: '010106-*****' });

  it('keeps each name word by its prefixes, the class whole and the birth digits', () => {
    expect(keys).to.include.members(['an', 'anna', 'ma', 'marija', 'be', 'berzina', 'class:9a', '010106', searchKeysVersion]);
    expect(keys).not.to.include('a');
    expect(keys).not.to.include('class:9');
  });

  it('keeps every two name words as one key whichever order they are typed in', () => {
    expect(namePairKey('berzina', 'anna')).to.equal(namePairKey('anna', 'berzin'));
    // A typed word is cut to the longest prefix length kept: five letters look up four.
    expect(namePairKey('anna', 'berzi')).to.equal(namePairKey('anna', 'berz'));
    expect(keys).to.include.members([namePairKey('anna', 'berz'), namePairKey('anna', 'berzina')]);
    expect(keys).to.include.members([namePairKey('anna', 'berzina'), namePairKey('ma', 'be'), namePairKey('anna', 'marija')]);
    expect(keys).not.to.include(namePairKey('anna', 'anna'));
  });

  it('keeps the class with each name word', () => {
    expect(keys).to.include.members([classPairKey('9a', 'anna'), classPairKey('9a', 'berzina'), classPairKey('9a', 'ma')]);
  });

  it('gives a child without a class or code only name keys', () => {
    const bare = pupilSearchKeys({ firstName: 'Jānis', lastName: 'Ozols' });
    expect(bare.some((k) => k.startsWith('class:'))).to.equal(false);
    expect(bare).to.include.members(['jan', 'ozols', namePairKey('janis', 'ozols')]);
  });

  it('puts about one child in each sample rate in that sample, with its word and class keys, not its pairs', () => {
    const all = Array.from({ length: 256 * 40 }, (_, i) => pupilSearchKeys({ firstName: 'Anna', lastName: `Ozola${i}`, class: '9.a', personalCodeMasked: `0101${String(i % 100).padStart(2, '0')}-*****` }));
    const sampled = all.filter((k) => k.includes(sampleKey('anna', 256)));
    expect(sampled.length).to.be.within(20, 60);
    expect(all.filter((k) => k.includes(sampleKey('anna', 32))).length).to.be.within(8 * 20, 8 * 60);
    expect(sampleRates).to.deep.equal([256, 32]);
    for (const k of sampled) {
      // One in 256 is also one in 32.
      expect(k).to.include.members([sampleKey('an', 256), sampleKey('class:9a', 256), sampleKey('anna', 32)]);
      expect(k.filter((x) => x.startsWith('~') && x.includes('+'))).to.deep.equal([]);
    }
    // The same child is always in or out.
    expect(pupilSearchKeys({ firstName: 'Anna', lastName: 'Ozola7', class: '9.a', personalCodeMasked: '010107-*****' })).to.deep.equal(all[7]);
  });
});
