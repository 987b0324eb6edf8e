// Stored CRC-32 checksums (store/checksums.js): captures and added files leave one row per
// stored artifact, and an export uses them without computing those CRCs. The rows are
// derived data: with the rows as written, with a row whose CRC is wrong (its self-check
// then fails), with a row whose self-check is broken, and with every row deleted, the
// export must give the very same archive bytes, and evidence-verify (which checks every
// entry's CRC-32 and SHA-256) must pass each one.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { launch, send, tabIdOf, ROOT, sha256 } from "./lib/extension.mjs";
import { exportAll, openLibrary, removeItem } from "./lib/library.mjs";
import { png, wav } from "./lib/files.mjs";
import { startServer } from "./lib/server.mjs";
import { verifyArchive } from "./lib/demo.mjs";

let work, srv;
before(async () => {
  execFileSync("cargo", ["build", "--release", "--bin", "evidence-verify"], { cwd: ROOT, stdio: "inherit" });
  work = mkdtempSync(path.join(tmpdir(), "evidence-checksums-"));
  srv = await startServer({ roots: { "/": "tests/fixtures/site" } });
});
after(async () => {
  await srv?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The checksum rows and every stored artifact's {sha256, bytes}, read on an extension page. */
const storeState = (page) =>
  page.evaluate(async () => {
    const { openDb } = await import(chrome.runtime.getURL("store/db.js"));
    const db = await openDb();
    const all = (store) =>
      new Promise((resolve, reject) => {
        const req = db.transaction(store).objectStore(store).getAll();
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    const records = await all("records");
    return { rows: await all("checksums"), artifacts: records.flatMap((r) => r.artifacts.map((a) => ({ sha256: a.sha256, bytes: a.bytes, name: a.name }))) };
  });

/** Change the checksum rows on the page: "wrong-crc", "broken-check" or "delete". */
const alterRows = (page, how) =>
  page.evaluate(async (how) => {
    const { openDb } = await import(chrome.runtime.getURL("store/db.js"));
    const db = await openDb();
    const tx = db.transaction("checksums", "readwrite");
    const s = tx.objectStore("checksums");
    if (how === "delete") s.clear();
    else {
      const req = s.getAll();
      req.onsuccess = () => {
        for (const r of req.result) {
          if (how === "wrong-crc") s.put({ ...r, crc32: (r.crc32 ^ 0x5a5a5a5a) >>> 0 }); // a well-formed row, self-check left as it was
          else s.put({ ...r, check: "0123456789abcdef" });
        }
      };
    }
    await new Promise((resolve, reject) => ((tx.oncomplete = resolve), (tx.onerror = () => reject(tx.error))));
  }, how);

/**
 * Export in the page with a fixed time (so that the same library gives the same bytes),
 * counting the artifacts the core wrote without their bytes being fed; save the archive.
 */
async function exportFixed(page, name) {
  const download = page.waitForEvent("download", { timeout: 60_000 });
  const res = await page.evaluate(async (name) => {
    const { core } = await import(chrome.runtime.getURL("shared/core.js"));
    const { exportArchive, download } = await import(chrome.runtime.getURL("pages/library/export.js"));
    const proto = core.ArchiveBuilder.prototype;
    const original = proto.storedArtifactKnown;
    let known = 0;
    proto.storedArtifactKnown = function (...args) {
      const tail = original.apply(this, args);
      if (tail) known++;
      return tail;
    };
    try {
      const r = await exportArchive({ now: Date.parse("2026-12-01T12:00:00Z"), exportedBy: "Maya Okafor" });
      download(r.blob, name);
      return { known, head: r.head, included: r.counts.included };
    } finally {
      proto.storedArtifactKnown = original;
    }
  }, name);
  const file = path.join(work, name);
  await (await download).saveAs(file);
  return { ...res, file, sha256: sha256(readFileSync(file)) };
}

/** The store once every stored artifact has its checksum row (written just after its item's commit). */
async function untilEveryRow(lib) {
  let state;
  for (let t = 0; t < 300; t++) {
    state = await storeState(lib);
    if (state.artifacts.every((a) => state.rows.some((r) => r.sha256 === a.sha256))) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return state;
}

test("captures and added files leave checksums; with them, damaged or deleted, every export is the same and verifies", async () => {
  const ext = await launch();
  try {
    const lib = await openLibrary(ext);
    for (const f of ["x-post.html", "generic-forum.html"]) {
      const page = await ext.context.newPage();
      await page.goto(`${srv.url}/${f}`);
      const res = await send(lib, { type: "capture", tabId: await tabIdOf(lib, page) });
      assert.equal(res.ok, true, JSON.stringify(res));
      await page.close();
    }
    const photo = path.join(work, "photo.png");
    writeFileSync(photo, png(640, 480, 3));
    const voice = path.join(work, "voice.wav");
    writeFileSync(voice, wav(2));
    await lib.getByLabel(/^Add files/).setInputFiles([photo, voice]);
    await lib.waitForFunction(() => /voice\.wav is item/.test(document.getElementById("add-files-status")?.textContent ?? ""), null, { timeout: 60_000 });

    // Every stored artifact has a row (a capture's are written just after its commit).
    const state = await untilEveryRow(lib);
    for (const a of state.artifacts) {
      const row = state.rows.find((r) => r.sha256 === a.sha256);
      assert.ok(row, `a checksum row for ${a.name}`);
      assert.equal(row.size, a.bytes, a.name);
      assert.match(row.check, /^[0-9a-f]{16}$/);
    }
    assert.ok(state.artifacts.some((a) => a.name === "screenshot.png"), "captures stored screenshots");

    // The real button, with the rows as written: the archive verifies.
    const head = (await send(lib, { type: "list" })).items.at(-1).chainSha256;
    const viaButton = await exportAll(lib, path.join(work, "button.zip"));
    const v = verifyArchive(viaButton, head);
    assert.equal(v.verdict, "PASS", v.output);

    const intact = await exportFixed(lib, "intact.zip");
    assert.equal(intact.included, 4);
    await alterRows(lib, "wrong-crc");
    const wrongCrc = await exportFixed(lib, "wrong-crc.zip");
    await alterRows(lib, "broken-check");
    const brokenCheck = await exportFixed(lib, "broken-check.zip");
    await alterRows(lib, "delete");
    const none = await exportFixed(lib, "none.zip");
    // Stored rows spare the items' own files; without usable rows only the exhibit copies
    // (the same Blobs, written again) go without their bytes.
    assert.ok(intact.known > none.known, `rows used: ${intact.known} vs ${none.known}`);
    assert.equal(wrongCrc.known, none.known, "a row with a wrong CRC is not used");
    assert.equal(brokenCheck.known, none.known, "a row with a broken self-check is not used");
    for (const r of [intact, wrongCrc, brokenCheck, none]) {
      assert.equal(r.sha256, intact.sha256, `${path.basename(r.file)}: the same archive bytes`);
      const res = verifyArchive(r.file, head);
      assert.equal(res.verdict, "PASS", `${path.basename(r.file)}: ${res.output}`);
    }
  } finally {
    await ext.close();
  }
});

test("removing an item's content deletes its checksum rows with its files; the export still verifies", async () => {
  const ext = await launch();
  try {
    const lib = await openLibrary(ext);
    const seqs = [];
    for (const f of ["x-post.html", "gmail-message.html"]) {
      const page = await ext.context.newPage();
      await page.goto(`${srv.url}/${f}`);
      const res = await send(lib, { type: "capture", tabId: await tabIdOf(lib, page) });
      assert.equal(res.ok, true, JSON.stringify(res));
      seqs.push(res.item.seq);
      await page.close();
    }
    const before = await untilEveryRow(lib);
    const shasOf = async (seq) => (await send(lib, { type: "list" })).items.find((i) => i.seq === seq).artifacts.map((a) => a.sha256);
    const kept = await shasOf(seqs[1]);
    const removed = (await shasOf(seqs[0])).filter((sha) => !kept.includes(sha)); // a file the other item also lists stays
    assert.ok(removed.length >= 2, "the removed item has files of its own");
    for (const sha of [...removed, ...kept]) assert.ok(before.rows.some((r) => r.sha256 === sha), `a row for ${sha}`);

    await lib.reload();
    assert.match(await removeItem(lib, seqs[0], "Shared by mistake"), /was removed/);
    const after = await storeState(lib);
    for (const sha of removed) assert.ok(!after.rows.some((r) => r.sha256 === sha), `the removed file's row ${sha} is gone`);
    for (const sha of kept) assert.ok(after.rows.some((r) => r.sha256 === sha), `the kept item's row ${sha} stays`);

    const head = (await send(lib, { type: "list" })).items.at(-1).chainSha256;
    const v = verifyArchive(await exportAll(lib, path.join(work, "after-removal.zip")), head);
    assert.equal(v.verdict, "PASS", v.output);
  } finally {
    await ext.close();
  }
});
