// @ts-check
// The incident diary form: every field of a stalking diary, attachments hashed in slices,
// a draft kept on every keystroke, and one atomic commit of an `incident` record.
import { core, coreReady, hashBlob } from "../../shared/core.js";
import { commitItem, getBlob } from "../../store/ledger.js";
import { lockGate } from "../../shared/unlock-view.js";
import { el } from "../../shared/ui.js";
import { onBeforeExit } from "../../shared/safety.js";
import { Attachments, fieldDraft } from "../../shared/attachments.js";
import { recheckAndRemember } from "../../store/checksums.js";
import { INCIDENT_TYPES, errorText, localRfc3339, localShort, shortHash } from "../../shared/format.js";

const DRAFT = "incident:";
const form = /** @type {HTMLFormElement} */ (document.getElementById("diary-form"));
const status = document.getElementById("status");
const draftNote = document.getElementById("draft-note");
// Form controls of every kind (inputs, selects, textareas, buttons, progress) by id.
const $ = (/** @type {string} */ id) => /** @type {any} */ (document.getElementById(id));

const FIELDS = [
  "occurred-date", "occurred-time", "type", "type-other", "location", "what-happened",
  "person-name", "person-description", "witnesses", "effect", "police-reported",
  "police-reference", "police-officer",
];

for (const t of INCIDENT_TYPES) $("type").append(el("option", { value: t.value }, t.label));

function say(text, kind = "") {
  status.className = `status ${kind}`;
  status.replaceChildren(text);
}

const attachments = new Attachments({
  list: $("attachments-list"),
  prefix: DRAFT,
  say,
  onChange: () => noteDraft(),
});
const draft = fieldDraft(DRAFT);

function readFields() {
  const out = {};
  for (const id of FIELDS) {
    const input = $(id);
    out[id] = input.type === "checkbox" ? input.checked : input.value;
  }
  return out;
}

function writeFields(fields) {
  for (const id of FIELDS) {
    if (!(id in fields)) continue;
    const input = $(id);
    if (input.type === "checkbox") input.checked = fields[id] === true;
    else input.value = fields[id] ?? "";
  }
  showTypeOther();
}

function isBlank(fields) {
  return FIELDS.every((id) => !fields[id]) && attachments.items.length === 0;
}

// Autosave: a short pause after typing, and at once when the tab is hidden or closed.
// Never before the draft was brought back (start): the form is empty until then (or stays
// empty behind the unlock form), and saving it would delete the draft it has not read.
let restored = false;
let saveTimer = null;
let saving = false;
function scheduleDraft() {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(saveDraftNow, 300);
}
async function saveDraftNow() {
  clearTimeout(saveTimer);
  if (saving || !restored) return;
  const fields = readFields();
  try {
    if (isBlank(fields)) await draft.clear();
    else await draft.save(fields);
    noteDraft(new Date());
  } catch {
    draftNote.textContent = "The draft could not be kept on this device. Save the entry when you can.";
  }
}
function noteDraft(at) {
  if (at) draftNote.textContent = `Draft kept on this device at ${at.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" })}.`;
}
form.addEventListener("input", scheduleDraft);
form.addEventListener("change", scheduleDraft);
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "hidden") void saveDraftNow();
});
onBeforeExit(saveDraftNow); // quick exit keeps what was typed

function showTypeOther() {
  const other = $("type").value === "other";
  $("type-other-field").hidden = !other;
}
$("type").addEventListener("change", showTypeOther);

$("attachments-input").addEventListener("change", async (e) => {
  const input = /** @type {HTMLInputElement} */ (e.target);
  const files = [...input.files];
  input.value = "";
  const n = await attachments.add(files);
  if (n) say(`${n === 1 ? "1 file" : `${n} files`} attached. They are saved with the entry when you press “Save this entry”.`);
});

// Field checks in plain words, before the core checks everything again.
function problems(fields) {
  const out = [];
  if (!fields["occurred-date"]) out.push(["occurred-date", "Please give the date it happened."]);
  if (!fields["occurred-time"]) out.push(["occurred-time", "Please give the time it happened (your best guess is fine)."]);
  else if (fields["occurred-date"] && !localRfc3339(fields["occurred-date"], fields["occurred-time"])) out.push(["occurred-date", "That date and time could not be read. Please check them."]);
  if (!fields.type) out.push(["type", "Please choose what kind of incident it was."]);
  if (fields.type === "other" && !fields["type-other"].trim()) out.push(["type-other", "Please describe the kind of incident."]);
  if (!fields["what-happened"].trim()) out.push(["what-happened", "Please describe what happened."]);
  return out;
}

