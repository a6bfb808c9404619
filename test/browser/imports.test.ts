import fs from 'node:fs';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { fixture } from '../support/imports.ts';
import { catalogueText, useBrowserSuite } from '../support/browser.ts';
import { PupilModel } from '../../src/pupils/model.ts';
import { ImportModel } from '../../src/imports/model.ts';
import { stack } from '../support/stack.ts';

/** Texts come from the Latvian catalogue, so the test follows any rewording of the pages. */
const text = (key: string, vars: Record<string, string> = {}) => catalogueText('lv', key, vars);

/** The import pages ask every 2 s until the worker is done, then reload; give that room. */
const FINISHED_TIMEOUT = 45_000;

const FIXTURE = 'device-needs-title-row-phones-as-numbers-one-bad-check-digit.xlsx';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A cell's value as plain text (rich text and formulas included). */
function cellText(cell: ExcelJS.Cell): string {
  return (cell.text ?? '').trim();
}

describe('spreadsheet imports in a browser (upload, preview, apply, report)', function () {
  this.timeout(120_000);

  const suite = useBrowserSuite();
  let page: Page;

  async function signIn(): Promise<void> {
    await page.goto('/signin');
    await page.getByLabel(text('signin.email'), { exact: true }).fill(suite.principal.email);
    await page.getByLabel(text('signin.password'), { exact: true }).fill(suite.principal.password);
    await page.getByRole('button', { name: text('signin.submit'), exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/dashboard');
  }

  function summary(key: string) {
    return page.locator(`[data-summary="${key}"]`);
  }

  async function summaryValue(key: string): Promise<string> {
    return ((await summary(key).textContent()) ?? '').trim();
  }

  it('previews a device-needs list with one bad personal code, applies it and downloads the report', async () => {
    page = await suite.open({ acceptDownloads: true });
    await signIn();

    // The upload page from the header navigation.
    await page.getByRole('banner').getByRole('link', { name: text('nav.imports'), exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/imports');

    await page.getByLabel(text('imports.page.kind'), { exact: true }).selectOption('device-needs');
    await page.getByLabel(text('imports.page.file'), { exact: true }).setInputFiles({ name: FIXTURE, mimeType: XLSX, buffer: fixture(FIXTURE) });
    await page.getByRole('button', { name: text('imports.page.preview'), exact: true }).click();

    // The preview page updates itself until the worker has finished, then shows the summary.
    await page.waitForURL((url) => /^\/imports\/[^/]+$/.test(url.pathname));
    const previewPath = new URL(page.url()).pathname;
    await summary('rows').waitFor({ timeout: FINISHED_TIMEOUT });
    expect(await summaryValue('rows'), 'rows').to.equal('9');
    expect(await summaryValue('rejected'), 'rejected').to.equal('1');

    // The bad check digit is listed with the row number Excel shows and the column's own header.
    const checkDigit = text('imports.issues.personal_code_check_digit', { column: 'Personas kods' });
    const issueRows = await page.locator('table.issues tbody tr').evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => (td.textContent ?? '').trim())),
    );
    expect(issueRows).to.deep.include(['11', 'Personas kods', text('imports.page.error'), checkDigit]);

    // A preview saves nothing (counted in this principal's institution: other suites share the database).
    const mine = { institution: suite.principal.user.institution };
    expect(await PupilModel.countDocuments(mine)).to.equal(0);

    // Apply: a new import runs for real, on its own page.
    await page.getByRole('button', { name: text('imports.page.apply'), exact: true }).click();
    await page.waitForURL((url) => /^\/imports\/[^/]+$/.test(url.pathname) && url.pathname !== previewPath);
    await summary('created').waitFor({ timeout: FINISHED_TIMEOUT });
    expect(await summaryValue('created'), 'created').to.equal('8');
    expect(await PupilModel.countDocuments(mine)).to.equal(8);

    // The report: the original sheet with an errors column at the end.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: text('imports.page.report'), exact: true }).click(),
    ]);
    const reportPath = await download.path();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync(reportPath) as unknown as ArrayBuffer);
    const ws = wb.worksheets.find((s) => s.actualRowCount > 0);
    expect(ws, 'a sheet with rows in the report').to.not.equal(undefined);
    const sheet = ws!;

    // The header row is the one that names the columns (a title row above it may or may not be kept).
    let headerRowNumber = 0;
    sheet.eachRow((row, n) => {
      if (!headerRowNumber && Array.from({ length: row.cellCount }, (_, i) => cellText(row.getCell(i + 1))).includes('Personas kods')) headerRowNumber = n;
    });
    expect(headerRowNumber, 'header row in the report').to.be.greaterThan(0);
    const header = sheet.getRow(headerRowNumber);
    const errorsCol = header.cellCount;
    expect(cellText(header.getCell(errorsCol))).to.equal(text('imports.report.errorsColumn'));

    let otoRow: ExcelJS.Row | undefined;
    sheet.eachRow((row, n) => {
      if (n <= headerRowNumber || otoRow) return;
      for (let i = 1; i < errorsCol; i++) if (cellText(row.getCell(i)) === 'Oto') otoRow = row;
    });
    expect(otoRow, 'the row of the pupil «Oto» in the report').to.not.equal(undefined);
    expect(cellText(otoRow!.getCell(errorsCol))).to.include(checkDigit);
  });

  it('updates a waiting import’s bar in place, without reloading the page, and shows the summary once it has run', async () => {
    page = await suite.open();
    await signIn();
    // Held in the queue, so the page shows it waiting.
    await stack().jobs.worker.pause();
    try {
      await page.goto('/imports');
      await page.getByLabel(text('imports.page.kind'), { exact: true }).selectOption('device-needs');
      await page.getByLabel(text('imports.page.file'), { exact: true }).setInputFiles({ name: FIXTURE, mimeType: XLSX, buffer: fixture(FIXTURE) });
      await page.getByRole('button', { name: text('imports.page.preview'), exact: true }).click();
      await page.waitForURL((url) => /^\/imports\/[^/]+$/.test(url.pathname));
      const id = new URL(page.url()).pathname.split('/').pop()!;
      const label = page.locator('[data-label]');
      expect(((await label.textContent()) ?? '').trim()).to.equal(text('imports.page.checking', { checked: '0' }));
      expect(await page.locator('progress#progress').getAttribute('value'), 'a busy bar has no value').to.equal(null);
      // A page that reloads loses this mark.
      await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

      // The progress as a worker half-way through would have recorded it.
      await ImportModel.updateOne({ _id: id }, { $set: { 'progress.total': 9, 'progress.processed': 4 } });
      await page.waitForFunction(() => document.querySelector('progress#progress')?.getAttribute('value') === '4', undefined, { timeout: 10_000 });
      expect(((await label.textContent()) ?? '').trim()).to.equal(text('imports.page.progress', { processed: '4', total: '9' }));
      expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed), 'updated in place').to.equal(true);
    } finally {
      stack().jobs.worker.resume();
    }
    await summary('rows').waitFor({ timeout: FINISHED_TIMEOUT });
    expect(await summaryValue('rows')).to.equal('9');
  });

  describe('on a phone-sized screen', () => {
    it('shows the upload page and an import of a long-named file without horizontal scrolling', async () => {
      // A plain small viewport, not mobile emulation: with `isMobile` the browser zooms out to fit
      // wide content, window.innerWidth grows with it, and an overflow would go unnoticed.
      page = await suite.open({ viewport: { width: 360, height: 640 } });
      await signIn();
      const width = () => page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));

      await page.goto('/imports');
      await page.getByLabel(text('imports.page.file'), { exact: true }).waitFor();
      const upload = await width();
      expect(upload.scrollWidth, 'upload page width').to.be.at.most(upload.innerWidth);

      // File names as people save them: long, without a space to break at.
      const name = `Saraksts_${'planšetes_un_datori_'.repeat(5)}2026.xlsx`;
      await page.getByLabel(text('imports.page.file'), { exact: true }).setInputFiles({ name, mimeType: XLSX, buffer: fixture(FIXTURE) });
      await page.getByRole('button', { name: text('imports.page.preview'), exact: true }).click();
      await summary('rows').waitFor({ timeout: FINISHED_TIMEOUT });
      const detail = await width();
      expect(detail.scrollWidth, 'import page width').to.be.at.most(detail.innerWidth);
    });

    it('sets the summary two to a row, and in Russian on the narrowest phones its longest word stays inside', async () => {
      page = await suite.open({ viewport: { width: 320, height: 640 } });
      await signIn();
      await page.goto('/imports');
      await page.getByLabel(text('imports.page.file'), { exact: true }).setInputFiles({ name: FIXTURE, mimeType: XLSX, buffer: fixture(FIXTURE) });
      await page.getByRole('button', { name: text('imports.page.preview'), exact: true }).click();
      await summary('rows').waitFor({ timeout: FINISHED_TIMEOUT });
      const path = new URL(page.url()).pathname;
      await page.goto(`/lang/ru?next=${encodeURIComponent(path)}`);
      await page.waitForURL((url) => url.pathname === path);
      await summary('warnings').waitFor();

      // Six counts one under another would put Save and the problems six screens down.
      const tops = await page.locator('.tiles.summary .tile').evaluateAll((tiles) => tiles.map((el) => Math.round(el.getBoundingClientRect().top)));
      expect(tops, 'six counts').to.have.length(6);
      expect(tops[1], 'the second count beside the first').to.equal(tops[0]);
      // "Предупреждения" at the page's usual size is wider than a tile on a 320-pixel screen.
      const sizes = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
      expect(sizes.scrollWidth, 'page width in Russian').to.be.at.most(sizes.innerWidth);
      const warnings = page.locator('.tiles.summary .tile').nth(5);
      const inside = await warnings.evaluate((tile) => {
        const label = tile.querySelector('.label')!;
        return label.scrollWidth <= label.clientWidth && label.getBoundingClientRect().right <= tile.getBoundingClientRect().right;
      });
      expect(inside, 'the warnings label inside its tile').to.equal(true);
    });
  });
});
