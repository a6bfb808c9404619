import { expect } from 'chai';
import { mapLimit } from '../../src/shared/concurrency.ts';

const tick = () => new Promise((r) => setImmediate(r));

describe('mapLimit', () => {
  it('keeps the order of the results with at most `limit` calls in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      most = Math.max(most, ++inFlight);
      for (let i = 0; i < n; i++) await tick();
      inFlight -= 1;
      return n * 10;
    });
    expect(out).to.deep.equal([50, 10, 40, 20, 30]);
    expect(most).to.equal(2);
  });

  it('after a failure starts nothing new, and throws only once the calls already started have ended', async () => {
    const started: number[] = [];
    const ended: number[] = [];
    const run = mapLimit([0, 1, 2, 3, 4, 5], 3, async (n) => {
      started.push(n);
      if (n === 0) throw new Error('database away');
      for (let i = 0; i < 5; i++) await tick();
      ended.push(n);
      return n;
    });
    const err = await run.then(() => null, (e: Error) => e);
    expect(err?.message).to.equal('database away');
    expect(started).to.deep.equal([0, 1, 2]);
    expect(ended.sort()).to.deep.equal([1, 2]);
  });
});
