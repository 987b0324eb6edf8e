// End-to-end: the export hashes stored artifacts with WebCrypto in a worker and the core
// decides whether that hash is the record's. A stored file whose bytes changed in
// IndexedDB (same key, same size) must stop the export with STORAGE_DAMAGED naming it,
// and the same library with the bytes put back must export.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, openExtPage } from "./lib/extension.mjs";

test("an artifact changed in storage stops the export; put back, it exports", async () => {
  const ext = await launch();
  try {
    const lib = await openExtPage(ext, "library.html");
    const outcome = await lib.evaluate(async () => {
      const { core, coreReady, hashBytes } = await import(chrome.runtime.getURL("shared/core.js"));
      const store = await import(chrome.runtime.getURL("store/ledger.js"));
      const { openDb } = await import(chrome.runtime.getURL("store/db.js"));
      const { exportArchive } = await import(chrome.runtime.getURL("pages/library/export.js"));
      await coreReady();
      const png = new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 2654435761) >>> 24);
      const sha256 = hashBytes(png);
      const meta = new TextEncoder().encode(JSON.stringify({ format: "evidence-capture-metadata/1", messages: [] }));
      const metaSha = hashBytes(meta);
      const draft = {
        id: "damaged-1", kind: "capture", captured_at_ms: Date.parse("2026-11-20T10:00:00Z"), local_offset_minutes: 0,
        artifacts: [
          { name: "screenshot.png", media_type: "image/png", bytes: png.length, sha256 },
          { name: "metadata.json", media_type: "application/json", bytes: meta.length, sha256: metaSha },
        ],
        metadata: { url: "https://example.invalid/", title: "t", site: "example.invalid", platform: "generic", message_count: 0, authors: [], excerpt: "", missing: [] },
      };
      await store.commitItem({
        seal: (head) => core.sealRecord(draft, head),
        blobs: [{ sha256, mediaType: "image/png", blob: new Blob([png]) }, { sha256: metaSha, mediaType: "application/json", bytes: meta }],
        summary: draft.metadata,
        genesis: core.genesis(),
      });
      const db = await openDb();
      const putData = (data) =>
        new Promise((resolve, reject) => {
          const tx = db.transaction("blobs", "readwrite");
          const s = tx.objectStore("blobs");
          const req = s.get(sha256);
          req.onsuccess = () => s.put({ ...req.result, data });
          tx.oncomplete = resolve;
          tx.onerror = () => reject(tx.error);
        });
      const bad = png.slice();
      bad[1_000_000] ^= 1;
      await putData(new Blob([bad]));
      let damaged = null;
      try {
        await exportArchive({});
      } catch (e) {
        damaged = { code: e.code, message: e.message };
      }
      await putData(new Blob([png]));
      const ok = await exportArchive({});
      return { damaged, ok: { bytes: ok.bytes, counts: ok.counts } };
    });
    assert.equal(outcome.damaged?.code, "STORAGE_DAMAGED", JSON.stringify(outcome.damaged));
    assert.match(outcome.damaged.message, /screenshot\.png/);
    assert.equal(outcome.ok.counts.included, 1);
    assert.ok(outcome.ok.bytes > 3 * 1024 * 1024);
  } finally {
    await ext.close();
  }
});
