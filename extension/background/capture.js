// The capture pipeline: screenshot + page snapshot + page facts -> hashed artifacts ->
// one sealed record committed to IndexedDB in a single transaction.

import { api, browserInfo } from "../shared/browser.js";
import { captureScreenshot, pngSize } from "./screenshot.js";
import { captureSnapshot } from "./snapshot.js";
import { readPageFacts } from "./page-facts.js";
import { core, coreReady, hashBytes } from "../shared/core.js";
import { addFailure, addPending, removePending } from "../store/journal.js";
import { commitItem } from "../store/ledger.js";
import { uncapturableReason } from "../shared/urls.js";

/** An error with a stable code that the UI can branch on. */
export class CaptureError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// One capture at a time: the screenshot needs the tab to be the visible one, and the
// ledger head must be read and advanced by one writer at a time. (The IndexedDB
// transaction also refuses a second record at the same seq, so the chain cannot fork
// even if this queue were bypassed.)
let queue = Promise.resolve();

/** Queue a capture of `tabId`. Resolves to {ok:true,item,...} or {ok:false,error}. */
export function enqueueCapture(tabId, trigger, requestId) {
  const run = queue.then(() => captureTab(tabId, trigger, requestId));
  queue = run.catch(() => {}); // only keeps the queue going: the caller gets `run` itself, error included
  return run;
}

async function captureTab(tabId, trigger, requestId) {
  const t0 = performance.now();
  let tab;
  try {
    tab = await api.tabs.get(tabId);
  } catch {
    return fail("TAB_NOT_FOUND", "That tab is no longer open, so it could not be captured.");
  }
  const reason = uncapturableReason(tab.url ?? tab.pendingUrl ?? "");
  if (reason) return fail("NOT_CAPTURABLE", reason);

  const id = requestId ?? crypto.randomUUID();
  const capturedAtMs = Date.now();
  // The journal entry is written alongside the capture; the commit waits for it.
  const journal = addPending({ id, url: tab.url, title: tab.title ?? null, startedAt: new Date(capturedAtMs).toISOString(), trigger });
  try {
    const result = await runCapture(tab, trigger, id, capturedAtMs, t0, journal);
    return { ok: true, ...result };
  } catch (e) {
    const known = typeof e?.code === "string";
    const code = known ? e.code : "CAPTURE_FAILED";
    const message = known ? e.message : `The capture failed: ${e?.name ?? "Error"}: ${e?.message ?? e}. Nothing was saved.`;
    console.warn("capture failed", e);
    // Never remove a journal entry before it is written. If writing it failed, runCapture
    // awaited it and that failure is `e`, reported below.
    await journal.catch(() => {});
    if (trigger === "popup" || trigger === "api") {
      // The caller shows the error now. A pending entry left behind is turned into an
      // "interrupted" failure at the next start-up: reported twice, never lost.
      await removePending(id).catch((e2) => console.warn("capture failed; its journal entry stays", e2));
      return fail(code, message);
    }
    // Nobody is waiting for an answer: keep the failure for the popup to show. If that
    // cannot be stored either, the notification must say so, or the failure is gone.
    try {
      await addFailure({ id, url: tab.url, title: tab.title ?? null, startedAt: new Date(capturedAtMs).toISOString(), reportedAt: new Date().toISOString(), code, message });
    } catch (e2) {
      console.error("the failed capture could not be recorded", e2);
      return fail(code, `${message} (This failure could not be recorded for later: ${e2?.message ?? e2}.)`);
    }
    return fail(code, message);
  }
}

