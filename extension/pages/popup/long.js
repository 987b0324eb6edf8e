// @ts-check
// The popup's long captures (issue 11): "Capture the whole conversation" and "Capture the
// whole page", their limits, the progress while one runs (messages found, screens taken,
// how far back) and Cancel, which stops it early and keeps what was captured.
import { api } from "../../shared/browser.js";
import { send } from "../../shared/ui.js";

const $ = (/** @type {string} */ id) => /** @type {any} */ (document.getElementById(id));
const status = $("status");
const progress = $("progress");
const progressText = $("progress-text");
const buttons = [$("capture"), $("capture-conversation"), $("capture-page")];

$("back").addEventListener("change", () => {
  $("back-to").hidden = $("back").value !== "date";
});

/** The limits chosen in the form (empty or invalid fields take the defaults). */
function limits() {
  /** @type {{maxMessages?: number, maxMinutes?: number, backTo?: string}} */
  const out = {};
  const n = Number($("max-messages").value);
  if (Number.isSafeInteger(n) && n > 0) out.maxMessages = n;
  const m = Number($("max-minutes").value);
  if (Number.isSafeInteger(m) && m > 0) out.maxMinutes = m;
  if ($("back").value === "date" && /^\d{4}-\d{2}-\d{2}$/.test($("back-to").value)) out.backTo = $("back-to").value;
  return out;
}

function show(kind, text) {
  status.className = `status ${kind}`;
  status.textContent = text;
}

let tabId = /** @type {number | null} */ (null);

async function poll() {
  const res = await send({ type: "captureProgress" });
  const run = res.ok ? res.running.find((/** @type {any} */ r) => r.tabId === tabId) : null;
  if (!run) return;
  const back = run.oldest ? ` · back to ${new Date(run.oldest).toString() === "Invalid Date" ? run.oldest : new Date(run.oldest).toLocaleString()}` : "";
  progressText.textContent = `${run.phase[0].toUpperCase()}${run.phase.slice(1)}: ${run.messages} messages found · ${run.screens} screens${back}`;
}

async function longCapture(scope) {
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  if (!tab?.id) {
    show("bad", "Not saved: there is no open page to capture.");
    return;
  }
  tabId = tab.id;
  for (const b of buttons) b.disabled = true;
  progress.hidden = false;
  progressText.textContent = "Starting…";
  show("", scope === "conversation" ? "Capturing the whole conversation. Please do not scroll or switch tabs." : "Capturing the whole page. Please do not scroll or switch tabs.");
  const timer = setInterval(poll, 400);
  const res = await send({ type: "capture", tabId: tab.id, scope, trigger: "popup", requestId: crypto.randomUUID(), limits: limits() });
  clearInterval(timer);
  progress.hidden = true;
  for (const b of buttons) b.disabled = false;
  if (res.ok) {
    const counts = `${res.messages} message${res.messages === 1 ? "" : "s"}, ${res.segments} screen${res.segments === 1 ? "" : "s"}`;
    const early = res.complete ? "" : ` Stopped early (${res.stopReason}): what was captured is saved, marked incomplete.`;
    const warn = res.warnings?.length ? ` Some parts are missing: ${res.warnings.join(" ")}` : "";
    show(early || warn ? "warn" : "ok", `Saved · ${res.item.recordSha256.slice(0, 12)} · ${counts}.${early}${warn}`);
  } else {
    show("bad", `Not saved: ${res.error.message}`);
  }
}

$("capture-conversation").addEventListener("click", () => longCapture("conversation"));
$("capture-page").addEventListener("click", () => longCapture("page"));
$("cancel").addEventListener("click", async () => {
  if (tabId === null) return;
  $("cancel").disabled = true;
  progressText.textContent = "Stopping… what was captured is being saved.";
  await send({ type: "cancelCapture", tabId });
  $("cancel").disabled = false;
});
