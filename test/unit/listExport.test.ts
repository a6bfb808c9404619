import { expect } from 'chai';
import { rigaWallClock } from '../../src/web/listExport.ts';
import { exportValue } from '../../src/shared/xlsxExport.ts';

describe('list exports: cell values', () => {
  it('writes a moment as Riga’s wall clock shows it, summer and winter', () => {
    expect(rigaWallClock(new Date('2024-07-01T09:30:00Z')).toISOString()).to.equal('2024-07-01T12:30:00.000Z');
    expect(rigaWallClock(new Date('2024-01-15T22:30:00Z')).toISOString()).to.equal('2024-01-16T00:30:00.000Z');
  });

  it('keeps text as text, dates as dates, and drops what is no value', () => {
    expect(exportValue('=HYPERLINK("http://x","y")')).to.equal('=HYPERLINK("http://x","y")');
    expect(exportValue(new Date('2024-01-01T00:00:00Z'))).to.be.instanceOf(Date);
    expect(exportValue(new Date('nonsense'))).to.equal(null);
    expect(exportValue(Number.NaN)).to.equal(null);
  });
});