async function runCapture(tab, trigger, id, capturedAtMs, t0, journal) {
  await coreReady();
  if (!tab.active) {
    await api.tabs.update(tab.id, { active: true });
    await sleep(150); // let the compositor paint the newly shown tab
  }
  // Screenshot, snapshot and page facts run side by side; each artifact is hashed as soon
  // as it arrives, while the others are still being taken.
  // Watch for the user switching tabs while the screenshot is taken (an event, rather
  // than a query afterwards, keeps this off the critical path).
  let switched = false;
  const onActivated = (info) => {
    if (info.windowId === tab.windowId && info.tabId !== tab.id) switched = true;
  };
  api.tabs.onActivated.addListener(onActivated);
  const tBare = performance.now();
  const partMs = {};
  let hashMs = 0;
  let hashedBytes = 0;
  const hashed = (p) =>
    p.then((v) => {
      const t = performance.now();
      v.sha256 = hashBytes(v.bytes);
      hashMs += performance.now() - t;
      hashedBytes += v.bytes.length;
      return v;
    });
  const timed = (name, p) => p.finally(() => (partMs[name] = performance.now() - tBare));
  const [shot, snap, facts] = await Promise.allSettled([
    timed("screenshot", hashed(captureScreenshot(tab))),
    timed("snapshot", hashed(captureSnapshot(tab))),
    timed("facts", readPageFacts(tab.id)),
  ]);
  const bareMs = performance.now() - tBare;
  api.tabs.onActivated.removeListener(onActivated);
  if (switched) {
    throw new CaptureError("TAB_CHANGED", "The tab was switched during the capture, so the screenshot may show another page. Nothing was saved; please capture again.");
  }

  const missing = [];
  const artifacts = [];
  const blobs = [];
  let shotSize = null;
  if (shot.status === "fulfilled") {
    const { bytes, sha256 } = shot.value;
    shotSize = pngSize(bytes);
    artifacts.push({ name: "screenshot.png", media_type: "image/png", bytes: bytes.length, sha256 });
    blobs.push({ sha256, mediaType: "image/png", bytes });
  } else {
    missing.push(`screenshot: ${shot.reason?.message ?? shot.reason}`);
  }
  if (snap.status === "fulfilled") {
    const { bytes, sha256, mediaType, name } = snap.value;
    artifacts.push({ name, media_type: mediaType, bytes: bytes.length, sha256 });
    blobs.push({ sha256, mediaType, bytes });
  } else {
    missing.push(`page snapshot: the browser refused to save this page (${snap.reason?.message ?? snap.reason}). This happens with PDF viewers and some special pages.`);
  }
  if (!artifacts.length) {
    throw new CaptureError("CAPTURE_FAILED", `Neither a screenshot nor a page snapshot could be taken (${missing.join("; ")}). Nothing was saved.`);
  }

  const browser = await browserInfo();
  const ctx = {
    captured_at_ms: capturedAtMs,
    local_offset_minutes: -new Date(capturedAtMs).getTimezoneOffset(),
    time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone ?? null,
    trigger,
    tab_url: tab.url,
    tab_title: tab.title ?? null,
    browser: browser.name,
    browser_version: browser.version,
    user_agent: navigator.userAgent,
    extension_version: api.runtime.getManifest().version,
    screenshot_method: shot.status === "fulfilled" ? shot.value.method : null,
    screenshot_width: shotSize?.width ?? null,
    screenshot_height: shotSize?.height ?? null,
    snapshot_method: snap.status === "fulfilled" ? snap.value.method : null,
    missing,
    extraction_error: facts.status === "rejected" ? String(facts.reason?.message ?? facts.reason) : null,
  };
  const tBuild = performance.now();
  const built = core.buildCapture(facts.status === "fulfilled" ? facts.value : null, ctx);
  const metaBytes = built.metadataJson;
  const metaSha = hashBytes(metaBytes);
  const buildMs = performance.now() - tBuild;
  artifacts.push({ name: "metadata.json", media_type: "application/json", bytes: metaBytes.length, sha256: metaSha });
  blobs.push({ sha256: metaSha, mediaType: "application/json", bytes: metaBytes });

  const draft = {
    id,
    kind: "capture",
    captured_at_ms: capturedAtMs,
    local_offset_minutes: ctx.local_offset_minutes,
    time_zone: ctx.time_zone,
    artifacts,
    metadata: built.summary,
  };
  const tStore = performance.now();
  await journal;
  const row = await commitItem({
    seal: (head) => core.sealRecord(draft, head),
    blobs,
    summary: built.summary,
    requestId: id,
    pendingId: id,
    genesis: core.genesis(),
  });
  const t1 = performance.now();
  return {
    item: { seq: row.seq, id: row.id, recordSha256: row.recordSha256, chainSha256: row.chainSha256 },
    warnings: missing,
    timings: { totalMs: t1 - t0, bareMs, partMs, hashMs, hashedBytes, buildMs, storeMs: t1 - tStore },
  };
}

function fail(code, message) {
  return { ok: false, error: { code, message } };
}
