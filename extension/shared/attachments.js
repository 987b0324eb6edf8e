// @ts-check
// Attached files (diary entries and notes): the list the user builds, kept in the drafts
// store so that it survives a closed tab, and hashed in slices (never read whole) when
// the entry is saved.
import { el } from "./ui.js";
import { deleteDraft, getDrafts, putDraft } from "../store/drafts.js";
import { sizeText } from "./format.js";

/** Largest file accepted (500 MiB, as the core checks too). */
export const MAX_FILE_BYTES = 500 * 1024 * 1024;

/**
 * The attachments of one form. `prefix` names its drafts (e.g. "incident:"); `list` is
 * the <ul> that shows the files; `say(text, kind)` reports problems in plain words.
 */
export class Attachments {
  /**
   * @param {object} parts
   * @param {HTMLElement} parts.list the <ul> that shows the files
   * @param {string} parts.prefix names this form's drafts
   * @param {(text: string, kind?: string) => void} [parts.say] reports problems in plain words
   * @param {() => void} [parts.onChange] called after a file is added or taken off
   */
  constructor({ list, prefix, say, onChange }) {
    this.list = list;
    this.prefix = prefix;
    this.say = say ?? (() => {});
    this.onChange = onChange ?? (() => {});
    this.items = []; // {id, file}
  }

  /** Bring back the files of an unsaved draft. */
  async restore() {
    let drafts = [];
    try {
      drafts = await getDrafts(`${this.prefix}file:`);
    } catch (e) {
      this.say(`Files attached to this draft earlier could not be brought back (${e.message}). Add them again before saving.`, "bad");
    }
    this.items = drafts
      .filter((d) => d.file instanceof Blob)
      .sort((a, b) => a.addedAt - b.addedAt)
      .map((d) => ({ id: d.id, file: d.file, name: d.name ?? d.file.name ?? "file" }));
    this.render();
    return this.items.length;
  }

  /** Add files chosen by the user; each is also kept in the draft. */
  async add(files) {
    const refused = [];
    const added = [];
    for (const file of files) {
      if (file.size > MAX_FILE_BYTES) {
        refused.push(`${file.name} is ${sizeText(file.size)}; files up to 500 MB can be attached.`);
        continue;
      }
      if (this.items.length >= 100) {
        refused.push(`${file.name}: at most 100 files can be attached to one entry.`);
        continue;
      }
      const item = { id: `${this.prefix}file:${Date.now()}-${crypto.randomUUID()}`, file, name: file.name || "file" };
      this.items.push(item);
      added.push(item);
    }
    this.render();
    this.onChange();
    if (refused.length) this.say(`Not attached: ${refused.join(" ")}`, "bad");
    for (const item of added) {
      try {
        await putDraft({ id: item.id, file: item.file, name: item.name, addedAt: Date.now() });
      } catch {
        this.say(`${item.name} is attached, but no draft copy could be kept: if this tab closes before you save, attach it again.`, "warn");
      }
    }
    return added.length;
  }

  /** Take a file off the list (and out of the draft). */
  async remove(id) {
    const i = this.items.findIndex((x) => x.id === id);
    if (i < 0) return;
    const [gone] = this.items.splice(i, 1);
    this.render();
    this.onChange();
    try {
      await deleteDraft(gone.id);
      this.say(`${gone.name} was taken off the list.`, "");
    } catch (e) {
      this.say(`${gone.name} was taken off the list, but its draft copy could not be deleted (${e.message}): it may come back when this page opens again.`, "warn");
    }
  }

  /** Forget the list (after the entry was saved; its drafts went in the same transaction). */
  reset() {
    this.items = [];
    this.render();
  }

  render() {
    this.list.replaceChildren(
      ...this.items.map((item, n) =>
        el(
          "li",
          { class: "attachment" },
          el("span", { class: "attachment-name" }, `${n + 1}. ${item.name}`),
          el("span", { class: "muted" }, ` ${sizeText(item.file.size)}${item.file.type ? `, ${item.file.type}` : ""} `),
          el("button", { type: "button", class: "small", "aria-label": `Remove ${item.name} from the list`, onclick: () => this.remove(item.id) }, "Remove"),
        ),
      ),
    );
    this.list.hidden = this.items.length === 0;
  }

  /**
   * Hash every file in slices. `progress(text, fraction)` is told how far it got.
   * Returns [{file, original_name, media_type, bytes, sha256}] in list order.
   */
  async hashAll(hashBlob, progress) {
    const total = this.items.reduce((n, x) => n + x.file.size, 0) || 1;
    let before = 0;
    const out = [];
    for (const { file, name } of this.items) {
      const sha256 = await hashBlob(file, (done) => progress(`Reading ${name} to compute its hash…`, (before + done) / total));
      before += file.size;
      out.push({ file, original_name: name, media_type: file.type || "", bytes: file.size, sha256 });
    }
    progress("All files read.", 1);
    return out;
  }
}

/** The text fields of a form's draft: saved on input, restored on open. */
export function fieldDraft(prefix) {
  const id = `${prefix}fields`;
  return {
    async load() {
      // Unreadable drafts start an empty form; the files' restore() above says so to the user.
      const all = await getDrafts(id).catch((e) => (console.warn("draft not read", e), []));
      return all.find((d) => d.id === id) ?? null;
    },
    save(fields) {
      return putDraft({ id, fields, savedAt: new Date().toISOString() });
    },
    clear() {
      return deleteDraft(id);
    },
  };
}
