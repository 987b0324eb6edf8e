// @ts-check
// The library's "Export evidence archive" control: choose what to share, watch progress,
// cancel at any time (a cancelled export leaves nothing behind), then the archive arrives
// as an ordinary browser download.
import { download, exportArchive, forgetDownload, neutralName } from "./export.js";
import { el } from "../../shared/ui.js";
import { getSettings, updateSettings } from "../../shared/settings.js";

/**
 * Mount the control into `slot`. `selection()` may return {ticked: Set<seq>, filtered:
 * Set<seq>} from the library's current view; options for them appear when given.
 * @param {HTMLElement} slot
 * @param {{selection?: () => any}} [options]
 */
export function mountExport(slot, { selection } = {}) {
  const dialog = el("dialog", { id: "export-dialog", "aria-labelledby": "export-title" });
  const form = el("form", { method: "dialog" });
  const scope = (value, label, checked = false) =>
    el("p", {}, el("input", { type: "radio", name: "scope", id: `scope-${value}`, value, checked }), " ", el("label", { for: `scope-${value}` }, label));
  const from = el("input", { type: "date", id: "export-from", name: "from" });
  const to = el("input", { type: "date", id: "export-to", name: "to" });
  const who = el("input", { type: "text", id: "export-by", name: "exportedBy", autocomplete: "name", maxlength: "200" });
  const initials = el("input", { type: "text", id: "export-initials", name: "initials", autocomplete: "off", maxlength: "20", size: "6", "aria-describedby": "export-initials-help" });
  // The witness-statement draft (statement.html): what only the witness can say. Kept in
  // this dialog only, never stored: it goes into the archive and nowhere else.
  const stName = el("input", { type: "text", id: "statement-name", autocomplete: "off", maxlength: "200" });
  const stAccount = el("textarea", { id: "statement-account", rows: "8", cols: "60", maxlength: "100000" });
  const statement = el(
    "details",
    { id: "statement-draft" },
    el("summary", {}, "Witness statement draft (optional)"),
    el("p", { class: "muted" }, "The archive always contains statement.html, a draft witness statement that lists the exhibits and what the software recorded about them, with places for your own account. You can fill your parts in here or later, by hand. It is a draft to go through with the police officer, not legal advice. What you type here is not saved anywhere except in the archive."),
    el("p", {}, el("label", { for: "statement-name" }, "Your full name for the statement "), stName),
    el("p", {}, el("label", { for: "statement-account" }, "Your account, in your own words"), el("br"), stAccount),
  );
  const bar = el("progress", { id: "export-progress", max: "1", value: "0", hidden: true, "aria-label": "Export progress" });
  const status = el("p", { id: "export-status", role: "status", "aria-live": "polite" });
  const start = el("button", { type: "button", class: "primary", id: "export-start" }, "Export");
  const cancel = el("button", { type: "button", id: "export-cancel" }, "Cancel");
  // After the download: take it off the browser's download list (the file stays saved).
  const forget = el("button", { type: "button", id: "export-forget", hidden: true }, "Remove this export from the browser's download list");
  const forgetStatus = el("p", { id: "export-forget-status", role: "status", "aria-live": "polite" });
  /** @type {{url: string, filename: string} | null} */
  let last = null;
  form.append(
    el("h2", { id: "export-title" }, "Export evidence archive"),
    el("p", {}, "The archive is a ZIP file with a readable report, every saved file, and what a caseworker needs to check that nothing was changed. Items you leave out are listed as withheld: only their fingerprints (hashes) are included, so the record stays complete."),
    el("fieldset", {}, el("legend", {}, "What to include"), scope("all", "Everything", true), scope("range", "Items saved between these dates:"), el("p", {}, el("label", { for: "export-from" }, "From "), from, " ", el("label", { for: "export-to" }, "to "), to), scope("filtered", "The items shown in the library now (current filters and search)"), scope("ticked", "The items I ticked")),
    el("p", {}, el("label", { for: "export-by" }, "Your name for the report (optional) "), who),
    el("p", {}, el("label", { for: "export-initials" }, "Your initials for exhibit references "), initials),
    el("p", { id: "export-initials-help", class: "muted" }, "Each item becomes an exhibit labelled with your initials and its number (JM/1, JM/2…). An item keeps its number in every export; items left out leave a gap. Saved for next time."),
    statement,
    bar,
    status,
    el("p", {}, start, " ", cancel),
    el("p", {}, forget),
    forgetStatus,
  );
  dialog.append(form);
  const open = el("button", { type: "button", id: "export-open", class: "primary" }, "Export evidence archive");
  slot.append(open, dialog);

  let controller = null;
  open.addEventListener("click", () => {
    const sel = selection?.() ?? {};
    form.querySelector("#scope-filtered").disabled = !sel.filtered;
    form.querySelector("#scope-ticked").disabled = !sel.ticked?.size;
    status.textContent = "";
    forget.hidden = true;
    forgetStatus.textContent = "";
    bar.hidden = true;
    dialog.showModal();
    getSettings().then((s) => {
      if (!initials.value) initials.value = s.initials;
    }, () => {});
  });
  forget.addEventListener("click", async () => {
    if (!last) return;
    try {
      const n = await forgetDownload(last.url, last.filename);
      forgetStatus.textContent =
        n === null
          ? "The browser did not allow it. You can remove the download yourself from the browser's Downloads page (Ctrl+J)."
          : n > 0
            ? "Removed from the browser's download list. The file is still where it was saved."
            : "It is not in the browser's download list (already removed?).";
      if (n !== null) forget.hidden = true;
    } catch (err) {
      forgetStatus.textContent = `Not removed: ${/** @type {Error} */ (err).message}`;
    }
  });
  cancel.addEventListener("click", () => {
    if (controller) controller.abort();
    else dialog.close();
  });
  start.addEventListener("click", async () => {
    const choice = form.querySelector("input[name=scope]:checked")?.value ?? "all";
    const sel = selection?.() ?? {};
    let include = () => true;
    if (choice === "range") {
      if (!from.value || !to.value || from.value > to.value) {
        status.textContent = "Choose a start date and an end date (the start first).";
        return;
      }
      const lo = new Date(`${from.value}T00:00:00`).getTime();
      const hi = new Date(`${to.value}T23:59:59.999`).getTime();
      include = (row) => {
        const t = Date.parse(row.capturedAt);
        return t >= lo && t <= hi;
      };
    } else if (choice === "filtered") {
      include = (row) => sel.filtered?.has(row.seq) ?? false;
    } else if (choice === "ticked") {
      include = (row) => sel.ticked?.has(row.seq) ?? false;
    }
    controller = new AbortController();
    start.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    status.textContent = "Preparing…";
    try {
      const typed = initials.value.trim();
      // Set once, here or in Settings: the dialog remembers what was typed.
      if (typed !== (await getSettings()).initials) await updateSettings({ initials: typed });
      const res = await exportArchive({
        include,
        exportedBy: who.value.trim() || null,
        initials: typed || null,
        statement: { name: stName.value.trim() || null, account: stAccount.value.trim() || null },
        signal: controller.signal,
        onProgress: (p) => {
          bar.max = Math.max(1, p.totalBytes);
          bar.value = Math.min(p.bytes, p.totalBytes);
          status.textContent = `Item ${p.items} of ${p.totalItems} · ${(p.bytes / 1048576).toFixed(1)} of ${(p.totalBytes / 1048576).toFixed(1)} MB`;
        },
      });
      // Discreet mode: a file name that does not say "evidence".
      const filename = (await getSettings()).discreet ? neutralName() : res.filename;
      res.filename = filename;
      last = { url: download(res.blob, filename), filename };
      forget.hidden = false;
      forgetStatus.textContent = "";
      const c = res.counts;
      status.textContent = `Exported ${c.included} of ${c.total} items${c.withheld ? ` (${c.withheld} withheld)` : ""}${c.removed ? ` (${c.removed} removed earlier)` : ""} to ${res.filename}. Head hash: ${res.head}. Archive fingerprint: ${res.fingerprint}. Give the head hash and the fingerprint to the caseworker separately (message, paper or phone).${res.warnings.map((w) => ` ${w}`).join("")}`;
      slot.dispatchEvent(new CustomEvent("evidence:exported", { bubbles: true, detail: res }));
    } catch (err) {
      status.textContent = err.code === "CANCELLED" ? err.message : `The export failed: ${err.message}`;
    } finally {
      controller = null;
      start.disabled = false;
      bar.hidden = true;
    }
  });
}