function showProblems(list) {
  for (const errorBox of /** @type {NodeListOf<HTMLElement>} */ (form.querySelectorAll(".error"))) {
    errorBox.hidden = true;
    errorBox.textContent = "";
  }
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  for (const [id, text] of list) {
    $(id).setAttribute("aria-invalid", "true");
    const box = $(`${id}-error`);
    box.textContent = text;
    box.hidden = false;
  }
  if (list.length) {
    say(`Not saved yet: ${list.map(([, t]) => t).join(" ")}`, "bad");
    $(list[0][0]).focus();
  }
}

function progress(text, fraction) {
  $("progress-box").hidden = fraction == null;
  $("progress-label").textContent = text ?? "";
  if (fraction != null) $("progress").value = Math.min(1, fraction);
}

const clean = (s) => (s.trim() ? s : null);

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  const fields = readFields();
  const list = problems(fields);
  showProblems(list);
  if (list.length) return;
  const button = $("save");
  button.disabled = true;
  saving = true;
  clearTimeout(saveTimer);
  say("Saving…");
  try {
    await coreReady();
    const hashed = await attachments.hashAll(hashBlob, (text, f) => progress(`${text} ${Math.round(f * 100)}%`, f));
    const now = Date.now();
    const offset = -new Date(now).getTimezoneOffset();
    const input = {
      occurred_at: localRfc3339(fields["occurred-date"], fields["occurred-time"]),
      type: fields.type,
      type_other: fields.type === "other" ? clean(fields["type-other"]) : null,
      location: clean(fields.location),
      what_happened: fields["what-happened"],
      person: { name: clean(fields["person-name"]), description: clean(fields["person-description"]) },
      witnesses: clean(fields.witnesses),
      effect: clean(fields.effect),
      police: { reported: fields["police-reported"], reference: clean(fields["police-reference"]), officer: clean(fields["police-officer"]) },
      attachments: hashed.map(({ original_name, media_type, bytes, sha256 }) => ({ original_name, media_type, bytes, sha256 })),
    };
    const built = core.buildIncident(input, { entered_at_ms: now, local_offset_minutes: offset });
    const recordDraft = {
      id: crypto.randomUUID(),
      kind: "incident",
      captured_at_ms: now,
      local_offset_minutes: offset,
      time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone ?? null,
      artifacts: built.artifacts,
      metadata: built.metadata,
    };
    const blobs = hashed.map((h, i) => ({ sha256: h.sha256, mediaType: built.artifacts[i].media_type, blob: h.file }));
    progress("Saving…", null);
    const row = await commitItem({
      seal: (head) => core.sealRecord(recordDraft, head),
      blobs,
      summary: built.summary,
      genesis: core.genesis(),
      clearDraft: DRAFT,
    });
    const bad = await recheckAndRemember(getBlob, built.artifacts, (text, f) => progress(`${text} ${Math.round(f * 100)}%`, f));
    progress(null, null);
    form.reset();
    showTypeOther();
    attachments.reset();
    draftNote.textContent = "Your draft is kept on this device as you type, even if this tab is closed.";
    status.className = `status ${bad.length ? "bad" : "ok"}`;
    status.replaceChildren(
      `Saved · ${shortHash(row.recordSha256)}. It is item ${row.seq} in your library (written ${localShort(row.capturedAt)}). `,
      el("a", { href: `library.html#item-${row.seq}` }, `Open item ${row.seq}`),
      bad.length ? ` Warning: the saved copy of ${bad.join(", ")} does not match what was read. Please check the file and add it again in a note.` : "",
    );
    status.focus();
  } catch (err) {
    progress(null, null);
    say(`Not saved: ${errorText(err)} Your entry is still here and in the draft.`, "bad");
    status.focus();
    saving = false;
    await saveDraftNow();
  } finally {
    saving = false;
    button.disabled = false;
  }
});

$("clear").addEventListener("click", async () => {
  if (!window.confirm("Clear this form and delete the draft? Nothing already saved in the library is affected.")) return;
  clearTimeout(saveTimer);
  form.reset();
  showTypeOther();
  showProblems([]);
  for (const item of [...attachments.items]) await attachments.remove(item.id);
  try {
    await draft.clear();
    say("The form is empty again.");
  } catch (e) {
    say(`The form is empty, but its draft could not be deleted (${e.message}): it may come back when this page opens again.`, "warn");
  }
  $("occurred-date").focus();
});

async function start() {
  // Locked: only the unlock form. Locked while typing: the draft is kept (encrypted) first.
  if (await lockGate([document.querySelector("main")], { beforeLock: () => saveDraftNow() })) return;
  const saved = await draft.load();
  const files = await attachments.restore();
  if (saved?.fields) writeFields(saved.fields);
  restored = true;
  if (saved || files) {
    say(`Your unsaved entry${saved?.savedAt ? ` from ${localShort(saved.savedAt)}` : ""} was brought back${files ? `, with ${files === 1 ? "1 file" : `${files} files`}` : ""}. Nothing has been saved to the library yet.`, "warn");
  }
  document.body.dataset.ready = "true";
}
start();
