import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { catalogueText, horizontalOverflow, signIn, trimmed, useBrowserSuite } from '../support/browser.ts';
import { makeInstitution, makeToken, makeUser } from '../support/factories.ts';
import { designateVia, placeVia, requestVia } from '../support/kindergartens.ts';
import { GroupModel } from '../../src/institutions/model.ts';
import { resetData } from '../support/stack.ts';

/** Staff sign in in Latvian. */
const text = (key: string, vars: Record<string, string> = {}) => catalogueText('lv', key, vars);

describe('base kindergarten pages in a browser', function () {
  this.timeout(90_000);
  const suite = useBrowserSuite();
  // The browser suites share one database, and the imports suite counts pupils from an empty one:
  // leave it as empty as it was.
  after(resetData);

  it('a head sends today\'s return on a phone, one group by ticking children, and the coordinator sees it in monitoring', async () => {
    // A kindergarten of its own per run: a small group whose two children are ticked, and a group
    // of three places that gets four children, so the return is over capacity.
    const tag = randomBytes(3).toString('hex').toUpperCase();
    const name = `Bērnudārzs Saulīte ${tag}`;
    const kg = await makeInstitution({ type: 'kindergarten', name });
    await GroupModel.deleteOne({ _id: kg.group!._id });
    const coordinator = await makeUser('coordinator');
    const coordToken = await makeToken(coordinator.email);
    const { groups } = await designateVia(coordToken, kg.code, [{ name: 'Mākonīši', capacity: 2 }, { name: 'Zīļuki', capacity: 3 }], '2020-01-01');
    const small = groups.find((g) => g.name === 'Mākonīši')!;
    const anna = await requestVia(coordToken, { firstName: 'Anna', lastName: `Ābele${tag}` });
    const boriss = await requestVia(coordToken, { firstName: 'Boriss', lastName: `Bērziņš${tag}` });
    await placeVia(coordToken, anna.id, small.id).expect(200);
    await placeVia(coordToken, boriss.id, small.id).expect(200);
    const head = await makeUser('principal', kg.code);

    // A plain small viewport, not mobile emulation, as in the device pages' phone test.
    const page = await suite.open({ viewport: { width: 360, height: 740 } });
    await signIn(page, head);
    await page.getByRole('banner').getByRole('link', { name: text('nav.kindergartens'), exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/kindergartens');
    await page.getByRole('link', { name: text('kindergartens.page.own.todayReturn'), exact: true }).click();
    await page.waitForURL((url) => url.pathname === `/kindergartens/${kg.code}/attendance`);
    expect(await horizontalOverflow(page), 'return form wider than the phone').to.be.at.most(0);

    // The big group by counts.
    const big = page.getByRole('group', { name: 'Zīļuki', exact: true });
    await big.getByLabel(text('kindergartens.page.return.registered'), { exact: true }).fill('4');
    await big.getByLabel(text('kindergartens.page.return.present'), { exact: true }).fill('4');

    // The small group by ticking who is present: the present count follows the ticks.
    const ticked = page.getByRole('group', { name: 'Mākonīši', exact: true });
    await ticked.getByText(text('kindergartens.page.return.ticks'), { exact: true }).click();
    await ticked.getByLabel(`Anna Ābele${tag}`, { exact: true }).check();
    await ticked.getByLabel(`Boriss Bērziņš${tag}`, { exact: true }).check();
    expect(await ticked.getByLabel(text('kindergartens.page.return.useTicks'), { exact: true }).isChecked(), 'counting by ticks').to.equal(true);
    expect(await ticked.getByLabel(text('kindergartens.page.return.present'), { exact: true }).inputValue()).to.equal('2');
    await ticked.getByLabel(text('kindergartens.page.return.registered'), { exact: true }).fill('2');
    expect(await horizontalOverflow(page), 'return form with the ticks open wider than the phone').to.be.at.most(0);

    await page.getByRole('button', { name: text('kindergartens.page.return.submit'), exact: true }).click();
    await page.waitForURL((url) => url.pathname === `/kindergartens/${kg.code}/attendance` && url.searchParams.get('sent') === '1');
    const confirmation = await trimmed(page.locator('#confirmation'));
    expect(confirmation).to.include(text('kindergartens.page.return.acceptedOver'));
    expect(confirmation).to.include(text('kindergartens.page.return.overItem', { group: 'Zīļuki', present: '4', capacity: '3' }));
    expect(confirmation).not.to.include('Mākonīši');
    expect(await page.locator('#confirmation').getAttribute('role')).to.equal('status');
    expect(await horizontalOverflow(page), 'confirmation wider than the phone').to.be.at.most(0);

    // The coordinator's monitoring: present / places of the kindergarten, and its return no longer missing.
    const desk = await suite.open();
    await signIn(desk, coordinator);
    await desk.getByRole('banner').getByRole('link', { name: text('nav.kindergartens'), exact: true }).click();
    await desk.waitForURL((url) => url.pathname === '/kindergartens');
    const section = desk.getByRole('region', { name: name, exact: true });
    expect(await trimmed(section.locator('[data-present-capacity]'))).to.equal(text('kindergartens.page.monitoring.ofPlaces', { present: '6', capacity: '5' }));
    const overRow = section.getByRole('row', { name: /Zīļuki/ });
    expect(await trimmed(overRow)).to.include(text('kindergartens.page.monitoring.state.overCapacity'));
    expect(await overRow.getAttribute('class')).to.include('over');
    expect(await trimmed(desk.locator('#missing'))).not.to.include(name);
  });
});
