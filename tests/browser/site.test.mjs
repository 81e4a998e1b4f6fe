// Disan in a real browser: Debian's chromium driven by playwright-core, against a real server
// holding the sample collection. `cargo test` runs this (tests/it/browser.rs starts the server
// and passes its address in DISAN_URL); by hand:
//   DISAN_URL=http://127.0.0.1:8080 npm test --prefix tests/browser
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const BASE = process.env.DISAN_URL;
assert.ok(BASE, "DISAN_URL must name the server under test");
const ORIGIN = new URL(BASE).origin;
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
/** Pages may weigh at most this, everything but images included. */
const PAGE_BUDGET = 150 * 1024;

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run",
    ],
  });
});
after(async () => { await browser?.close(); });

/** A fresh page that records every request and fails on any leaving the site's origin. */
async function open(options = {}) {
  // CSP is bypassed only so axe-core can be injected; the site itself never needs it.
  const context = await browser.newContext({ bypassCSP: true, ...options });
  const page = await context.newPage();
  page.requests = [];
  page.on("request", (request) => page.requests.push(request));
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(error));
  page.on("console", (message) => { if (message.type() === "error") page.errors.push(message.text()); });
  return page;
}

function assertSameOrigin(page) {
  for (const request of page.requests) {
    const url = request.url();
    if (url.startsWith("data:") || url.startsWith("blob:")) continue;
    assert.equal(new URL(url).origin, ORIGIN, `a request left the site: ${url}`);
  }
}

async function done(page) {
  assertSameOrigin(page);
  assert.deepEqual(page.errors.map(String), [], "the page logged errors");
  await page.context().close();
}

const PAGE_TYPES = [
  "/", "/search?q=det+lua", "/records/cau-chuyen-lua-nha-xa", "/records/nha-xa-anh-mau",
  "/records/nha-xa-ky-thuat-det-lua", "/records/phim-lang-nghe-mau", "/villages",
  "/villages/nha-xa", "/crafts/det-lua", "/stories", "/festivals", "/records/tham-quan-duy-tien-mau",
  "/en", "/en/search?q=silk", "/en/records/cau-chuyen-trong-doi-tam", "/en/records/doi-son-le-hoi-tich-dien",
  "/province", "/en/province",
];

/** axe-core's WCAG 2 A and AA violations on the page as it is, one line each. */
async function axeViolations(page) {
  await page.addScriptTag({ content: AXE });
  const results = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")})`);
}

test("a tourist's journey: home → story → record → village → map → festival", async () => {
  const page = await open();
  await page.goto(BASE + "/");
  await page.getByRole("heading", { level: 2, name: "Câu chuyện" }).waitFor();
  await page.locator(".stories a").first().click();
  await page.waitForURL(/\/records\/cau-chuyen-/);
  const embeds = page.locator(".body figure");
  assert.ok(await embeds.count() >= 3, "the story embeds records");
  // Every embedded item links to its record.
  for (const figure of await embeds.all()) {
    assert.ok(await figure.locator("a[href*='/records/']").count() >= 1, "an embed without a link");
  }
  await page.locator(".body figure.embed figcaption a").first().click();
  await page.waitForURL(/\/records\/(?!cau-chuyen)/);
  await page.locator("header .meta a[href^='/villages/']").first().click();
  await page.waitForURL(/\/villages\/[a-z-]+$/);
  assert.match(await page.locator("h1").innerText(), /\S/);
  await page.getByRole("navigation", { name: "Điều hướng chính" }).getByRole("link", { name: "Làng nghề" }).click();
  await page.waitForURL(/\/villages$/);
  assert.equal(await page.locator(".map svg path.province").count(), 1, "the map has no outline");
  await page.getByRole("navigation", { name: "Điều hướng chính" }).getByRole("link", { name: "Lễ hội" }).click();
  await page.waitForURL(/\/festivals$/);
  const festival = page.locator(".festival").first();
  assert.match(await festival.innerText(), /ngày 7 tháng 1 âm lịch/);
  assert.ok(await festival.locator("time[datetime]").count() >= 2, "solar dates this year and next");
  await done(page);
});

