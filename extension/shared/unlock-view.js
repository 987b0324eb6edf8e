// @ts-check
// The locked view of a page that shows evidence: nothing but an unlock form. Used by the
// library and the diary form. After a successful unlock the page loads again, normally.
import { el } from "./ui.js";
import { KEY_MISMATCH_MESSAGE, lockStatus, unlock, waitBeforeTry } from "../store/lock.js";
import { onLocked, watchActivity } from "./lockstate.js";

/**
 * If a lock is set and the library is locked, replace the page's content (`hide`: the
 * elements to hide) with the unlock form and resolve true; otherwise false. Either way,
 * the page goes back to the locked view as soon as the library is locked elsewhere.
 * @param {HTMLElement[]} hide
 * @param {{beforeLock?: () => any}} [options]
 */
export async function lockGate(hide, { beforeLock } = {}) {
  watchActivity();
  onLocked(async ({ quickExit }) => {
    if (quickExit) {
      // Leaving: hide at once; the quick exit writes the drafts and closes this page
      // (shared/safety.js). Reloading here would throw away a draft being written.
      document.documentElement.style.visibility = "hidden";
      document.title = "New Tab";
      return;
    }
    await beforeLock?.();
    location.reload();
  });
  if ((await lockStatus()) !== "locked") return false;
  for (const node of hide) node.hidden = true;
  document.body.append(unlockForm());
  document.title = "Locked";
  document.body.dataset.ready = "true";
  document.body.dataset.locked = "true";
  return true;
}

function unlockForm() {
  const input = el("input", { id: "unlock-passphrase", type: "password", autocomplete: "current-password", required: "" });
  const status = el("p", { id: "unlock-status", class: "status", role: "status", "aria-live": "polite" });
  const button = el("button", { type: "submit", class: "primary" }, "Unlock");
  const form = el(
    "form",
    { id: "unlock-form", "aria-labelledby": "unlock-title" },
    el("h1", { id: "unlock-title" }, "Locked"),
    el("p", {}, "This library is locked. Enter your passphrase."),
    el("p", { class: "muted" }, "Unlocking is needed to view, export or change anything. New pages can still be saved while it is locked."),
    el("label", { for: "unlock-passphrase" }, "Passphrase"),
    el("p", {}, input),
    el("p", {}, button),
    status,
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const wait = await waitBeforeTry();
    if (wait > 0) {
      status.className = "status warn";
      status.textContent = `You can try again in ${wait} second${wait === 1 ? "" : "s"}.`;
      return;
    }
    button.disabled = true;
    status.className = "status";
    status.textContent = "Unlocking… this takes a few seconds.";
    try {
      const { keyMismatch } = (await unlock(input.value)) ?? {};
      if (keyMismatch) {
        // Unlocked (the evidence can be seen and exported), but new captures are refused.
        status.className = "status bad";
        status.textContent = `Unlocked, but: ${KEY_MISMATCH_MESSAGE}`;
        status.append(" ", el("button", { type: "button", onclick: () => location.reload() }, "Continue to the library"));
        return;
      }
      status.className = "status ok";
      status.textContent = "Unlocked.";
      location.reload();
    } catch (err) {
      status.className = "status bad";
      status.textContent = err.message;
      input.select();
    } finally {
      button.disabled = false;
    }
  });
  const main = el("main", { id: "unlock-view", class: "narrow" }, form);
  queueMicrotask(() => input.focus());
  return main;
}
