// The workspace's staff list and audit pages (issue 15) in a real browser, with axe-core: an
// archivist signs in with a TOTP code, follows the header's link to the staff list, filters it
// by keyboard alone, and opens the whole archive's and one record's audit log in both languages
// (every page axe-clean, WCAG 2.1 A/AA), then takes the CSV and JSON exports with the session's
// cookie. Not a `*.test.mjs`: tests/it/workspace_staff.rs (`staff_pages_work_in_a_real_browser`)
// ingests the sample collection, makes the archivist (password in DISAN_PASSWORD, key in
// DISAN_TOTP_SECRET), starts the server and runs this file alone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, SECRET, axeClean, launch, signedIn } from "./common.mjs";

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

/** Opens `path` (under BASE), expects a 200 and an axe-clean page. */
async function open(page, path) {
  const answer = await page.goto(BASE + path);
  assert.equal(answer.status(), 200, path);
  await axeClean(page, path);
}

test("the staff list is reached from the header, filtered by keyboard and axe-clean in both languages", async () => {
  const page = await context.newPage();
  await page.goto(BASE + "/en/villages");
  await Promise.all([
    page.waitForURL(BASE + "/en/workspace"),
    page.getByRole("link", { name: "Workspace", exact: true }).click(),
  ]);
  await page.getByText(/^\d+ records\.$/).waitFor();
  await axeClean(page, "/en/workspace");

  // Keyboard alone: choose "Any problem", then Enter in the words field submits the GET form.
  await page.getByLabel("Problems").focus();
  await page.getByLabel("Problems").selectOption("any");
  await page.getByLabel("Words").focus();
  await Promise.all([page.waitForURL(/\/en\/workspace\?.*problem=any/), page.keyboard.press("Enter")]);
  assert.equal(await page.getByLabel("Problems").inputValue(), "any", "the choice is kept");
  await axeClean(page, "/en/workspace?problem=any");

  for (const path of [
    "/workspace",
    "/workspace?problem=any&sort=oldest",
    "/workspace?access=withdrawn",
    "/en/workspace?since=soon",
    "/workspace?kind=dragon",
  ]) {
    await open(page, path);
  }
  // A filter that means nothing is said, as an alert.
  await page.goto(BASE + "/en/workspace?kind=dragon");
  await page.getByRole("alert").filter({ hasText: "The filter kind = “dragon” means nothing here" }).waitFor();
  await page.close();
});

test("the audit pages are axe-clean in both languages and export what they list", async () => {
  const page = await context.newPage();
  await open(page, "/en/workspace/audit");
  await open(page, "/workspace/audit");
  await open(page, "/en/workspace/audit?type=fix&outcome=suc");
  await open(page, "/workspace/audit?type=xyz");
  // One record's log, reached from the archive's.
  await page.goto(BASE + "/en/workspace/audit?type=ing");
  const recordAudit = await page.locator("table.audit-log a").first().getAttribute("href");
  assert.match(recordAudit, /^\/en\/records\/[a-z0-9-]+\/audit$/);
  await open(page, recordAudit);
  await page.getByRole("heading", { level: 1, name: /^Audit log of record / }).waitFor();
  await open(page, recordAudit.replace(/^\/en/, ""));
  await open(page, recordAudit.replace(/^\/en/, "") + "?type=mem");

  // The exports, with this browser's session.
  const csv = await context.request.get(BASE + recordAudit + "?format=csv&type=ing");
  assert.equal(csv.status(), 200);
  assert.equal(csv.headers()["content-type"], "text/csv; charset=utf-8");
  const lines = (await csv.text()).trim().split("\n");
  assert.match(lines[0], /^dateTime,eventIdentifier,eventType,/);
  assert.equal(lines.length, 2, "one ingestion event");
  assert.match(lines[1], /,ing,ingestion,/);
  const json = await context.request.get(BASE + recordAudit + "?format=json");
  assert.equal(json.status(), 200);
  const events = await json.json();
  assert.ok(events.length > 1 && events.every((e) => e.object.id.startsWith("urn:disan:record:")));
  await page.close();
});

test("a visitor without an account meets the site's 404 on every staff page", async () => {
  const stranger = await browser.newContext();
  const page = await stranger.newPage();
  for (const path of ["/workspace", "/en/workspace", "/workspace/audit", "/en/workspace/audit?format=csv"]) {
    const answer = await page.goto(BASE + path);
    assert.equal(answer.status(), 404, path);
  }
  await stranger.close();
});
