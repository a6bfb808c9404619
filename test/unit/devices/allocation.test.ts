import { expect } from 'chai';
import { fairShares, proposeAllocation, type OpenNeed, type StockDevice } from '../../../src/devices/allocation.ts';

let seq = 0;
const need = (institution: string, type = 'laptop', priority = 3, createdAt = ++seq): OpenNeed => ({ id: `n${++seq}`, institution, type, priority, createdAt });
const device = (type = 'laptop', institution: string | null = null, stockedAt = ++seq): StockDevice => ({ id: `d${++seq}`, serial: `S${seq}`, type, institution, stockedAt });
const many = <T>(n: number, make: () => T): T[] => Array.from({ length: n }, make);

describe('allocation proposal', () => {
  it('matches devices only to needs of the same type', () => {
    const needs = [need('A', 'laptop'), need('A', 'tablet'), need('B', 'tablet')];
    const devices = [device('tablet'), device('tablet'), device('laptop')];
    const { matches } = proposeAllocation(devices, needs);
    expect(matches).to.have.length(3);
    for (const m of matches) {
      expect(devices.find((d) => d.id === m.deviceId)!.type).to.equal(needs.find((n) => n.id === m.needId)!.type);
    }
  });

  it('never gives a device twice or a need two devices', () => {
    const needs = [...many(40, () => need('A')), ...many(25, () => need('B')), ...many(7, () => need('C', 'tablet'))];
    const devices = [...many(30, () => device()), ...many(5, () => device('laptop', 'B')), ...many(9, () => device('tablet'))];
    const { matches } = proposeAllocation(devices, needs);
    expect(new Set(matches.map((m) => m.deviceId)).size).to.equal(matches.length);
    expect(new Set(matches.map((m) => m.needId)).size).to.equal(matches.length);
    expect(matches.filter((m) => m.type === 'laptop')).to.have.length(35);
    expect(matches.filter((m) => m.type === 'tablet')).to.have.length(7);
  });

  it('shares scarce devices in proportion to each institution’s unmet needs', () => {
    // 60, 30 and 10 needs share 10 laptops: 6, 3 and 1.
    const needs = [...many(60, () => need('A')), ...many(30, () => need('B')), ...many(10, () => need('C'))];
    const { matches } = proposeAllocation(many(10, () => device()), needs);
    const per = (i: string) => matches.filter((m) => m.institution === i).length;
    expect([per('A'), per('B'), per('C')]).to.deep.equal([6, 3, 1]);
    expect(matches.every((m) => m.reason.enough === false)).to.equal(true);
    expect(matches.find((m) => m.institution === 'B')!.reason).to.include({ share: 3, unmet: 30 });
  });

  it('hands out the remainders so the shares add up exactly', () => {
    // 7 devices over 3 equal institutions: 3, 2, 2 (the first by its more urgent next pupil).
    const needs = [...many(5, () => need('A', 'laptop', 3)), ...many(5, () => need('B', 'laptop', 1)), ...many(5, () => need('C', 'laptop', 3))];
    const { matches } = proposeAllocation(many(7, () => device()), needs);
    expect(matches).to.have.length(7);
    const per = (i: string) => matches.filter((m) => m.institution === i).length;
    expect(per('B')).to.equal(3);
    expect(per('A') + per('C')).to.equal(4);
  });

  it('serves the most urgent needs of an institution first, then the earliest', () => {
    const late = need('A', 'laptop', 3, 100);
    const early = need('A', 'laptop', 3, 1);
    const urgent = need('A', 'laptop', 1, 200);
    const { matches } = proposeAllocation([device(), device()], [late, early, urgent]);
    expect(matches.map((m) => m.needId)).to.deep.equal([urgent.id, early.id]);
    expect(matches.map((m) => m.reason.rank)).to.deep.equal([1, 2]);
    expect(matches[0]!.reason.priority).to.equal(1);
  });

  it('uses an institution’s own stock first, then the office’s oldest devices', () => {
    const own = device('laptop', 'A', 50);
    const oldest = device('laptop', null, 1);
    const newer = device('laptop', null, 99);
    const { matches } = proposeAllocation([newer, own, oldest], [need('A'), need('A')]);
    expect(matches.map((m) => [m.deviceId, m.reason.source])).to.deep.equal([
      [own.id, 'own_stock'],
      [oldest.id, 'office_stock'],
    ]);
  });

  it('gives every need a device when there are enough, and says so', () => {
    const needs = [need('A'), need('B'), need('B')];
    const { matches, summary } = proposeAllocation(many(5, () => device()), needs);
    expect(matches).to.have.length(3);
    expect(matches.every((m) => m.reason.enough)).to.equal(true);
    expect(summary).to.deep.equal([{ type: 'laptop', devices: 5, needs: 3, matched: 3 }]);
  });

  it('proposes nothing without devices or without needs', () => {
    expect(proposeAllocation([], [need('A')]).matches).to.deep.equal([]);
    expect(proposeAllocation([device()], []).matches).to.deep.equal([]);
  });

  it('gives the same proposal for the same data in any order', () => {
    const needs = [...many(13, () => need('A')), ...many(8, () => need('B')), ...many(4, () => need('C'))];
    const devices = many(11, () => device());
    const a = proposeAllocation(devices, needs).matches.map((m) => `${m.needId}:${m.deviceId}`);
    const b = proposeAllocation([...devices].reverse(), [...needs].reverse()).matches.map((m) => `${m.needId}:${m.deviceId}`);
    expect(b).to.deep.equal(a);
  });

  it('fairShares never gives an institution more than its needs', () => {
    const queues = new Map([
      ['A', many(1, () => need('A'))],
      ['B', many(99, () => need('B'))],
    ]);
    const shares = fairShares(queues, 50, 100);
    expect(shares.get('A')).to.be.at.most(1);
    expect((shares.get('A') ?? 0) + (shares.get('B') ?? 0)).to.equal(50);
  });
});
