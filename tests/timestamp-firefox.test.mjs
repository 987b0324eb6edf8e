// Trusted timestamps in real Firefox ESR (issue 12, "Firefox: the same flow"): capture,
// {type: "timestamp"} with the RSA and P-256 test TSAs (tests/lib/tsa.mjs), a replayed
// token refused, export, then evidence-verify --tsa-ca and openssl ts -verify on every token.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT } from "./lib/extension.mjs";
import { launchFirefox, firefoxAvailable } from "./lib/firefox.mjs";
import { startServer } from "./lib/server.mjs";
import { distWithTsa, startTsa } from "./lib/tsa.mjs";

let work, tsa, srv, ff;

before(async () => {
  if (!firefoxAvailable()) return;
  work = mkdtempSync(path.join(tmpdir(), "evidence-tsa-ff-"));
  tsa = await startTsa(path.join(work, "tsa"));
  srv = await startServer({ roots: { "/": "tests/fixtures/site" } });
  ff = await launchFirefox({ dist: distWithTsa(work, tsa.url) });
});
after(async () => {
  await ff?.close();
  await srv?.close();
  await tsa?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test("Firefox: capture, timestamp (RSA and P-256 TSAs), export; every token verifies; a replayed token is refused", async (t) => {
  if (!ff) return t.skip("firefox-esr is not installed");
  const bin = path.join(ROOT, "target", "release", "evidence-verify");
  // Built from this worktree's sources, so that an older binary is not used.
  execFileSync("cargo", ["build", "--release", "--bin", "evidence-verify"], { cwd: ROOT, stdio: "inherit" });
  const { page, tabId } = await ff.openTab(`${srv.url}/x-post.html`);
  const cap = await ff.send({ type: "capture", tabId });
  assert.equal(cap.ok, true, JSON.stringify(cap));
  await page.close();
  const res = await ff.send({ type: "timestamp", servers: [`${tsa.url}/rsa`, `${tsa.url}/p256`] });
  assert.equal(res.ok, true, JSON.stringify(res));
  assert.deepEqual(res.tokens.map((x) => [x.seq, x.head, x.tsaName]), [
    [cap.item.seq, cap.item.chainSha256, "CN=Evidence Test TSA rsa"],
    [cap.item.seq, cap.item.chainSha256, "CN=Evidence Test TSA p256"],
  ]);
  const replay = await ff.send({ type: "timestamp", servers: [`${tsa.url}/replay`] });
  assert.equal(replay.ok, false);
  assert.equal(replay.error.code, "BAD_TIMESTAMP", JSON.stringify(replay));

  const exported = await ff.extPage.evaluate(async () => {
    const { exportArchive } = await import(browser.runtime.getURL("pages/library/export.js"));
    const r = await exportArchive({ exportedBy: "Firefox test" });
    const buf = new Uint8Array(await r.blob.arrayBuffer());
    let s = "";
    for (let i = 0; i < buf.length; i += 0x8000) s += String.fromCharCode(...buf.subarray(i, i + 0x8000));
    return { b64: btoa(s), head: r.head };
  });
  const file = path.join(work, "firefox-stamped.zip");
  writeFileSync(file, Buffer.from(exported.b64, "base64"));
  const r = spawnSync(bin, [file, "--head", exported.head, "--tsa-ca", tsa.ca], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /Proof of time: items 0–0 existed by/);
  assert.match(r.stdout, /Device signature: VALID\. manifest\.json is signed by the installation whose key fingerprint is [0-9a-f]{64}/);
  const out = path.join(work, "x");
  execFileSync("unzip", ["-q", file, "-d", out]);
  const index = JSON.parse(readFileSync(path.join(out, "timestamps/index.json"), "utf8"));
  assert.equal(index.length, 2);
  for (const e of index) {
    const v = spawnSync("openssl", ["ts", "-verify", "-digest", e.head_sha256, "-in", e.file, "-CAfile", tsa.ca, "-untrusted", e.certs], { cwd: out, encoding: "utf8" });
    assert.match(v.stdout, /Verification: OK/, v.stdout + v.stderr);
  }
});
