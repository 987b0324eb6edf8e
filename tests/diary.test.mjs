// End-to-end: the incident diary form in real Chromium (validation, drafts that survive a
// closed tab, large attachments hashed in slices) and the upgrade of a version-1
// database. Stored bytes are re-checked with node:crypto.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { launch, openExtPage, readStore, checkStoreIntegrity, sha256, tabIdOf } from "./lib/extension.mjs";
import { openDiary, fillDiary, saveDiary } from "./lib/library.mjs";
import { png, minimalPdf } from "./lib/files.mjs";
import { startServer } from "./lib/server.mjs";

let ext;
let srv;
const files = mkdtempSync(path.join(tmpdir(), "evidence-diary-"));
const F = {
  gift: path.join(files, "flowers on the doorstep.png"),
  letter: path.join(files, "Letter (2).pdf"),
  big: path.join(files, "doorbell-camera.mp4"),
};
const dayAgo = (n) => {
  const d = new Date(Date.now() - n * 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
};

before(async () => {
  writeFileSync(F.gift, png(40, 40, 3));
  writeFileSync(F.letter, minimalPdf("You can't ignore me forever."));
  writeFileSync(F.big, randomBytes(40 * 1024 * 1024 + 12345));
  srv = await startServer({ roots: { "/": "tests/fixtures/site", "/dist/": "dist" } });
  ext = await launch();
});
after(async () => {
  await ext?.close();
  await srv?.close();
  rmSync(files, { recursive: true, force: true });
});

async function drafts(page) {
  return page.evaluate(async () => (await import("./store/drafts.js")).getDrafts(""));
}

test("the form's incident types are the core's, in the same order", async () => {
  const page = await openDiary(ext);
  const [fromCore, fromJs] = await page.evaluate(async () => {
    const { core, coreReady } = await import("./shared/core.js");
    await coreReady();
    const { INCIDENT_TYPES } = await import("./shared/format.js");
    return [core.incidentTypes(), INCIDENT_TYPES];
  });
  assert.deepEqual(fromJs, fromCore);
  const options = await page.$$eval("#type option", (os) => os.map((o) => o.value).filter(Boolean));
  assert.deepEqual(options, fromCore.map((t) => t.value));
  await page.close();
});

test("missing fields are named in plain words, focus goes to the first, and nothing is saved", async () => {
  const page = await openDiary(ext);
  await page.getByRole("button", { name: "Save this entry" }).click();
  assert.match(await page.textContent("#status"), /^Not saved yet: Please give the date it happened\. Please give the time .* Please choose what kind .* Please describe what happened\./);
  const invalid = await page.$$eval("[aria-invalid=true]", (els) => els.map((e) => e.id));
  assert.deepEqual(invalid, ["occurred-date", "occurred-time", "type", "what-happened"]);
  assert.equal(await page.evaluate(() => document.activeElement.id), "occurred-date");
  // "Something else" needs words.
  await fillDiary(page, { date: dayAgo(1), time: "09:00", type: "other", what: "Someone tried the back gate." });
  await page.getByRole("button", { name: "Save this entry" }).click();
  assert.match(await page.textContent("#status"), /Please describe the kind of incident/);
  assert.equal(await page.evaluate(() => document.activeElement.id), "type-other");
  // The core refuses a time in the future, in plain words; the entry stays.
  await fillDiary(page, { typeOther: "Gate", date: dayAgo(-2) });
  assert.match(await saveDiary(page), /^Not saved: The date and time of the incident is in the future\. Your entry is still here/);
  assert.equal(await page.inputValue("#what-happened"), "Someone tried the back gate.");
  assert.equal((await readStore(page)).records.length, 0);
  await page.getByRole("button", { name: "Start again" }).click().catch(() => {});
  await page.close();
});

test("a draft survives a closed tab, attached files included, and goes when the entry is saved", async () => {
  for (const p of ext.context.pages()) if (p.url().endsWith("diary.html")) await p.close();
  let page = await openDiary(ext);
  const stored = (await readStore(page)).records.length; // the new entry's item number
  page.on("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "Start again" }).click();
  await fillDiary(page, { date: dayAgo(3), time: "19:45", type: "gift_left", location: "Front doorstep", what: "Flowers and a card: \"For my favourite neighbour\".", files: [F.gift, F.letter] });
  await page.waitForFunction(() => /^Draft kept on this device at/.test(document.getElementById("draft-note").textContent));
  // The files' draft copies are written after they are listed; the page says so once both are.
  await page.locator("#status").filter({ hasText: /^2 files attached\./ }).waitFor({ timeout: 30_000 });
  assert.equal((await drafts(page)).length, 3, "the fields and both files are in the draft");
  await page.close();

  page = await openDiary(ext);
  assert.match(await page.textContent("#status"), /^Your unsaved entry from .* was brought back, with 2 files\. Nothing has been saved to the library yet\./);
  assert.equal(await page.inputValue("#location"), "Front doorstep");
  assert.equal(await page.inputValue("#type"), "gift_left");
  assert.equal(await page.inputValue("#occurred-time"), "19:45");
  assert.deepEqual(await page.$$eval("#attachments-list li .attachment-name", (els) => els.map((e) => e.textContent)), ["1. flowers on the doorstep.png", "2. Letter (2).pdf"]);
  await page.getByRole("button", { name: "Remove Letter (2).pdf from the list" }).click();
  await fillDiary(page, { effect: "I no longer open the door after dark." });
  const saved = await saveDiary(page);
  assert.match(saved, new RegExp(`^Saved · [0-9a-f]{12}\\. It is item ${stored} in your library`));
  assert.equal(await page.inputValue("#what-happened"), "", "the form is empty again");
  assert.deepEqual(await drafts(page), [], "the draft went with the save");

  const dump = await readStore(page);
  const rec = checkStoreIntegrity(assert, dump)[stored];
  assert.equal(dump.records.length, stored + 1);
  assert.equal(rec.metadata.incident.effect, "I no longer open the door after dark.");
  assert.deepEqual(rec.artifacts.map((a) => a.name), ["01-flowers-on-the-doorstep.png"]);
  assert.equal(rec.artifacts[0].sha256, sha256(readFileSync(F.gift)));
  await page.close();
  page = await openDiary(ext);
  assert.equal(await page.textContent("#status"), "", "nothing is brought back after a save");
  await page.close();
});

test("a large attachment is hashed in slices, with progress, and stored as the file itself", async () => {
  const page = await openDiary(ext);
  await page.evaluate(() => {
    window.progressSeen = [];
    new MutationObserver(() => window.progressSeen.push(document.getElementById("progress").value)).observe(document.getElementById("progress-label"), { childList: true, characterData: true, subtree: true });
  });
  await fillDiary(page, { date: dayAgo(1), time: "23:10", type: "visit_home", what: "Doorbell camera: someone at the door at 23:10 for two minutes.", files: [F.big] });
  const saved = await saveDiary(page, 120_000);
  assert.match(saved, /^Saved · /);
  const seen = await page.evaluate(() => window.progressSeen);
  assert.ok(new Set(seen.filter((v) => v > 0 && v < 1)).size >= 3, `progress was reported while hashing (${seen.length} updates)`);
  const want = sha256(readFileSync(F.big));
  const stored = await page.evaluate(async (sha) => {
    const { getBlob, getRow, getHead } = await import("./store/ledger.js");
    const blob = await getBlob(sha);
    const head = await getHead();
    const row = await getRow(head.seq);
    const digest = [...new Uint8Array(await crypto.subtle.digest("SHA-256", await blob.arrayBuffer()))].map((b) => b.toString(16).padStart(2, "0")).join("");
    const raw = await new Promise((res) => {
      const r = indexedDB.open("evidence");
      r.onsuccess = () => {
        const q = r.result.transaction("blobs").objectStore("blobs").get(sha);
        q.onsuccess = () => res({ isBlob: q.result.data instanceof Blob, size: q.result.size });
      };
    });
    return { digest, size: blob.size, raw, artifacts: JSON.parse(new TextDecoder().decode(row.bytes)).artifacts };
  }, want);
  assert.equal(stored.digest, want, "the stored bytes are the bytes hashed");
  assert.equal(stored.raw.isBlob, true);
  assert.deepEqual(stored.artifacts, [{ name: "01-doorbell-camera.mp4", media_type: "video/mp4", bytes: 40 * 1024 * 1024 + 12345, sha256: want }]);
  await page.close();
});

test("a version-1 database upgrades through versions 2 and 3 to version 4 without losing anything", async () => {
  // The real store module and WASM core, in an ordinary page (the extension's own
  // database was created at the current version when the extension started).
  const page = await ext.context.newPage();
  await page.goto(`${srv.url}/index.html`);
  const res = await page.evaluate(async () => {
    const { core, coreReady, hashBytes } = await import("/dist/shared/core.js");
    await coreReady();
    const g = core.genesis();
    // Version 1 exactly as the first release created it.
    const db = await new Promise((resolve, reject) => {
      const req = indexedDB.open("evidence", 1);
      req.onupgradeneeded = () => {
        const d = req.result;
        const records = d.createObjectStore("records", { keyPath: "seq" });
        records.createIndex("id", "id", { unique: true });
        records.createIndex("requestId", "requestId", { unique: false });
        d.createObjectStore("blobs", { keyPath: "sha256" });
        d.createObjectStore("meta");
        d.createObjectStore("pending", { keyPath: "id" });
        d.createObjectStore("failures", { keyPath: "id" });
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const metaJson = new TextEncoder().encode(JSON.stringify({ format: "evidence-capture-metadata/1", page: { title: "Old page", url: "https://example.invalid/p" }, messages: [{ author: { name: "Old Sender" }, text: "first message" }, { author: { name: "Other" }, text: "a later message about the allotment" }] }));
    const metaSha = hashBytes(metaJson);
    let prev = { seq: -1, record: g.record, chain: g.chain };
    const rows = [];
    for (let i = 0; i < 2; i++) {
      const summary = { title: `Old page ${i}`, url: "https://example.invalid/p", site: "example.invalid", authors: ["Old Sender"], excerpt: "first message", message_count: 2, missing: [] };
      const sealed = core.sealRecord({ id: `old-${i}`, kind: "capture", captured_at_ms: 1764000000000 + i * 1000, local_offset_minutes: 0, artifacts: [{ name: "metadata.json", media_type: "application/json", bytes: metaJson.length, sha256: metaSha }], metadata: summary }, { seq: i - 1, recordSha256: prev.record, chainSha256: prev.chain });
      rows.push({ seq: i, id: `old-${i}`, kind: "capture", recordSha256: sealed.recordSha256, chainSha256: sealed.chainSha256, capturedAt: sealed.record.captured_at, bytes: sealed.bytes, summary, artifacts: sealed.record.artifacts, requestId: null });
      prev = { seq: i, record: sealed.recordSha256, chain: sealed.chainSha256 };
    }
    await new Promise((resolve, reject) => {
      const tx = db.transaction(["records", "blobs", "meta"], "readwrite");
      for (const r of rows) tx.objectStore("records").add(r);
      tx.objectStore("blobs").put({ sha256: metaSha, mediaType: "application/json", size: metaJson.length, data: metaJson });
      tx.objectStore("meta").put({ seq: 1, recordSha256: prev.record, chainSha256: prev.chain }, "head");
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();

    const store = await import("/dist/store/ledger.js");
    const upgraded = await (await import("/dist/store/db.js")).openDb();
    const items = await store.listItems();
    const catalog = await (await import("/dist/store/catalog.js")).catalogAll();
    const head = await store.getHead();
    const row0 = await store.getRow(0);
    return {
      version: upgraded.version,
      stores: [...upgraded.objectStoreNames].sort(),
      items: items.map((i) => [i.seq, i.recordSha256, i.removed]),
      rows: rows.map((r) => [r.seq, r.recordSha256]),
      sameBytes: row0.bytes.length === rows[0].bytes.length && row0.bytes.every((b, i) => b === rows[0].bytes[i]),
      head: head.chainSha256 === prev.chain,
      catalog: catalog.map((c) => ({ seq: c.seq, title: c.title, blobs: c.blobs.length, findsLaterMessage: c.text.includes("allotment") })),
    };
  });
  assert.equal(res.version, 4);
  assert.deepEqual(res.stores, ["blobs", "catalog", "checksums", "drafts", "failures", "meta", "pending", "records", "thumbs", "timestamps"]);
  assert.deepEqual(res.items, res.rows.map(([s, h]) => [s, h, false]));
  assert.equal(res.sameBytes, true, "record bytes untouched");
  assert.equal(res.head, true);
  assert.deepEqual(res.catalog, [
    { seq: 0, title: "Old page 0", blobs: 1, findsLaterMessage: true },
    { seq: 1, title: "Old page 1", blobs: 1, findsLaterMessage: true },
  ]);
  await page.close();
});

// Writes one diary entry through store.commitItem from an extension page (the library's
// own path), attaching `bytes` as a file; returns the committed row.
async function commitEntry(page, what, bytes) {
  return page.evaluate(async ([text, data]) => {
    const { core, coreReady, hashBlob } = await import("./shared/core.js");
    const { commitItem } = await import("./store/ledger.js");
    await coreReady();
    const now = Date.now();
    const file = data ? new File([new Uint8Array(data)], "shared photo.png", { type: "image/png" }) : null;
    const attachments = file ? [{ original_name: file.name, media_type: file.type, bytes: file.size, sha256: await hashBlob(file) }] : [];
    const built = core.buildIncident({ occurred_at: new Date(now - 3_600_000).toISOString().replace(/\.\d+Z$/, "+00:00"), type: "watching", what_happened: text, attachments }, { entered_at_ms: now, local_offset_minutes: 0 });
    const draft = { id: crypto.randomUUID(), kind: "incident", captured_at_ms: now, local_offset_minutes: 0, artifacts: built.artifacts, metadata: built.metadata };
    const row = await commitItem({
      seal: (head) => core.sealRecord(draft, head),
      blobs: file ? [{ sha256: attachments[0].sha256, mediaType: "image/png", blob: file }] : [],
      summary: built.summary,
      genesis: core.genesis(),
    });
    return { seq: row.seq, recordSha256: row.recordSha256 };
  }, [what, bytes ? [...bytes] : null]);
}

test("diary writes from a page and captures in the worker at the same moment land on one unforked chain", async () => {
  const lib = await openExtPage(ext, "library.html");
  const before = (await readStore(lib)).records.length;
  const site = await ext.context.newPage();
  await site.goto(`${srv.url}/x-post.html`);
  const tabId = await tabIdOf(lib, site);
  const captures = lib.evaluate((id) => Promise.all(Array.from({ length: 4 }, () => chrome.runtime.sendMessage({ type: "capture", tabId: id }))), tabId);
  const entries = Promise.all(Array.from({ length: 4 }, (_, i) => commitEntry(lib, `Seen at the window, entry ${i}.`)));
  const [c, e] = await Promise.all([captures, entries]);
  for (const r of c) assert.equal(r.ok, true, JSON.stringify(r));
  const seqs = [...c.map((r) => r.item.seq), ...e.map((r) => r.seq)].sort((a, b) => a - b);
  assert.deepEqual(seqs, Array.from({ length: 8 }, (_, i) => before + i));
  const dump = await readStore(lib);
  checkStoreIntegrity(assert, dump);
  const catalog = await lib.evaluate(async () => (await import("./store/catalog.js")).catalogAll());
  assert.deepEqual(catalog.map((x) => x.seq), dump.records.map((r) => r.seq), "every record has its catalog entry");
  await site.close();
  await lib.close();
});

test("removing an item keeps a file that another item shares, and deletes it with the last one", async () => {
  const lib = await openExtPage(ext, "library.html");
  const photo = png(30, 30, 11);
  const sha = sha256(photo);
  const a = await commitEntry(lib, "First sighting, with the photo.", photo);
  const b = await commitEntry(lib, "Second entry, same photo attached again.", photo);
  const remove = (target) =>
    lib.evaluate(async (t) => {
      const { core, coreReady } = await import("./shared/core.js");
      const { commitRemoval, getRow } = await import("./store/ledger.js");
      await coreReady();
      const row = await getRow(t.seq);
      const now = Date.now();
      const built = core.buildRemoval({ target: { seq: row.seq, id: row.id, record_sha256: row.recordSha256, kind: row.kind, artifacts: row.artifacts }, reason: "test" }, { entered_at_ms: now, local_offset_minutes: 0 });
      const draft = { id: crypto.randomUUID(), kind: "removal", captured_at_ms: now, local_offset_minutes: 0, artifacts: [], metadata: built.metadata };
      const res = await commitRemoval({ targetSeq: row.seq, expectRecordSha256: row.recordSha256, seal: (head) => core.sealRecord(draft, head), genesis: core.genesis() });
      return res.deletedBlobs;
    }, target);
  assert.deepEqual(await remove(a), [], "still used by the second entry");
  let dump = await readStore(lib);
  checkStoreIntegrity(assert, dump);
  assert.ok(dump.blobs.some((x) => x.sha256 === sha));
  assert.deepEqual(await remove(b), [sha], "the last user is gone");
  dump = await readStore(lib);
  checkStoreIntegrity(assert, dump);
  assert.ok(!dump.blobs.some((x) => x.sha256 === sha));
  // A second removal of the same item is refused, and so is removing a removal.
  const again = await lib.evaluate(async (t) => {
    const { commitRemoval } = await import("./store/ledger.js");
    const { core, coreReady } = await import("./shared/core.js");
    await coreReady();
    try {
      await commitRemoval({ targetSeq: t.seq, expectRecordSha256: t.recordSha256, seal: () => { throw new Error("must not seal"); }, genesis: core.genesis() });
      return "removed";
    } catch (e) {
      return e.code;
    }
  }, a);
  assert.equal(again, "ALREADY_REMOVED");
  const check = await lib.evaluate(async () => {
    const { checkStoredEvidence } = await import("./store/integrity.js");
    const r = await checkStoredEvidence();
    return { ok: r.ok, counts: r.counts };
  });
  assert.equal(check.ok, true);
  assert.equal(check.counts.removed, 2);
  await lib.close();
});
