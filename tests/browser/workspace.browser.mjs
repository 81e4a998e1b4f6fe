// The workspace's authority pages (issue 15) in a real browser, with axe-core: an archivist
// signs in with a TOTP code, opens the edit and history pages of a village, a craft, an artisan
// and a product in both languages (axe-clean), fixes a village's English name by keyboard alone,
// gets a wrong position refused beside its field, meets a conflict, and restores. Not a
// `*.test.mjs`: tests/it/workspace_authorities.rs (`authority_pages_work_in_a_real_browser`)
// ingests the `vocabulary` fixture, makes the archivist (password in DISAN_PASSWORD, key in
// DISAN_TOTP_SECRET), starts the server and runs this file alone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, SECRET, axeClean, launch, signedIn } from "./common.mjs";

const AUTHORITIES = [
  "/villages/lang-thu-1", "/crafts/nghe-thu-1", "/artisans/nghe-nhan-thu-2",
  "/products/san-pham-thu-4-sao",
];

let browser;
let context;
before(async () => {
  browser = await launch();
  // The archivist's first sign-in with a code completes the enrolment.
  const page = await signedIn(browser, "thu", SECRET);
  context = page.context();
  await page.close();
});
after(async () => { await browser?.close(); });

/** Presses Enter on the form's submit button, reached by Tab from the message. */
async function submitByKeyboard(page) {
  await page.locator("#message").focus();
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => document.activeElement?.getAttribute("type"));
  assert.equal(focused, "submit", "Tab from the message reaches the save button");
  // The page already loaded is "load"ed: wait for the next document's load event, which the
  // answer to the POST (the history after a redirect, or the form again) fires.
  await Promise.all([page.waitForEvent("load"), page.keyboard.press("Enter")]);
}

test("every authority's edit and history pages are axe-clean in both languages", async () => {
  const page = await context.newPage();
  for (const prefix of ["", "/en"]) {
    for (const path of AUTHORITIES) {
      for (const what of ["edit", "history"]) {
        const url = `${BASE}${prefix}${path}/${what}`;
        const answer = await page.goto(url);
        assert.equal(answer.status(), 200, url);
        await axeClean(page, url);
      }
    }
  }
  await page.close();
});

test("an archivist fixes a village's English name by keyboard, meets errors and a conflict, and restores", async () => {
  const page = await context.newPage();
  const edit = `${BASE}/en/villages/lang-thu-1/edit`;
  await page.goto(edit);
  await page.locator("#f-name-en-1").fill("Test village one");
  await page.locator("#message").fill("English name");
  await submitByKeyboard(page);
  assert.match(page.url(), /\/en\/villages\/lang-thu-1\/history\?saved=v2$/);
  await page.getByText("Version v2 saved.").waitFor();
  await axeClean(page, "history after a save");
  await page.goto(`${BASE}/en/villages/lang-thu-1`);
  await page.getByRole("heading", { name: "Test village one" }).waitFor();

  // A position with a decimal comma: refused beside its field, axe-clean.
  await page.goto(edit);
  await page.locator("#f-latitude-1").fill("20,5");
  await page.locator("#f-longitude-1").fill("105.9");
  await page.locator("#message").fill("position");
  await submitByKeyboard(page);
  await page.locator("#f-latitude-errors").getByText(/decimal comma/).waitFor();
  assert.equal(await page.locator("#f-latitude-1").getAttribute("aria-invalid"), "true");
  await axeClean(page, "edit form with errors");

  // Two forms made from v2: the second save is refused with both changes, axe-clean.
  const other = await context.newPage();
  await page.goto(edit);
  await other.goto(edit);
  await other.locator("#f-commune-2025-1").fill("Xã thử mới một");
  await other.locator("#message").fill("new commune");
  await submitByKeyboard(other);
  assert.match(other.url(), /saved=v3$/);
  await page.locator("#f-province-2025-1").fill("Tỉnh thử mới nhất");
  await page.locator("#message").fill("new province");
  await submitByKeyboard(page);
  await page.getByText(/someone else changed the record from v2 to v3/).waitFor();
  await axeClean(page, "conflict");
  await other.close();

  // Restore v1 from the history, by keyboard.
  await page.goto(`${BASE}/en/villages/lang-thu-1/history`);
  await page.locator("#restore-v1").focus();
  await page.keyboard.press("Tab");
  await Promise.all([page.waitForLoadState("load"), page.keyboard.press("Enter")]);
  await page.getByText("Version v4 saved.").waitFor();
  await page.goto(`${BASE}/en/villages/lang-thu-1`);
  await page.getByRole("heading", { name: "Test village 1" }).waitFor();
  await page.close();
});
