// A small phone (360×740) with its processor slowed down four times, voting
// in a list of 150 items (10 themes of 14 notes). Each tap on a "+" is timed
// from its click to the end of the frame that shows the new count; the
// server's echo of the vote (its event, a moment later) is timed as the
// projector's messages are.
import { devices } from './playwright.mjs';
import { installTimings, timesOf, summary } from './frames.mjs';
import { seedBoard, ideaText } from './seed.mjs';

export async function benchPhone(browser, baseUrl, { themes, notes, taps, slowdown }) {
  const board = await seedBoard(baseUrl, { notes, themes, phase: 'voting' });
  const { defaultBrowserType, ...pixel } = devices['Pixel 7'];
  const context = await browser.newContext({ ...pixel, viewport: { width: 360, height: 740 }, locale: 'fr-FR' });
  const page = await context.newPage();
  let resolveTap = null;
  let resolveEcho = null;
  await page.exposeFunction('benchDone', (record) => {
    if (record.what === 'tap') resolveTap?.(record);
    else if (/"kind":"vote\.add"/.test(record.data)) resolveEcho?.(record);
  });
  await page.addInitScript(installTimings);
  try {
    await page.goto(new URL(`/j/${board.session.join_code.replace(/-/g, '')}`, baseUrl).toString());
    await page.getByRole('button', { name: 'Participer' }).click();
    await page.locator('#dots-left').waitFor();
    await page.waitForFunction((n) => document.querySelectorAll('#vote-list > li').length === n, themes + notes);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: slowdown });
    const tapTimes = [];
    const echoTimes = [];
    for (let k = 0; k < taps; k += 1) {
      // Spread over the list, top to bottom.
      const text = ideaText(Math.floor((k * notes) / taps));
      const plus = page.getByRole('button', { name: `Ajouter une gommette à : ${text}`, exact: true });
      await plus.scrollIntoViewIfNeeded();
      const tapped = new Promise((resolve) => { resolveTap = resolve; });
      const echoed = new Promise((resolve) => { resolveEcho = resolve; });
      await plus.click();
      const tap = await tapped;
      const count = await plus.locator('..').locator('output').textContent();
      if (count !== '1') throw new Error(`the tap on "${text}" shows ${count}`);
      tapTimes.push(timesOf(tap));
      echoTimes.push(timesOf(await echoed));
    }
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    return {
      items: await page.locator('#vote-list > li').count(),
      tap: summary(tapTimes.map((x) => x.latency)),
      tapScript: summary(tapTimes.map((x) => x.script)),
      tapFrame: summary(tapTimes.map((x) => x.frame)),
      echo: summary(echoTimes.map((x) => x.work)),
    };
  } finally {
    await context.close();
  }
}
