// Writes static/vendor/bootstrap/bootstrap.steady.min.css: Bootstrap's CSS (this folder's pinned npm package)
// with only the rules Steady's pages can use. Run by `make css`; the output is committed.
//
// PurgeCSS keeps a rule when the words of its selector appear in the content that trim_bootstrap.json lists:
// every template of ours, the Python that sets widget classes, our scripts, the crispy-forms templates that
// `|crispy` and `|as_crispy_field` render (Steady uses no FormHelper layouts) and allauth's account pages
// (drawn with templates/allauth/elements/). Classes no file spells out whole are in its safelist: "show"
// (static/js/menu.js opens the phone menu with it) and alert-{{ message.level_tag }} in templates/base.html.
// tests/test_trimmed_bootstrap.py reads the same list and fails when a rule that the content needs is missing.
//
// Usage: node trim_bootstrap.mjs SITE_PACKAGES  (the folder holding crispy_bootstrap5 and allauth)
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PurgeCSS } from "purgecss";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const sitePackages = process.argv[2];
if (!sitePackages) throw new Error("usage: node trim_bootstrap.mjs SITE_PACKAGES");

const config = JSON.parse(readFileSync(join(here, "trim_bootstrap.json")));
const source = join(here, "node_modules", "bootstrap", "dist", "css", "bootstrap.min.css");
const output = join(root, "static", "vendor", "bootstrap", "bootstrap.steady.min.css");
const version = JSON.parse(readFileSync(join(here, "node_modules", "bootstrap", "package.json"))).version;

const [result] = await new PurgeCSS().purge({
  content: [
    ...config.content.map((glob) => join(root, glob)),
    ...config.site_packages_content.map((glob) => join(sitePackages, glob)),
  ],
  css: [source],
  safelist: { standard: config.safelist },
  keyframes: true,
  fontFace: true,
});

// @charset must stay first; the source map of the whole file would not fit this one.
const css = result.css
  .replace(/^@charset "UTF-8";/, "")
  .replace(/\/\*# sourceMappingURL=[^*]*\*\/\s*$/, "")
  .trim();
const header =
  `/* Bootstrap ${version}, trimmed to the rules Steady uses: made by \`make css\` ` +
  `(tests/web_tools/trim_bootstrap.mjs). Do not edit; run \`make css\` after adding a Bootstrap class. */\n`;
writeFileSync(output, `@charset "UTF-8";\n${header}${css}\n`);
const kib = (bytes) => (bytes / 1024).toFixed(1);
console.log(`${output}: ${kib(Buffer.byteLength(header + css))} KiB (Bootstrap ${version}: ${kib(readFileSync(source).length)} KiB)`);
