// Launch real Chromium with the built extension (dist/) loaded, and helpers to talk to it.
import { chromium } from "playwright-core";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { testDist } from "./test-dist.mjs";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// EVIDENCE_DIST loads another build instead (e.g. to benchmark an older one side by side).
export const DIST = process.env.EVIDENCE_DIST ? path.resolve(process.env.EVIDENCE_DIST) : path.join(ROOT, "dist");
export const REAL_PAGES = path.resolve(ROOT, "../shared/fixtures/real-pages");
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

/**
 * Launch Chromium with the extension. Reuse `profileDir` to test persistence; `dist` loads
 * another build of the extension (the upgrade test). By default the tests' copy of `dist`
 * is loaded (host access granted and the evidenceTrigger hook, see test-dist.mjs);
 * `shipped: true` loads `dist` exactly as it ships. `env`: variables added to the browser's
 * environment (e.g. `{ TZ: "Europe/London" }`: the zone the whole browser runs in).
 */
export async function launch({ profileDir, viewport = { width: 1280, height: 800 }, args = [], dist: built = DIST, shipped = false, env } = {}) {
  if (!existsSync(path.join(built, "manifest.json"))) throw new Error(`${built} is not built: run ./build.sh first`);
  const dist = shipped ? built : testDist(built);
  const ownProfile = !profileDir;
  const dir = profileDir ?? mkdtempSync(path.join(tmpdir(), "evidence-profile-"));
  const freshInstall = readdirSync(dir).length === 0;
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    ...(env ? { env: { ...process.env, ...env } } : {}),
    args: [
      `--disable-extensions-except=${dist}`,
      `--load-extension=${dist}`,
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...args,
    ],
  });
  let sw, extensionId;
  try {
    sw = await serviceWorker(context);
    extensionId = new URL(sw.url()).host;
    if (freshInstall) {
      // A new install opens the welcome page; wait for it and close it so that it can't
      // take the focus from a tab a test is about to capture.
      const isWelcome = (p) => p.url() === `chrome-extension://${extensionId}/welcome.html`;
      const welcome = context.pages().find(isWelcome) ?? (await context.waitForEvent("page", { predicate: isWelcome, timeout: 10_000 }));
      await welcome.close();
    }
  } catch (e) {
    // A browser left open keeps the test process alive: the suite would hang, not fail.
    await context.close().catch(() => {});
    if (ownProfile) rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    context,
    sw,
    extensionId,
    profileDir: dir,
    url: (p) => `chrome-extension://${extensionId}/${p}`,
    async close() {
      await context.close();
      if (ownProfile) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The extension's service worker, once its module has registered listeners and loaded WASM. */
export async function serviceWorker(context) {
  let sw = context.serviceWorkers().find((w) => w.url().endsWith("/sw.js"));
  if (!sw) sw = await context.waitForEvent("serviceworker", { predicate: (w) => w.url().endsWith("/sw.js"), timeout: 30_000 });
  await sw.evaluate(() => globalThis.evidenceReady);
  return sw;
}

/** Open an extension page and wait for it to load. */
export async function openExtPage(ext, file) {
  const page = await ext.context.newPage();
  await page.goto(ext.url(file));
  return page;
}

/** Send a runtime message from an extension page, as the popup or library would. */
export function send(page, msg) {
  return page.evaluate((m) => chrome.runtime.sendMessage(m), msg);
}

/** Chrome's tab id for a Playwright page (looked up by URL from an extension page). */
export async function tabIdOf(extPage, page) {
  const url = page.url();
  const tabs = (await extPage.evaluate(() => chrome.tabs.query({}))).filter((t) => t.url === url);
  if (tabs.length !== 1) throw new Error(`expected one tab with ${url}, found ${tabs.length}`);
  return tabs[0].id;
}

/**
 * Read everything stored in IndexedDB, from an extension page. Bytes come back base64
 * so that the test hashes them itself, independently of the extension's WASM.
 */
export async function readStore(extPage) {
  const dump = await extPage.evaluate(async () => {
    const db = await new Promise((res, rej) => {
      const r = indexedDB.open("evidence");
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const all = (store) =>
      new Promise((res, rej) => {
        const r = db.transaction(store).objectStore(store).getAll();
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
    const b64 = async (blobOrBytes) => {
      const bytes = blobOrBytes instanceof Blob ? new Uint8Array(await blobOrBytes.arrayBuffer()) : blobOrBytes;
      let s = "";
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(s);
    };
    const records = [];
    for (const r of await all("records")) records.push({ ...r, bytes: r.bytes ? await b64(r.bytes) : null });
    const blobs = [];
    for (const b of await all("blobs")) {
      let decoded = null;
      if (b.mediaType === "image/png") {
        try {
          const bmp = await createImageBitmap(b.data instanceof Blob ? b.data : new Blob([b.data]));
          decoded = { width: bmp.width, height: bmp.height };
        } catch {
          decoded = null; // not a decodable PNG (a damaged blob, or an attachment)
        }
      }
      blobs.push({ sha256: b.sha256, mediaType: b.mediaType, size: b.size, data: await b64(b.data), decoded, storedAs: b.data instanceof Blob ? "blob" : "bytes" });
    }
    const head = await new Promise((res) => {
      const r = db.transaction("meta").objectStore("meta").get("head");
      r.onsuccess = () => res(r.result ?? null);
    });
    const pending = await all("pending");
    const failures = await all("failures");
    db.close();
    return { records, blobs, head, pending, failures };
  });
  for (const r of dump.records) r.bytes = r.bytes == null ? null : Buffer.from(r.bytes, "base64");
  for (const b of dump.blobs) b.data = Buffer.from(b.data, "base64");
  dump.records.sort((a, b) => a.seq - b.seq);
  return dump;
}

export const sha256 = (buf) => createHash("sha256").update(buf).digest("hex");

/**
 * Check, independently of the extension, that every record re-hashes, every artifact
 * re-hashes to its record, and the chain links from genesis to the stored head.
 * A removed row (content deleted by a later `removal` record) must have no record bytes,
 * must be named with its hash by that removal record, and is checked through its kept
 * hash. Returns the parsed records (a removed row gives {seq, id, kind, removed: true, artifacts}).
 */
export function checkStoreIntegrity(assert, dump) {
  const zero = "0".repeat(64);
  let prevRecord = zero;
  let prevChain = zero;
  const blobs = new Map(dump.blobs.map((b) => [b.sha256, b]));
  const parsed = [];
  dump.records.forEach((row, i) => {
    assert.equal(row.seq, i, "sequence numbers run from 0 without gaps");
    if (row.removed) {
      assert.equal(row.bytes, null, `removed record ${i} keeps no record bytes`);
      const chain = createHash("sha256").update(Buffer.from(prevChain + row.recordSha256, "hex")).digest("hex");
      assert.equal(row.chainSha256, chain, `chain link ${i} (removed item)`);
      prevRecord = row.recordSha256;
      prevChain = chain;
      parsed.push({ seq: i, id: row.id, kind: row.kind, removed: true, removedBy: row.removedBy, artifacts: row.artifacts });
      return;
    }
    assert.equal(sha256(row.bytes), row.recordSha256, `record ${i} re-hashes to its stored hash`);
    const rec = JSON.parse(row.bytes.toString("utf8"));
    assert.equal(rec.seq, i);
    assert.equal(rec.prev_record_sha256, prevRecord, `record ${i} points to the previous record`);
    const chain = createHash("sha256").update(Buffer.from(prevChain + row.recordSha256, "hex")).digest("hex");
    assert.equal(row.chainSha256, chain, `chain link ${i}`);
    for (const a of rec.artifacts) {
      const b = blobs.get(a.sha256);
      assert.ok(b, `artifact ${a.name} of record ${i} is stored`);
      assert.equal(sha256(b.data), a.sha256, `artifact ${a.name} of record ${i} re-hashes`);
      assert.equal(b.data.length, a.bytes, `artifact ${a.name} of record ${i} has its byte count`);
    }
    prevRecord = row.recordSha256;
    prevChain = chain;
    parsed.push(rec);
  });
  if (dump.records.length) assert.equal(dump.head.chainSha256, prevChain, "the head is the last chain value");
  for (const r of parsed.filter((x) => x.removed)) {
    const removal = parsed.find((x) => x.kind === "removal" && !x.removed && x.metadata?.target?.seq === r.seq);
    assert.ok(removal, `removed item ${r.seq} is named by a removal record`);
    assert.equal(removal.metadata.target.record_sha256, dump.records[r.seq].recordSha256, `the removal of item ${r.seq} keeps its record hash`);
    assert.deepEqual(removal.metadata.target.artifacts, r.artifacts, `the removal of item ${r.seq} keeps its artifacts' hashes`);
  }
  return parsed;
}

/** The metadata.json artifact of a parsed record, parsed. */
export function metadataOf(dump, rec) {
  const a = rec.artifacts.find((x) => x.name === "metadata.json");
  const b = dump.blobs.find((x) => x.sha256 === a.sha256);
  return JSON.parse(b.data.toString("utf8"));
}

/**
 * Open the real toolbar popup (action.openPopup) and return a tiny driver for it.
 * Playwright does not surface popup targets, so this attaches over the DevTools protocol.
 */
export async function openToolbarPopup(ext, viaPage) {
  const cdp = await ext.context.newCDPSession(viaPage);
  const sw = await serviceWorker(ext.context);
  const opened = await sw.evaluate(() => chrome.action.openPopup().then(() => "ok", (e) => String(e)));
  if (opened !== "ok") throw new Error(`action.openPopup failed: ${opened}`);
  let target = null;
  for (let i = 0; i < 300 && !target; i++) {
    const { targetInfos } = await cdp.send("Target.getTargets");
    target = targetInfos.find((t) => t.url === ext.url("popup.html"));
    if (!target) await new Promise((r) => setTimeout(r, 100));
  }
  if (!target) throw new Error("the popup did not open");
  const { sessionId } = await cdp.send("Target.attachToTarget", { targetId: target.targetId, flatten: false });
  let nextId = 0;
  const waiting = new Map();
  cdp.on("Target.receivedMessageFromTarget", (ev) => {
    const m = JSON.parse(ev.message);
    waiting.get(m.id)?.(m);
    waiting.delete(m.id);
  });
  const call = (method, params) =>
    new Promise((resolve) => {
      const id = ++nextId;
      waiting.set(id, resolve);
      cdp.send("Target.sendMessageToTarget", { sessionId, message: JSON.stringify({ id, method, params }) });
    });
  return {
    /** Evaluate an expression in the popup and return its value (promises awaited). */
    async eval(expression) {
      const m = await call("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true });
      if (m.result?.exceptionDetails) throw new Error(m.result.exceptionDetails.text);
      return m.result?.result?.value;
    },
    async close() {
      await cdp.detach().catch(() => {});
    },
  };
}

/**
 * In the extension's service worker: hold the object store `name` (a readwrite transaction
 * kept busy) until `release()` is awaited, so that the pages' writes to it wait, as on a slow
 * machine. Resolves, once it holds, with {release}; release() resolves with the time the
 * hold ended.
 */
export async function holdStoreInWorker(ext, name) {
  await ext.sw.evaluate(async (name) => {
    const db = await new Promise((res, rej) => {
      const r = indexedDB.open("evidence");
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const tx = db.transaction(name, "readwrite");
    const store = tx.objectStore(name);
    let release = false;
    const ended = new Promise((res, rej) => ((tx.oncomplete = () => res(Date.now())), (tx.onabort = () => rej(tx.error))));
    globalThis.__releaseHold = () => ((release = true), ended);
    await new Promise((started) => {
      const spin = () => {
        if (!release) store.get("-").onsuccess = spin;
      };
      store.get("-").onsuccess = () => (started(), spin());
    });
  }, name);
  return { release: () => ext.sw.evaluate(() => globalThis.__releaseHold()) };
}

/** Stop the extension's service worker, as the browser does when it is idle or killed. */
export async function stopServiceWorker(ext, viaPage) {
  const cdp = await ext.context.newCDPSession(viaPage);
  const { targetInfos } = await cdp.send("Target.getTargets");
  const sw = targetInfos.find((t) => t.type === "service_worker" && t.url === ext.url("background/sw.js"));
  if (sw) {
    await cdp.send("Target.closeTarget", { targetId: sw.targetId });
    // Closed once its target is gone (a fresh worker that Chromium may start at once is another target).
    for (let i = 0; i < 300; i++) {
      const { targetInfos: now } = await cdp.send("Target.getTargets");
      if (!now.some((t) => t.targetId === sw.targetId)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  await cdp.detach().catch(() => {});
}

/**
 * Run an axe-core audit in `page` and return its violations. Extension pages forbid
 * inline scripts (CSP script-src 'self'), so axe is evaluated over the DevTools protocol
 * rather than added as a <script> tag.
 */
export async function axeAudit(page, { include } = {}) {
  const source = readFileSync(path.join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");
  if (!(await page.evaluate(() => typeof globalThis.axe === "object"))) await page.evaluate(source);
  return page.evaluate(async (inc) => {
    const res = await globalThis.axe.run(inc ? { include: [inc] } : document, { resultTypes: ["violations"] });
    return res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
  }, include ?? null);
}
