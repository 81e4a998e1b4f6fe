// The offline maps with located villages, in a real browser with axe-core (issue 14). The sample
// has no located village, so `cargo test` (tests/it/map_visits.rs) starts one server per
// synthetic collection and passes them in DISAN_MAPS, a JSON list of
//   {"url": "http://127.0.0.1:…", "villages": 58, "visit": "/records/…" (optional),
//    "ring": 5 (optional: that many villages so close that their dots go on a ring),
//    "stops": 6 (optional: that many stop markers the visit's route draws)}.
// Without DISAN_MAPS (the sample run of tests/it/browser.rs) these tests are skipped.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const MAPS = process.env.DISAN_MAPS ? JSON.parse(process.env.DISAN_MAPS) : [];
const skip = MAPS.length === 0 && "DISAN_MAPS names no server (set by tests/it/map_visits.rs)";
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

let browser;
before(async () => {
  if (skip) return;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
});
after(async () => { await browser?.close(); });

async function open(width = 1280) {
  // CSP is bypassed only so axe-core can be injected; the site itself never needs it.
  const context = await browser.newContext({ bypassCSP: true, viewport: { width, height: 900 } });
  const page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(error));
  page.on("console", (message) => { if (message.type() === "error") page.errors.push(message.text()); });
  return page;
}

async function axe(page, what) {
  await page.addScriptTag({ content: AXE });
  const results = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } }));
  const violations = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")})`);
  assert.deepEqual(violations, [], what);
}

/** The labels' boxes as the browser draws them (getBBox, map units), the symbols' boxes and the
 *  map's size; every pair of labels, and every label and symbol, must be apart. */
async function checkGeometry(page, selector, what) {
  const found = await page.evaluate((selector) => {
    const svg = document.querySelector(selector);
    const box = (element) => { const b = element.getBBox(); return { x0: b.x, y0: b.y, x1: b.x + b.width, y1: b.y + b.height }; };
    return {
      width: svg.viewBox.baseVal.width,
      height: svg.viewBox.baseVal.height,
      labels: [...svg.querySelectorAll("text.label")].map((t) => ({ text: t.textContent, ...box(t) })),
      symbols: [...svg.querySelectorAll(".symbol, .stop circle, .origin")].map(box),
      font: getComputedStyle(svg.querySelector("text.label") || svg).fontFamily,
    };
  }, selector);
  const meets = (a, b) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
  for (const [i, a] of found.labels.entries()) {
    assert.ok(a.x0 >= 0 && a.y0 >= 0 && a.x1 <= found.width && a.y1 <= found.height, `${what}: ${a.text} leaves the map`);
    for (const b of found.labels.slice(i + 1)) {
      assert.ok(!meets(a, b), `${what}: "${a.text}" overlaps "${b.text}" (${JSON.stringify([a, b])})`);
    }
    for (const s of found.symbols) {
      assert.ok(!meets(a, s), `${what}: "${a.text}" covers a dot (${JSON.stringify([a, s])})`);
    }
  }
  return found;
}

/** WCAG 2.5.8 (target size, minimum) for the map's links as the browser lays them out (CSS px):
 *  each link is at least 24 × 24, or the 24 px circle centred on its bounding box meets neither
 *  another link's drawn parts (dot, label, line) nor another small link's circle. */
async function checkTargets(page, what) {
  const targets = await page.evaluate(() =>
    [...document.querySelectorAll(".map svg a")].map((link) => {
      const rect = (element) => { const r = element.getBoundingClientRect(); return { x0: r.left, y0: r.top, x1: r.right, y1: r.bottom }; };
      return {
        name: link.getAttribute("aria-label"),
        box: rect(link),
        parts: [...link.children].filter((child) => child.localName !== "title").map(rect),
      };
    }));
  const small = (t) => t.box.x1 - t.box.x0 < 24 || t.box.y1 - t.box.y0 < 24;
  const centre = (t) => [(t.box.x0 + t.box.x1) / 2, (t.box.y0 + t.box.y1) / 2];
  const reach = ([x, y], r) => Math.hypot(Math.max(r.x0 - x, 0, x - r.x1), Math.max(r.y0 - y, 0, y - r.y1));
  for (const [i, a] of targets.entries()) {
    if (!small(a)) continue;
    for (const [j, b] of targets.entries()) {
      if (i === j) continue;
      for (const part of b.parts) {
        assert.ok(reach(centre(a), part) >= 12, `${what}: ${a.name}'s 24 px circle meets ${b.name} (${JSON.stringify([a.box, part])})`);
      }
      if (small(b)) {
        const [[ax, ay], [bx, by]] = [centre(a), centre(b)];
        assert.ok(Math.hypot(ax - bx, ay - by) >= 24, `${what}: the 24 px circles of ${a.name} and ${b.name} meet`);
      }
    }
  }
  return targets.length;
}

