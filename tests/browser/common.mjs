// What the browser tests share: the server under test (DISAN_URL), the accounts' password and
// the archivist's TOTP key from the environment, Chromium launched as this machine allows,
// signing in by the login form, and the axe-core check of WCAG 2.1 A/AA that every page must pass.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { totp } from "./totp.mjs";

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

/**
 * A page in a new context of `browser`, signed in as `login` through /en/login (with a TOTP code
 * from `secret` when given: an archivist's first sign-in with a code completes the enrolment).
 * The context bypasses the site's Content-Security-Policy, which forbids the inline script axe
 * is injected as; `page.context()` opens more pages signed in alike.
 */
export async function signedIn(browser, login, secret) {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(BASE + "/en/login");
  await page.getByLabel("Login").fill(login);
  await page.getByLabel("Password").fill(PASSWORD);
  if (secret) await page.getByLabel("Code from your authenticator app").fill(totp(secret, Date.now()));
  await Promise.all([page.waitForEvent("load"), page.getByLabel("Password").press("Enter")]);
  await page.goto(BASE + "/en/account");
  await page.getByText(new RegExp(`Signed in as ${login} \\(`)).waitFor();
  return page;
}
