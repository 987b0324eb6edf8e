// @ts-check
// A whole conversation's thread in the item view (issue 11), where each message can be
// selected (click, or Enter/Space on the focused message) to show the stored screen it
// appears on with its rectangle outlined. Which screen and which rectangle is the core's
// answer (core.locateMessage, from segments.json); this page only draws it: the outline is
// placed in percentages of the screen's pixel size, so it follows the image at any zoom.
import { el } from "../../shared/ui.js";
import { core } from "../../shared/core.js";
import { getBlob } from "../../store/ledger.js";

/**
 * The `<ol>` of a long capture's messages, each selectable.
 * @param {any} record the parsed record (its artifacts name the screens and segments.json)
 * @param {any[]} msgs the thread's messages (core.readThread, the one conversation model), in conversation order
 * @param {(msg: any) => HTMLElement} renderMessage draws one message (an `<li>`)
 * @param {(blob: Blob) => string} objectUrl an object URL released with the item view
 */
export async function selectableThread(record, msgs, renderMessage, objectUrl) {
  const list = el("ol", { class: "messages thread" });
  const byName = new Map((record.artifacts ?? []).map((a) => [a.name, a]));
  const segRef = byName.get("segments.json");
  const segBlob = segRef ? await getBlob(segRef.sha256) : null;
  const segments = segBlob ? new Uint8Array(await segBlob.arrayBuffer()) : null;
  // The screen is shown in its own list entry just below the selected message; its caption
  // is announced (aria-live) when it appears.
  const figure = el("figure", { class: "message-screen", id: "message-screen", "aria-live": "polite" });
  const holder = el("li", { class: "message-screen-item" }, figure);
  /** @type {HTMLElement | null} */
  let selected = null;

  async function select(li, key) {
    selected?.classList.remove("selected");
    selected = li;
    li.classList.add("selected");
    li.after(holder);
    figure.replaceChildren(el("figcaption", {}, "Finding the screen this message is on…"));
    let where = null;
    try {
      where = segments && key ? core.locateMessage(segments, key) : null;
    } catch (e) {
      figure.replaceChildren(el("p", { class: "status bad" }, `The segment index of this capture cannot be read (${e?.message ?? e}). Run “Check integrity”.`));
      return;
    }
    if (!where) {
      figure.replaceChildren(el("p", { class: "status warn" }, segments ? "No stored screen shows this message." : "This capture has no readable segment index (segments.json), so its screens cannot be matched to messages."));
      return;
    }
    const ref = byName.get(where.artifact);
    const blob = ref ? await getBlob(ref.sha256) : null;
    if (selected !== li) return; // another message was selected meanwhile
    if (!blob) {
      figure.replaceChildren(el("p", { class: "status bad" }, `${where.artifact} is missing from storage.`));
      return;
    }
    const img = el("img", { class: "screen", src: objectUrl(blob), alt: `${where.artifact}, the screen this message appears on, with the message outlined` });
    const box = el("div", { class: "outline", "aria-hidden": "true" });
    const frame = el("div", { class: "screen-frame" }, img, box);
    figure.replaceChildren(frame, el("figcaption", {}, `Screen ${where.screen + 1} (${where.artifact})${where.whole ? "" : ", the part inside the conversation"}; it is on ${where.screens} ${where.screens === 1 ? "screen" : "screens"} in all.`));
    await img.decode().catch(() => {});
    const w = img.naturalWidth, h = img.naturalHeight;
    if (!w || !h) return;
    const p = where.pixels;
    Object.assign(box.style, { left: `${(p.x / w) * 100}%`, top: `${(p.y / h) * 100}%`, width: `${(p.width / w) * 100}%`, height: `${(p.height / h) * 100}%` });
    frame.dataset.ready = "true";
  }

  for (const m of msgs) {
    const li = renderMessage(m);
    const key = m.key ?? null;
    li.classList.add("selectable");
    // Stays a list item (the thread is a list); focusable, and Enter or Space selects it.
    li.setAttribute("tabindex", "0");
    li.setAttribute("aria-controls", "message-screen");
    li.title = "Show the screen this message is on (Enter)";
    li.addEventListener("click", () => void select(li, key));
    li.addEventListener("keydown", (e) => {
      if (e.target !== li || (e.key !== "Enter" && e.key !== " ")) return;
      e.preventDefault();
      void select(li, key);
    });
    list.append(li);
  }
  return list;
}
