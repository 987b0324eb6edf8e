// @ts-check
import { api } from "../../shared/browser.js";
import { byId, el, localTime, send } from "../../shared/ui.js";
import { getHead } from "../../store/ledger.js";
import { getMeta } from "../../store/db.js";

const button = byId("capture", HTMLButtonElement);
const status = byId("status", HTMLElement);

function show(kind, text) {
  status.className = `status ${kind}`;
  status.textContent = text;
}

async function capture() {
  button.disabled = true;
  show("", "Saving…");
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  if (!tab?.id) {
    show("bad", "Not saved: there is no open page to capture.");
    button.disabled = false;
    return;
  }
  const requestId = crypto.randomUUID();
  let res = await send({ type: "capture", tabId: tab.id, trigger: "popup", requestId });
  if (!res.ok && (res.error.code === "DISCONNECTED" || res.error.code === "NO_ANSWER")) {
    // The worker stopped mid-capture. Ask the restarted worker what became of it:
    // the capture was either committed whole or not at all.
    const st = await send({ type: "captureStatus", requestId });
    res =
      st.status === "stored"
        ? { ok: true, item: st.item, warnings: [] }
        : { ok: false, error: { code: "INTERRUPTED", message: "The capture was interrupted and nothing was saved. Please capture again." } };
  }
  if (res.ok) {
    const warn = res.warnings?.length ? ` Some parts are missing: ${res.warnings.join(" ")}` : "";
    show(warn ? "warn" : "ok", `Saved · ${res.item.recordSha256.slice(0, 12)}.${warn}`);
  } else {
    show("bad", `Not saved: ${res.error.message}`);
  }
  button.disabled = false;
  await showFailures();
}

async function showFailures() {
  const res = await send({ type: "failures" });
  const list = byId("failures", HTMLUListElement);
  list.replaceChildren();
  const failures = res.ok ? res.failures : [];
  byId("failures-section", HTMLElement).hidden = failures.length === 0;
  for (const f of failures) {
    const dismiss = el("button", {
      type: "button",
      "aria-label": `Dismiss the failed capture of ${f.url}`,
      onclick: async () => {
        await send({ type: "dismissFailure", id: f.id });
        await showFailures();
      },
      text: "Dismiss",
    });
    list.append(el("li", { class: "status bad" }, `${localTime(f.startedAt)} — ${f.url}: ${f.message} `, dismiss));
  }
}

/** "N items are not in any export yet": evidence kept only here is one accident from lost. */
async function showUnexported() {
  const banner = byId("unexported", HTMLElement);
  try {
    const [head, last] = await Promise.all([getHead(), getMeta("lastExport")]);
    const n = head ? head.seq - (last?.upToSeq ?? -1) : 0;
    banner.hidden = n <= 0;
    banner.textContent = `${n} item${n === 1 ? " is" : "s are"} not in any export yet. Export an archive, or make an encrypted backup (“Back up everything”), from the library and keep it somewhere safe.`;
    banner.dataset.checked = "true"; // for tests: the banner is up to date
  } catch {
    banner.hidden = true;
    banner.dataset.checked = "error";
  }
}

button.addEventListener("click", async () => {
  await capture();
  await showUnexported();
});
showFailures();
showUnexported();
