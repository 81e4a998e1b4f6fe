// The workspace's upload journey (issue 15, upload) in a real browser, with axe-core: an
// archivist signs in with a TOTP code, reads the limits on the upload page, uploads a folder of
// three files (its sheet and two photographs, one row with a wrong access level) through the
// site's own resumable-upload script, makes them a batch, reads the dry run's report naming the
// bad row by file, row and column, fixes the row on the batch's page, checks again, confirms,
// follows the background ingest to its kept report and finds the records. axe-core on the upload
// page (both languages, empty and with uploads) and on the batch page (report, corrected,
// ingested). Then, with JavaScript off, an upload and an unconfirmed batch are cancelled with
// their forms (axe-core on both pages after). Then a 21 GiB file (sparse) is refused by the page
// before a byte is sent, with the limit in words. Not a `*.test.mjs`: tests/it/uploads/runs.rs
// (`the_upload_journey_works_in_a_real_browser`)
// ingests the `valid` fixture, makes the archivist (password in DISAN_PASSWORD, key in
// DISAN_TOTP_SECRET), starts `disan serve` and runs this file alone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { closeSync, copyFileSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { totp } from "./totp.mjs";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const BASE = process.env.DISAN_URL;
const PASSWORD = process.env.DISAN_PASSWORD;
const SECRET = process.env.DISAN_TOTP_SECRET;
assert.ok(BASE && PASSWORD && SECRET, "DISAN_URL, DISAN_PASSWORD and DISAN_TOTP_SECRET must be set");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const OBJECTS = fileURLToPath(new URL("../fixtures/batches/bad-rows/objects/", import.meta.url));

const SHEET = (access) =>
  "filename,dc.title,dc.date,kind,village,craft,access\n" +
  "objects/cho-gom.jpg,Chợ gốm sáng sớm,2021-05-02,photo,,,public\n" +
  `objects/lo-nung.jpg,Lò nung cũ,2021-05-03,photo,,,${access}\n`;