test("the villages map with located villages passes axe-core and no labels overlap", { skip }, async () => {
  for (const { url, villages, ring } of MAPS) {
    for (const path of ["/villages", "/en/villages"]) {
      for (const width of [1280, 360]) {
        const page = await open(width);
        await page.goto(url + path, { waitUntil: "networkidle" });
        const what = `${villages} villages, ${path} at ${width} px`;
        await axe(page, what);
        const map = page.getByRole("group", { name: path === "/villages" ? "Bản đồ" : "Map" });
        assert.equal(await map.count(), 1, `${what}: the map is a named group`);
        const links = map.getByRole("link");
        assert.equal(await links.count(), villages, `${what}: every located village is a link`);
        for (const link of await links.all()) {
          assert.match(await link.getAttribute("aria-label"), / — /, `${what}: a link without its name and class`);
        }
        const found = await checkGeometry(page, ".map svg", what);
        assert.ok(found.labels.length >= Math.min(villages, 25), `${what}: only ${found.labels.length} labels`);
        if (villages <= 5) assert.equal(found.labels.length, villages, `${what}: a label is missing`);
        if (ring) {
          // Dots moved onto a ring: each keeps a small dot and a leader line at its true place,
          // outside the links, and each link stays a target of its own.
          assert.equal(await page.locator(".map svg .origins .origin").count(), ring, `${what}: true positions`);
          assert.equal(await page.locator(".map svg .origins line.leader").count(), ring, `${what}: leader lines`);
          assert.equal(await page.locator(".map svg a .origin").count(), 0, `${what}: a true position inside a link`);
        }
        // Few villages leave room for targets a finger can tell apart, even on a phone.
        if (villages <= 5) assert.equal(await checkTargets(page, what), villages);
        // The first map link takes the keyboard focus, visibly.
        await links.first().focus();
        assert.equal(await page.evaluate(() => document.activeElement.getAttribute("href")?.includes("/villages/")), true);
        assert.deepEqual(page.errors.map(String), [], `${what}: the page logged errors`);
        await page.context().close();
      }
    }
  }
});

test("a visit's page passes axe-core, draws its route with labels apart and lists its stops", { skip }, async () => {
  for (const { url, visit, stops: markers } of MAPS.filter((m) => m.visit)) {
    for (const path of [visit, "/en" + visit]) {
      const page = await open();
      await page.goto(url + path, { waitUntil: "networkidle" });
      await axe(page, path);
      const route = page.getByRole("img", { name: path.startsWith("/en") ? "Route of the visit" : "Lộ trình chuyến tham quan" });
      assert.equal(await route.count(), 1, `${path}: the route is a named image`);
      await checkGeometry(page, ".route svg", path);
      // Every stop marker (its circle and number) apart from every other, as drawn: stops a few
      // metres apart go on a ring (break14 finding 5).
      const boxes = await page.locator(".route svg g.stop").evaluateAll((groups) =>
        groups.map((g) => {
          const r = g.getBoundingClientRect();
          return { n: g.textContent, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom };
        }));
      if (markers !== undefined) assert.equal(boxes.length, markers, `${path}: every stop is drawn`);
      for (const [i, a] of boxes.entries()) {
        assert.ok(a.x1 > a.x0 && a.y1 > a.y0, `${path}: stop ${a.n} is drawn`);
        for (const b of boxes.slice(i + 1)) {
          const apart = a.x1 <= b.x0 || b.x1 <= a.x0 || a.y1 <= b.y0 || b.y1 <= a.y0;
          assert.ok(apart, `${path}: stop ${a.n} ${JSON.stringify(a)} overlaps stop ${b.n} ${JSON.stringify(b)}`);
        }
      }
      const stops = page.locator("ol.stops > li");
      assert.ok(await stops.count() >= 2, `${path}: the stops are listed`);
      assert.equal(await page.locator(".route svg a").count(), 0, `${path}: the route image holds no link`);
      assert.deepEqual(page.errors.map(String), [], `${path}: the page logged errors`);
      await page.context().close();
    }
  }
});
