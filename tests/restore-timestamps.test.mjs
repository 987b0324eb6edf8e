// A restore brings back the archive's trusted timestamps (issue 14 with issue 12): profile A
// captures, is timestamped by a real local TSA (`openssl ts -reply`, tests/lib/tsa.mjs) and
// exports; a fresh profile B restores that archive and its library shows the same "Proof
// of time"; B captures once more and exports, and B's archive carries A's tokens again,
// byte for byte, which `evidence-verify --tsa-ca` passes as trusted.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { launch, openExtPage, send, tabIdOf, ROOT } from "./lib/extension.mjs";
import { exportAll } from "./lib/library.mjs";
import { startServer } from "./lib/server.mjs";
import { distWithTsa, startTsa } from "./lib/tsa.mjs";

const VERIFY_BIN = path.join(ROOT, "target", "release", "evidence-verify");
let work, tsa, srv, dist;

before(async () => {
  execFileSync("cargo", ["build", "--release", "--bin", "evidence-verify"], { cwd: ROOT, stdio: "inherit" });
  work = mkdtempSync(path.join(tmpdir(), "evidence-restore-tsa-"));
  tsa = await startTsa(path.join(work, "tsa"));
  srv = await startServer({ roots: { "/": "tests/fixtures/site" } });
  dist = distWithTsa(work, tsa.url);
});
after(async () => {
  await srv?.close();
  await tsa?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function capture(ext, lib, file) {
  const page = await ext.context.newPage();
  await page.goto(`${srv.url}/${file}`);
  const res = await send(lib, { type: "capture", tabId: await tabIdOf(lib, page) });
  assert.equal(res.ok, true, JSON.stringify(res));
  await page.close();
  return res.item;
}

const tokensOf = (lib) =>
  lib.evaluate(async () => {
    const { listTokens } = await import(chrome.runtime.getURL("store/timestamps.js"));
    return (await listTokens()).map((t) => ({ seq: t.seq, head: t.head, tsaName: t.tsaName, genTime: t.genTime, der: Array.from(t.der).join(",") }));
  });

/** Choose `archive` in the library's Restore input; resolves with the result text. */
async function restoreVia(lib, archive) {
  // The answer to an earlier restore must not pass for this one's.
  await lib.evaluate(() => document.getElementById("restore-result")?.replaceChildren());
  await lib.getByLabel(/^Restore/).setInputFiles(archive);
  await lib.waitForFunction(() => /^(Restored|Nothing to restore|Not restored)/.test(document.getElementById("restore-message")?.textContent ?? ""), null, { timeout: 120_000 });
  return (await lib.textContent("#restore-result")) ?? "";
}

async function proofOfTime(lib) {
  await lib.reload();
  await lib.waitForSelector("body[data-ready=true]");
  const line = lib.locator("#proof-of-time");
  await line.waitFor({ state: "visible", timeout: 20_000 });
  return (await line.textContent()) ?? "";
}

test("a restored library shows the archive's proof of time, and its next export carries the tokens again", async () => {
  const a = await launch({ dist });
  let archiveA, proofA, tokensA;
  try {
    const lib = await openExtPage(a, "library.html");
    await capture(a, lib, "x-post.html");
    await capture(a, lib, "generic-forum.html");
    const res = await send(lib, { type: "timestamp", servers: [`${tsa.url}/rsa`, `${tsa.url}/p256`] });
    assert.equal(res.ok, true, JSON.stringify(res));
    assert.equal(res.tokens.length, 2);
    proofA = await proofOfTime(lib);
    assert.match(proofA, /^Proof of time: items 0–1 existed by .*Every item is covered\./);
    tokensA = await tokensOf(lib);
    assert.equal(tokensA.length, 2);
    archiveA = await exportAll(lib, path.join(work, "a.zip"));
  } finally {
    await a.close();
  }

  const b = await launch({ dist });
  try {
    const lib = await openExtPage(b, "library.html");
    await lib.waitForSelector("body[data-ready=true]");
    assert.equal(await lib.locator("#proof-of-time").isVisible(), false, "a fresh library has no proof of time");
    assert.match(await restoreVia(lib, archiveA), /^Restored 2 items/);
    // The same coverage, the same authority and time: the same line.
    assert.equal(await proofOfTime(lib), proofA);
    assert.match((await lib.locator("#proof-clock").textContent()) ?? "", /restored from an archive/);
    const key = (t) => `${t.seq} ${t.head} ${t.tsaName} ${t.genTime} ${t.der}`;
    assert.deepEqual((await tokensOf(lib)).map(key).sort(), tokensA.map(key).sort(), "the tokens byte for byte");

    // Restoring the same archive again changes nothing, tokens included.
    assert.match(await restoreVia(lib, archiveA), /^Nothing to restore/);
    assert.equal((await tokensOf(lib)).length, 2);

    // B goes on: a new capture (not covered yet), then B's export holds A's tokens again.
    await capture(b, lib, "generic-forum.html");
    assert.match(await proofOfTime(lib), /items 0–1 existed by .* Item 2 is not covered yet\./);
    const archiveB = await exportAll(lib, path.join(work, "b.zip"));
    const r = spawnSync(VERIFY_BIN, [archiveB, "--tsa-ca", tsa.ca], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Proof of time: items 0–1 existed by \d{4}-/);
    assert.equal((r.stdout.match(/^\s*OK {9}items 0–1 /gm) ?? []).length, 2, r.stdout);
  } finally {
    await b.close();
  }
});

test("a library that already holds an archive's items still takes its trusted timestamps, once", async () => {
  const a = await launch({ dist });
  let before, after, tokensA, proofA;
  try {
    const lib = await openExtPage(a, "library.html");
    await capture(a, lib, "x-post.html");
    await capture(a, lib, "generic-forum.html");
    before = await exportAll(lib, path.join(work, "untimed.zip")); // no token yet
    const res = await send(lib, { type: "timestamp", servers: [`${tsa.url}/rsa`] });
    assert.equal(res.ok, true, JSON.stringify(res));
    tokensA = await tokensOf(lib);
    assert.equal(tokensA.length, 1);
    proofA = await proofOfTime(lib);
    after = await exportAll(lib, path.join(work, "timed.zip")); // the same items, and the token
  } finally {
    await a.close();
  }

  const b = await launch({ dist });
  try {
    const lib = await openExtPage(b, "library.html");
    await lib.waitForSelector("body[data-ready=true]");
    assert.match(await restoreVia(lib, before), /^Restored 2 items/);
    assert.deepEqual(await tokensOf(lib), [], "the first archive has no token");
    // Every item is here already: only the token is new.
    assert.match(await restoreVia(lib, after), /^Restored 1 trusted timestamp from the archive\. This library already holds every item in it \(2 items\)/);
    const key = (t) => `${t.seq} ${t.head} ${t.tsaName} ${t.genTime} ${t.der}`;
    assert.deepEqual((await tokensOf(lib)).map(key), tokensA.map(key), "the token byte for byte");
    assert.equal(await proofOfTime(lib), proofA);
    // Once only: the same archive again changes nothing.
    assert.match(await restoreVia(lib, after), /^Nothing to restore/);
    assert.equal((await tokensOf(lib)).length, 1);
  } finally {
    await b.close();
  }
});
