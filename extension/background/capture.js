// @ts-check
// The capture pipeline: screenshot + page snapshot + page facts -> hashed artifacts ->
// one sealed record committed to IndexedDB in a single transaction.

import { api, browserInfo } from "../shared/browser.js";
import { capturableTab, captureContextOf, fail } from "./capture-context.js";
import { activateForCapture, activationEpoch } from "./own-activations.js";
import { captureScreenshot, pngSize } from "./screenshot.js";
import { captureSnapshot } from "./snapshot.js";
import { readPageFacts } from "./page-facts.js";
import { core, coreReady, hashBytes } from "../shared/core.js";
import { addFailure, addPending, removePending } from "../store/journal.js";
import { commitItem } from "../store/ledger.js";
import { stageBlobs } from "../store/staging.js";
import { recipientProblem } from "../store/lock.js";

/** An error with a stable code that the UI can branch on. */
export class CaptureError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Only the part of a capture that needs the tab to be the visible one in its window
// (showing it, and the screenshot) runs one capture at a time; the snapshot and the page
// facts of several tabs run side by side, each within its time budget, so a page that
// stalls (a script that loops forever) delays the next capture of another tab by at most
// the screenshot's budget, and blocks none. The ledger head is read and advanced inside
// the commit's IndexedDB transaction, so concurrent commits are serialised there (and a
// second record at the same seq is refused, so the chain cannot fork).
/** @type {Promise<unknown>} */
let visibleQueue = Promise.resolve();

/**
 * Run `fn` when no other capture is showing a tab or taking a screenshot (long captures too).
 * @template T
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
export function whileVisible(fn) {
  const run = visibleQueue.then(fn);
  visibleQueue = run.catch(() => {}); // only keeps the queue going: the caller gets `run` itself
  return run;
}

/**
 * Time budgets (ms) for the parts of a capture. A part that has not arrived within its
 * budget is given up: the capture stores what arrived and names what is missing.
 */
export const BUDGET_MS = { screenshot: 15_000, snapshot: 25_000, facts: 15_000 };

