// What the browser tests share: the server under test (DISAN_URL), the accounts' password and
// the archivist's TOTP key from the environment, Chromium launched as this machine allows, and
// the axe-core check of WCAG 2.1 A/AA that every page must pass.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** The site under test, the accounts' password and the archivist's TOTP key. */
export const BASE = process.env.DISAN_URL;
export const PASSWORD = process.env.DISAN_PASSWORD;
export const SECRET = process.env.DISAN_TOTP_SECRET;
assert.ok(BASE && PASSWORD && SECRET, "DISAN_URL, DISAN_PASSWORD and DISAN_TOTP_SECRET must be set");

/** Headless Chromium (CHROMIUM, else Debian's /usr/bin/chromium). */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
  });
}

/** Fails with every WCAG 2.1 A/AA violation axe-core finds on `page` (and where). */
export async function axeClean(page, label) {
  await page.addScriptTag({ content: AXE });
  const results = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  const violations = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(", ")})`);
  assert.deepEqual(violations, [], label);
}
