// The offline maps with located villages, in a real browser with axe-core (issue 14). The sample
// has no located village, so `cargo test` (tests/it/map_visits.rs) starts one server per
// synthetic collection and passes them in DISAN_MAPS, a JSON list of
//   {"url": "http://127.0.0.1:…", "villages": 58, "visit": "/records/…" (optional),
//    "ring": 5 (optional: that many villages so close that their dots go on a ring),
//    "stops": 6 (optional: that many stop markers the visit's route draws),
//    "route": {"names": […], "numbers": […]} (optional: the route's labels and stop numbers as
//    drawn, the stops spread over at least half the map's width or height)}.
// Without DISAN_MAPS (the sample run of tests/it/browser.rs) these tests are skipped. With
// DISAN_SCREENSHOTS set to a folder, each villages map is saved there as a PNG to look at
// (`maps-58-villages-1280.png`, …).
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
const SHOTS = process.env.DISAN_SCREENSHOTS;

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
      symbols: [...svg.querySelectorAll(".symbol, .bunch circle, .stop circle, .origin")].map(box),
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
 *  another link's drawn parts (dot, bunch, anything drawn inside a link) nor another small
 *  link's circle. */
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

test("the villages map with located villages passes axe-core, no labels overlap and every link is a target apart", { skip }, async () => {
  for (const { url, villages, ring } of MAPS) {
    for (const path of ["/villages", "/en/villages"]) {
      for (const width of [1280, 768, 360]) {
        const page = await open(width);
        await page.goto(url + path, { waitUntil: "networkidle" });
        const what = `${villages} villages, ${path} at ${width} px`;
        if (SHOTS) {
          const name = `maps-${villages}-villages${ring ? "-ring" : ""}${path.startsWith("/en") ? "-en" : ""}-${width}.png`;
          await page.locator(".villages-map").screenshot({ path: `${SHOTS}/${name}` });
        }
        await axe(page, what);
        const map = page.getByRole("group", { name: path === "/villages" ? "Bản đồ" : "Map" });
        assert.equal(await map.count(), 1, `${what}: the map is a named group`);
        const links = map.getByRole("link");
        for (const link of await links.all()) {
          assert.match(await link.getAttribute("aria-label"), / — /, `${what}: a link without its name and class`);
        }
        // Every located village is a link on the map, or in the list a bunch's link leads to.
        const reached = await page.evaluate(() => {
          const hrefs = [...document.querySelectorAll(".map svg a")].map((a) => a.getAttribute("href"));
          const listed = hrefs.filter((h) => h.startsWith("#"))
            .map((h) => document.getElementById(h.slice(1)).querySelectorAll("a[href*='/villages/']").length);
          return { villages: hrefs.filter((h) => h.includes("/villages/")).length, bunches: listed.length, listed: listed.reduce((a, b) => a + b, 0) };
        });
        assert.equal(reached.villages + reached.listed, villages, `${what}: ${JSON.stringify(reached)}`);
        const found = await checkGeometry(page, ".map svg", what);
        assert.ok(found.labels.length * 2 >= reached.villages, `${what}: only ${found.labels.length} labels`);
        if (villages <= 5) assert.equal(found.labels.length, villages, `${what}: a label is missing`);
        if (ring) {
          // Dots moved onto a ring: each keeps a small dot and a leader line at its true place,
          // outside the links, and each link stays a target of its own.
          assert.equal(await page.locator(".map svg .origins .origin").count(), ring, `${what}: true positions`);
          assert.equal(await page.locator(".map svg .origins line.leader").count(), ring, `${what}: leader lines`);
          assert.equal(await page.locator(".map svg a .origin").count(), 0, `${what}: a true position inside a link`);
        }
        // Every link a target a finger can tell apart, even on a phone (WCAG 2.5.8).
        assert.equal(await checkTargets(page, what), reached.villages + reached.bunches);
        // The page itself never scrolls sideways; a narrow screen scrolls the map alone.
        assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= width, `${what}: the page overflows`);
        // The first map link takes the keyboard focus, visibly.
        await links.first().focus();
        assert.equal(await page.evaluate(() => document.activeElement.closest(".map svg") !== null), true);
        if (reached.bunches > 0) {
          // A bunch's link, followed by the keyboard, leads to its villages' list.
          const bunch = page.locator(".map svg a[href^='#']").first();
          const target = (await bunch.getAttribute("href")).slice(1);
          await bunch.focus();
          await page.keyboard.press("Enter");
          await page.waitForFunction((id) => location.hash === "#" + id, target);
          const listed = page.locator(`#${target} a`);
          assert.ok(await listed.count() > 6, `${what}: the bunch's list`);
          assert.ok(await listed.first().isVisible(), `${what}: the bunch's list is shown`);
        }
        assert.deepEqual(page.errors.map(String), [], `${what}: the page logged errors`);
        await page.context().close();
      }
    }
  }
});

test("a visit's page passes axe-core, draws its route with labels apart and lists its stops", { skip }, async () => {
  for (const { url, visit, stops: markers, route: expected } of MAPS.filter((m) => m.visit)) {
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
      if (expected) {
        // The view fits the route: its stops spread over at least half the map's width or
        // height, each named and numbered in the visit's order.
        const drawn = await page.evaluate(() => {
          const svg = document.querySelector(".route svg");
          const map = svg.getBoundingClientRect();
          const centres = [...svg.querySelectorAll("g.stop circle")].map((c) => {
            const r = c.getBoundingClientRect();
            return [(r.left + r.right) / 2, (r.top + r.bottom) / 2];
          });
          const spread = (k) => Math.max(...centres.map((c) => c[k])) - Math.min(...centres.map((c) => c[k]));
          return {
            across: spread(0) / map.width, down: spread(1) / map.height,
            names: [...svg.querySelectorAll("text.label")].map((t) => t.textContent),
            numbers: [...svg.querySelectorAll("g.stop .number")].map((t) => t.textContent),
          };
        });
        assert.ok(Math.max(drawn.across, drawn.down) >= 0.5, `${path}: the stops are a small cluster: ${JSON.stringify(drawn)}`);
        assert.deepEqual(drawn.names, expected.names, `${path}: stop names`);
        assert.deepEqual(drawn.numbers, expected.numbers, `${path}: stop numbers`);
      }
      const stops = page.locator("ol.stops > li");
      assert.ok(await stops.count() >= 2, `${path}: the stops are listed`);
      assert.equal(await page.locator(".route svg a").count(), 0, `${path}: the route image holds no link`);
      assert.deepEqual(page.errors.map(String), [], `${path}: the page logged errors`);
      await page.context().close();
    }
  }
});
