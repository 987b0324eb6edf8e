// Restore from an archive (issue 14): a round trip between two browser profiles through
// the library's "Restore" file input, the refusals (tampered, another history, truncated)
// with the raw IndexedDB byte-for-byte unchanged, and a partial export's gaps filled.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { launch, openExtPage, send, tabIdOf, ROOT } from "./lib/extension.mjs";
import { startServer } from "./lib/server.mjs";
import { amendItem, exportAll, fillDiary, openDiary, openLibrary, removeItem, saveDiary, checkIntegrity } from "./lib/library.mjs";
import { needle, scanAtRest, setLock } from "./hostile/lib.mjs";

const VERIFY_BIN = path.join(ROOT, "target", "release", "evidence-verify");
let srv, work;
const dayAgo = (n) => {
  const d = new Date(Date.now() - n * 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
};

before(async () => {
  execFileSync("cargo", ["build", "--release", "--bin", "evidence-verify"], { cwd: ROOT, stdio: "inherit" });
  work = mkdtempSync(path.join(tmpdir(), "evidence-restore-"));
  srv = await startServer({ roots: { "/": "tests/fixtures/site" } });
});
after(async () => {
  await srv?.close();
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

/** Every store's keys and values, Blobs and bytes as their SHA-256: byte-for-byte state. */
function rawDump(page) {
  return page.evaluate(async () => {
    const db = await new Promise((res, rej) => {
      const r = indexedDB.open("evidence");
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const hex = async (buf) => [...new Uint8Array(await crypto.subtle.digest("SHA-256", buf))].map((b) => b.toString(16).padStart(2, "0")).join("");
    const norm = async (v) => {
      if (v == null || typeof v !== "object") return v;
      if (v instanceof Blob) return { blob: await hex(await v.arrayBuffer()), type: v.type, size: v.size };
      if (v instanceof ArrayBuffer) return { bytes: await hex(v) };
      if (ArrayBuffer.isView(v)) return { bytes: await hex(new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice()) };
      if (Array.isArray(v)) return Promise.all(v.map(norm));
      const out = {};
      for (const k of Object.keys(v).sort()) out[k] = await norm(v[k]);
      return out;
    };
    const dump = {};
    for (const name of [...db.objectStoreNames].sort()) {
      const tx = db.transaction(name);
      const get = (m) => new Promise((res, rej) => {
        const r = tx.objectStore(name)[m]();
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      const [keys, vals] = await Promise.all([get("getAllKeys"), get("getAll")]);
      dump[name] = await Promise.all(vals.map(async (v, i) => [keys[i], await norm(v)]));
    }
    db.close();
    return dump;
  });
}

/** Choose `file` in the library's Restore input; resolves with the result text. */
async function restoreVia(page, file) {
  // The answer to an earlier restore must not pass for this one's.
  await page.evaluate(() => document.getElementById("restore-result")?.replaceChildren());
  await page.getByLabel(/^Restore/).setInputFiles(file);
  await page.waitForFunction(() => /^(Restored|Nothing to restore|Not restored)/.test(document.getElementById("restore-message")?.textContent ?? ""), null, { timeout: 120_000 });
  return page.textContent("#restore-result");
}

const list = async (page) => (await send(page, { type: "list" })).items.map((i) => ({ seq: i.seq, kind: i.kind, recordSha256: i.recordSha256, chainSha256: i.chainSha256, removed: i.removed }));
const headOf = (page) => page.evaluate(() => document.getElementById("head").textContent);
const ledgerOf = (file) => JSON.parse(execFileSync("unzip", ["-p", file, "ledger.json"], { encoding: "utf8" }));

test("round trip: profile A's export restores into a fresh profile B, which continues the chain", async () => {
  // Profile A: captures, a diary entry, a note, a removal, then an export.
  const a = await launch();
  let archive, itemsA, headA;
  try {
    const libA = await openLibrary(a);
    await capture(a, libA, "x-post.html");
    await capture(a, libA, "discord-dm.html");
    const diary = await openDiary(a);
    await fillDiary(diary, { date: dayAgo(2), time: "18:30", type: "being_followed", location: "Station Road", what: "He followed me from the station." });
    assert.match(await saveDiary(diary), /^Saved/);
    await diary.close();
    await libA.reload();
    await libA.waitForSelector("body[data-ready=true]");
    assert.match(await amendItem(libA, 0, "The post was deleted an hour later."), /^Saved · /);
    assert.match(await removeItem(libA, 1, "Shared by mistake"), /was removed/);
    await libA.reload();
    await libA.waitForSelector("body[data-ready=true]");
    itemsA = await list(libA);
    headA = await headOf(libA);
    assert.equal(itemsA.length, 5);
    archive = await exportAll(libA, path.join(work, "a.zip"));
  } finally {
    await a.close();
  }

  // Profile B: a fresh install restores it.
  const b = await launch();
  try {
    const libB = await openLibrary(b);
    const text = await restoreVia(libB, archive);
    assert.match(text, /^Restored 5 items from the archive/, text);
    assert.match(text, /Verification: passed/);
    assert.ok(text.includes(headA), text);
    assert.deepEqual(await list(libB), itemsA);
    await libB.waitForFunction((h) => document.getElementById("head").textContent === h, headA);
    // The timeline holds the restored items; the removed one stays removed.
    await libB.waitForFunction(() => document.querySelectorAll("#items li").length === 5);
    const check = await checkIntegrity(libB);
    assert.match(check.summary, /^Yes: everything is intact/, check.summary);

    // B captures: the chain continues from A's head.
    const item = await capture(b, libB, "generic-forum.html");
    assert.equal(item.seq, 5);
    await libB.reload();
    await libB.waitForSelector("body[data-ready=true]");
    const headB = await headOf(libB);
    const exportB = await exportAll(libB, path.join(work, "b.zip"));
    const r = spawnSync(VERIFY_BIN, [exportB, "--head", headB], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const ledger = ledgerOf(exportB);
    assert.equal(ledger.entries.length, 6);
    assert.equal(ledger.entries[4].chain_sha256, headA);
    assert.deepEqual(ledger.entries.slice(0, 5).map((e) => e.record_sha256), itemsA.map((i) => i.recordSha256));

    // Restoring the same archive again changes nothing.
    const before = await rawDump(libB);
    assert.match(await restoreVia(libB, archive), /^Nothing to restore/);
    assert.deepEqual(await rawDump(libB), before);

    // Refusals, each with the library byte-for-byte unchanged.
    const bytes = readFileSync(archive);
    const tampered = Buffer.from(bytes);
    const png = tampered.indexOf(Buffer.from("\x89PNG\r\n\x1a\n", "latin1"));
    assert.ok(png > 0);
    tampered[png + 64] ^= 0x01;
    writeFileSync(path.join(work, "tampered.zip"), tampered);
    writeFileSync(path.join(work, "truncated.zip"), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    for (const [name, why] of [
      ["tampered.zip", /^Not restored: This archive did not pass verification, so it was not restored and nothing was changed/],
      ["truncated.zip", /^Not restored: This archive did not pass verification/],
    ]) {
      const text = await restoreVia(libB, path.join(work, name));
      assert.match(text, why, `${name}: ${text}`);
      assert.match(text, /Verification: FAILED/);
      assert.deepEqual(await rawDump(libB), before, name);
    }
  } finally {
    await b.close();
  }
});

test("another history is refused; a partial export restores with placeholders that a complete one fills", async () => {
  // Profile C: three captures, a partial export (item 1 withheld) and a complete one.
  const c = await launch();
  let partial, complete, itemsC;
  try {
    const lib = await openLibrary(c);
    for (const f of ["x-post.html", "discord-dm.html", "gmail-message.html"]) await capture(c, lib, f);
    await lib.reload();
    await lib.waitForSelector("body[data-ready=true]");
    itemsC = await list(lib);
    complete = await exportAll(lib, path.join(work, "c-complete.zip"));
    // Tick items 0 and 2 only.
    await lib.getByLabel("Select item 0 for export").check();
    await lib.getByLabel("Select item 2 for export").check();
    await lib.getByRole("button", { name: /^Export evidence archive/ }).click();
    await lib.getByLabel("The items I ticked").check();
    const download = lib.waitForEvent("download", { timeout: 60_000 });
    await lib.getByRole("button", { name: "Export", exact: true }).click();
    partial = path.join(work, "c-partial.zip");
    await (await download).saveAs(partial);
    assert.equal(ledgerOf(partial).entries[1].status, "withheld");
  } finally {
    await c.close();
  }
  const d = await launch();
  try {
    const lib = await openLibrary(d);
    // D has a history of its own: C's archives are refused, nothing changed.
    await capture(d, lib, "generic-forum.html");
    await lib.reload();
    await lib.waitForSelector("body[data-ready=true]");
    const before = await rawDump(lib);
    const text = await restoreVia(lib, complete);
    assert.match(text, /^Not restored: This archive comes from another history/, text);
    assert.match(text, /Verification: passed/);
    assert.deepEqual(await rawDump(lib), before);
  } finally {
    await d.close();
  }
  const e = await launch();
  try {
    // A fresh install: the welcome page offers the restore.
    const welcome = await openExtPage(e, "welcome.html");
    assert.match(await restoreVia(welcome, partial), /^Restored 3 items.*1 not in this archive, kept as hashes/);
    await welcome.close();
    const lib = await openLibrary(e);
    await lib.waitForFunction(() => document.querySelectorAll("#items li").length === 3);
    const row = lib.locator('#items li[data-seq="1"]');
    assert.match(await row.textContent(), /Item 1: not in this archive/);
    assert.ok((await row.textContent()).includes(itemsC[1].recordSha256));
    const check = await checkIntegrity(lib);
    assert.match(check.summary, /^Yes/, check.summary);
    // The complete export fills the gap; the rest is unchanged.
    assert.match(await restoreVia(lib, complete), /^Restored 1 item from the archive \(3 items in it, 2 already here\)/);
    assert.deepEqual(await list(lib), itemsC);
    await lib.reload();
    await lib.waitForSelector("body[data-ready=true]");
    assert.doesNotMatch(await lib.locator("#items").textContent(), /not in this archive/);
    assert.match((await checkIntegrity(lib)).summary, /^Yes/);
  } finally {
    await e.close();
  }
});

test("a restore killed half-way (the browser closed) leaves the library as it was, and can be run again", async () => {
  // An archive with a large recording, so that the restore takes long enough to be stopped.
  const big = path.join(work, "recording.mp4");
  const { randomBytes } = await import("node:crypto");
  writeFileSync(big, randomBytes(200 * 1024 * 1024));
  const a = await launch();
  let archive;
  try {
    const diary = await openDiary(a);
    await fillDiary(diary, { date: dayAgo(1), time: "21:10", type: "phone_call", what: "He called eleven times; I recorded the last call.", files: [big] });
    assert.match(await saveDiary(diary, 180_000), /^Saved/);
    const lib = await openLibrary(a);
    archive = await exportAll(lib, path.join(work, "big.zip"));
  } finally {
    await a.close();
    rmSync(big, { force: true });
  }
  const profileDir = mkdtempSync(path.join(tmpdir(), "evidence-profile-"));
  try {
    let b = await launch({ profileDir });
    let lib = await openLibrary(b);
    const before = await rawDump(lib);
    // Cancel half-way: the worker stops, what it wrote goes, the library is as it was.
    await lib.getByLabel(/^Restore/).setInputFiles(archive);
    await lib.waitForFunction(() => document.getElementById("restore-progress-label")?.textContent === "Restoring…", null, { timeout: 120_000, polling: 20 });
    await lib.getByRole("button", { name: "Cancel the restore" }).click();
    await lib.waitForFunction(() => /^The restore was cancelled/.test(document.getElementById("restore-message")?.textContent ?? ""), null, { timeout: 60_000 });
    assert.deepEqual(await rawDump(lib), before);
    // Then the browser goes away in the middle of the next attempt.
    await lib.getByLabel(/^Restore/).setInputFiles(archive);
    await lib.waitForFunction(() => document.getElementById("restore-progress-label")?.textContent === "Restoring…", null, { timeout: 120_000, polling: 20 });
    await b.context.close(); // the browser goes away mid-restore

    b = await launch({ profileDir });
    try {
      // Half-way: the restore had started writing (its journal is there) but not committed.
      const other = await openExtPage(b, "help.html");
      const journal = await other.evaluate(() => new Promise((res, rej) => {
        const r = indexedDB.open("evidence");
        r.onerror = () => rej(r.error);
        r.onsuccess = () => {
          const tx = r.result.transaction("meta");
          const j = tx.objectStore("meta").get("restoreJournal");
          const h = tx.objectStore("meta").get("head");
          tx.oncomplete = () => { res({ journal: j.result ?? null, head: h.result ?? null }); r.result.close(); };
        };
      }));
      assert.ok(journal.journal, "the restore had begun writing");
      assert.equal(journal.head, null, "and had not committed");
      await other.close();
      lib = await openLibrary(b);
      // The library sweeps what the stopped restore wrote before its one commit.
      const t0 = Date.now();
      let now = await rawDump(lib);
      while (JSON.stringify(now) !== JSON.stringify(before) && Date.now() - t0 < 20_000) {
        await new Promise((r) => setTimeout(r, 250));
        now = await rawDump(lib);
      }
      assert.deepEqual(now, before);
      assert.match(await restoreVia(lib, archive), /^Restored 1 item from the archive/);
      assert.equal((await list(lib)).length, 1);
      assert.match((await checkIntegrity(lib)).summary, /^Yes/);
    } finally {
      await b.context.close();
    }
  } finally {
    rmSync(profileDir, { recursive: true, force: true });
  }
});

test("behind the passphrase lock, a restore stores everything sealed, like any other item", async () => {
  const phrase = "Left a dead bird on the doormat at 6am";
  const a = await launch();
  let archive, itemsA;
  try {
    const lib = await openLibrary(a);
    await capture(a, lib, "x-post.html");
    const diary = await openDiary(a);
    await fillDiary(diary, { date: dayAgo(1), time: "06:05", type: "other", typeOther: "Dead animal", what: phrase });
    assert.match(await saveDiary(diary), /^Saved/);
    await lib.reload();
    await lib.waitForSelector("body[data-ready=true]");
    itemsA = await list(lib);
    archive = await exportAll(lib, path.join(work, "for-locked.zip"));
  } finally {
    await a.close();
  }
  const b = await launch();
  try {
    const settings = await setLock(b, "correct horse battery");
    await settings.close();
    // Setting the passphrase leaves this session unlocked.
    const lib = await openLibrary(b);
    assert.match(await restoreVia(lib, archive), /^Restored 2 items/);
    assert.deepEqual(await list(lib), itemsA);
    assert.match((await checkIntegrity(lib)).summary, /^Yes/);
    const scan = await scanAtRest(lib, [needle("diary text", phrase), needle("page address", "x-post.html")]);
    assert.deepEqual(scan.found, []);
    assert.ok(scan.values > 5);
    // The restored diary entry opens (decrypted with the unlocked identity).
    await lib.evaluate(() => (location.hash = "#item-1"));
    await lib.waitForFunction((t) => document.getElementById("item-body")?.textContent.includes(t), phrase);
  } finally {
    await b.close();
  }
});
