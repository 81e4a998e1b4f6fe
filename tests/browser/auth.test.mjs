// Signing in, in a real browser (issue 13): a researcher signs in and out; an archivist made by
// `disan user add` is refused with the password alone, and its first sign-in with a code from
// the key the command printed (DISAN_TOTP_SECRET) completes the enrolment and shows the recovery
// codes; a form posted from another site's page is refused; a session id planted before
// sign-in is not the one after. tests/it/browser.rs makes the accounts (password in
// DISAN_PASSWORD) and starts the server.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { totp } from "./totp.mjs";
import { BASE, PASSWORD, SECRET, axeClean, launch } from "./common.mjs";

const COOKIE = "__Host-disan-session";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function open() {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(error));
  return page;
}

async function sessionCookie(page) {
  const cookies = await page.context().cookies(BASE);
  return cookies.find((cookie) => cookie.name === COOKIE);
}

/** Signs in through the form, by keyboard. */
async function signIn(page, login, code = "") {
  await page.goto(BASE + "/en/login");
  await page.getByLabel("Login").fill(login);
  await page.getByLabel("Password").fill(PASSWORD);
  if (code) await page.getByLabel("Code from your authenticator app").fill(code);
  await page.getByLabel("Password").press("Enter");
  await page.waitForLoadState();
}

test("a researcher signs in, sees who is signed in, and signs out", async () => {
  const page = await open();
  await page.goto(BASE + "/en/login");
  await axeClean(page, "/en/login");
  await signIn(page, "lan");
  const cookie = await sessionCookie(page);
  assert.ok(cookie, "the session cookie is kept over http://127.0.0.1");
  assert.equal(cookie.secure, true);
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, "Lax");
  await page.goto(BASE + "/en/account");
  await page.getByText("Signed in as lan (researcher).").waitFor();
  await axeClean(page, "/en/account");
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.waitForURL(BASE + "/en");
  await page.goto(BASE + "/en/account");
  assert.match(page.url(), /\/en\/login\?next=/, "signed out: the account page asks to sign in");
  assert.deepEqual(page.errors.map(String), []);
  await page.context().close();
});

test("an archivist made by the CLI needs a code from the first sign-in and gets recovery codes", async () => {
  const page = await open();
  // The password alone: refused with the generic message, and the key is shown nowhere.
  await signIn(page, "thu");
  await page.getByText("The login, password or code is wrong.").waitFor();
  assert.equal(await page.locator("#totp-secret").count(), 0);
  await page.goto(BASE + "/en/account/totp");
  assert.match(page.url(), /\/en\/login\?next=/, "no session: the page asks to sign in");
  // The first code from the printed key completes the enrolment: ten recovery codes, once.
  const enrolledAt = Date.now();
  await signIn(page, "thu", totp(SECRET, enrolledAt));
  await page.locator("#recovery-codes").waitFor();
  assert.equal(await page.locator("#recovery-codes li").count(), 10);
  await axeClean(page, "/en/login (recovery codes)");
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.waitForURL(BASE + "/en");
  // Without the code: refused, with the generic message.
  await signIn(page, "thu");
  await page.getByText("The login, password or code is wrong.").waitFor();
  // A code is accepted once; the next step's code (within the allowed skew) signs in.
  await signIn(page, "thu", totp(SECRET, enrolledAt + 30_000));
  await page.goto(BASE + "/en/account");
  await page.getByText("Signed in as thu (archivist).").waitFor();
  await page.context().close();
});

test("a form posted from another site's page is refused", async () => {
  const page = await open();
  await signIn(page, "lan");
  await page.goto(BASE + "/en/account");
  const token = await page.locator('input[name="csrf"]').first().getAttribute("value");
  // Another origin's page that posts the sign-out form, even with the right token.
  await page.route("http://evil.test/**", (route) => route.fulfill({
    contentType: "text/html",
    body: `<!doctype html><form method="post" action="${BASE}/en/logout"><input name="csrf" value="${token}"></form>
           <script>document.forms[0].submit()</script>`,
  }));
  await page.goto("http://evil.test/");
  await page.waitForURL(BASE + "/en/logout");
  await page.goto(BASE + "/en/account");
  await page.getByText("Signed in as lan (researcher).").waitFor();
  await page.context().close();
});

test("a session id planted before sign-in is not the one after", async () => {
  // Showing the login form starts no session, so the attacker plants a session of their own.
  const attacker = await open();
  await attacker.goto(BASE + "/en/login");
  assert.equal(await sessionCookie(attacker), undefined, "the login form starts no session");
  await signIn(attacker, "mai");
  const planted = await sessionCookie(attacker);
  assert.ok(planted, "the attacker's own session");
  const victim = await open();
  await victim.context().addCookies([{ ...planted }]);
  await signIn(victim, "lan");
  const after = await sessionCookie(victim);
  assert.notEqual(after.value, planted.value, "the session id is renewed at sign-in");
  // Signing in ended the planted session on the server: the attacker's cookie is nobody's.
  await attacker.goto(BASE + "/en/account");
  assert.match(attacker.url(), /\/en\/login\?next=/, "the planted id is not signed in");
  await attacker.context().close();
  await victim.context().close();
});
