// @ts-check
// "Back up everything": a complete archive (the exporter's, pages/library/export.js),
// encrypted with a passphrase in the standard age format (backup-worker.js) and offered
// as one .age download, so a copy left in the Downloads folder is unreadable to whoever
// shares the computer. `age -d` turns it back into the ordinary archive; the library's
// "Restore" input takes it, asking for the passphrase. A complete backup counts as an
// export for the "not in any export yet" reminder, which this control repeats.
import { el } from "../../shared/ui.js";
import { download, exportArchive } from "./export.js";
import { getHead } from "../../store/ledger.js";
import { getMeta } from "../../store/db.js";
import { shortHash } from "../../shared/format.js";
import { workerJob } from "../../shared/worker-job.js";

/** Encrypt `archive` in the backup worker; resolves with the .age Blob. */
async function encrypt(/** @type {Blob} */ archive, /** @type {string} */ passphrase, /** @type {(f: number) => void} */ onProgress) {
  const url = new URL("./backup-worker.js", import.meta.url);
  const done = await workerJob(url, { archive, passphrase }, (d, total) => onProgress(d / (total || 1)), "the backup stopped");
  return done.blob;
}

/** "N items are not in any export or backup yet", on the reminder's schedule (or ""). */
export async function backupReminder() {
  const [head, last] = await Promise.all([getHead(), getMeta("lastExport")]);
  const n = head ? head.seq - (last?.upToSeq ?? -1) : 0;
  return n > 0 ? `${n} item${n === 1 ? " is" : "s are"} not in any export or backup yet.` : "";
}

/** Mount the button into `slot` and the form and reminder into `panel` (out of the way of the timeline). */
export function mountBackup(/** @type {HTMLElement} */ slot, /** @type {HTMLElement} */ panel) {
  const open = el("button", { type: "button", id: "backup-open", "aria-expanded": "false", "aria-controls": "backup-form" }, "Back up everything…");
  const pass = /** @type {HTMLInputElement} */ (el("input", { id: "backup-pass", type: "password", autocomplete: "new-password" }));
  const again = /** @type {HTMLInputElement} */ (el("input", { id: "backup-pass-again", type: "password", autocomplete: "new-password" }));
  const go = /** @type {HTMLButtonElement} */ (el("button", { type: "submit", class: "primary" }, "Make the encrypted backup"));
  const bar = /** @type {HTMLProgressElement} */ (el("progress", { id: "backup-progress", max: "1", value: "0", hidden: true }));
  const status = el("p", { id: "backup-status", class: "status", role: "status", "aria-live": "polite" });
  const reminder = el("p", { id: "backup-reminder", class: "status warn", hidden: true });
  const form = el(
    "form",
    { id: "backup-form", class: "panel", hidden: true, "aria-labelledby": "backup-title" },
    el("h3", { id: "backup-title" }, "Encrypted backup of everything"),
    el("p", { class: "hint" }, "Makes a complete archive, encrypted with a passphrase (the standard age format), as one .age file. Keep it somewhere safe, away from this computer. Without the passphrase nobody can open it, and nobody can recover it if you forget the passphrase."),
    el("div", { class: "field" }, el("label", { for: "backup-pass" }, "Passphrase for the new backup (at least 8 characters)"), pass),
    el("div", { class: "field" }, el("label", { for: "backup-pass-again" }, "Type the new backup's passphrase again"), again),
    el("div", { class: "actions" }, go),
    bar,
    status,
  );
  slot.append(open);
  panel.append(reminder, form);
  void backupReminder().then((t) => {
    reminder.hidden = !t;
    reminder.textContent = t ? `${t} Back up everything and keep the backup somewhere safe.` : "";
  }).catch(() => {});
  open.addEventListener("click", () => {
    form.hidden = !form.hidden;
    open.setAttribute("aria-expanded", String(!form.hidden));
    if (!form.hidden) {
      form.scrollIntoView({ block: "nearest" });
      pass.focus();
    }
  });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const say = (/** @type {string} */ t, k = "") => {
      status.className = `status ${k}`;
      status.textContent = t;
    };
    if (pass.value.trim().length < 8) return say("Not backed up: the backup passphrase needs at least 8 characters.", "bad");
    if (pass.value !== again.value) return say("Not backed up: the two passphrases are not the same.", "bad");
    go.disabled = true;
    bar.hidden = false;
    try {
      say("Making the archive…");
      const done = await exportArchive({ onProgress: (p) => (bar.value = 0.5 * (p.bytes / (p.totalBytes || 1))) });
      say("Encrypting it…");
      const blob = await encrypt(done.blob, pass.value, (f) => (bar.value = 0.5 + 0.5 * f));
      download(blob, done.filename.replace(/^evidence-archive-/, "evidence-backup-").replace(/\.zip$/, ".age"));
      pass.value = again.value = "";
      say(`Backed up ${done.counts.total.toLocaleString()} items, encrypted. Head of the backup: ${done.head} (${shortHash(done.head)}). To open it elsewhere: the library's “Restore” with the passphrase, or “age -d” and then evidence-verify.`, "ok");
      reminder.hidden = true;
    } catch (err) {
      say(`Not backed up: ${/** @type {Error} */ (err).message}`, "bad");
    } finally {
      go.disabled = false;
      bar.hidden = true;
    }
  });
}
