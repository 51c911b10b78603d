// The privacy page ("Vos données"): text only, in the chosen language.

import { loadLanguage, setupLanguageSwitch } from './i18n.js';

await loadLanguage();
setupLanguageSwitch(document.getElementById('lang-switch'));
