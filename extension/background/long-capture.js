// @ts-check
// Long captures (issue 11): a whole conversation or a whole page as ONE record.
//
// The page side (content/sweep.js) finds the conversation's scroll container, and the
// worker drives it: load the older end (scroll to the top until the list stops growing,
// clicking only "load older" controls), then sweep to the newest end in overlapping steps,
// waiting at each step until the page is quiet, reading the messages on screen with their
// rectangles and taking one screen. The user's scroll position is put back at the end.
// Screens are taken no faster than Chromium allows (MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND),
// retrying on a quota error. The core merges the steps (crate/src/conversation/); the record
// holds every screen, the stitched image, the snapshot (taken once, at the end), the segment
// index and metadata.json, committed in one strict transaction like a one-screen capture.
//
// Early stops (Cancel, the user scrolls or switches tab, a limit) still store what was
// captured, as an incomplete item with the reason.

import { api, browserInfo } from "../shared/browser.js";
import { captureSnapshot } from "./snapshot.js";
import { readPageFacts } from "./page-facts.js";
import { pngSize } from "./screenshot.js";
import { stitch } from "./stitch.js";
import { capturableTab, captureContextOf, fail } from "./capture-context.js";
import { activateForCapture, isOwnActivation } from "./own-activations.js";
import { whileVisible } from "./capture.js";
import { core, coreReady, hashBytes } from "../shared/core.js";
import { currentZoneOffsets } from "../shared/zone.js";
import { addPending, removePending } from "../store/journal.js";
import { commitItem } from "../store/ledger.js";
import { recipientProblem } from "../store/lock.js";
import { SWEEP_FILES } from "../content/files.js";

/** Defaults for the limits chosen before a long capture starts. */
export const DEFAULT_LIMITS = Object.freeze({ maxMessages: 5000, maxMinutes: 15, backTo: null });
/** How much of the container each step moves on (the rest overlaps the previous screen). */
export const STEP_FRACTION = 0.75;
const SNAPSHOT_BUDGET_MS = 25_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** @param {string} code @param {string} message */
function codedError(code, message) {
  return Object.assign(new Error(message), { code });
}

/** The running long captures, by tab id: what the popup's progress shows. */
const running = new Map();

/** Progress of every running long capture: [{tabId, scope, phase, messages, screens, oldest}]. */
export function longCaptureProgress() {
  return [...running.values()].map(({ tabId, scope, phase, messages, screens, oldest, startedAt }) => ({ tabId, scope, phase, messages, screens, oldest, startedAt }));
}

/** Ask the long capture of `tabId` to stop; it stores what it has. True when one was running. */
export function cancelLongCapture(tabId) {
  const run = running.get(tabId);
  if (!run) return false;
  run.stop ??= "cancelled by the user";
  return true;
}

// Screens: at most MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND calls a second (Chromium: 2).
const RATE = api.tabs.MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND ?? 2;
/** The least time between two screens, ms. */
export const SCREEN_GAP_MS = Math.ceil(1000 / RATE) + 5;
let lastScreenAt = 0;

/**
 * One PNG screen of the tab, no sooner than SCREEN_GAP_MS after the previous one. In Chromium
 * the tab must be the visible one of its window: the screen is taken in the one-at-a-time
 * section that one-screen captures use too (background/capture.js), and when one of them
 * showed another tab meanwhile, this tab is shown again first.
 */
async function takeScreen(tab, rect = null) {
  if (typeof api.tabs.captureTab === "function") return shoot(tab, rect);
  return whileVisible(async () => {
    if (!(await api.tabs.get(tab.id)).active) {
      await activateForCapture(api, tab.id);
      await sleep(150); // let the compositor paint the tab shown again
    }
    return shoot(tab);
  });
}

