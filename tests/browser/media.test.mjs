// Media for signed-in viewers, in a real browser (issue 13, item 11): a researcher signs in,
// searches for a `researchers` film with a query typed without diacritics, opens it and plays it
// (its currentTime advances); once signed out, the film's page, its search hit and its media URL
// are gone (404, no hit). tests/it/browser.rs ingests the film (tests/fixtures/batches/
// researchers-film, sample material), makes the researcher `lan` (password in DISAN_PASSWORD)
// and starts the server.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const BASE = process.env.DISAN_URL;
const PASSWORD = process.env.DISAN_PASSWORD;
assert.ok(BASE && PASSWORD, "DISAN_URL and DISAN_PASSWORD must be set");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const FILM = "/en/records/phim-thu-nghiem-nghien-cuu";

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
      "--autoplay-policy=no-user-gesture-required"],
  });
});
after(async () => { await browser?.close(); });

/** Searches by typing `words` into the header's search box, as a person would. */
async function search(page, words) {
  await page.goto(BASE + "/en/");
  await page.locator("#q").fill(words);
  await page.locator("#q").press("Enter");
  await page.waitForLoadState();
}

test("a researcher finds a researchers film without diacritics, plays it, and it is gone once signed out", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error));

  await page.goto(BASE + "/en/login");
  await page.getByLabel("Login").fill("lan");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("Password").press("Enter");
  await page.waitForLoadState();

  await search(page, "phim thu nghiem");
  const hit = page.locator(`a[href="${FILM}"]`).first();
  await hit.waitFor();
  await hit.click();
  await page.waitForURL(BASE + FILM);
  await page.getByText("For researchers").first().waitFor();

  const video = page.locator("video");
  const src = await video.getAttribute("src");
  assert.ok(src && src.startsWith("/media/phim-thu-nghiem-nghien-cuu/files/"), src);
  // Played (muted, so no gesture is needed): time advances past half a second.
  await video.evaluate((element) => { element.muted = true; return element.play(); });
  await page.waitForFunction(() => document.querySelector("video").currentTime > 0.5,
    null, { timeout: 15000 });
  const media = await context.request.get(BASE + src);
  assert.equal(media.status(), 200);
  assert.equal(media.headers()["cache-control"], "private, no-store");

  // Signed out: the page, the hit and the file are gone, as if they never existed.
  await page.goto(BASE + "/en/account");
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.waitForLoadState();
  const gone = await page.goto(BASE + FILM);
  assert.equal(gone.status(), 404);
  const never = await context.request.get(BASE + "/media/phim-thu-nghiem-nghien-cuu/files/khong-co.webm");
  const file = await context.request.get(BASE + src);
  assert.equal(file.status(), 404);
  assert.equal(await file.text(), await never.text());
  await search(page, "phim thu nghiem");
  assert.equal(await page.locator(`a[href="${FILM}"]`).count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});