/** `p`, or a PART_TIMEOUT rejection once `ms` have passed without an answer. */
function withBudget(ms, p) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new CaptureError("PART_TIMEOUT", `not taken: no answer within ${Math.round(ms / 1000)} s (the page may be busy or stalled)`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** Start a capture of `tabId`. Resolves to {ok:true,item,...} or {ok:false,error}. */
export function enqueueCapture(tabId, trigger, requestId) {
  return captureTab(tabId, trigger, requestId);
}

async function captureTab(tabId, trigger, requestId) {
  const t0 = performance.now();
  // Tab activations from now until the screenshot is taken (see runCapture), watched from
  // before the tab is asked for, so that its answer can be trusted while none is seen.
  const watch = watchActivations();
  try {
    return await watchedCapture(tabId, trigger, requestId, t0, watch);
  } finally {
    watch.stop();
  }
}

/**
 * @typedef {{ epoch: number, seen: {windowId: number, tabId: number}[], shooting: {windowId: number, id: number} | null,
 *   switched: boolean, stop: () => void }} ActivationWatch
 */

/**
 * Watch tabs.onActivated: activations before the screenshot are kept in `seen`; one in the
 * screenshot's window to another tab while it is taken sets `switched`.
 * @returns {ActivationWatch}
 */
function watchActivations() {
  /** @type {ActivationWatch} */
  const w = {
    epoch: activationEpoch(),
    seen: [],
    shooting: null,
    switched: false,
    stop: () => api.tabs.onActivated.removeListener(onActivated),
  };
  const onActivated = (info) => {
    if (!w.shooting) w.seen.push(info);
    else if (info.windowId === w.shooting.windowId && info.tabId !== w.shooting.id) w.switched = true;
  };
  api.tabs.onActivated.addListener(onActivated);
  return w;
}

async function watchedCapture(tabId, trigger, requestId, t0, watch) {
  const { tab, refusal } = await capturableTab(tabId);
  if (!tab) return refusal;

  const id = requestId ?? crypto.randomUUID();
  const capturedAtMs = Date.now();
  // The journal entry is written alongside the capture; the commit waits for it.
  const journal = addPending({ id, url: tab.url, title: tab.title ?? null, startedAt: new Date(capturedAtMs).toISOString(), trigger });
  try {
    const result = await runCapture(tab, trigger, id, capturedAtMs, t0, journal, watch);
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

/** @param {ActivationWatch} watch */
async function runCapture(tab, trigger, id, capturedAtMs, t0, journal, watch) {
  await coreReady();
  // Checked while the parts are taken, off the critical path; the commit's transaction
  // checks the stored lock again (store/ledger.js writeItem).
  const keyCheck = recipientProblem();
  keyCheck.catch(() => {}); // awaited before the commit
  const tBare = performance.now();
  const partMs = {};
  let hashMs = 0;
  let hashedBytes = 0;
  // Each part is hashed as it arrives, with WebCrypto (about 3x the core's SHA-256 in WASM).
  const hashed = (p) =>
    p.then(async (v) => {
      const t = performance.now();
      v.sha256 = await sha256Hex(v.bytes);
      hashMs += performance.now() - t;
      hashedBytes += v.bytes.length;
      return v;
    });
  const timed = (name, p) => p.finally(() => (partMs[name] = performance.now() - tBare));
  // The screenshot needs the tab to be the visible one: one capture at a time shows its tab.
  // Watch for the user switching tabs while the screenshot is taken (an event, rather
  // than a query afterwards, keeps this off the critical path).
  let shotSettled = false;
  const shotP = whileVisible(async () => {
    // `tab` was asked for after the watch began: while it was active and no activation in
    // its window (the user's, a long capture's, another capture's) has been seen since, it
    // still is; else it is asked again (a long capture may have shown its own tab since).
    const unmoved = tab.active && activationEpoch() === watch.epoch && !watch.seen.some((a) => a.windowId === tab.windowId);
    if (!unmoved && !(await api.tabs.get(tab.id)).active) {
      await activateForCapture(api, tab.id);
      await sleep(150); // let the compositor paint the newly shown tab
    }
    watch.shooting = { windowId: tab.windowId, id: tab.id };
    try {
      return await timed("screenshot", hashed(withBudget(BUDGET_MS.screenshot, captureScreenshot(tab))));
    } finally {
      watch.shooting = null;
      watch.stop();
    }
  }).finally(() => (shotSettled = true));
  // Snapshot and page facts need no visible tab: they start at once, each within its budget,
  // one microtask after the screenshot was asked for (the screenshot is the longest part, so
  // the browser starts on it first).
  const asked = Promise.resolve();
  const snapP = timed("snapshot", hashed(withBudget(BUDGET_MS.snapshot, asked.then(() => captureSnapshot(tab)))));
  const factsP = timed("facts", withBudget(BUDGET_MS.facts, asked.then(() => readPageFacts(tab.id))));
  // The screenshot's or the snapshot's bytes, whichever arrives while the other is still
  // being taken, are written at once (store/staging.js), so that the commit writes less.
  let snapSettled = false;
  snapP.finally(() => (snapSettled = true)).catch(() => {});
  const stage = (p, mediaType, otherSettled) =>
    p
      .then(
        async (v) => {
          if (otherSettled()) return null;
          await journal;
          try {
            return await stageBlobs(id, [{ sha256: v.sha256, mediaType: mediaType ?? v.mediaType, bytes: v.bytes }]);
          } catch (e) {
            // Only an optimisation: a blob that was not staged is written by the record's commit.
            console.warn("capture: a part was not staged; the commit writes it", e);
            return null;
          }
        },
        () => null, // a part that failed is reported with the parts, below
      )
      .catch(() => null); // a journal that failed is reported before the commit (runCapture awaits it)
  const staging = [stage(shotP, "image/png", () => snapSettled), stage(snapP, null, () => shotSettled)];
  const browserP = browserInfo();
  // The metadata is built as soon as the page facts and the snapshot are in, while the
  // screenshot (usually the last part) is still being taken, with the screenshot's expected
  // method and size; it is used only if the context built from the parts that did arrive is
  // the same, else it is built again (buildMetadata is a pure function of its inputs).
  const early = Promise.allSettled([snapP, factsP, browserP]).then(([snap, facts, browser]) => {
    if (shotSettled || facts.status !== "fulfilled" || browser.status !== "fulfilled") return null;
    try {
      const expected = { status: "fulfilled", value: expectedShot(facts.value) };
      const ctx = captureContext(tab, trigger, capturedAtMs, browser.value, expected, snap, facts);
      return { ctx, meta: buildMetadata(facts, ctx) };
    } catch {
      return null; // built again below, where an error is reported
    }
  });
  const [shot, snap, facts] = await Promise.allSettled([shotP, snapP, factsP]);
  const bareMs = performance.now() - tBare;
  // Settled before anything below may fail, so that a failure's sweep (store/journal.js)
  // comes after every staging write of this capture.
  const staged = (await Promise.all(staging)).filter((x) => x !== null);
  if (watch.switched) {
    throw new CaptureError("TAB_CHANGED", "The tab was switched during the capture, so the screenshot may show another page. Nothing was saved; please capture again.");
  }
  // The page may have moved on while the parts were taken (a navigation, or a script
  // rewriting the address with history.replaceState): then the parts may show different
  // pages, and the record would name an address that none of them shows. Compare the URL
  // (the answer is awaited below, after the metadata is built).
  const nowP = api.tabs.get(tab.id).catch(() => null);
  const ctx = captureContext(tab, trigger, capturedAtMs, await browserP, shot, snap, facts);
  const tBuild = performance.now();
  const guess = await early;
  let meta = null;
  let buildError = null;
  try {
    meta = guess && JSON.stringify(guess.ctx) === JSON.stringify(ctx) ? guess.meta : buildMetadata(facts, ctx);
  } catch (e) {
    buildError = e;
  }
  const buildMs = performance.now() - tBuild;
  const now = await nowP;
  if (!now) throw new CaptureError("TAB_NOT_FOUND", "The tab was closed during the capture. Nothing was saved.");
  if ((now.url ?? "") !== (tab.url ?? "")) {
    throw new CaptureError("PAGE_CHANGED", "The page changed its address (URL) during the capture, so the parts may show different pages. Nothing was saved; please capture again.");
  }

  const { missing } = ctx;
  const artifacts = [];
  const blobs = [];
  if (shot.status === "fulfilled") {
    const { bytes, sha256 } = shot.value;
    artifacts.push({ name: "screenshot.png", media_type: "image/png", bytes: bytes.length, sha256 });
    blobs.push({ sha256, mediaType: "image/png", bytes });
  }
  if (snap.status === "fulfilled") {
    const { bytes, sha256, mediaType, name } = snap.value;
    artifacts.push({ name, media_type: mediaType, bytes: bytes.length, sha256 });
    blobs.push({ sha256, mediaType, bytes });
  }
  if (!artifacts.length) {
    throw new CaptureError("CAPTURE_FAILED", `Neither a screenshot nor a page snapshot could be taken (${missing.join("; ")}). Nothing was saved.`);
  }
  if (buildError) throw buildError;
  const { built, metaBytes, metaSha } = meta;
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
  // Never encrypt a capture to a public key that is not the user's (a swapped recipient).
  const keyProblem = await keyCheck;
  if (keyProblem) throw new CaptureError("KEY_MISMATCH", keyProblem);
  await journal;
  const row = await commitItem({
    staged: staged.length ? { shas: staged.flatMap((x) => x.shas), recipient: staged[0].recipient } : null,
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

/** What the screenshot is expected to be, from the page facts: method and device-pixel size. */
function expectedShot(facts) {
  const vp = facts?.env?.viewport;
  const dpr = facts?.env?.device_pixel_ratio;
  const size = vp && typeof dpr === "number" ? { width: Math.round(vp.width * dpr), height: Math.round(vp.height * dpr) } : null;
  const method = typeof api.tabs.captureTab === "function" ? "tabs.captureTab" : "tabs.captureVisibleTab";
  return { method, size };
}

/** The capture context the core's metadata is built from (the parts' outcomes, the tab, the browser). */
function captureContext(tab, trigger, capturedAtMs, browser, shot, snap, facts) {
  const missing = [];
  if (shot.status !== "fulfilled") missing.push(`screenshot: ${shot.reason?.message ?? shot.reason}`);
  if (snap.status === "fulfilled") {
    // stored
  } else if (snap.reason?.code === "PART_TIMEOUT") {
    missing.push(`page snapshot: ${snap.reason.message}`);
  } else {
    missing.push(`page snapshot: the browser refused to save this page (${snap.reason?.message ?? snap.reason}). This happens with PDF viewers and some special pages.`);
  }
  if (facts.status === "rejected") missing.push(`page facts: ${facts.reason?.message ?? facts.reason}`);
  const shotSize = shot.status !== "fulfilled" ? null : shot.value.bytes ? pngSize(shot.value.bytes) : shot.value.size;
  return captureContextOf({
    tab,
    trigger,
    capturedAtMs,
    browser,
    screenshotMethod: shot.status === "fulfilled" ? shot.value.method : null,
    screenshotSize: shotSize,
    snapshotMethod: snap.status === "fulfilled" ? snap.value.method : null,
    missing,
    extractionError: facts.status === "rejected" ? String(facts.reason?.message ?? facts.reason) : null,
  });
}

/** The core's metadata.json for these facts and context, with its hash. */
function buildMetadata(facts, ctx) {
  const built = core.buildCapture(facts.status === "fulfilled" ? facts.value : null, ctx);
  const metaBytes = built.metadataJson;
  return { built, metaBytes, metaSha: hashBytes(metaBytes) };
}

/** The lowercase hex SHA-256 of `bytes` (WebCrypto). @param {Uint8Array} bytes */
async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", /** @type {Uint8Array<ArrayBuffer>} */ (bytes)));
  let hex = "";
  for (const b of digest) hex += b.toString(16).padStart(2, "0");
  return hex;
}