async function shoot(tab, rect = null) {
  for (let attempt = 0; ; attempt++) {
    const wait = lastScreenAt + SCREEN_GAP_MS - Date.now();
    if (wait > 0) await sleep(wait);
    const at = Date.now();
    lastScreenAt = at;
    try {
      // Firefox captures the tab itself; Chromium only the visible tab of the window.
      // Firefox with a rect: that area of the document, drawn without scrolling.
      const firefox = typeof api.tabs.captureTab === "function";
      const dataUrl = firefox ? await api.tabs.captureTab(tab.id, rect ? { format: "png", rect } : { format: "png" }) : await api.tabs.captureVisibleTab(tab.windowId, { format: "png" });
      return { bytes: dataUrlBytes(dataUrl), at, method: firefox ? (rect ? "tabs.captureTab rect" : "tabs.captureTab") : "tabs.captureVisibleTab" };
    } catch (e) {
      // A quota error (another capture took a screen meanwhile) or "image readback failed"
      // (no frame yet): wait for the next slot and try again.
      if (attempt < 10 && /MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND|quota|readback/i.test(String(e?.message))) continue;
      throw e;
    }
  }
}

/** @param {string} dataUrl */
function dataUrlBytes(dataUrl) {
  if (!dataUrl.startsWith("data:image/png;base64,")) throw new Error("the screen is not a PNG");
  const bin = atob(dataUrl.slice(dataUrl.indexOf(",") + 1));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Call the page side's controller in the tab's isolated world. */
async function sweepCall(tabId, op, arg = null) {
  const [res] = await api.scripting.executeScript({
    target: { tabId },
    func: (o, a) => {
      const s = /** @type {any} */ (globalThis).__evidenceSweep;
      return s && typeof s[o] === "function" ? s[o](a) : { error: "the sweep controller is gone (the page was reloaded?)" };
    },
    args: [op, arg],
  });
  const v = res?.result;
  if (!v || v.error) throw codedError("PAGE_CHANGED", `The page could not be read during the capture (${v?.error ?? "no answer"}).`);
  return v;
}

/** Normalised limits: positive whole numbers, or the defaults. */
export function limitsOf(limits) {
  const pos = (v, d) => (Number.isSafeInteger(v) && v > 0 ? v : d);
  return {
    maxMessages: pos(limits?.maxMessages, DEFAULT_LIMITS.maxMessages),
    maxMinutes: pos(limits?.maxMinutes, DEFAULT_LIMITS.maxMinutes),
    backTo: typeof limits?.backTo === "string" && /^\d{4}-\d{2}-\d{2}$/.test(limits.backTo) ? limits.backTo : null,
  };
}

/**
 * Capture the whole conversation (`scope: "conversation"`) or the whole page (`"page"`) in
 * `tabId`. Resolves to {ok: true, item, messages, segments, complete, stopReason, warnings}
 * or {ok: false, error: {code, message}}.
 */
export async function longCapture(tabId, scope, trigger, requestId, limits) {
  const { tab, refusal } = await capturableTab(tabId);
  if (!tab) return refusal;
  if (running.has(tabId)) return fail("BUSY", "A long capture of this tab is already running.");
  const id = requestId ?? crypto.randomUUID();
  const capturedAtMs = Date.now();
  const run = { tabId, scope, phase: "starting", messages: 0, screens: 0, oldest: null, startedAt: new Date(capturedAtMs).toISOString(), stop: /** @type {string | null} */ (null) };
  running.set(tabId, run);
  const journal = addPending({ id, url: tab.url, title: tab.title ?? null, startedAt: run.startedAt, trigger });
  try {
    return { ok: true, ...(await runLong(tab, scope, trigger, id, capturedAtMs, limitsOf(limits), run, journal)) };
  } catch (e) {
    await journal.catch(() => {});
    await removePending(id).catch((e2) => console.warn("long capture failed; its journal entry stays", e2));
    const known = typeof e?.code === "string";
    console.warn("long capture failed", e);
    return fail(known ? e.code : "CAPTURE_FAILED", known ? e.message : `The capture failed: ${e?.name ?? "Error"}: ${e?.message ?? e}. Nothing was saved.`);
  } finally {
    running.delete(tabId);
  }
}

async function runLong(tab, scope, trigger, id, capturedAtMs, limits, run, journal) {
  await coreReady();
  await api.scripting.executeScript({ target: { tabId: tab.id }, files: SWEEP_FILES });
  const prep = await sweepCall(tab.id, "prepare", { scope });
  if (scope === "conversation" && !prep.found) {
    await sweepCall(tab.id, "restore").catch(() => {});
    throw codedError("NO_CONVERSATION", "No conversation was found on this page, so nothing was saved. Try “Capture the whole page” instead.");
  }
  if (!tab.active) {
    await activateForCapture(api, tab.id);
    await sleep(150);
  }
  const deadline = capturedAtMs + limits.maxMinutes * 60_000;
  const when = { tab_url: tab.url ?? "", captured_at_ms: capturedAtMs };
  // The user showing another tab stops it; the extension showing one for its own capture of
  // that tab does not (the next screen shows this tab again first: takeScreen).
  const onActivated = (info) => {
    if (info.windowId === tab.windowId && info.tabId !== tab.id && !isOwnActivation(info.tabId)) run.stop ??= "you switched to another tab";
  };
  const onUpdated = (tabId, change) => {
    if (tabId === tab.id && change.url && change.url !== tab.url) run.stop ??= "the page changed its address";
  };
  api.tabs.onActivated.addListener(onActivated);
  api.tabs.onUpdated.addListener(onUpdated);
  // A whole page in Firefox: bands of the document drawn by tabs.captureTab with a rect (each
  // one viewport, well under its size limits), without scrolling; elsewhere the sweep scrolls.
  const tiled = scope === "page" && typeof api.tabs.captureTab === "function";
  let fixedHidden = false;
  const steps = [];
  const screens = [];
  const seenKeys = new Set();
  let olderEnd = false;
  let complete = false;
  let restore = null;
  try {
    // 1. The older end: scroll to the top until the list stops growing.
    run.phase = "loading older messages";
    let lastHeight = -1;
    for (let round = 0; scope === "conversation" && !run.stop; round++) {
      await sweepCall(tab.id, "scrollTo", 0);
      const g = await sweepCall(tab.id, "quiet", { quietMs: 200, maxMs: 3000 });
      if (limits.backTo && (await olderThan(tab.id, limits.backTo, when))) break; // far enough back, as chosen
      if (g.scroll_y <= 1 && g.scroll_height === lastHeight) {
        const click = await sweepCall(tab.id, "clickLoadOlder");
        if (!click.clicked) {
          olderEnd = true;
          break;
        }
      }
      lastHeight = g.scroll_height;
      if (Date.now() > deadline) run.stop ??= `the time limit (${limits.maxMinutes} min) was reached while loading older messages`;
      if (round > 2000) run.stop ??= "the list kept growing while loading older messages";
    }
    if (scope === "page" && !tiled) await sweepCall(tab.id, "scrollTo", 0);
    if (scope === "page") olderEnd = true;
    if (tiled) {
      // Nothing is scrolled, so fixed elements belong to the user's view: they are kept on the
      // first band only when the user is at the top (that band is their view), else hidden
      // throughout (restore() shows them again).
      const g = await sweepCall(tab.id, "quiet", { quietMs: 150, maxMs: 2500 });
      if (g.scroll_y > 1) await sweepCall(tab.id, "hideFixed");
      fixedHidden = g.scroll_y > 1;
    }
    // 2. The sweep, oldest to newest, one screen per step.
    run.phase = "capturing";
    let y = 0;
    while (!run.stop) {
      if (!tiled) {
        await sweepCall(tab.id, "scrollTo", y);
        await sweepCall(tab.id, "quiet", { quietMs: 150, maxMs: 2500 });
      }
      const step = await sweepCall(tab.id, "read", tiled ? { band: { y } } : null);
      const atEnd = step.scroll_y + step.client_height >= step.scroll_height - 2;
      if (limits.backTo && !atEnd && allBefore(step.messages, limits.backTo, when)) {
        // Older than the user asked for: no screen, move on.
        const next = step.scroll_y + Math.max(1, Math.floor(step.client_height * STEP_FRACTION));
        if (tiled ? Math.min(next, step.scroll_height - step.client_height) <= step.scroll_y : (await sweepCall(tab.id, "scrollTo", next)).scroll_y <= step.scroll_y) break;
        y = tiled ? Math.min(next, step.scroll_height - step.client_height) : next;
        continue;
      }
      const shot = await takeScreen(tab, tiled ? { x: step.scroll_x, y: step.scroll_y, width: step.viewport_width, height: step.client_height } : null);
      const after = await sweepCall(tab.id, "check");
      if (after.user_input || after.moved) {
        run.stop ??= "you scrolled the page during the capture";
        break; // this screen may not show what was read: it is not kept
      }
      const name = `screen-${String(screens.length + 1).padStart(3, "0")}.png`;
      // PNG pixels per CSS pixel, from the screen itself: an emulated devicePixelRatio (DevTools
      // device mode) does not change what the capture API returns.
      const png = pngSize(shot.bytes);
      const ratio = png && step.viewport_width > 0 ? png.width / step.viewport_width : step.device_pixel_ratio;
      screens.push({ name, bytes: shot.bytes, method: shot.method, scroll_y: step.scroll_y, container: step.container, device_pixel_ratio: ratio });
      steps.push({ screen: name, scroll_x: step.scroll_x, scroll_y: step.scroll_y, container: step.container, device_pixel_ratio: ratio, taken_at_ms: shot.at, messages: step.messages });
      for (const m of step.messages) seenKeys.add(m.id ?? m.permalink ?? `${m.author_name}|${m.time_text}|${m.text}`);
      run.screens = screens.length;
      run.messages = seenKeys.size;
      run.oldest ??= step.messages[0]?.time_datetime ?? step.messages[0]?.time_text ?? null;
      if (scope === "page" && screens.length === 1 && !fixedHidden) await sweepCall(tab.id, "hideFixed");
      if (atEnd) {
        complete = true;
        break;
      }
      const next = step.scroll_y + Math.max(1, Math.floor(step.client_height * STEP_FRACTION));
      // Tiled: the last band ends at the document's end, one viewport high like the others.
      const moved = tiled ? { scroll_y: Math.min(next, step.scroll_height - step.client_height) } : await sweepCall(tab.id, "scrollTo", next);
      if (moved.scroll_y <= step.scroll_y) {
        complete = true; // it cannot scroll further: this was the end
        break;
      }
      y = moved.scroll_y;
      if (seenKeys.size >= limits.maxMessages) run.stop ??= `the limit of ${limits.maxMessages} messages was reached`;
      if (Date.now() > deadline) run.stop ??= `the time limit (${limits.maxMinutes} min) was reached`;
    }
  } finally {
    api.tabs.onActivated.removeListener(onActivated);
    api.tabs.onUpdated.removeListener(onUpdated);
    restore = await sweepCall(tab.id, "restore").catch((e) => ({ error: String(e?.message ?? e) }));
  }
  if (!screens.length) throw codedError("CAPTURE_FAILED", `No screen could be taken (${run.stop ?? "the page did not scroll"}). Nothing was saved.`);
  if (run.stop) complete = false;
  return finish({ tab, scope, trigger, id, capturedAtMs, limits, run, journal, steps, screens, complete, olderEnd, restore });
}

// "How far back": each message's time as the record will hold it, worked out by the core
// (core.stepMessageTimes): a machine-readable time (datetime attribute, epoch), else the time
// shown resolved against its day separator or its own date (WhatsApp), in the capture's zone.
const localMidnight = (/** @type {string} */ day) => {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y, m - 1, d).getTime();
};
/** @param {any[]} messages @param {{tab_url: string, captured_at_ms: number}} when */
const timesOf = (messages, when) => {
  const ctx = { captured_at_ms: when.captured_at_ms, local_offset_minutes: -new Date(when.captured_at_ms).getTimezoneOffset(), tab_url: when.tab_url };
  return /** @type {(number | null)[]} */ (core.stepMessageTimes(messages, ctx, currentZoneOffsets())).filter((t) => typeof t === "number" && Number.isFinite(t));
};

