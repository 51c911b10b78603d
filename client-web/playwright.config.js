// Browser tests of the web client against a real `ruche` server, driving
// Debian's Chromium (Playwright never downloads a browser here).
import { defineConfig, devices } from '@playwright/test';

const chromium = {
  executablePath: process.env.RUCHE_CHROMIUM || '/usr/lib/chromium/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
};

export default defineConfig({
  testDir: './tests',
  globalSetup: './tests/global-setup.js',
  timeout: 90_000,
  expect: { timeout: 10_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    // Set by global-setup.js before the workers start (they re-read this file).
    baseURL: process.env.RUCHE_URL,
    launchOptions: chromium,
    locale: 'fr-FR',
    trace: 'off',
    // A click that cannot happen (something covers the target) fails fast.
    actionTimeout: 15_000,
    navigationTimeout: 15_000,
  },
  projects: [
    { name: 'projector', use: { browserName: 'chromium', viewport: { width: 1920, height: 1080 } } },
    // The whole-workshop, offline, QR and walk tests open their own board and
    // phone contexts: running them once, from the projector project, is enough.
    {
      name: 'phone',
      use: { ...devices['Pixel 7'], browserName: 'chromium' },
      testIgnore: /(session|offline|qr|walk|walk-photos)\.spec\.js$/,
    },
  ],
});
