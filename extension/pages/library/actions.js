// @ts-check
// Originals never change: "Add a note or correction" writes an `amendment` record that
// points to the item; "Remove" deletes the item's content and writes a `removal` record
// that keeps its hashes and the reason, in one transaction (store.commitRemoval).
// Both are written from this page straight into the shared database: the commit reads
// the head inside its own transaction, so captures made by the service worker at the
// same moment can never fork the chain.
import { byId, el } from "../../shared/ui.js";
import { core, coreReady, hashBlob } from "../../shared/core.js";
import { commitItem, commitRemoval, getBlob } from "../../store/ledger.js";
import { Attachments, fieldDraft } from "../../shared/attachments.js";
import { recheckAndRemember } from "../../store/checksums.js";
import { errorText, kindLabel, shortHash } from "../../shared/format.js";
import { onBeforeExit } from "../../shared/safety.js";

// The note form shown now keeps its draft on quick exit too.
let flushNote = null;
onBeforeExit(() => flushNote?.());

const entryContext = (now) => ({ entered_at_ms: now, local_offset_minutes: -new Date(now).getTimezoneOffset() });
const zone = () => Intl.DateTimeFormat().resolvedOptions().timeZone ?? null;

/**
 * The action bar and note form for an item. `done(seq, notice)` re-shows an item after a
 * change (with a status notice).
 */
export function itemActions(row, record, done) {
  if (row.removed) return el("p", { class: "muted" }, "Nothing can be added to or removed from a removed item. Its hashes stay in the history.");
  const box = el("div", { class: "item-actions" });
  const bar = el("div", { class: "actions" });
  const amendOpen = el("button", { type: "button", id: "amend-open", "aria-expanded": "false", "aria-controls": "amend-form" }, "Add a note or correction");
  bar.append(amendOpen);
  if (row.kind !== "removal") {
    bar.append(el("button", { type: "button", id: "remove-open", class: "danger", onclick: () => openRemove(row, record, done) }, "Remove this item's content…"));
  }
  const form = amendForm(row, done);
  form.hidden = true;
  amendOpen.addEventListener("click", () => {
    form.hidden = !form.hidden;
    amendOpen.setAttribute("aria-expanded", String(!form.hidden));
    if (!form.hidden) form.querySelector("textarea").focus();
  });
  box.append(bar, form);
  // An unsaved note from before is brought back and shown.
  void form.restore().then((had) => {
    if (had) {
      form.hidden = false;
      amendOpen.setAttribute("aria-expanded", "true");
    }
  });
  return box;
}

function amendForm(row, done) {
  const prefix = `amend:${row.seq}:`;
  const draft = fieldDraft(prefix);
  const note = el("textarea", { id: "amend-note", rows: "4", "aria-describedby": "amend-hint" });
  const correction = el("input", { id: "amend-correction", type: "checkbox" });
  const fileInput = el("input", { id: "amend-files", type: "file", multiple: true });
  const list = el("ul", { id: "amend-files-list", class: "plain attachments", "aria-label": "Files attached to this note", hidden: true });
  const status = el("p", { id: "amend-status", class: "status", role: "status", tabindex: "-1" });
  const progressLabel = el("label", { for: "amend-progress" }, "Working…");
  const progressBar = el("progress", { id: "amend-progress", max: "1", value: "0" });
  const progressBox = el("div", { hidden: true }, progressLabel, progressBar);
  const say = (t, kind = "") => {
    status.className = `status ${kind}`;
    status.textContent = t;
  };
  const files = new Attachments({ list, prefix, say });
  const save = el("button", { type: "submit", class: "primary" }, "Save the note");
  const form = el(
    "form",
    { id: "amend-form", class: "panel", "aria-labelledby": "amend-title" },
    el("h3", { id: "amend-title" }, `Add a note or correction to item ${row.seq}`),
    el("p", { class: "hint", id: "amend-hint" }, "The item itself stays exactly as it was saved. Your note is saved as a new item that points to it, with its own hash."),
    el("div", { class: "field" }, el("label", { for: "amend-note" }, "Your note or correction"), note),
    el("div", { class: "check" }, correction, el("label", { for: "amend-correction" }, "This corrects something in the item")),
    el("div", { class: "field" }, el("label", { for: "amend-files" }, "Add files (optional)"), fileInput, list),
    progressBox,
    status,
    el("div", { class: "actions" }, save, el("button", { type: "button", onclick: () => { form.hidden = true; document.getElementById("amend-open")?.setAttribute("aria-expanded", "false"); document.getElementById("amend-open")?.focus(); } }, "Close")),
  );
  let timer = null;
  let restored = false; // nothing is kept (or cleared) before the earlier draft was read back
  const keepNow = () => {
    clearTimeout(timer);
    if (!restored) return Promise.resolve();
    const fields = { note: note.value, correction: correction.checked };
    // A draft is a convenience (the note is stored only by Save); a failed draft write is logged.
    return (fields.note || fields.correction ? draft.save(fields) : draft.clear()).catch((e) => console.warn("note draft not kept", e));
  };
  const keep = () => {
    clearTimeout(timer);
    timer = setTimeout(keepNow, 300);
  };
  flushNote = keepNow;
  note.addEventListener("input", keep);
  correction.addEventListener("change", keep);
  fileInput.addEventListener("change", async () => {
    const chosen = [...fileInput.files];
    fileInput.value = "";
    await files.add(chosen);
  });
  form.restore = async () => {
    const d = await draft.load();
    const n = await files.restore();
    if (d?.fields) {
      note.value = d.fields.note ?? "";
      correction.checked = d.fields.correction === true;
    }
    restored = true;
    if (d || n) say("Your unsaved note was brought back. It is not saved yet.", "warn");
    return Boolean(d || n);
  };
  const progress = (text, f) => {
    progressBox.hidden = f == null;
    progressLabel.textContent = text ?? "";
    if (f != null) progressBar.value = Math.min(1, f);
  };
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearTimeout(timer);
    if (!note.value.trim() && !files.items.length) {
      note.setAttribute("aria-invalid", "true");
      say("Not saved: please write the note or correction, or attach a file.", "bad");
      note.focus();
      return;
    }
    note.removeAttribute("aria-invalid");
    save.disabled = true;
    say("Saving…");
    try {
      await coreReady();
      const hashed = await files.hashAll(hashBlob, (t, f) => progress(`${t} ${Math.round(f * 100)}%`, f));
      const now = Date.now();
      const built = core.buildAmendment(
        {
          target: { seq: row.seq, id: row.id, record_sha256: row.recordSha256 },
          note: note.value,
          correction: correction.checked,
          attachments: hashed.map(({ original_name, media_type, bytes, sha256 }) => ({ original_name, media_type, bytes, sha256 })),
        },
        entryContext(now),
      );
      const draftRecord = { id: crypto.randomUUID(), kind: "amendment", captured_at_ms: now, local_offset_minutes: -new Date(now).getTimezoneOffset(), time_zone: zone(), artifacts: built.artifacts, metadata: built.metadata };
      progress("Saving…", null);
      const saved = await commitItem({
        seal: (head) => core.sealRecord(draftRecord, head),
        blobs: hashed.map((h, i) => ({ sha256: h.sha256, mediaType: built.artifacts[i].media_type, blob: h.file })),
        summary: built.summary,
        genesis: core.genesis(),
        clearDraft: prefix,
      });
      if (flushNote === keepNow) flushNote = null; // saved: there is no draft left to keep
      const bad = await recheckAndRemember(getBlob, built.artifacts, (t, f) => progress(`${t} ${Math.round(f * 100)}%`, f));
      progress(null, null);
      await done(row.seq, {
        kind: bad.length ? "bad" : "ok",
        text: `Saved · ${shortHash(saved.recordSha256)}. Your ${correction.checked ? "correction" : "note"} is item ${saved.seq}; item ${row.seq} is unchanged.${bad.length ? ` Warning: the saved copy of ${bad.join(", ")} does not match what was read.` : ""}`,
      });
    } catch (err) {
      progress(null, null);
      say(`Not saved: ${errorText(err)} Your note is still here.`, "bad");
      status.focus();
      save.disabled = false;
    }
  });
  return form;
}

