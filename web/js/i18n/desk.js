// Strings of the console's desk screens, merged into the one catalogue by ../i18n.js.
// Same keys in both languages (tests/browser/catalogue.test.mjs checks it).
export default {
  'zh-CN': {
  },
  en: {
  },
};