let browser;
let context;
let folder;
before(async () => {
  // The archivist's folder on their computer: lo-cho/ with its sheet and two photographs.
  folder = mkdtempSync(join(tmpdir(), "disan-upload-"));
  mkdirSync(join(folder, "lo-cho/metadata"), { recursive: true });
  mkdirSync(join(folder, "lo-cho/objects"), { recursive: true });
  writeFileSync(join(folder, "lo-cho/metadata/metadata.csv"), SHEET("privat"));
  copyFileSync(join(OBJECTS, "tot.jpg"), join(folder, "lo-cho/objects/cho-gom.jpg"));
  copyFileSync(join(OBJECTS, "f.jpg"), join(folder, "lo-cho/objects/lo-nung.jpg"));

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
  });
  // axe-core is injected as an inline script, which the site's policy forbids.
  context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(BASE + "/en/login");
  await page.getByLabel("Login").fill("thu");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("Code from your authenticator app").fill(totp(SECRET, Date.now()));
  await page.getByLabel("Password").press("Enter");
  await page.waitForLoadState();
  await page.goto(BASE + "/en/account");
  await page.getByText("Signed in as thu (archivist).").waitFor();
  await page.close();
});
after(async () => {
  await browser?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

async function axeClean(page, label) {
  await page.addScriptTag({ content: AXE });
  const results = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  const violations = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(", ")})`);
  assert.deepEqual(violations, [], label);
}

test("an archivist uploads a batch, fixes its bad row, confirms and finds the records", async () => {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));

  // The limits are stated before anything is sent; the empty page is axe-clean in both languages.
  for (const prefix of ["", "/en"]) {
    const answer = await page.goto(`${BASE}${prefix}/workspace/uploads`);
    assert.equal(answer.status(), 200);
    await axeClean(page, `${prefix}/workspace/uploads, empty`);
  }
  await page.getByText(/One file may hold at most 20 GiB/).waitFor();

  // The folder, chosen with the folder picker, sent by the site's resumable-upload script; the
  // page shows itself again with the three finished uploads, ready to be made a batch.
  await page.locator("#upload-folder").setInputFiles(join(folder, "lo-cho"));
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await page.locator("input[name=upload]").nth(2).waitFor({ timeout: 30000 });
  assert.equal(await page.locator("input[name=upload]").count(), 3);
  for (const name of ["lo-cho/metadata/metadata.csv", "lo-cho/objects/cho-gom.jpg", "lo-cho/objects/lo-nung.jpg"]) {
    await page.getByRole("checkbox", { name }).waitFor();
  }
  await axeClean(page, "/en/workspace/uploads with three uploads");

  // Made a batch: the dry run's report names the bad row by file, row and column.
  await Promise.all([
    page.waitForURL(/\/en\/workspace\/batches\/[0-9a-f]{32}$/),
    page.getByRole("button", { name: "Check these uploads as a batch" }).click(),
  ]);
  await page.getByRole("heading", { name: "Batch lo-cho" }).waitFor();
  const row = page.locator("tr", { hasText: "is not an access level" });
  assert.deepEqual(
    (await row.locator("td").allInnerTexts()).slice(0, 4),
    ["error", "metadata/metadata.csv", "3", "access"],
  );
  await page.getByText("Records added: 1, updated: 0, unchanged: 0; errors: 1.").waitFor();
  await axeClean(page, "batch page: the dry run's report");

  // The row fixed on the page, the batch checked again: nothing left, still nothing written.
  const sheet = page.getByRole("textbox", { name: "metadata/metadata.csv" });
  const text = await sheet.inputValue();
  assert.match(text, /Lò nung cũ,2021-05-03,photo,,,privat/);
  await sheet.fill(text.replace(",privat", ",public"));
  await Promise.all([
    page.waitForLoadState("load"),
    page.getByRole("button", { name: "Save the sheet and check again" }).click(),
  ]);
  await page.getByText("No problems.").waitFor();
  await page.getByText("Records added: 2, updated: 0, unchanged: 0; errors: 0.").waitFor();
  await axeClean(page, "batch page: checked again");
  const visitor = await browser.newContext();
  const outside = await visitor.newPage();
  assert.equal((await outside.goto(`${BASE}/en/records/lo-nung`)).status(), 404, "nothing written before confirming");

  // Confirmed: the page follows the background ingest to its kept report.
  await page.getByRole("button", { name: "Confirm: ingest this batch" }).click();
  await page.getByRole("heading", { name: "Ingest report" }).waitFor({ timeout: 60000 });
  await page.getByText("ingested", { exact: true }).waitFor();
  await axeClean(page, "batch page: ingested");

  // The records are there, for the public too, and found by search.
  await page.getByRole("link", { name: "lo-nung" }).click();
  await page.waitForURL(/\/en\/records\/lo-nung\/history$/);
  assert.equal((await outside.goto(`${BASE}/en/records/lo-nung`)).status(), 200);
  await outside.getByRole("heading", { name: "Lò nung cũ" }).waitFor();
  await outside.goto(`${BASE}/en/search?q=${encodeURIComponent("chợ gốm sáng sớm")}`);
  await outside.getByRole("link", { name: "Chợ gốm sáng sớm" }).first().waitFor();
  await visitor.close();

  // The batch is listed with its state, linked to its kept report.
  await page.goto(`${BASE}/en/workspace/uploads`);
  await page.getByRole("link", { name: "lo-cho" }).waitFor();
  await axeClean(page, "/en/workspace/uploads with a batch");
  assert.deepEqual(errors, [], "no script error");
  await page.close();
});

test("an archivist cancels an upload and an unconfirmed batch with JavaScript off", async () => {
  // Uploaded with the site's script; cancelled in a second browser context holding the same
  // session with JavaScript off: the cancel buttons are plain forms.
  const page = await context.newPage();
  await page.goto(`${BASE}/en/workspace/uploads`);
  await page.locator("#upload-folder").setInputFiles(join(folder, "lo-cho"));
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await page.locator("input[name=upload]").nth(2).waitFor({ timeout: 30000 });
  const plain = await browser.newContext({
    bypassCSP: true,
    javaScriptEnabled: false,
    storageState: await context.storageState(),
  });
  const tab = await plain.newPage();
  await tab.goto(`${BASE}/en/workspace/uploads`);
  await tab.getByText(/a finished upload not made a batch, 7 days after it finished/).waitFor();
  // One upload cancelled: the page says so and lists the other two.
  await Promise.all([
    tab.waitForLoadState("load"),
    tab.getByRole("button", { name: "Cancel lo-cho/objects/lo-nung.jpg" }).click(),
  ]);
  await tab.getByText("The upload lo-cho/objects/lo-nung.jpg was cancelled: its file was removed.").waitFor();
  assert.equal(await tab.locator("input[name=upload]").count(), 2);
  // The other two made a batch, then cancelled before confirming: its page says so.
  await Promise.all([
    tab.waitForURL(/\/en\/workspace\/batches\/[0-9a-f]{32}$/),
    tab.getByRole("button", { name: "Check these uploads as a batch" }).click(),
  ]);
  await tab.getByText(/uploaded files are kept in the staging area until/).waitFor();
  await Promise.all([
    tab.waitForLoadState("load"),
    tab.getByRole("button", { name: "Cancel this batch" }).click(),
  ]);
  await tab.getByText(/You cancelled this batch/).waitFor();
  assert.equal(await tab.getByRole("button", { name: "Confirm: ingest this batch" }).count(), 0);
  const cancelled = tab.url();
  await plain.close();
  // axe-core (a script) on the same pages, in the tab with JavaScript on.
  await page.goto(cancelled);
  await page.getByText(/You cancelled this batch/).waitFor();
  await axeClean(page, "batch page: cancelled");
  await page.goto(`${BASE}/en/workspace/uploads`);
  await page.getByText("cancelled, its files removed").first().waitFor();
  await axeClean(page, "/en/workspace/uploads with a cancelled batch");
  await page.close();
});

test("a file past the limit is refused in the browser before a byte is sent, saying the limit", async () => {
  // A sparse file of 21 GiB: it takes no room on disk, and the browser reads only its size.
  const film = join(folder, "phim-dai.mp4");
  const handle = openSync(film, "w");
  ftruncateSync(handle, 21 * 1024 ** 3);
  closeSync(handle);
  const page = await context.newPage();
  const sent = [];
  page.on("request", (request) => { if (request.url().includes("/workspace/tus")) sent.push(request.method()); });
  await page.goto(`${BASE}/workspace/uploads`);
  await page.getByText(/Mỗi tệp tối đa 20 GiB/).waitFor();
  await page.locator("#upload-files").setInputFiles(film);
  await page.getByRole("button", { name: "Tải lên", exact: true }).click();
  await page.getByText("quá lớn: tối đa 20 GiB; chưa gửi gì").waitFor();
  // The page shows itself again (the script reloads it once every file has ended): no upload.
  await page.waitForEvent("load");
  await page.getByText("Bạn chưa tải gì lên.").waitFor();
  assert.deepEqual(sent, [], "no request to the upload protocol");
  await page.close();
});
