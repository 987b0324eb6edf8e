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
    assert.match(proofA, /^Proof of time: items 1–2 existed by .*Every item is covered\./);
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
    await lib.getByLabel(/^Restore/).setInputFiles(archiveA);
    await lib.waitForFunction(() => /^(Restored|Nothing to restore|Not restored)/.test(document.getElementById("restore-message")?.textContent ?? ""), null, { timeout: 120_000 });
    assert.match((await lib.textContent("#restore-result")) ?? "", /^Restored 2 items/);
    // The same coverage, the same authority and time: the same line.
    assert.equal(await proofOfTime(lib), proofA);
    assert.match((await lib.locator("#proof-clock").textContent()) ?? "", /restored from an archive/);
    const key = (t) => `${t.seq} ${t.head} ${t.tsaName} ${t.genTime} ${t.der}`;
    assert.deepEqual((await tokensOf(lib)).map(key).sort(), tokensA.map(key).sort(), "the tokens byte for byte");

    // Restoring the same archive again changes nothing, tokens included.
    await lib.getByLabel(/^Restore/).setInputFiles(archiveA);
    await lib.waitForFunction(() => /^(Restored|Nothing to restore|Not restored)/.test(document.getElementById("restore-message")?.textContent ?? ""), null, { timeout: 120_000 });
    assert.equal((await tokensOf(lib)).length, 2);

    // B goes on: a new capture (not covered yet), then B's export holds A's tokens again.
    await capture(b, lib, "generic-forum.html");
    assert.match(await proofOfTime(lib), /items 1–2 existed by .* Item 3 is not covered yet\./);
    const archiveB = await exportAll(lib, path.join(work, "b.zip"));
    const r = spawnSync(VERIFY_BIN, [archiveB, "--tsa-ca", tsa.ca], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Proof of time: items 0–1 existed by \d{4}-/);
    assert.equal((r.stdout.match(/^\s*OK {9}items 0–1 /gm) ?? []).length, 2, r.stdout);
  } finally {
    await b.close();
  }
});