/** True when the oldest message on screen is from before `backTo` (local midnight). */
async function olderThan(tabId, backTo, when) {
  const times = timesOf((await sweepCall(tabId, "read")).messages, when);
  return times.length > 0 && Math.min(...times) < localMidnight(backTo);
}

/** True when every message of a step is from before `backTo` (and their times are known). */
function allBefore(messages, backTo, when) {
  const times = timesOf(messages, when);
  return times.length > 0 && times.length === messages.length && Math.max(...times) < localMidnight(backTo);
}

async function finish({ tab, scope, trigger, id, capturedAtMs, limits, run, journal, steps, screens, complete, olderEnd, restore }) {
  run.phase = "saving";
  // The snapshot and the page facts, once, at the end (the page is back where the user left it).
  const missing = [];
  const snapP = Promise.race([captureSnapshot(tab), sleep(SNAPSHOT_BUDGET_MS).then(() => Promise.reject(new Error(`no answer within ${SNAPSHOT_BUDGET_MS / 1000} s`)))]);
  const [snap, facts] = await Promise.allSettled([snapP, readPageFacts(tab.id)]);
  const stitched = await stitch(screens).catch((e) => {
    missing.push(`stitched image: ${e?.message ?? e}`);
    return [];
  });
  const artifacts = [];
  const blobs = [];
  const add = (name, mediaType, bytes) => {
    const sha256 = hashBytes(bytes);
    artifacts.push({ name, media_type: mediaType, bytes: bytes.length, sha256 });
    blobs.push({ sha256, mediaType, bytes });
  };
  for (const s of screens) add(s.name, "image/png", s.bytes);
  for (const p of stitched) add(p.name, "image/png", p.bytes);
  if (snap.status === "fulfilled") add(snap.value.name, snap.value.mediaType, snap.value.bytes);
  else missing.push(`page snapshot: the browser refused to save this page (${snap.reason?.message ?? snap.reason})`);
  if (facts.status === "rejected") missing.push(`page facts: ${facts.reason?.message ?? facts.reason}`);
  if (restore?.error) missing.push(`the scroll position could not be put back: ${restore.error}`);
  const browser = await browserInfo();
  const size = pngSize(screens[0].bytes);
  const ctx = captureContextOf({
    tab,
    trigger,
    capturedAtMs,
    browser,
    screenshotMethod: screens[0].method,
    screenshotSize: size,
    snapshotMethod: snap.status === "fulfilled" ? snap.value.method : null,
    missing,
    extractionError: facts.status === "rejected" ? String(facts.reason?.message ?? facts.reason) : null,
  });
  const input = {
    scope,
    steps,
    stitched: stitched.map((p) => ({ artifact: p.name, content_y: p.content_y, width: p.width, height: p.height })),
    complete,
    stop_reason: run.stop,
    older_end_reached: olderEnd,
    limits: { max_messages: limits.maxMessages, max_minutes: limits.maxMinutes, back_to: limits.backTo },
    // Times of day under day separators are read in the offset of their own day.
    zone_offsets: currentZoneOffsets(),
  };
  const built = core.buildLongCapture(facts.status === "fulfilled" ? facts.value : null, input, ctx);
  add("segments.json", "application/json", built.segmentsJson);
  add("metadata.json", "application/json", built.metadataJson);
  const draft = { id, kind: "capture", captured_at_ms: capturedAtMs, local_offset_minutes: ctx.local_offset_minutes, time_zone: ctx.time_zone, artifacts, metadata: built.summary };
  const keyProblem = await recipientProblem();
  if (keyProblem) throw codedError("KEY_MISMATCH", keyProblem);
  await journal;
  const row = await commitItem({ seal: (head) => core.sealRecord(draft, head), blobs, summary: built.summary, requestId: id, pendingId: id, genesis: core.genesis(), searchText: undefined, clearDraft: undefined });
  return {
    item: { seq: row.seq, id: row.id, recordSha256: row.recordSha256, chainSha256: row.chainSha256 },
    messages: built.messages,
    segments: built.segments,
    complete,
    stopReason: run.stop,
    clicked: restore?.clicked ?? [],
    warnings: missing,
  };
}
