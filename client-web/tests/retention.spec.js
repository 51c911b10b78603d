// Retention on the facilitator's board: the date the server will erase the
// session (its period after the last activity), a shorter period chosen in
// the settings, and a longer one than the server keeps refused.
import { test, expect } from '@playwright/test';
import { createSessionByApi, openBoardContext } from './helpers.js';
import { openWire } from './wire.js';

test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name !== 'projector', 'one run is enough: it opens its own contexts');
});

const DAY = 24 * 3600 * 1000;
const frenchDate = (ms) => new Intl.DateTimeFormat('fr', { dateStyle: 'long' }).format(new Date(ms));

test('the board says when the session will be erased, and the facilitator may keep it for less', async ({ browser, request }) => {
  const session = await createSessionByApi(request, { private_writing: false });
  const wire = await openWire(browser);
  const host = await wire.join({ facilitator_token: session.facilitator_token });
  const board = await openBoardContext(browser, session);
  try {
    const page = board.page;
    // The server's period (365 days by default), from the last activity.
    await expect(page.locator('#retention')).toHaveValue('365');
    const shorter = await host.op({ kind: 'settings.set', retention_days: 30 });
    await expect(page.locator('#retention')).toHaveValue('30');
    await expect(page.locator('#erase-date')).toHaveText(
      `Effacement automatique le ${frenchDate(shorter.time + 30 * DAY)}, sauf nouvelle activité ou suppression avant.`);

    // From the settings: a shorter period is taken…
    await page.locator('#retention').fill('7');
    await page.locator('#retention-form').getByRole('button', { name: 'Appliquer' }).click();
    await expect(page.locator('#retention')).toHaveValue('7');
    const events = await host.events();
    const last = events.filter((e) => e.op.kind === 'settings.set').at(-1);
    expect(last.op.retention_days).toBe(7);
    await expect(page.locator('#erase-date')).toContainText(frenchDate(last.time + 7 * DAY));

    // …a longer one than the server keeps sessions is refused, and changes nothing.
    await page.locator('#retention').fill('400');
    await page.locator('#retention-form').getByRole('button', { name: 'Appliquer' }).click();
    await expect(page.locator('#control-error')).toHaveText('Une valeur est hors limites.');
    await expect(page.locator('#erase-date')).toContainText(frenchDate(last.time + 7 * DAY));
  } finally {
    await board.context.close();
    await wire.close();
  }
});