let removeTarget = null;

function openRemove(row, record, done) {
  const dialog = byId("remove-dialog", HTMLDialogElement);
  removeTarget = { row, done };
  const what = record?.metadata?.title ? `“${record.metadata.title}”` : "";
  const parts = row.kind === "capture" ? "its screenshot, the saved page and its details" : row.artifacts.length ? "what you wrote and its attached files" : "what it says";
  byId("remove-title", HTMLElement).textContent = `Remove the content of item ${row.seq}?`;
  byId("remove-explain", HTMLElement).textContent =
    `The content of item ${row.seq} (${kindLabel(row.kind).toLowerCase()} ${what}) — ${parts} — will be deleted from this device. ` +
    "A removal note with the item's hashes and your reason is added to the history, so anyone checking it can see that something was removed, and when. " +
    "This cannot be undone. If you may need it later, export it first.";
  byId("remove-reason", HTMLTextAreaElement).value = "";
  byId("remove-confirm", HTMLButtonElement).disabled = false;
  dialog.showModal();
  byId("remove-cancel", HTMLButtonElement).focus();
}

/** Wire the confirmation dialog (once per page). */
export function wireRemoveDialog() {
  const dialog = byId("remove-dialog", HTMLDialogElement);
  byId("remove-cancel", HTMLButtonElement).addEventListener("click", () => dialog.close());
  byId("remove-form", HTMLFormElement).addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!removeTarget) return;
    const { row, done } = removeTarget;
    const confirm = byId("remove-confirm", HTMLButtonElement);
    confirm.disabled = true;
    try {
      await coreReady();
      const now = Date.now();
      const built = core.buildRemoval(
        {
          target: { seq: row.seq, id: row.id, record_sha256: row.recordSha256, kind: row.kind, artifacts: row.artifacts },
          reason: byId("remove-reason", HTMLTextAreaElement).value,
        },
        entryContext(now),
      );
      const draftRecord = { id: crypto.randomUUID(), kind: "removal", captured_at_ms: now, local_offset_minutes: -new Date(now).getTimezoneOffset(), time_zone: zone(), artifacts: [], metadata: built.metadata };
      const res = await commitRemoval({
        targetSeq: row.seq,
        expectRecordSha256: row.recordSha256,
        seal: (head) => core.sealRecord(draftRecord, head),
        genesis: core.genesis(),
        removedAt: new Date(now).toISOString(),
      });
      dialog.close();
      removeTarget = null;
      await done(row.seq, { kind: "ok", text: `The content of item ${row.seq} was removed. The removal is item ${res.row.seq} (${shortHash(res.row.recordSha256)}); item ${row.seq}'s hashes are kept.` });
    } catch (err) {
      dialog.close();
      removeTarget = null;
      await done(row.seq, { kind: "bad", text: `Nothing was removed: ${errorText(err)}` });
    }
  });
}
