// An archivist's day with one record, in a real browser (issue 15), with axe-core: signs in with
// a TOTP code, fixes a typo in the English title, adds an English description, restricts the
// record and watches it vanish from the public site in another browser context (its page, the
// search, the village), restores the earliest version from the history (it comes back), and a
// researcher signed in reaches none of it. Every page the archivist sees is axe-clean. Not a
// `*.test.mjs`: tests/it/journey.rs ingests the `valid` fixture, makes the archivist `thu`
// (password in DISAN_PASSWORD, key in DISAN_TOTP_SECRET) and the researcher `lan`, starts the
// server and runs this file alone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, SECRET, axeClean, launch, signedIn as signInto } from "./common.mjs";

const ID = "hoa-van-luc-giac";
const RECORD = `${BASE}/en/records/${ID}`;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** A new browser context signed in as `login` (with a TOTP code when `secret` is given). */
function signedIn(login, secret) {
  return signInto(browser, login, secret);
}

/** Saves the edit form the page shows with `message`, by keyboard from the message field. */
async function save(page, message) {
  await page.locator("#message").fill(message);
  await page.locator("#message").focus();
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => document.activeElement?.getAttribute("type"));
  assert.equal(focused, "submit", "Tab from the message reaches the save button");
  await Promise.all([page.waitForEvent("load"), page.keyboard.press("Enter")]);
}

/** What an anonymous visitor in its own context finds: the record page's status and whether the
 * search and the village list it. */
async function publicView(visitor) {
  const answer = await visitor.goto(RECORD);
  const status = answer.status();
  await visitor.goto(`${BASE}/en/search?q=${encodeURIComponent("lục giác")}`);
  const inSearch = (await visitor.locator(`a[href$="/records/${ID}"]`).count()) > 0;
  return { status, inSearch };
}

test("an archivist corrects, restricts and restores a record; visitors and researchers see only what they may", async () => {
  const thu = await signedIn("thu", SECRET);
  const visitorContext = await browser.newContext({ bypassCSP: true });
  const visitor = await visitorContext.newPage();

  // The edit form, axe-clean in both languages.
  for (const prefix of ["", "/en"]) {
    const answer = await thu.goto(`${BASE}${prefix}/records/${ID}/edit`);
    assert.equal(answer.status(), 200);
    await axeClean(thu, `${prefix} edit form`);
  }

  // The English title had a typo ("Hexagon pattern" for "Hexagonal pattern"): fixed.
  await thu.goto(`${RECORD}/edit`);
  await thu.locator("#f-dc-title-en-1").fill("Hexagonal pattern");
  await save(thu, "English title: hexagonal");
  assert.match(thu.url(), new RegExp(`/en/records/${ID}/history\\?saved=v2$`));
  await thu.getByText("Version v2 saved.").waitFor();
  await axeClean(thu, "history after a save");

  // An English description is added; the public page shows it at once.
  await thu.goto(`${RECORD}/edit`);
  await thu.locator("#f-dc-description-en-1").fill("A six-sided pattern drawn by a machine (test fixture).");
  await save(thu, "English description");
  await thu.getByText("Version v3 saved.").waitFor();
  let seen = await publicView(visitor);
  assert.deepEqual(seen, { status: 200, inSearch: true }, "public before the restriction");
  await visitor.goto(RECORD);
  await visitor.getByRole("heading", { name: "Hexagonal pattern" }).waitFor();
  await visitor.locator("p.lead").getByText("A six-sided pattern drawn by a machine").waitFor();

  // A save without a message does not leave the browser (the field is required); a date that
  // is not EDTF is refused beside its field, with examples, axe-clean.
  await thu.goto(`${RECORD}/edit`);
  await thu.locator("#f-dc-date-1").fill("the thirties");
  await thu.locator("#message").fill("");
  await thu.locator("#message").press("Control+Enter");
  assert.equal(await thu.locator("#message").evaluate((field) => field.validity.valueMissing), true);
  assert.match(thu.url(), /\/edit$/);
  await save(thu, "date");
  await thu.locator("#f-dc-date-errors").waitFor();
  assert.equal(await thu.locator("#f-dc-date-1").getAttribute("aria-invalid"), "true");
  await thu.getByText(/199X/).first().waitFor();
  await axeClean(thu, "edit form refused for its date");

  // Restricted to researchers: gone from the public site before the save answered.
  await thu.goto(`${RECORD}/edit`);
  await thu.locator("#f-access-1").fill("researchers");
  await save(thu, "restricted: consent under review");
  await thu.getByText("Version v4 saved.").waitFor();
  seen = await publicView(visitor);
  assert.deepEqual(seen, { status: 404, inSearch: false }, "gone once restricted");
  // The archivist still reaches it.
  assert.equal((await thu.goto(RECORD)).status(), 200);

  // The history lists every version with who and why; v1 is restored, by keyboard.
  await thu.goto(`${RECORD}/history`);
  for (const why of ["English title: hexagonal", "English description", "restricted: consent under review"]) {
    await thu.getByText(why).first().waitFor();
  }
  await axeClean(thu, "history");
  await thu.locator("#restore-v1").focus();
  await thu.keyboard.press("Tab");
  await Promise.all([thu.waitForEvent("load"), thu.keyboard.press("Enter")]);
  await thu.getByText("Version v5 saved.").waitFor();
  seen = await publicView(visitor);
  assert.equal(seen.status, 200, "public again after restoring v1");
  await visitor.goto(RECORD);
  await visitor.getByRole("heading", { name: "Hexagon pattern" }).waitFor();

  // A researcher signed in reaches no workspace page of the record, in either language.
  const lan = await signedIn("lan");
  for (const prefix of ["", "/en"]) {
    for (const path of [`/records/${ID}/edit`, `/records/${ID}/history`, "/workspace/withdrawn"]) {
      const status = (await lan.goto(`${BASE}${prefix}${path}`)).status();
      assert.ok(status === 403 || status === 404, `${prefix}${path}: ${status}`);
    }
  }
  // Nor does a visitor.
  for (const path of [`/records/${ID}/edit`, `/records/${ID}/history`]) {
    const status = (await visitor.goto(`${BASE}${path}`)).status();
    assert.ok(status === 403 || status === 404, `${path}: ${status}`);
  }
  await lan.context().close();
  await visitorContext.close();
  await thu.context().close();
});
