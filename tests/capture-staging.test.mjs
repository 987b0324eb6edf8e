// End-to-end: a capture's artifacts are written (staged) before its record commits
// (extension/store/staging.js). The worker stopped between the two writes leaves no half
// item, the staged blob is swept at the next start, and the next capture works; a capture
// refused at its commit sweeps what it staged.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openExtPage, send, tabIdOf, readStore, checkStoreIntegrity, stopServiceWorker, serviceWorker } from "./lib/extension.mjs";
import { startServer } from "./lib/server.mjs";

let srv;
before(async () => {
  srv = await startServer({ roots: { "/": "tests/fixtures/site" } });
});
after(async () => {
  await srv?.close();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The extension page that drives these tests and holds the store: one that reads nothing
// from the database by itself. The library would not do: its start-up read (records,
// catalog, meta), if it came after the hold, would wait behind it, and the capture's first
// write (its journal entry, in pending and meta) would wait behind that read, so the
// capture would never reach its staging.
const DRIVER = "help.html";

// In the driver page: keep a readwrite transaction on store `name` ("records") open (a request chained
// after each other), so that a record's commit (its transaction includes "records") waits,
// while the staging transaction (blobs, pending, meta) goes ahead. Resolves once it holds.
function holdStore(lib, name) {
  return lib.evaluate(async (name) => {
    const db = await new Promise((res, rej) => {
      const r = indexedDB.open("evidence");
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const tx = db.transaction([name], "readwrite");
    const store = tx.objectStore(name);
    const hold = { stop: false, spins: 0, add: null };
    hold.done = new Promise((res, rej) => {
      tx.oncomplete = () => res(hold.spins);
      tx.onabort = () => rej(tx.error);
    });
    const spin = () => {
      hold.spins++;
      // A row asked for (hold.add) is added here: only a request's callback may use the transaction.
      if (hold.add?.length) store.add(hold.add.splice(0)[0]);
      if (!hold.stop) store.get(-1).onsuccess = spin;
    };
    await new Promise((res) => (store.get(-1).onsuccess = () => res(spin())));
    globalThis.__hold = hold;
  }, name);
}
const releaseHold = (lib) =>
  lib.evaluate(async () => {
    globalThis.__hold.stop = true;
    return globalThis.__hold.done;
  });

// The pending journal entry `id`, or null.
async function pendingEntry(lib, id) {
  {
    const entry = await lib.evaluate(async (key) => {
      const db = await new Promise((res, rej) => {
        const r = indexedDB.open("evidence");
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      return new Promise((res, rej) => {
        const r = db.transaction("pending").objectStore("pending").get(key);
        r.onsuccess = () => res(r.result ?? null);
        r.onerror = () => rej(r.error);
      });
    }, id);
    return entry;
  }
}

// In the extension's current service worker: note when a capture's staging transaction
// (blobs, pending, meta) completes and when a record's commit transaction (records, pending,
// ...) is opened. The capture opens its commit only after its staging settled, so once the
// commit is open (and held by holdStore) the staged blob is written, whatever the machine's
// speed. Returns the worker, for untilStaged.
async function watchCommit(ext) {
  // A worker stopped earlier in the test may still be listed for a moment: take the live one.
  let sw = null;
  for (const w of ext.context.serviceWorkers().filter((w) => w.url().endsWith("/sw.js"))) {
    if (await w.evaluate(() => globalThis.evidenceReady).then(() => true, () => false)) sw = w;
  }
  sw ??= await serviceWorker(ext.context);
  await sw.evaluate(() => {
    globalThis.__watch = { staged: 0, commitOpened: false };
    if (globalThis.__watchInstalled) return;
    globalThis.__watchInstalled = true;
    const open = IDBDatabase.prototype.transaction;
    IDBDatabase.prototype.transaction = function (names, mode, options) {
      const tx = open.call(this, names, mode, options);
      const list = typeof names === "string" ? [names] : [...names];
      if (mode === "readwrite" && list.includes("records") && list.includes("pending")) globalThis.__watch.commitOpened = true;
      if (mode === "readwrite" && list.length === 3 && ["blobs", "pending", "meta"].every((n) => list.includes(n))) {
        tx.addEventListener("complete", () => globalThis.__watch.staged++);
      }
      return tx;
    };
  });
  return sw;
}

// Wait until the watched worker's capture has staged a blob and opened its (held) commit.
// {staged: true}, or {staged: false, ...why}: the capture answered first (its answer is
// shown), or nothing happened in `ms`.
async function untilStaged(sw, answer, ms = 30_000) {
  let settled = null;
  answer.then(
    (a) => (settled = { answer: a }),
    (e) => (settled = { error: String(e) }),
  );
  for (let t = 0; t < ms; t += 100) {
    const w = await sw.evaluate(() => globalThis.__watch);
    if (w.commitOpened) return { staged: w.staged > 0, watch: w };
    if (settled) return { staged: false, ...settled };
    await sleep(100);
  }
  return { staged: false, timedOut: ms };
}

// Ask for capture `requestId` of tab `tabId` with the records store held (holdStore), and
// resolve once it has staged a blob and opened its (held) commit. Resolves with {answer}:
// the capture's answer, or {disconnected} when the worker was stopped (in an object, so
// that this does not wait for it).
async function captureHeldAtCommit(ext, lib, tabId, requestId) {
  const sw = await watchCommit(ext);
  await holdStore(lib, "records");
  const answer = lib.evaluate((m) => chrome.runtime.sendMessage(m).then((r) => r, (e) => ({ disconnected: String(e) })), { type: "capture", tabId, requestId });
  const st = await untilStaged(sw, answer);
  assert.ok(st.staged, `the capture staged a blob and reached its commit: ${JSON.stringify(st)}`);
  return { answer };
}

// Stop the worker while the capture waits at its commit, then release the hold. Resolves
// with the capture's answer and the hold's spins.
async function stopThenRelease(ext, lib, answer) {
  await stopServiceWorker(ext, lib);
  const direct = await answer;
  assert.notEqual(direct?.ok, true, "no capture is reported saved");
  await sleep(300);
  return { direct, spins: await releaseHold(lib) };
}

// The keys of the blobs store (a transaction on "blobs" only: not held by holdStore(lib, "records")).
const blobKeys = (lib) =>
  lib.evaluate(async () => {
    const db = await new Promise((res, rej) => {
      const r = indexedDB.open("evidence");
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    return new Promise((res, rej) => {
      const r = db.transaction("blobs").objectStore("blobs").getAllKeys();
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
  });

test("a worker stopped between the staged blob and the record's commit leaves no half item; the orphan is swept at the next start", async () => {
  const ext = await launch();
  try {
    const lib = await openExtPage(ext, DRIVER);
    const page = await ext.context.newPage();
    await page.goto(`${srv.url}/x-post.html`);
    const tabId = await tabIdOf(lib, page);
    await page.bringToFront();
    const requestId = `staged-kill-${Date.now()}`;

    const { answer } = await captureHeldAtCommit(ext, lib, tabId, requestId);
    const { direct, spins } = await stopThenRelease(ext, lib, answer);
    assert.ok(spins > 10, "the commit was held");

    const entry = await pendingEntry(lib, requestId);
    if (entry) {
      assert.equal(entry.blobs?.length, 1, "the stopped capture's journal entry names the one part (the snapshot or the screenshot) it staged");
      assert.deepEqual(entry.created, entry.blobs, "the staged blob was not stored before");
      assert.deepEqual(await blobKeys(lib), entry.blobs, "the staged blob is stored, without its record");
    } else {
      // Chromium may start a fresh worker at once (for the closed message channel); its
      // start-up has then already turned the entry into a failure and swept the blob.
      const failures = (await readStore(lib)).failures;
      assert.ok(failures.some((x) => x.id === requestId && x.code === "INTERRUPTED"), `the entry went only with a fresh worker's start-up (answer: ${JSON.stringify(direct)}, failures: ${JSON.stringify(failures)})`);
      console.log("note: a fresh worker started before the staged blob could be looked at");
    }
    let dump = await readStore(lib);
    assert.equal(dump.records.length, 0, "no half item: the record never committed");

    // A fresh worker: its start-up turns the pending entry into a failure and sweeps the orphan.
    assert.equal((await send(lib, { type: "ping" })).ok, true);
    assert.deepEqual((await send(lib, { type: "list" })).items, [], "the library lists nothing");
    dump = await readStore(lib);
    assert.equal(dump.pending.length, 0, "no journal entry is left behind");
    assert.equal(dump.blobs.length, 0, "the staged blob that no record names is swept");
    const f = await send(lib, { type: "failures" });
    assert.ok(f.failures.some((x) => x.id === requestId && x.code === "INTERRUPTED"), "the interruption is reported");
    assert.equal((await send(lib, { type: "captureStatus", requestId })).status, "failed");

    // The next capture works, and stores every artifact it names.
    await sleep(1000); // captureVisibleTab quota
    const res = await send(lib, { type: "capture", tabId });
    assert.equal(res.ok, true, JSON.stringify(res));
    dump = await readStore(lib);
    const recs = checkStoreIntegrity(assert, dump);
    assert.equal(recs.length, 1);
    assert.deepEqual(dump.blobs.map((b) => b.sha256).sort(), recs[0].artifacts.map((a) => a.sha256).sort(), "exactly the record's artifacts are stored");
    assert.equal(dump.pending.length, 0);
  } finally {
    await ext.close();
  }
});

// An age recipient (public key only; the identity was not kept): what a lock stores in clear.
const RECIPIENT = "age1knvr5m04qy2a6y65kpjs0ujxdrqpk3xdss0dc34vl0jhm6wgruuszqe9em";

// Write meta "lock" (null: delete it) from the driver page.
const putLock = (lib, lock) =>
  lib.evaluate(async (lock) => {
    const db = await new Promise((res, rej) => {
      const r = indexedDB.open("evidence");
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const tx = db.transaction("meta", "readwrite");
    if (lock) tx.objectStore("meta").put(lock, "lock");
    else tx.objectStore("meta").delete("lock");
    await new Promise((res, rej) => ((tx.oncomplete = res), (tx.onerror = () => rej(tx.error))));
  }, lock);

test("under the lock a staged blob is stored encrypted; a capture whose commit fails sweeps what it staged and keeps the rest", async () => {
  const ext = await launch();
  try {
    const lib = await openExtPage(ext, DRIVER);
    const page = await ext.context.newPage();
    await page.goto(`${srv.url}/gmail-message.html`);
    const tabId = await tabIdOf(lib, page);
    await page.bringToFront();
    const first = await send(lib, { type: "capture", tabId });
    assert.equal(first.ok, true, JSON.stringify(first));
    const kept = (await readStore(lib)).blobs.map((b) => b.sha256).sort();
    assert.equal(kept.length, 3);

    // Locked (the public key only, as while the library is locked): the staged blob is
    // encrypted, never stored in clear. The worker is stopped before the commit.
    await putLock(lib, { recipient: RECIPIENT, createdAt: new Date().toISOString(), migration: { state: "done" } });
    await page.evaluate(() => document.body.insertAdjacentHTML("beforeend", "<p>changed once</p>"));
    await sleep(1000); // captureVisibleTab quota
    let requestId = `staged-locked-${Date.now()}`;
    const { answer } = await captureHeldAtCommit(ext, lib, tabId, requestId);
    await stopThenRelease(ext, lib, answer);
    const entry = await pendingEntry(lib, requestId);
    if (entry) {
      assert.equal(entry?.created?.length, 1, "the capture staged one new blob");
      const row = await lib.evaluate(async (sha) => {
        const db = await new Promise((res, rej) => {
          const r = indexedDB.open("evidence");
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
        return new Promise((res, rej) => {
          const r = db.transaction("blobs").objectStore("blobs").get(sha);
          r.onsuccess = () => res(r.result ? { enc: r.result.enc ?? null, chunks: Array.isArray(r.result.data) ? r.result.data.length : null } : null);
          r.onerror = () => rej(r.error);
        });
      }, entry.created[0]);
      assert.deepEqual(row, { enc: 1, chunks: 1 }, "stored encrypted to the lock's key");
      assert.equal(entry.stagedUnder, RECIPIENT);
    } else {
      const failures = (await readStore(lib)).failures; // a fresh worker's start-up came first (see above)
      assert.ok(failures.some((x) => x.id === requestId && x.code === "INTERRUPTED"), JSON.stringify(failures));
      console.log("note: a fresh worker started before the staged blob could be looked at");
    }
    assert.equal((await send(lib, { type: "ping" })).ok, true); // a fresh worker sweeps it
    await putLock(lib, null);
    let dump = await readStore(lib);
    assert.deepEqual(dump.blobs.map((b) => b.sha256).sort(), kept, "swept at the next start");

    // Unlocked again; the commit fails (another writer took its sequence number while it
    // waited: the library page adds a row at that seq in the transaction that holds it).
    await page.evaluate(() => document.body.insertAdjacentHTML("beforeend", "<p>changed twice</p>"));
    await sleep(1000);
    requestId = `staged-refused-${Date.now()}`;
    const { answer: refused } = await captureHeldAtCommit(ext, lib, tabId, requestId);
    await lib.evaluate(async () => {
      const hold = globalThis.__hold;
      hold.add = [{ seq: 1, id: "taken-meanwhile", kind: "capture", requestId: null }];
      while (hold.add.length) await new Promise((r) => setTimeout(r, 5));
    });
    await releaseHold(lib);
    const res = await refused;
    assert.equal(res.ok, false, JSON.stringify(res));
    assert.equal(res.error.code, "STORAGE_FAILED", JSON.stringify(res));
    await lib.evaluate(async () => {
      const db = await new Promise((res, rej) => {
        const r = indexedDB.open("evidence");
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      const tx = db.transaction("records", "readwrite");
      tx.objectStore("records").delete(1);
      await new Promise((res, rej) => ((tx.oncomplete = res), (tx.onerror = () => rej(tx.error))));
    });
    dump = await readStore(lib);
    assert.equal(dump.records.length, 1, "nothing more is stored");
    assert.equal(dump.pending.length, 0);
    assert.deepEqual(dump.blobs.map((b) => b.sha256).sort(), kept, "the staged blob is swept with its journal entry; the first item's blobs stay");
    checkStoreIntegrity(assert, dump);
  } finally {
    await ext.close();
  }
});
