// Playwright as installed for the browser tests, in client-web.
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../client-web/package.json', import.meta.url));
export const { chromium, devices } = require('@playwright/test');
