// RFC 6238 one-time codes for the browser tests that sign an archivist in (auth.test.mjs,
// workspace.browser.mjs): the code an authenticator app shows for the key `disan user add`
// printed.
import { createHmac } from "node:crypto";

/** RFC 6238 code (SHA-1, 6 digits, 30 s) for a base32 secret at `time` (ms). */
export function totp(base32, time) {
  let bits = "";
  for (const char of base32.replace(/=+$/, "")) {
    bits += "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".indexOf(char).toString(2).padStart(5, "0");
  }
  const key = Buffer.from(bits.match(/.{8}/g).map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(time / 1000 / 30)));
  const hmac = createHmac("sha1", key).update(counter).digest();
  const offset = hmac[hmac.length - 1] & 0xf;
  const number = (hmac.readUInt32BE(offset) & 0x7fffffff) % 1000000;
  return String(number).padStart(6, "0");
}
