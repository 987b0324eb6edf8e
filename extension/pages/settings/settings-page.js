// @ts-check
import { KEY_MISMATCH_MESSAGE, MIGRATION_ERROR, changePassphrase, checkNewPassphrase, lockInfo, lockNow, lockStatus, migrate, setPassphrase } from "../../store/lock.js";
import { getMeta } from "../../store/db.js";
import { onLocked, watchActivity } from "../../shared/lockstate.js";
import { getSettings, updateSettings } from "../../shared/settings.js";
import { byId } from "../../shared/ui.js";

const form = byId("settings-form", HTMLFormElement);
const status = byId("status", HTMLElement);
// The form's fields (looked up by id, not through the form's named properties).
const neutralUrl = byId("neutral-url", HTMLInputElement);
const discreet = byId("discreet", HTMLInputElement);
const initials = byId("initials", HTMLInputElement);
const idleLockMinutes = byId("idle-minutes", HTMLInputElement);

async function load() {
  const s = await getSettings();
  neutralUrl.value = s.neutralUrl;
  discreet.checked = s.discreet;
  initials.value = s.initials;
  idleLockMinutes.value = String(s.idleLockMinutes);
  await showPersistence();
}

async function showPersistence() {
  const el = byId("persist-status", HTMLElement);
  const persisted = await navigator.storage?.persisted?.();
  el.className = `status ${persisted ? "ok" : "warn"}`;
  el.textContent = persisted
    ? "Persistent storage: granted. The browser will not delete this data to free space."
    : "Persistent storage: not granted. The browser may delete this data when the disk is nearly full. Export regularly.";
}

byId("persist", HTMLButtonElement).addEventListener("click", async () => {
  await navigator.storage?.persist?.();
  await showPersistence();
});

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  try {
    await updateSettings({
      neutralUrl: neutralUrl.value.trim(),
      discreet: discreet.checked,
      initials: initials.value.trim(),
      idleLockMinutes: Number(idleLockMinutes.value),
    });
    status.className = "status ok";
    status.textContent = "Saved.";
  } catch (err) {
    status.className = "status bad";
    status.textContent = `Not saved: ${err.message}`;
  }
});

load();

// --- passphrase lock ---------------------------------------------------------------------

/** A plain element of the lock section, e.g. a box to show or hide. */
const $ = (/** @type {string} */ id) => byId(id, HTMLElement);
/** A text, password or checkbox field of the lock section. */
const input = (/** @type {string} */ id) => byId(id, HTMLInputElement);
/** A button of the lock section. */
const button = (/** @type {string} */ id) => byId(id, HTMLButtonElement);
const lockStatusEl = $("lock-status");
function lockSay(text, kind = "") {
  lockStatusEl.className = `status ${kind}`;
  lockStatusEl.textContent = text;
}

// Enter in a passphrase field must not submit the other settings.
for (const id of ["new-passphrase", "confirm-passphrase", "old-passphrase", "changed-passphrase", "changed-confirm"]) {
  input(id).addEventListener("keydown", (e) => {
    if (e.key === "Enter") e.preventDefault();
  });
}

function progress(done, total) {
  $("lock-progress-box").hidden = false;
  const bar = byId("lock-progress", HTMLProgressElement);
  bar.max = Math.max(total, 1);
  bar.value = done;
}

async function runMigration(stoppedBefore = null) {
  const before = stoppedBefore ? ` It stopped before: ${stoppedBefore}.` : "";
  lockSay(`Encrypting the items already stored.${before} Keep this page open if you can; if it closes, this goes on later.`, stoppedBefore ? "warn" : undefined);
  const { migrated } = await migrate(progress);
  $("lock-progress-box").hidden = true;
  lockSay(`The lock is set. ${migrated} stored value${migrated === 1 ? " was" : "s were"} encrypted.`, "ok");
  document.body.dataset.lockMigration = "done";
}

async function showLock() {
  const state = await lockStatus();
  $("lock-set").hidden = state !== "none";
  $("lock-active").hidden = state === "none";
  $("lock-state").textContent =
    state === "unlocked"
      ? "A passphrase is set. The library is unlocked in this browser session."
      : state === "locked"
        ? "A passphrase is set. The library is locked."
        : "";
  $("lock-now").hidden = state !== "unlocked";
  return state;
}

button("set-passphrase").addEventListener("click", async () => {
  const p = input("new-passphrase").value;
  const problem = checkNewPassphrase(p, input("confirm-passphrase").value);
  if (problem) return lockSay(problem, "bad");
  if (!input("understand").checked) return lockSay("Please tick “I understand” first: a forgotten passphrase cannot be recovered.", "bad");
  button("set-passphrase").disabled = true;
  lockSay("Setting the passphrase… this takes a few seconds.");
  try {
    await setPassphrase(p, progress);
    input("new-passphrase").value = input("confirm-passphrase").value = "";
    input("understand").checked = false;
    await showLock();
    $("lock-progress-box").hidden = true;
    lockSay("The lock is set. Everything stored is encrypted.", "ok");
    document.body.dataset.lockMigration = "done";
  } catch (err) {
    lockSay(`The passphrase was not set: ${err.message}`, "bad");
  } finally {
    button("set-passphrase").disabled = false;
  }
});

button("lock-now").addEventListener("click", async () => {
  await lockNow();
  await showLock();
  lockSay("Locked.", "ok");
});

button("change-passphrase").addEventListener("click", async () => {
  const next = input("changed-passphrase").value;
  const problem = checkNewPassphrase(next, input("changed-confirm").value);
  if (problem) return lockSay(problem, "bad");
  button("change-passphrase").disabled = true;
  lockSay("Changing the passphrase… this takes a few seconds.");
  try {
    await changePassphrase(input("old-passphrase").value, next);
    for (const id of ["old-passphrase", "changed-passphrase", "changed-confirm"]) input(id).value = "";
    lockSay("The passphrase was changed.", "ok");
  } catch (err) {
    lockSay(err.message, "bad");
  } finally {
    button("change-passphrase").disabled = false;
  }
});

watchActivity();
onLocked(() => void showLock());
void (async () => {
  await showLock();
  const lock = await lockInfo();
  // The last unlock found that the stored public key is not the user's: say so, first.
  if (lock?.recipientMismatch) return lockSay(KEY_MISMATCH_MESSAGE, "bad");
  // A migration that was interrupted goes on here, with progress (the worker may run it too).
  if (lock && lock.migration?.state !== "done") {
    // A background run (after an unlock, or at start-up) that failed left its reason.
    const last = await getMeta(MIGRATION_ERROR).catch((e) => ({ message: `its last failure could not be read (${e.message})` }));
    await runMigration(last?.message ?? null).catch((e) => lockSay(`Encrypting stored items stopped: ${e.message}. It will go on later.`, "warn"));
  }
})();