test("a researcher's journey: search without diacritics → facet → record → cite", async () => {
  const page = await open();
  await page.goto(BASE + "/");
  await page.locator("#q").fill("det lua");
  await page.locator("#q").press("Enter");
  await page.waitForURL(/\/search\?q=det\+lua/);
  const count = async () => Number((await page.locator(".count").first().innerText()).match(/\d+/)[0]);
  const all = await count();
  assert.ok(all >= 3, `"det lua" found ${all}`);
  assert.match(await page.locator(".hits").innerText(), /Dệt lụa/);
  assert.ok(await page.locator(".snippet b").count() > 0, "matched words are highlighted");
  await page.locator(".facets a", { hasText: "Kỹ thuật" }).click();
  await page.waitForURL(/kind=technique/);
  const narrowed = await count();
  assert.ok(narrowed >= 1 && narrowed < all, `the facet narrowed ${all} to ${narrowed}`);
  await page.locator(".hits h3 a").first().click();
  await page.waitForURL(/\/records\//);
  const cite = page.locator("section.cite");
  await cite.scrollIntoViewIfNeeded();
  const stable = await cite.locator("a").first().getAttribute("href");
  assert.equal(stable, page.url());
  assert.match(await cite.locator(".bibtex").innerText(), /^@misc\{disan-[\w-]+,[\s\S]*url += \{http/);
  for (const lang of ["vi", "en"]) {
    assert.match(await cite.locator(`.citation[lang=${lang}]`).innerText(), /Disan/, `the ${lang} citation`);
  }
  await done(page);
});

test("the language switch keeps the visitor on the same page", async () => {
  const page = await open();
  await page.goto(BASE + "/records/nha-xa-ky-thuat-det-lua");
  assert.equal(await page.locator("html").getAttribute("lang"), "vi");
  await page.locator("a.language").click();
  await page.waitForURL(BASE + "/en/records/nha-xa-ky-thuat-det-lua");
  assert.equal(await page.locator("html").getAttribute("lang"), "en");
  assert.equal(await page.locator("h1").getAttribute("lang"), "en");
  await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Villages" }).waitFor();
  await page.goto(BASE + "/en/search?q=trong&sort=title");
  await page.locator("a.language").click();
  await page.waitForURL(BASE + "/search?q=trong&sort=title");
  assert.equal(await page.locator("html").getAttribute("lang"), "vi");
  await done(page);
});

test("the image viewer works from the keyboard alone, in deep zoom on the IIIF service", async () => {
  const page = await open();
  await page.goto(BASE + "/records/nha-xa-anh-mau");
  const link = page.locator("a.zoomable");
  assert.equal(await link.getAttribute("data-iiif"), "/iiif/3/nha-xa-anh-mau/0/info.json");
  // Tab from the top of the page until the image link has focus.
  for (let presses = 0; presses < 40; presses++) {
    if (await link.evaluate((element) => element === document.activeElement)) break;
    await page.keyboard.press("Tab");
  }
  assert.ok(await link.evaluate((element) => element === document.activeElement), "Tab never reached the image");
  await page.keyboard.press("Enter");
  const dialog = page.locator("dialog.viewer");
  await dialog.waitFor();
  // OpenSeadragon's canvas, named as the image, has focus once the IIIF image is open.
  const canvas = dialog.locator(".viewer-canvas");
  await canvas.waitFor();
  assert.ok(await canvas.evaluate((element) => element === document.activeElement), "the image has no focus");
  assert.ok((await canvas.getAttribute("aria-label")).length > 0, "the image has no name");
  const zoom = dialog.locator(".viewer-zoom");
  const shows = (text) => page.waitForFunction((t) => document.querySelector(".viewer-zoom")?.textContent === t, text);
  await shows("100%");
  const picture = async () => { await page.waitForTimeout(700); return canvas.screenshot(); };
  const fitted = await picture();
  await page.keyboard.press("+");
  await page.waitForFunction(() => parseInt(document.querySelector(".viewer-zoom").textContent, 10) > 100);
  const zoomed = await picture();
  assert.ok(!zoomed.equals(fitted), "+ zooms");
  await page.keyboard.press("ArrowLeft");
  assert.ok(!(await picture()).equals(zoomed), "arrows pan");
  await page.keyboard.press("0");
  await shows("100%");
  // The tiles came from the IIIF image service, on the site's own origin.
  assert.ok(
    page.requests.some((request) => /\/iiif\/3\/nha-xa-anh-mau\/0\/[^/]+\/[^/]+\/0\/default\.jpg$/.test(request.url())),
    "no tile was asked of the IIIF service");
  // The open viewer passes axe-core; the toolbar's buttons are reachable by Tab and named.
  assert.deepEqual(await axeViolations(page), [], "the open viewer");
  await page.keyboard.press("Tab");
  assert.ok(await page.evaluate(() => document.activeElement.closest("dialog") !== null), "focus left the dialog");
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  assert.ok(await link.evaluate((element) => element === document.activeElement), "focus did not return to the image");
  await done(page);
});

test("the deep-zoom viewer runs under the site's Content-Security-Policy, in both languages", async () => {
  // Not bypassed here: a script, style or connection the policy refuses is a console error.
  for (const prefix of ["", "/en"]) {
    const page = await open({ bypassCSP: false });
    await page.goto(`${BASE}${prefix}/records/nha-xa-anh-mau`);
    await page.locator("a.zoomable").click();
    const dialog = page.locator("dialog.viewer");
    await dialog.locator(".viewer-canvas").waitFor();
    await page.waitForFunction(() => document.querySelector(".viewer-zoom")?.textContent === "100%");
    const labels = await dialog.locator(".viewer-tools button").evaluateAll((buttons) => buttons.map((b) => b.getAttribute("aria-label")));
    assert.equal(labels.length, 4);
    assert.ok(labels.every((label) => label && label.length > 1), `${prefix}: ${labels}`);
    await page.waitForLoadState("networkidle");
    await done(page);
  }
});

test("a phone-sized viewport: nothing overflows, everything is reachable", async () => {
  const page = await open({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  for (const path of ["/", "/records/nha-xa-anh-mau", "/search?q=trong", "/villages", "/records/cau-chuyen-lua-nha-xa"]) {
    await page.goto(BASE + path);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `${path} is ${width}px wide on a 360px screen`);
    assert.ok(await page.locator("#q").isVisible(), `${path}: no search box`);
  }
  const image = await page.goto(BASE + "/records/nha-xa-anh-mau").then(() => page.locator("figure.display img").boundingBox());
  assert.ok(image.width <= 360, "the image overflows");
  // The villages map and its list pass axe-core at 360 px as at 1280 px (the test below).
  for (const path of ["/villages", "/en/villages"]) {
    await page.goto(BASE + path);
    assert.deepEqual(await axeViolations(page), [], `${path} at 360 px`);
  }
  await done(page);
});

test("axe-core finds no WCAG 2 A or AA violation on any page type", async () => {
  const page = await open();
  for (const path of PAGE_TYPES) {
    await page.goto(BASE + path);
    assert.deepEqual(await axeViolations(page), [], `${path}`);
  }
  await done(page);
});

test("no page weighs more than 150 KB before images, and nothing leaves the site", async () => {
  const page = await open();
  for (const path of PAGE_TYPES) {
    const sizes = [];
    const listener = async (response) => {
      const type = response.request().resourceType();
      if (type === "image" || type === "media") return;
      try { sizes.push([response.url(), (await response.body()).length]); } catch { /* redirects have no body */ }
    };
    page.on("response", listener);
    const document = await page.goto(BASE + path, { waitUntil: "networkidle" });
    page.off("response", listener);
    // The budget counts bytes as decoded; the page itself travels compressed.
    const encoding = (await document.allHeaders())["content-encoding"];
    assert.ok(["br", "gzip"].includes(encoding), `${path} is sent with content-encoding ${encoding}`);
    const total = sizes.reduce((sum, [, size]) => sum + size, 0);
    assert.ok(total <= PAGE_BUDGET, `${path} weighs ${total} bytes: ${JSON.stringify(sizes)}`);
  }
  await done(page);
});
