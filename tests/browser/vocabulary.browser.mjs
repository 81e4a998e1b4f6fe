// Issue 14's pages (artisans, products, the village page's new facts) in a real browser, with
// axe-core. Not a `*.test.mjs`: it needs voc-a's `vocabulary` fixture and the synthetic
// authorities that tests/it/vocabulary_pages.rs (`vocabulary_pages_work_in_a_real_browser`)
// ingests and writes before it starts the server and runs this file alone; by hand, against such a server:
//   DISAN_URL=http://127.0.0.1:8080 node --test tests/browser/vocabulary.browser.mjs
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

const PAGE_TYPES = [
  "/artisans", "/artisans/nghe-nhan-thu-nghiem-1", "/artisans/nghe-nhan-thu-nghiem-2",
  "/products", "/products/san-pham-thu-1", "/products/san-pham-thu-2", "/villages/lang-thu-17",
  // voc-a's fixture: a village with a class history, a record linking artisans and products.
  "/villages/lang-thu-1", "/records/vocab-trong-thu", "/artisans/nghe-nhan-thu-1",
];

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

/** A fresh page that records requests and errors (CSP bypassed only to inject axe-core). */
async function open() {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  page.requests = [];
  page.on("request", (request) => page.requests.push(request.url()));
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(error));
  page.on("console", (message) => { if (message.type() === "error") page.errors.push(message.text()); });
  return page;
}

async function done(page) {
  for (const url of page.requests) {
    if (url.startsWith("data:") || url.startsWith("blob:")) continue;
    assert.equal(new URL(url).origin, ORIGIN, `a request left the site: ${url}`);
  }
  assert.deepEqual(page.errors.map(String), [], "the page logged errors");
  await page.context().close();
}

test("axe-core finds no WCAG 2 A or AA violation on the new page types, in both languages", async () => {
  const page = await open();
  for (const path of PAGE_TYPES.flatMap((p) => [p, "/en" + p])) {
    const response = await page.goto(BASE + path);
    assert.equal(response.status(), 200, path);
    await page.addScriptTag({ content: AXE });
    const results = await page.evaluate(() =>
      // eslint-disable-next-line no-undef
      axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
    const violations = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")})`);
    assert.deepEqual(violations, [], path);
  }
  await done(page);
});

test("stars are read as text, the glyphs are hidden, and an expired certificate says so", async () => {
  const page = await open();
  for (const [path, spoken] of [["/products/san-pham-thu-1", "4 sao OCOP"], ["/en/products/san-pham-thu-1", "4-star OCOP"]]) {
    await page.goto(BASE + path);
    const stars = page.locator("article .ocop").first();
    const tree = await stars.ariaSnapshot();
    assert.match(tree, new RegExp(spoken), `${path}: ${tree}`);
    assert.doesNotMatch(tree, /★/, `${path}: the glyphs reach the accessibility tree`);
    assert.equal(await page.locator(".validity.expired").count(), 0, path);
  }
  await page.goto(BASE + "/products/san-pham-thu-2");
  assert.match(await page.locator(".validity.expired").innerText(), /^Đã hết hạn/);
  await page.goto(BASE + "/en/products/san-pham-thu-2");
  assert.match(await page.locator(".validity.expired").innerText(), /^Expired/);
  await done(page);
});

test("a visitor's path: products → product → village → artisan, and the hidden product nowhere", async () => {
  const page = await open();
  await page.goto(BASE + "/");
  await page.getByRole("navigation", { name: "Điều hướng chính" }).getByRole("link", { name: "Sản phẩm" }).click();
  await page.waitForURL(/\/products$/);
  assert.doesNotMatch(await page.locator("main").innerText(), /ẩn thử nghiệm/);
  await page.getByRole("link", { name: "Sản phẩm thử nghiệm 1" }).click();
  await page.waitForURL(/\/products\/san-pham-thu-1$/);
  await page.locator("dl.facts a[href='/villages/lang-thu-17']").click();
  await page.waitForURL(/\/villages\/lang-thu-17$/);
  assert.match(await page.locator("main").innerText(), /Địa chỉ theo tư liệu \(trước 1\/7\/2025\)/);
  assert.match(await page.locator("main").innerText(), /Địa chỉ hiện nay/);
  assert.doesNotMatch(await page.locator("main").innerText(), /ẩn thử nghiệm/);
  await page.getByRole("link", { name: "Nghệ nhân thử nghiệm 1" }).click();
  await page.waitForURL(/\/artisans\/nghe-nhan-thu-nghiem-1$/);
  assert.match(await page.locator("main").innerText(), /Nghị định 43\/2024\/NĐ-CP/);
  assert.doesNotMatch(await page.locator("main").innerText(), /Mô tả riêng tư/);
  await done(page);
});

test("a record links its artisans and products, and the village keeps its class history", async () => {
  const page = await open();
  await page.goto(BASE + "/en/records/vocab-trong-thu");
  await page.locator("header a[href='/en/products/san-pham-thu-4-sao']").click();
  await page.waitForURL(/\/en\/products\/san-pham-thu-4-sao$/);
  await page.locator("a[href='/en/records/vocab-trong-thu']").first().waitFor();
  await page.goto(BASE + "/villages/lang-thu-1");
  const history = page.getByRole("region", { name: "Lịch sử phân loại theo Nghị định 52/2018/NĐ-CP" });
  assert.equal(await history.locator("li").count(), 2);
  await done(page);
});
