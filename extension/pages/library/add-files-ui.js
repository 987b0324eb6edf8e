// @ts-check
// "Add files as evidence": each chosen file becomes an item of its own (kind "import"),
// stored byte for byte. The file is hashed as it is received (in slices, never whole in
// memory), a photo's EXIF capture time and camera are read by the core from its first
// bytes, and the core builds the record (crate/src/import/), which says that the chain
// of custody starts at the import. The commit is the one every item uses (store/ledger.js).
import { el } from "../../shared/ui.js";
import { core, coreReady, hashBlob } from "../../shared/core.js";
import { commitItem, getBlob } from "../../store/ledger.js";
import { recheckAndRemember } from "../../store/checksums.js";
import { errorText, shortHash } from "../../shared/format.js";
import { zoneOffsets } from "../../shared/zone.js";

const zone = () => Intl.DateTimeFormat().resolvedOptions().timeZone ?? null;
const CHAT_MAX = 256 * 1024 * 1024; // chat exports read whole (text, or a .zip with media)

/** Whether this browser's language writes the month before the day (for 03/04/26). */
function monthFirst() {
  const parts = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "numeric" }).formatToParts(new Date(2026, 10, 28));
  return parts.findIndex((p) => p.type === "month") < parts.findIndex((p) => p.type === "day");
}

/**
 * The parsed thread when the file is a chat export (WhatsApp .txt/.zip, Telegram
 * result.json), else null. {chat, error}: error when it looked like one but did not read.
 * Each message's local time is read in this browser's zone at that message's date.
 * @param {File} file
 * @param {number} offset
 */
async function chatOf(file, offset) {
  if (!/\.(txt|json|zip)$/i.test(file.name) || file.size > CHAT_MAX) return { chat: null, error: null };
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    return { chat: core.readChatFile(file.name, bytes, { local_offset_minutes: offset, month_first_hint: monthFirst(), zone_offsets: zoneOffsets() }) ?? null, error: null };
  } catch (e) {
    return { chat: null, error: /** @type {Error} */ (e).message };
  }
}

/**
 * Add one file. Resolves with the stored row and whether the stored copy re-hashed the same.
 * @param {File} file
 * @param {(fraction: number) => void} [onProgress]
 */
export async function addFile(file, onProgress) {
  await coreReady();
  const sha256 = await hashBlob(file, (done, total) => onProgress?.(done / (total || 1)));
  const prefix = new Uint8Array(await file.slice(0, core.exifPrefixBytes()).arrayBuffer());
  const exif = core.readExif(prefix) ?? null;
  const now = Date.now();
  const offset = -new Date(now).getTimezoneOffset();
  const { chat, error: chatError } = await chatOf(file, offset);
  const built = core.buildImport(
    { original_name: file.name, media_type: file.type, bytes: file.size, sha256, last_modified_ms: Number.isFinite(file.lastModified) ? file.lastModified : null, exif, chat },
    { entered_at_ms: now, local_offset_minutes: offset },
  );
  /** @type {{sha256: string, mediaType: string, blob?: File, bytes?: Uint8Array}[]} */
  const blobs = [{ sha256, mediaType: built.artifacts[0].media_type, blob: file }];
  if (built.metadataJson) blobs.push({ sha256: built.artifacts[1].sha256, mediaType: "application/json", bytes: built.metadataJson });
  const draft = { id: crypto.randomUUID(), kind: "import", captured_at_ms: now, local_offset_minutes: offset, time_zone: zone(), artifacts: built.artifacts, metadata: built.metadata };
  const saved = await commitItem({
    seal: (head) => core.sealRecord(draft, head),
    blobs,
    summary: built.summary,
    genesis: core.genesis(),
    requestId: null,
    pendingId: null,
    searchText: null,
    clearDraft: null,
  });
  const bad = await recheckAndRemember(getBlob, built.artifacts, () => {});
  return { saved, bad, chat, chatError };
}

/**
 * Mount the control into `slot`; `onDone()` runs after files were added.
 * @param {HTMLElement} slot
 * @param {{onDone?: () => void}} [options]
 */
export function mountAddFiles(slot, { onDone } = {}) {
  const input = /** @type {HTMLInputElement} */ (el("input", { id: "add-files", type: "file", multiple: true }));
  const label = el("label", { for: "add-files" }, "Add files as evidence (screenshots, photos, recordings, voice notes, PDFs)");
  const bar = /** @type {HTMLProgressElement} */ (el("progress", { id: "add-files-progress", max: "1", value: "0", hidden: true }));
  const result = el("p", { id: "add-files-status", class: "status", role: "status", "aria-live": "polite" });
  slot.append(el("div", { class: "field" }, label, input), bar, result);
  input.addEventListener("change", async () => {
    const files = [...(input.files ?? [])];
    input.value = "";
    if (!files.length) return;
    input.disabled = true;
    bar.hidden = false;
    const lines = [];
    let ok = 0;
    for (const [i, file] of files.entries()) {
      result.className = "status";
      result.textContent = `Adding ${file.name} (${i + 1} of ${files.length})…`;
      try {
        const { saved, bad, chat, chatError } = await addFile(file, (f) => (bar.value = (i + f) / files.length));
        ok++;
        const thread = chat ? ` Its ${chat.messages.length.toLocaleString()} messages were read as a conversation.` : chatError ? ` It looks like a chat export but could not be read as one (${chatError}); the file itself is kept.` : "";
        lines.push(`Saved · ${shortHash(saved.recordSha256)}: ${file.name} is item ${saved.seq}.${thread}${bad.length ? " Warning: the stored copy does not match what was read." : ""}`);
      } catch (e) {
        lines.push(`Not saved: ${file.name}: ${errorText(e)}`);
      }
    }
    bar.hidden = true;
    input.disabled = false;
    result.className = `status ${ok === files.length ? "ok" : "bad"}`;
    result.textContent = `${lines.join(" ")} The chain of custody of each file starts now, when it was added.`;
    if (ok) onDone?.();
  });
}
