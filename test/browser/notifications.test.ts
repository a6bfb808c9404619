import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { catalogueText, horizontalOverflow, signIn, trimmed, useBrowserSuite } from '../support/browser.ts';
import { makeUser } from '../support/factories.ts';
import { testPersonalCodeKey } from '../support/jobs.ts';
import { resetData } from '../support/stack.ts';
import { MessageModel, OptOutModel } from '../../src/notifications/model.ts';
import { messageId } from '../../src/notifications/messageService.ts';
import { contactHash } from '../../src/notifications/contacts.ts';

/** Staff sign in in Latvian. */
const text = (key: string, vars: Record<string, string> = {}) => catalogueText('lv', key, vars);

/** A message in the log as the senders leave it. */
async function message(tag: string, n: number, status: 'failed' | 'delivered', address: string) {
  const key = `browser.test:${tag}:${n}|guardian:${tag}${n}|email`;
  await MessageModel.create({
    _id: messageId(key),
    key,
    event: `browser.test:${tag}:${n}`,
    template: 'device_ready_for_pickup',
    essential: true,
    language: 'lv',
    channel: 'email',
    recipient: { kind: 'guardian', address, name: `Inese ${tag}` },
    subject: 'Ierīce gatava saņemšanai',
    body: `Labdien! Ierīce, kas paredzēta Annai ${tag}, ir gatava saņemšanai.`,
    status,
    attempts: status === 'failed' ? 3 : 1,
    failure: status === 'failed' ? { code: 'recipient_rejected', message: '550 mailbox unavailable' } : { code: null, message: null },
  });
  return messageId(key);
}

describe('notification pages in a browser', function () {
  this.timeout(90_000);
  const suite = useBrowserSuite();
  after(resetData);

  it('a coordinator filters the log by status, opens a failed message and sends it again', async () => {
    const tag = randomBytes(3).toString('hex');
    const failed = await message(tag, 1, 'failed', `vecaks-${tag}@example.lv`);
    const delivered = await message(tag, 2, 'delivered', `cits-${tag}@example.lv`);
    const coord = await makeUser('coordinator');

    const page = await suite.open();
    await signIn(page, coord);
    await page.getByRole('banner').getByRole('link', { name: text('nav.messages'), exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/notifications');
    expect(await page.locator(`tr[data-message="${delivered}"]`).count()).to.equal(1);

    await page.getByLabel(text('notifications.page.log.status'), { exact: true }).selectOption('failed');
    await page.getByRole('button', { name: text('notifications.page.log.show'), exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/notifications' && url.searchParams.get('status') === 'failed');
    const rows = page.locator('#messages tbody tr');
    expect(await rows.count()).to.be.greaterThan(0);
    for (const status of await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status')))) expect(status).to.equal('failed');
    expect(await page.locator(`tr[data-message="${delivered}"]`).count()).to.equal(0);
    const row = page.locator(`tr[data-message="${failed}"]`);
    expect(await trimmed(row)).to.include(`vecaks-${tag}@example.lv`).and.to.include(text('notifications.page.templates.device_ready_for_pickup')).and.to.include(text('notifications.page.failures.recipient_rejected'));

    await row.getByRole('link').click();
    await page.waitForURL((url) => url.pathname === `/notifications/messages/${failed}`);
    expect(await trimmed(page.locator('#message-body'))).to.include(`Annai ${tag}`);
    expect(await trimmed(page.locator('dd[data-field="status"]'))).to.equal(text('notifications.page.statuses.failed'));

    await page.getByRole('button', { name: text('notifications.page.message.resend'), exact: true }).click();
    await page.waitForURL((url) => url.pathname === `/notifications/messages/${failed}` && url.searchParams.get('done') === 'resent');
    expect(await trimmed(page.getByRole('status'))).to.equal(text('notifications.page.message.resent'));
    expect(await trimmed(page.locator('dd[data-field="status"]'))).to.equal(text('notifications.page.statuses.queued'));
    expect(await page.getByRole('button', { name: text('notifications.page.message.resend'), exact: true }).count()).to.equal(0);
    expect((await MessageModel.findById(failed).lean())!.status).to.equal('queued');
  });

  it('a coordinator on the narrowest phone reads a message and the templates, their long keys and links broken to fit', async () => {
    const tag = randomBytes(3).toString('hex');
    const id = await message(tag, 3, 'delivered', `vecaks-${tag}@example.lv`);
    // An event key and an opt-out address as long as real ones, with nowhere to break.
    const event = `reminder.returns_overdue:2026-11-25:${'6745a0baedde316d'.repeat(2)}`;
    await MessageModel.updateOne({ _id: id }, { $set: { event, body: `Labdien!\n\nJa nevēlaties saņemt šādus paziņojumus: http://127.0.0.1:3000/notifications/opt-out/${'e'.repeat(43)}` } });
    const coord = await makeUser('coordinator');
    const page = await suite.open({ viewport: { width: 320, height: 640 } });
    await signIn(page, coord);
    await page.goto(`/notifications/messages/${id}`);
    expect(await trimmed(page.locator('#message-body'))).to.include('opt-out');
    expect(await page.getByText(event).count(), 'the event key, whole').to.equal(1);
    expect(await horizontalOverflow(page), 'message page wider than the phone').to.be.at.most(0);
    await page.goto('/notifications/templates');
    expect(await page.locator('section.template').count()).to.be.greaterThan(0);
    expect(await horizontalOverflow(page), 'templates page wider than the phone').to.be.at.most(0);
  });

  it('a parent opens the opt-out link on a phone and confirms; nothing is wider than the screen', async () => {
    const address = `vecaks-${randomBytes(3).toString('hex')}@example.lv`;
    const token = contactHash(testPersonalCodeKey, address);
    const page = await suite.open({ viewport: { width: 360, height: 740 } });
    await page.goto(`/notifications/opt-out/${token}`);
    expect(await trimmed(page.getByRole('heading', { level: 1 }))).to.equal(text('notifications.page.optOut.title'));
    expect(await trimmed(page.locator('#opt-out-intro'))).to.equal(text('notifications.page.optOut.intro'));
    expect(await horizontalOverflow(page), 'opt-out page wider than the phone').to.be.at.most(0);

    await page.getByRole('button', { name: text('notifications.page.optOut.confirm'), exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('done') === 'confirmed');
    expect(await trimmed(page.getByRole('status'))).to.equal(text('notifications.page.optOut.done'));
    expect(await page.getByRole('button', { name: text('notifications.page.optOut.confirm'), exact: true }).count()).to.equal(0);
    expect(await horizontalOverflow(page), 'confirmation wider than the phone').to.be.at.most(0);
    expect(await OptOutModel.countDocuments({ contactHash: token, via: 'link' })).to.equal(1);
  });
});
