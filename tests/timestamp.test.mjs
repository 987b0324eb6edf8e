// Trusted timestamps end to end (issue 12): a real timestamp authority on 127.0.0.1
// (`openssl ts -reply` behind a tiny HTTP server, one RSA and one P-256 TSA with
// certificates made here with the critical timeStamping usage), the extension's
// {type: "timestamp"} message, the export through the library's button, and three
// independent checks of every token in the archive: `openssl ts -verify` with the commands
// VERIFY.txt gives, `evidence-verify --tsa-ca`, and the Python rfc3161-client package;
// then the verify page with the TSA root. A replayed token (wrong nonce) is refused
// before it is stored, and the TSA sees only the request body.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { launch, openExtPage, send, tabIdOf, ROOT } from "./lib/extension.mjs";
import { startServer } from "./lib/server.mjs";
import { distWithTsa, startTsa } from "./lib/tsa.mjs";

const VERIFY_BIN = path.join(ROOT, "target", "release", "evidence-verify");
const PY = path.join(ROOT, ".cache", "tsa-venv", "bin", "python");
let work, tsaDir, tsa, srv, ext, lib, received;

before(async () => {
  execFileSync("cargo", ["build", "--release", "--bin", "evidence-verify"], { cwd: ROOT, stdio: "inherit" });
  work = mkdtempSync(path.join(tmpdir(), "evidence-tsa-e2e-"));
  tsaDir = path.join(work, "tsa");
  tsa = await startTsa(tsaDir);
  received = tsa.received;
  srv = await startServer({ roots: { "/": "tests/fixtures/site" } });
  ext = await launch({ dist: distWithTsa(work, tsa.url) });
  lib = await openExtPage(ext, "library.html");
});
after(async () => {
  await ext?.close();
  await srv?.close();
  await tsa?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function capture(file) {
  const page = await ext.context.newPage();
  await page.goto(`${srv.url}/${file}`);
  const res = await send(lib, { type: "capture", tabId: await tabIdOf(lib, page) });
  assert.equal(res.ok, true, JSON.stringify(res));
  await page.close();
  return res.item;
}

async function exportViaButton(name) {
  await lib.reload();
  await lib.getByRole("button", { name: /^Export evidence archive/ }).click();
  await lib.getByLabel(/Your name for the report/).fill("Maya Okafor");
  const download = lib.waitForEvent("download", { timeout: 60_000 });
  await lib.getByRole("button", { name: "Export", exact: true }).click();
  const file = path.join(work, name);
  await (await download).saveAs(file);
  await lib.getByText(/^Exported \d+ of \d+ items/).waitFor();
  await lib.keyboard.press("Escape");
  return file;
}

test("capture, timestamp with an RSA and a P-256 TSA, export: openssl, evidence-verify and rfc3161-client all verify every token", async () => {
  await capture("x-post.html");
  const last = await capture("generic-forum.html");
  const before = received.length;
  const res = await send(lib, { type: "timestamp", servers: [`${tsa.url}/rsa`, `${tsa.url}/p256`] });
  assert.equal(res.ok, true, JSON.stringify(res));
  assert.equal(res.tokens.length, 2);
  for (const t of res.tokens) {
    assert.equal(t.seq, last.seq);
    assert.equal(t.head, last.chainSha256);
    assert.match(t.genTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  }
  assert.deepEqual(res.tokens.map((t) => t.tsaName), ["CN=Evidence Test TSA rsa", "CN=Evidence Test TSA p256"]);

  // The TSA saw only the request: a POST of a TimeStampReq, no cookie, no referrer, nothing else.
  const reqs = received.slice(before);
  assert.equal(reqs.length, 2);
  for (const r of reqs) {
    assert.equal(r.method, "POST");
    assert.equal(r.headers["content-type"], "application/timestamp-query");
    assert.equal(r.headers.cookie, undefined);
    assert.equal(r.headers.referer, undefined);
    assert.ok(r.body.length > 50 && r.body.length < 100, `a TimeStampReq is small (${r.body.length} bytes)`);
    assert.ok(r.body.includes(Buffer.from(last.chainSha256, "hex")), "the body carries the head as the imprint");
    const q = path.join(work, "seen.tsq");
    writeFileSync(q, r.body);
    const text = execFileSync("openssl", ["ts", "-query", "-in", q, "-text"], { encoding: "utf8" });
    assert.match(text, /Certificate required: yes/);
    assert.match(text, /Nonce: 0x[0-9A-F]+/);
  }

  // A replayed token (another nonce) is refused before anything is stored.
  const replay = await send(lib, { type: "timestamp", servers: [`${tsa.url}/replay`] });
  assert.equal(replay.ok, false);
  assert.equal(replay.error.code, "BAD_TIMESTAMP", JSON.stringify(replay));
  assert.match(replay.error.message, /nonce/);

  const zip = await exportViaButton("stamped.zip");
  const out = path.join(work, "unzipped");
  execFileSync("unzip", ["-q", zip, "-d", out]);
  const index = JSON.parse(readFileSync(path.join(out, "timestamps/index.json"), "utf8"));
  assert.equal(index.length, 2, "the two checked tokens are exported, the replayed one is not");
  assert.deepEqual(readdirSync(path.join(out, "timestamps")).sort(), ["000001-1.pem", "000001-1.tsr", "000001-2.pem", "000001-2.tsr", "index.json"]);
  execFileSync("sha256sum", ["-c", "--quiet", "SHA256SUMS"], { cwd: out });

  // 1. openssl ts -verify, with the exact commands VERIFY.txt gives.
  cpSync(path.join(tsaDir, "ca.pem"), path.join(out, "TSA_ROOT.pem"));
  const guide = readFileSync(path.join(out, "VERIFY.txt"), "utf8").replace(/\\\n/g, " ");
  const commands = guide.split("\n").map((l) => l.trim()).filter((l) => l.startsWith("openssl ts -verify"));
  assert.equal(commands.length, 2, guide);
  for (const c of commands) {
    const r = spawnSync("sh", ["-c", c], { cwd: out, encoding: "utf8" });
    assert.equal(r.status, 0, `${c}\n${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /Verification: OK/);
  }

  // 2. evidence-verify --tsa-ca: exit 0, every token OK, the proof of time in the verdict.
  const ca = path.join(tsaDir, "ca.pem");
  let r = spawnSync(VERIFY_BIN, [zip, "--tsa-ca", ca], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /OK {9}items 0–1 /);
  assert.match(r.stdout, /Proof of time: items 0–1 existed by \d{4}-/);
  // The device signature: signature.json signs manifest.json with the installation's key.
  const fingerprint = (r.stdout.match(/installation whose key fingerprint is ([0-9a-f]{64})/) ?? [])[1];
  assert.ok(fingerprint, r.stdout);
  assert.match(r.stdout, /Device signature: VALID\./);
  const stored = await lib.evaluate(async () => {
    const { deviceKeyInfo } = await import(chrome.runtime.getURL("store/device-key.js"));
    return deviceKeyInfo();
  });
  assert.equal(stored.fingerprint, fingerprint, "the archive names this installation's key");
  const sig = JSON.parse(readFileSync(path.join(out, "signature.json"), "utf8"));
  writeFileSync(path.join(work, "key.pem"), sig.public_key_pem);
  writeFileSync(path.join(work, "sig.der"), Buffer.from(sig.signature, "hex"));
  const dgst = spawnSync("openssl", ["dgst", "-sha256", "-verify", path.join(work, "key.pem"), "-signature", path.join(work, "sig.der"), path.join(out, "manifest.json")], { encoding: "utf8" });
  assert.match(dgst.stdout, /Verified OK/, dgst.stdout + dgst.stderr);
  r = spawnSync(VERIFY_BIN, [zip], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /UNTRUSTED/);
  assert.match(r.stdout, /2 timestamps from a root not given as trusted prove nothing/);

  // 3. rfc3161-client (Python), an independent implementation.
  assert.ok(existsSync(PY), `${PY} is missing: run ./build.sh test (setup_test installs rfc3161-client)`);
  for (const e of index) {
    const py = spawnSync(PY, [path.join(ROOT, "tests/lib/rfc3161_verify.py"), ca, path.join(out, e.file), path.join(out, e.certs), e.head_sha256], { encoding: "utf8" });
    assert.equal(py.status, 0, py.stdout + py.stderr);
    assert.match(py.stdout, /^OK /);
    const other = spawnSync(PY, [path.join(ROOT, "tests/lib/rfc3161_verify.py"), ca, path.join(out, e.file), path.join(out, e.certs), "00".repeat(32)], { encoding: "utf8" });
    assert.equal(other.status, 1, "rfc3161-client refuses the token for another hash");
  }

  // The verify page, with and without the TSA root.
  const page = await openExtPage(ext, "verify.html");
  await page.locator("#file").setInputFiles(zip);
  await page.locator("#tsa-ca").setInputFiles(ca);
  await page.getByRole("button", { name: "Verify" }).click();
  await page.locator("#verdict").filter({ hasText: /Consistent|Yes/ }).waitFor({ timeout: 60_000 });
  const stamps = await page.locator("#timestamps li").allTextContents();
  assert.equal(stamps.length, 2, stamps.join("\n"));
  assert.ok(stamps.every((s) => s.startsWith("proves: items 0–1")), stamps.join("\n"));
  assert.match(await page.locator("#summary").textContent(), /Proof of time: items 0–1 existed by/);
  assert.match(await page.locator("#signature-line").textContent(), new RegExp(`^Device signature: valid\\. Key fingerprint ${fingerprint} `));
  await page.close();
  // A second export of the same installation carries the same key fingerprint.
  const again = spawnSync(VERIFY_BIN, [await exportViaButton("again.zip")], { encoding: "utf8" });
  assert.match(again.stdout, new RegExp(`installation whose key fingerprint is ${fingerprint}`));
});

test("with proof of time on, a capture is timestamped by itself, only by the chosen authority; the library shows it; Settings turns it on and off", async () => {
  await lib.evaluate(async (url) => {
    const { settings } = await chrome.storage.local.get("settings");
    await chrome.storage.local.set({ settings: { ...(settings ?? {}), tsaEnabled: true, tsaServers: [url] } });
  }, `${tsa.url}/p256`);
  const before = received.length;
  const item = await capture("discord-dm.html");
  assert.equal(received.length, before, "the capture answered without waiting for the timestamp: nothing is sent before the batching delay");
  let reqs = [];
  for (let i = 0; i < 60 && !reqs.length; i++) {
    await new Promise((r) => setTimeout(r, 500));
    reqs = received.slice(before);
  }
  assert.equal(reqs.length, 1, "one request, to the chosen authority only");
  assert.equal(reqs[0].path, "/p256");
  assert.ok(reqs[0].body.includes(Buffer.from(item.chainSha256, "hex")), "it timestamps the new head");
  // Wait for the token to be stored, then the library shows the proof and the clocks.
  const tokenStored = async () =>
    lib.evaluate(async (h) => {
      const { listTokens } = await import(chrome.runtime.getURL("store/timestamps.js"));
      return (await listTokens()).some((t) => t.head === h);
    }, item.chainSha256);
  for (let i = 0; i < 120 && !(await tokenStored()); i++) await new Promise((r) => setTimeout(r, 250));
  assert.ok(await tokenStored(), "the token over the new head is stored");
  await lib.reload();
  await lib.waitForFunction(() => /items 0–2 /.test(document.getElementById("proof-of-time")?.textContent ?? ""), null, { timeout: 30_000 });
  const line = (await lib.locator("#proof-of-time").textContent()) ?? "";
  assert.match(line, /^Proof of time: items 0–2 existed by .* UTC \(CN=Evidence Test TSA p256, a timestamp authority\)\. Every item is covered\.$/);
  assert.match((await lib.locator("#proof-clock").textContent()) ?? "", /Device clock .* authority .*\(they agree\)/);
  // "Timestamp now" with a token already over this head asks no one again.
  const again = await send(lib, { type: "timestamp" });
  assert.equal(again.ok, true, JSON.stringify(again));
  assert.equal(received.length, before + 1);

  // Settings: on with an authority of the user's own, then off (nothing is sent meanwhile).
  const settings = await openExtPage(ext, "settings.html");
  await settings.locator("#tsa-status").filter({ hasText: /^On: / }).waitFor();
  await settings.getByLabel(/Add another authority/).fill("https://tsa.invalid/tsr");
  await settings.getByRole("button", { name: "Turn on with these authorities" }).click();
  await settings.locator("#tsa-status").filter({ hasText: "https://tsa.invalid/tsr" }).waitFor();
  await settings.getByRole("button", { name: "Turn off" }).click();
  await settings.locator("#tsa-status").filter({ hasText: "Off: nothing is sent." }).waitFor();
  const stored = await settings.evaluate(async () => (await chrome.storage.local.get("settings")).settings);
  assert.equal(stored.tsaEnabled, false);
  await settings.close();
  const quiet = received.length;
  await capture("gmail-message.html");
  await new Promise((r) => setTimeout(r, 17_000));
  assert.equal(received.length, quiet, "with the feature off, a capture sends nothing");
});

test("every forged timestamp FAILS in the verify page and in evidence-verify", async () => {
  // The forgeries are made by the native test suite (a forger who recomputes every hash
  // list: crate/tests/tsp_archive.rs, write_forged_archives), from a real test TSA.
  const dir = path.join(work, "forged");
  execFileSync("cargo", ["test", "-q", "-p", "evidence-core", "--test", "tsp_archive", "write_forged_archives", "--", "--ignored"], {
    cwd: ROOT,
    env: { ...process.env, FORGED_DIR: dir },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const ca = path.join(dir, "ca.pem");
  const expected = {
    "flipped-signature": /signature/,
    "other-head": /another hash, not this ledger head/,
    "moved-seq": /not the chain value after item 6/,
    "swapped-cert": /is not the TSA certificate that signed the token/,
    "removed-token": /is listed in timestamps\/index\.json but is not in the archive/,
    "captured-after": /item 9 claims it was captured at 2035/,
  };
  const page = await openExtPage(ext, "verify.html");
  const check = async (file) => {
    await page.reload();
    await page.locator("#file").setInputFiles(file);
    await page.locator("#tsa-ca").setInputFiles(ca);
    await page.getByRole("button", { name: "Verify" }).click();
    await page.locator("#result").waitFor({ timeout: 60_000 });
    return { verdict: await page.locator("#verdict").textContent(), problems: await page.locator("#problems").textContent() };
  };
  const good = await check(path.join(dir, "good.zip"));
  assert.match(good.verdict, /^Consistent, but NOT authenticated/);
  for (const [name, why] of Object.entries(expected)) {
    const file = path.join(dir, `${name}.zip`);
    const shown = await check(file);
    assert.match(shown.verdict, /^No — /, `${name}: the verify page says ${shown.verdict}`);
    assert.match(shown.problems, why, `${name}: ${shown.problems}`);
    const r = spawnSync(VERIFY_BIN, [file, "--tsa-ca", ca], { encoding: "utf8" });
    assert.equal(r.status, 1, `${name}: evidence-verify exit ${r.status}\n${r.stdout}`);
    assert.match(r.stdout, why, `${name}: ${r.stdout}`);
    assert.match(r.stdout, /VERDICT: FAIL/);
  }
  await page.close();
});

test("behind the passphrase lock the device key is stored encrypted, and exports keep the same key", async () => {
  const metaKey = () =>
    lib.evaluate(async () => {
      const { getMeta } = await import(chrome.runtime.getURL("store/db.js"));
      const row = await getMeta("deviceKey");
      const head = row.sealedSecret ? new TextDecoder().decode(row.sealedSecret.slice(0, 21)) : null;
      return { fingerprint: row.fingerprint, plain: row.secret !== undefined, sealedHead: head };
    });
  const before = await metaKey();
  assert.equal(before.plain, true, "without a lock the key is kept as it is");
  const settings = await openExtPage(ext, "settings.html");
  await settings.getByLabel("Passphrase (at least 8 characters)", { exact: true }).fill("correct horse battery");
  await settings.getByLabel("Type the passphrase again", { exact: true }).fill("correct horse battery");
  await settings.getByRole("checkbox", { name: "I understand" }).check();
  await settings.getByRole("button", { name: "Set passphrase" }).click();
  await settings.getByText(/^The lock is set\./).waitFor({ timeout: 60_000 });
  await settings.close();
  const zip = await exportViaButton("locked.zip");
  const after = await metaKey();
  assert.deepEqual(after, { fingerprint: before.fingerprint, plain: false, sealedHead: "age-encryption.org/v1" }, "sealed at the first export behind the lock");
  for (const file of [zip, await exportViaButton("locked-again.zip")]) {
    const r = spawnSync(VERIFY_BIN, [file], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stdout);
    assert.match(r.stdout, new RegExp(`installation whose key fingerprint is ${before.fingerprint}`));
  }
});

test("offline: the capture completes at once, and the timestamp follows when the authority is back", async () => {
  const tokensOver = (head) =>
    lib.evaluate(async (h) => {
      const { listTokens } = await import(chrome.runtime.getURL("store/timestamps.js"));
      return (await listTokens()).filter((t) => t.head === h).length;
    }, head);
  await lib.evaluate(async (url) => {
    const { settings } = await chrome.storage.local.get("settings");
    await chrome.storage.local.set({ settings: { ...(settings ?? {}), tsaEnabled: true, tsaServers: [url] } });
  }, `${tsa.url}/rsa`);
  tsa.state.down = true;
  const before = received.length;
  const alarmBefore = await ext.sw.evaluate(async () => (await chrome.alarms.get("tsa-retry"))?.scheduledTime ?? null);
  const item = await capture("x-post.html");
  assert.equal(received.length, before, "the capture does not wait for the authority");
  for (let i = 0; i < 60 && received.length === before; i++) await new Promise((r) => setTimeout(r, 500));
  assert.equal(received.length, before + 1, "the worker tried once, after the batching delay");
  const failedAt = Date.now();
  // The failure's back-off: a retry alarm 1, 2, 4… minutes after the failed request (the
  // worker doubles it per failure in a row), replacing the five-minute one that an earlier
  // success may have left.
  const backOff = (a) => a && a.scheduledTime !== alarmBefore && [1, 2, 4, 8, 16, 32, 60].some((m) => Math.abs(a.scheduledTime - (failedAt + m * 60_000)) < 15_000);
  let alarm = null;
  for (let i = 0; i < 120 && !backOff(alarm); i++) {
    await new Promise((r) => setTimeout(r, 250));
    alarm = await ext.sw.evaluate(() => chrome.alarms.get("tsa-retry"));
  }
  assert.ok(backOff(alarm), `a retry is scheduled (back-off): ${JSON.stringify(alarm)}, failed at ${failedAt}`);
  assert.equal(await tokensOver(item.chainSha256), 0, "nothing is stored from a failed request");
  // The authority is back, and the browser says it is online again.
  tsa.state.down = false;
  await ext.sw.evaluate(() => globalThis.dispatchEvent(new Event("online")));
  // (At most one request per authority per 15 s: the retry waits for that.)
  let n = 0;
  for (let i = 0; i < 360 && !n; i++) {
    await new Promise((r) => setTimeout(r, 250));
    n = await tokensOver(item.chainSha256);
  }
  assert.equal(n, 1, "the queued timestamp followed");
  await lib.evaluate(async () => {
    const { settings } = await chrome.storage.local.get("settings");
    await chrome.storage.local.set({ settings: { ...settings, tsaEnabled: false } });
  });
});
