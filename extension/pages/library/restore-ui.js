// @ts-check
// "Restore from an archive": the control on the library page and on the welcome page of a
// fresh install. The work runs in restore-worker.js; Cancel stops that worker, and what
// it wrote before its one commit is swept (store/restore.js), so the library stays as it
// was. The verdict and head of the archive are shown either way.
import { el } from "../../shared/ui.js";
import { sweepRestore } from "../../store/restore.js";

/** Control and bidirectional-text characters from an archive, shown as [U+XXXX]. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g;
const safe = (/** @type {unknown} */ s) => String(s ?? "").replace(UNSAFE, (c) => `[U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}]`);
const plural = (/** @type {number} */ n, /** @type {string} */ w) => `${n.toLocaleString()} ${w}${n === 1 ? "" : "s"}`;

/**
 * Mount the restore control into `slot`. `onDone(message)` runs after a restore that
 * changed the library.
 * @param {HTMLElement} slot
 * @param {{onDone?: (message: string) => void}} [options]
 */
export function mountRestore(slot, { onDone } = {}) {
  const input = /** @type {HTMLInputElement} */ (el("input", { id: "restore-file", type: "file", accept: ".zip,.age,application/zip" }));
  const label = el("label", { for: "restore-file" }, "Restore from an archive or an encrypted backup (.zip or .age, made by this extension)");
  const passBox = el("div", { class: "field", id: "restore-pass-box", hidden: true });
  const pass = /** @type {HTMLInputElement} */ (el("input", { id: "restore-pass", type: "password", autocomplete: "off" }));
  const passGo = /** @type {HTMLButtonElement} */ (el("button", { type: "button", id: "restore-pass-go" }, "Open and restore the backup"));
  passBox.append(el("label", { for: "restore-pass" }, "Backup passphrase (the one chosen when the backup was made)"), pass, passGo);
  const bar = /** @type {HTMLProgressElement} */ (el("progress", { id: "restore-progress", max: "1", value: "0" }));
  const barLabel = el("label", { for: "restore-progress", id: "restore-progress-label" }, "Checking the archive…");
  const cancel = /** @type {HTMLButtonElement} */ (el("button", { type: "button", id: "restore-cancel" }, "Cancel the restore"));
  const box = el("div", { id: "restore-progress-box", hidden: true }, barLabel, bar, cancel);
  const result = el("div", { id: "restore-result", role: "status", "aria-live": "polite" });
  slot.append(el("div", { class: "field restore" }, label, input), passBox, box, result);

  /** @type {Worker | null} */
  let worker = null;
  const say = (/** @type {string} */ text, /** @type {string} */ kind, /** @type {any} */ report = null) => {
    const parts = [el("p", { class: `status ${kind}`, id: "restore-message" }, text)];
    if (report) {
      parts.push(
        el("p", { id: "restore-verdict" }, `Verification: ${report.verdict === "PASS" ? "passed" : "FAILED"}. ${safe(report.summary)}`),
        el("p", {}, "Head of the archive (compare it with the one you noted when you exported): ", el("code", { class: "hash", id: "restore-head" }, safe(report.head?.computed ?? "(none)"))),
      );
    }
    result.replaceChildren(...parts);
  };
  const stop = () => {
    worker?.terminate();
    worker = null;
    box.hidden = true;
    barLabel.textContent = ""; // a later restore starts from "Checking the archive…", not this one's phase
    input.disabled = false;
    input.value = "";
  };

  cancel.addEventListener("click", async () => {
    stop();
    say("Cancelling…", "");
    // The worker is stopped; what it wrote before its commit goes. If the commit had
    // already happened, the head moved and the library says so after the reload.
    const swept = await sweepRestore({ wait: true }).catch(() => null);
    say(swept == null ? "The restore was cancelled before anything was written. The library is as it was." : "The restore was cancelled. The library is as it was.", "warn");
  });

  /** @type {File | null} */
  let backupFile = null;
  input.addEventListener("change", async () => {
    const file = input.files?.[0];
    if (!file) return;
    // An encrypted backup (an age file) needs its passphrase first.
    const head = new TextDecoder().decode(await file.slice(0, 22).arrayBuffer());
    if (head === "age-encryption.org/v1\n" || /\.age$/i.test(file.name)) {
      backupFile = file;
      passBox.hidden = false;
      say(`${safe(file.name)} is an encrypted backup: type its passphrase, then “Open and restore the backup”.`, "");
      pass.focus();
      return;
    }
    start(file, null);
  });
  const goBackup = () => {
    if (!backupFile || !pass.value) return;
    const file = backupFile;
    const passphrase = pass.value;
    pass.value = "";
    passBox.hidden = true;
    backupFile = null;
    start(file, passphrase);
  };
  passGo.addEventListener("click", goBackup);
  pass.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      goBackup();
    }
  });

  /** @param {File} file @param {string | null} passphrase */
  function start(file, passphrase) {
    input.disabled = true;
    box.hidden = false;
    bar.value = 0;
    barLabel.textContent = "Checking the archive…";
    say(`Checking ${safe(file.name)} (${file.size.toLocaleString()} bytes) before anything is restored…`, "");
    worker = new Worker(new URL("./restore-worker.js", import.meta.url), { type: "module" });
    worker.onmessage = (e) => {
      const m = e.data;
      if (m.type === "progress") {
        barLabel.textContent = m.phase === "verify" ? "Checking the archive…" : "Restoring…";
        bar.max = m.total || 1;
        bar.value = m.done;
        return;
      }
      if (m.type === "verified") return;
      stop();
      if (m.type === "refused") return say(`Not restored: ${safe(m.message)}`, "bad", m.report ?? null);
      if (m.type === "error") return say(`Not restored: ${safe(m.message)} The library is as it was.`, "bad");
      const p = m.plan;
      const withheld = p.items.filter((/** @type {any} */ i) => i.status === "withheld").length;
      const text = m.restored
        ? `Restored ${plural(m.restored, "item")} from the archive (${plural(p.archiveItems, "item")} in it${p.unchanged ? `, ${p.unchanged.toLocaleString()} already here` : ""}${withheld ? `; ${withheld.toLocaleString()} not in this archive, kept as hashes` : ""}). ${m.head ? "New items continue the history from the archive's head." : ""}`
        : m.tokens
          ? `Restored ${plural(m.tokens, "trusted timestamp")} from the archive. This library already holds every item in it (${plural(p.archiveItems, "item")}); the items were not changed.`
          : `Nothing to restore: this library already holds everything in this archive (${plural(p.archiveItems, "item")}). Nothing was changed.`;
      say(text, "ok", m.report);
      if (m.restored || m.tokens) onDone?.(text);
    };
    worker.onerror = (e) => {
      stop();
      say(`Not restored: the restore stopped (${e.message || "error"}). The library is as it was.`, "bad");
      void sweepRestore({ wait: true }).catch(() => {});
    };
    worker.postMessage({ file, passphrase });
  }
}
