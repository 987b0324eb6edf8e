// @ts-check
// The item view: everything one record holds, in readable form. Captures show the
// screenshot (zoomable), the page facts, the messages and every metadata field; diary
// entries show every field and their attachments; every item shows its files with
// size and SHA-256, its notes and corrections, and its place in the chain.
//
// Addresses found in captured pages (profiles, permalinks) are shown as text, not links:
// opening a harasser's profile by accident can tell them it was looked at.
import { el } from "../../shared/ui.js";
import { core } from "../../shared/core.js";
import { getBlob, getRow } from "../../store/ledger.js";
import { getCatalogEntry } from "../../store/catalog.js";
import { catalogState } from "./timeline.js";
import { kindLabel, localLong, plural, shortHash, sizeText, typeLabel, utcShort } from "../../shared/format.js";
import { quickCheck } from "./check.js";
import { selectableThread } from "./thread-screens.js";

const urls = [];
/** A page element by id (typed loosely: the pages know what each id is). */
const $ = (/** @type {string} */ id) => /** @type {any} */ (document.getElementById(id));

/** Revoke the object URLs of the item shown last. */
export function releaseItem() {
  while (urls.length) URL.revokeObjectURL(urls.pop());
}

function objectUrl(blob) {
  const u = URL.createObjectURL(blob);
  urls.push(u);
  return u;
}

/** Stored record bytes read by the core, for display; null when unreadable. */
export function parseStored(bytes) {
  try {
    return core.parseRecord(bytes);
  } catch {
    return null;
  }
}

const section = (title, ...children) => el("section", { class: "item-section" }, el("h3", {}, title), ...children);

function dl(pairs) {
  const list = el("dl", { class: "facts" });
  for (const [k, v] of pairs) {
    if (v == null || v === "") continue;
    list.append(el("dt", {}, k), el("dd", {}, v instanceof Node ? v : String(v)));
  }
  return list;
}

const text = (s) => el("div", { class: "prose" }, s ?? "");
const hash = (h) => el("code", { class: "hash" }, h);
const moment = (iso) => (iso ? `${localLong(iso)} (${utcShort(iso)})` : null);

function humanKey(k) {
  return k.includes(":") ? k : k.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

/** Every field of a JSON value as nested description lists. */
export function tree(value) {
  if (value === null || value === undefined) return el("span", { class: "muted" }, "none");
  if (Array.isArray(value)) return value.length ? el("ol", { class: "tree" }, ...value.map((v) => el("li", {}, tree(v)))) : el("span", { class: "muted" }, "none");
  if (typeof value === "object") {
    const entries = Object.entries(value);
    if (!entries.length) return el("span", { class: "muted" }, "none");
    return el("dl", { class: "tree" }, ...entries.flatMap(([k, v]) => [el("dt", {}, humanKey(k)), el("dd", {}, tree(v))]));
  }
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}

/**
 * Render item `seq` into `body`. `actions` builds the note/remove controls (actions.js);
 * `notice` is an optional status line shown first (e.g. "Saved").
 * @param {number} seq
 * @param {HTMLElement} body
 * @param {{actions?: any, notice?: any}} [options]
 */
export async function renderItem(seq, body, { actions, notice } = {}) {
  releaseItem();
  const st = catalogState();
  const entry = st.bySeq.get(seq) ?? (await getCatalogEntry(seq));
  const row = await getRow(seq);
  const heading = el("h2", { id: "item-title", tabindex: "-1" });
  const status = el("p", { id: "item-status", class: `status${notice ? ` ${notice.kind}` : ""}`, role: "status", tabindex: "-1" }, notice?.text ?? "");
  status.hidden = !notice;
  if (!row) {
    heading.textContent = `Item ${seq} is not stored`;
    body.replaceChildren(heading, el("p", { class: "status bad" }, `There is no item ${seq} on this device. If the timeline lists it, the storage is damaged: run “Check integrity”.`));
    return heading;
  }
  if (row.withheld) return withheldItem(seq, row, heading, body);
  const record = row.removed ? null : parseStored(row.bytes);
  const parts = [];
  if (row.removed) {
    heading.textContent = `Item ${seq}: content removed`;
    parts.push(await removedBody(row));
  } else if (!record) {
    heading.textContent = `Item ${seq}: damaged`;
    parts.push(el("p", { class: "status bad" }, "The stored record of this item cannot be read: storage is damaged. Its hashes are shown below; run “Check integrity” for details."));
  } else {
    heading.textContent = record.metadata?.title || entry?.title || kindLabel(row.kind);
    if (row.kind === "capture") parts.push(...(await captureBody(row, record)));
    else if (row.kind === "incident") parts.push(...incidentBody(record));
    else if (row.kind === "amendment") parts.push(amendmentBody(record));
    else if (row.kind === "removal") parts.push(removalBody(record));
    else if (row.kind === "import") parts.push(importBody(record), ...(await chatThread(record)));
  }
  const intro = el(
    "p",
    { class: "item-intro" },
    el("span", { class: "badge" }, kindLabel(row.kind)),
    ` Item ${seq} · saved ${moment(row.capturedAt)} · record `,
    el("code", { class: "hash" }, shortHash(row.recordSha256)),
  );
  const check = el("p", { id: "item-check", class: "status" }, row.removed ? "" : "Checking this item's hashes…");
  check.hidden = row.removed === true;
  const notes = await notesOn(seq);
  const files = filesSection(row, record);
  const chain = chainSection(row, st);
  const raw = record ? rawSection(row) : null;
  body.replaceChildren(heading, intro, status, check, actions ? actions(row, record) : "", ...notes, ...parts, files, chain, raw ?? "");
  if (!row.removed) void quickCheck(row, record, check);
  return heading;
}

async function removedBody(row) {
  const by = row.removedBy != null ? await getRow(row.removedBy) : null;
  const rm = by?.bytes ? parseStored(by.bytes) : null;
  const reason = rm?.metadata?.reason;
  return el(
    "div",
    { class: "status warn" },
    el("p", {}, `The content of this ${kindLabel(row.kind).toLowerCase()} was removed${row.removedAt ? ` on ${localLong(row.removedAt)}` : ""}${row.removedBy != null ? ` (the removal is item ${row.removedBy})` : ""}. `,
      "Its hashes are kept below, so the history still checks and shows that something was removed."),
    el("p", {}, `Reason given: ${reason ? reason : "none"}`),
    row.removedBy != null ? el("p", {}, el("a", { href: `#item-${row.removedBy}` }, `Open the removal (item ${row.removedBy})`)) : "",
  );
}

async function captureBody(row, record) {
  const m = record.metadata ?? {};
  const out = [];
  const metaRef = record.artifacts.find((a) => a.name === "metadata.json");
  const metaBlob = metaRef ? await getBlob(metaRef.sha256) : null;
  let meta = null;
  /** @type {any} the messages in the core's one conversation model (core.readThread) */
  let thread = null;
  if (metaBlob) {
    try {
      const bytes = new Uint8Array(await metaBlob.arrayBuffer());
      meta = core.parseCaptureMetadata(bytes);
      thread = core.readThread(bytes);
    } catch {
      meta = null;
    }
  }
  out.push(section("The page", dl([
    ["Title", meta?.page?.title ?? m.title],
    ["Address", meta?.page?.url ?? m.url],
    ["Address after redirects", meta?.page?.final_url !== meta?.page?.url ? meta?.page?.final_url : null],
    ["Canonical address", meta?.page?.canonical_url],
    ["Site", meta?.page?.site_name ? `${meta.page.site_name} (${m.site ?? ""})` : m.site],
    ["Platform", m.platform],
    ["Language", meta?.page?.lang],
    ["Parts that could not be saved", (meta?.missing ?? m.missing ?? []).join(" ") || null],
  ])));
  // A whole conversation or page shows its stitched image (every screen is in the files list).
  const shot = record.artifacts.find((a) => a.name === "stitched-01.png") ?? record.artifacts.find((a) => a.media_type === "image/png");
  if (shot) out.push(await screenshotSection(shot, meta, m));
  const snap = record.artifacts.find((a) => a.name === "page.mhtml" || a.name === "page.html");
  if (snap) {
    const blob = await getBlob(snap.sha256);
    out.push(section("The saved page", blob
      ? el("p", {}, el("a", { class: "button", href: objectUrl(blob), download: `item-${row.seq}-${snap.name}` }, `Download the saved page (${snap.name === "page.mhtml" ? "MHTML" : "HTML"}, ${sizeText(snap.bytes)})`),
        el("span", { class: "muted" }, " Opens in Chromium-based browsers; it is the page as it was, without its scripts."))
      : el("p", { class: "status bad" }, `${snap.name} is missing from storage.`)));
  }
  if (!meta) {
    out.push(el("p", { class: "status bad" }, metaRef ? "metadata.json is missing from storage or damaged: the messages and page facts cannot be shown." : "This capture has no metadata.json."));
    return out;
  }
  const msgs = thread?.messages ?? [];
  const conv = thread?.capture;
  if (conv) {
    // A whole conversation or page (issue 11): the thread, in order, and how the capture ended.
    const who = (conv.participants ?? []).map((p) => [p.name, p.authorId && p.authorId !== p.name ? p.authorId : null].filter(Boolean).join(" · ")).join("; ");
    out.push(section(`${thread.kind === "page" ? "The whole page" : "The whole conversation"}, in order (${msgs.length} messages)`,
      el("p", { class: conv.complete ? "status ok" : "status warn" }, conv.complete ? `Captured whole, in ${conv.screens} screens.` : `Stopped early (${conv.stopReason ?? "unknown reason"}): ${conv.screens} screens, the messages up to there.`),
      dl([["Who wrote", who || null], ["Changed during the capture", conv.changed ? String(conv.changed) : null], ["Disappeared during the capture", conv.disappeared ? String(conv.disappeared) : null]]),
      msgs.length ? el("p", { class: "hint" }, "Select a message to see the screen it was captured on, with the message outlined.") : "",
      msgs.length ? await selectableThread(record, msgs, message, objectUrl) : el("p", {}, "No messages were found.")));
  } else {
    out.push(section(`Messages (${msgs.length})`, msgs.length ? el("ol", { class: "messages" }, ...msgs.map(message)) : el("p", {}, "No messages were found on the page.")));
  }
  out.push(section("When and how it was captured", dl([
    ["Captured (local time)", meta.capture?.local_time],
    ["Captured (UTC)", meta.capture?.utc],
    ["Time zone", meta.capture?.time_zone],
    ["Started by", meta.capture?.trigger],
    ["Browser", [meta.environment?.browser, meta.environment?.browser_version].filter(Boolean).join(" ")],
    ["Window", meta.environment?.viewport ? `${meta.environment.viewport.width} × ${meta.environment.viewport.height}, pixel ratio ${meta.environment.device_pixel_ratio}` : null],
    ["Screenshot made with", meta.artifacts?.screenshot?.method],
    ["Page saved with", meta.artifacts?.snapshot?.method],
    ["Extension version", meta.environment?.extension_version],
  ])));
  out.push(el("details", { class: "item-section" }, el("summary", {}, "Every field of metadata.json"), tree(meta)));
  return out;
}

/** One captured message, in the core's one conversation model (core.readThread). */
function message(msg) {
  const t = msg.time ?? {};
  return el(
    "li",
    { class: `message${msg.visible === false ? " offscreen" : ""}` },
    el("p", { class: "message-author" }, [msg.author, msg.handle, msg.authorId && msg.authorId !== msg.handle ? msg.authorId : null].filter(Boolean).join(" ") || "Unknown author", msg.visible === false ? el("span", { class: "muted" }, " (not on screen when captured)") : ""),
    text(msg.text),
    dl([
      ["Account", msg.authorId],
      ["Changed during the capture", msg.edits?.length ? `later text: ${msg.edits.map((e) => `“${e}”`).join(", then ")}` : null],
      ["Disappeared during the capture", (msg.marks ?? []).includes("disappeared_during_capture") ? "yes: a later screen no longer showed it" : null],
      ["Time shown on the page", t.shown],
      ["Time", t.utcMs != null ? `${moment(t.utcMs)}${t.approximate ? " — approximate, worked out from the time shown" : ""}` : null],
      ["Server time from the post's id", msg.idTimeMs != null ? moment(msg.idTimeMs) : null],
      ["Profile address", msg.profileUrl],
      ["Link to the message", msg.permalink],
    ]),
  );
}

async function screenshotSection(shot, meta, m) {
  const blob = await getBlob(shot.sha256);
  if (!blob) return section("Screenshot", el("p", { class: "status bad" }, `${shot.name} is missing from storage.`));
  const dpr = Number(meta?.environment?.device_pixel_ratio) || 1;
  const img = el("img", { class: "shot", src: objectUrl(blob), alt: `Screenshot of ${m.title ?? m.url ?? "the page"}` });
  const frame = el("div", { class: "shot-frame fit", tabindex: "0", role: "region", "aria-label": "Screenshot. Use the zoom buttons, or + and - keys; scroll to see all of it." }, img);
  const level = el("span", { class: "zoom-level", "aria-live": "polite" }, "Fit to width");
  /** @type {any} "fit" or a zoom factor */
  let zoom = "fit";
  const steps = [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4];
  const set = (z) => {
    zoom = z;
    frame.classList.toggle("fit", z === "fit");
    img.style.width = z === "fit" ? "" : `${Math.round((img.naturalWidth / dpr) * z)}px`;
    level.textContent = z === "fit" ? "Fit to width" : `${Math.round(z * 100)}%`;
  };
  const current = () => (zoom === "fit" ? Math.min(1, frame.clientWidth / (img.naturalWidth / dpr || 1)) : zoom);
  const zoomIn = () => set(steps.find((s) => s > current() + 0.001) ?? steps[steps.length - 1]);
  const zoomOut = () => set([...steps].reverse().find((s) => s < current() - 0.001) ?? steps[0]);
  frame.addEventListener("keydown", (e) => {
    if (e.key === "+" || e.key === "=") zoomIn();
    else if (e.key === "-") zoomOut();
    else if (e.key === "0") set("fit");
    else return;
    e.preventDefault();
  });
  return section(
    "Screenshot",
    el("div", { class: "zoom-bar", role: "group", "aria-label": "Zoom" },
      el("button", { type: "button", onclick: zoomOut }, "Zoom out"),
      el("button", { type: "button", onclick: zoomIn }, "Zoom in"),
      el("button", { type: "button", onclick: () => set("fit") }, "Fit to width"),
      el("button", { type: "button", onclick: () => set(1) }, "Actual size"),
      " Zoom: ", level,
      " ", el("a", { href: objectUrl(blob), target: "_blank", rel: "noopener" }, "Open full size in a new tab")),
    frame,
  );
}

function incidentBody(record) {
  const m = record.metadata ?? {};
  const i = m.incident ?? {};
  const police = i.police ?? {};
  return [
    section("The incident", dl([
      ["When it happened", i.occurred_at_utc ? `${moment(i.occurred_at_utc)}; entered as ${i.occurred_at}` : i.occurred_at],
      ["When it was written down", `${moment(record.captured_at)}${m.entered_at ? `; recorded as ${m.entered_at}` : ""}`],
      ["Type", i.type === "other" ? `${typeLabel(i.type)}: ${i.type_other ?? ""}` : typeLabel(i.type)],
      ["Where", i.location],
      ["What happened", text(i.what_happened)],
      ["Person involved", i.person?.name],
      ["What they looked like", i.person?.description ? text(i.person.description) : null],
      ["Witnesses", i.witnesses ? text(i.witnesses) : null],
      ["How it affected me", i.effect ? text(i.effect) : null],
      ["Reported to the police", police.reported ? "yes" : "no"],
      ["Police reference", police.reference],
      ["Officer", police.officer],
    ])),
    attachmentsSection(m.attachments ?? []),
  ];
}

function amendmentBody(record) {
  const m = record.metadata ?? {};
  return el("div", {},
    section(m.correction ? "Correction" : "Note", dl([
      ["Adds to", el("a", { href: `#item-${m.target?.seq}` }, `Item ${m.target?.seq}`)],
      ["Is a correction", m.correction ? "yes" : "no"],
      ["Note", text(m.note)],
      ["Record hash of the item it adds to", hash(m.target?.record_sha256 ?? "")],
    ])),
    attachmentsSection(m.attachments ?? []));
}

function removalBody(record) {
  const m = record.metadata ?? {};
  const t = m.target ?? {};
  return section("Removal", dl([
    ["Removed the content of", el("a", { href: `#item-${t.seq}` }, `Item ${t.seq} (${kindLabel(t.kind).toLowerCase()})`)],
    ["Reason", m.reason || "none given"],
    ["Record hash of the removed item (kept)", hash(t.record_sha256 ?? "")],
    ["Files of the removed item (hashes kept)", el("ul", { class: "plain" }, ...(t.artifacts ?? []).map((a) => el("li", {}, `${a.name} (${a.media_type}, ${sizeText(a.bytes)}) `, hash(a.sha256))))],
  ]));
}

function attachmentsSection(list) {
  if (!list.length) return "";
  const items = list.map((a) => {
    const li = el("li", { class: "attachment-view" }, el("p", {}, el("strong", {}, a.original_name || a.name), ` (${a.media_type}, ${sizeText(a.bytes)})`));
    void getBlob(a.sha256).then((blob) => {
      if (!blob) {
        li.append(el("p", { class: "status bad" }, "This file is missing from storage."));
        return;
      }
      const url = objectUrl(blob);
      const label = `${a.original_name || a.name}`;
      // An SVG drawing is a document that can load things and run code: it is shown only as
      // an <img> (which loads and runs nothing) and "full size" saves it as a file, never
      // opening it as a page.
      const svg = /^image\/svg/i.test(a.media_type) || /\.svgz?$/i.test(a.name ?? "");
      if (svg) li.append(el("a", { href: url, download: a.name, "aria-label": `Save ${label} as a file to see it full size` }, el("img", { class: "attachment-image", src: url, alt: `Attached drawing: ${label}` })));
      else if (/^image\//.test(a.media_type)) li.append(el("a", { href: url, target: "_blank", rel: "noopener", "aria-label": `Open ${label} full size` }, el("img", { class: "attachment-image", src: url, alt: `Attached photo: ${label}` })));
      else if (/^audio\//.test(a.media_type)) li.append(el("audio", { controls: true, preload: "metadata", src: url, "aria-label": `Recording: ${label}` }));
      else if (/^video\//.test(a.media_type)) li.append(el("video", { controls: true, preload: "metadata", src: url, class: "attachment-image", "aria-label": `Video: ${label}` }));
      li.append(el("p", {}, el("a", { href: url, download: a.name }, `Download ${label}`)));
    });
    return li;
  });
  return section(`Attachments (${list.length})`, el("ul", { class: "plain attachments-view" }, ...items), el("p", { class: "muted" }, "Their sizes and SHA-256 hashes are listed under “Files”."));
}

async function notesOn(seq) {
  const st = catalogState();
  if (!st.all) await st.loading;
  const amendments = (st.all ?? []).filter((e) => e.kind === "amendment" && e.targetSeq === seq);
  if (!amendments.length) return [];
  const items = [];
  for (const e of amendments) {
    const row = await getRow(e.seq);
    const rec = row?.bytes ? parseStored(row.bytes) : null;
    items.push(el("li", { class: "note" },
      el("p", {}, el("a", { href: `#item-${e.seq}` }, `${e.correction ? "Correction" : "Note"} (item ${e.seq})`), `, written ${localLong(e.capturedAt)}`),
      rec ? text(rec.metadata?.note || rec.metadata?.excerpt) : el("p", { class: "muted" }, e.removed ? "This note was removed." : "This note cannot be read."),
    ));
  }
  return [section(`Notes and corrections added later (${amendments.length})`, el("p", { class: "muted" }, "The item itself is unchanged; these were added after it."), el("ul", { class: "plain notes" }, ...items))];
}

function filesSection(row, record) {
  const files = record?.artifacts ?? row.artifacts ?? [];
  if (!files.length) return section("Files", el("p", {}, "This item has no files: everything it says is in its record."));
  const table = el("table", { class: "files" },
    el("caption", { class: "sr-only" }, "Files of this item with their sizes and SHA-256 hashes"),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "File"), el("th", { scope: "col" }, "Type"), el("th", { scope: "col" }, "Size"), el("th", { scope: "col" }, "SHA-256"))),
    el("tbody", {}, ...files.map((a) => el("tr", {}, el("td", {}, a.name), el("td", {}, a.media_type), el("td", {}, a.bytes < 1024 ? sizeText(a.bytes) : `${sizeText(a.bytes)} (${a.bytes.toLocaleString()} bytes)`), el("td", {}, hash(a.sha256))))));
  return section(`Files (${plural(files.length, "file")})${row.removed ? ", deleted; hashes kept" : ""}`, el("div", { class: "table-scroll" }, table));
}

function chainSection(row, st) {
  const total = st.all?.length;
  return section("Place in the chain", dl([
    ["Position", `Item ${row.seq}${total ? `, number ${(row.seq + 1).toLocaleString()} of ${total.toLocaleString()} (items are numbered from 0)` : ""}`],
    ["Saved", moment(row.capturedAt)],
    ["Record SHA-256", hash(row.recordSha256)],
    ["Chain hash after this item", hash(row.chainSha256)],
    ["Previous item", row.seq > 0 ? el("a", { href: `#item-${row.seq - 1}` }, `Item ${row.seq - 1}`) : "none: this is the first item"],
    ["Next item", total && row.seq + 1 < total ? el("a", { href: `#item-${row.seq + 1}` }, `Item ${row.seq + 1}`) : null],
  ]));
}

function rawSection(row) {
  const blob = new Blob([row.bytes], { type: "application/json" });
  return el("details", { class: "item-section" },
    el("summary", {}, "The record exactly as stored (JSON)"),
    el("p", {}, el("a", { href: objectUrl(blob), download: `item-${row.seq}-record.json` }, "Download the record")),
    el("pre", { class: "raw", tabindex: "0", "aria-label": "Record JSON" }, new TextDecoder().decode(row.bytes)));
}

/** An item the restored archive withheld: only its hashes are on this device. */
function withheldItem(seq, row, heading, body) {
  heading.textContent = `Item ${seq}: not in this archive`;
  body.replaceChildren(
    heading,
    el("p", { class: "status warn" }, `This library was restored from an archive that withheld item ${seq}, so only its hashes are on this device. Its place in the history still checks. Restoring a complete export fills it in.`),
    el("dl", { class: "facts" },
      el("dt", {}, "Record hash"), el("dd", {}, el("code", { class: "hash" }, row.recordSha256)),
      el("dt", {}, "Chain hash after it"), el("dd", {}, el("code", { class: "hash" }, row.chainSha256))),
  );
  return heading;
}

/** A file added as evidence: where custody starts, and what the file says about itself. */
function importBody(record) {
  const m = record.metadata ?? {};
  const f = m.file ?? {};
  const e = m.exif ?? {};
  return section("The added file", el("p", { class: "status warn", id: "item-custody" }, m.custody ?? ""), dl([
    ["Added to the library", m.imported_at ? moment(m.imported_at) : null],
    ["Original file name", f.original_name],
    ["File's own last-modified time", f.last_modified ? moment(f.last_modified) : null],
    ["Taken (EXIF, the camera's clock)", e.date_time_original ? `${e.date_time_original}${e.offset_time_original ? ` ${e.offset_time_original}` : " (no time zone recorded)"}` : null],
    ["Camera make (EXIF)", e.make],
    ["Camera model (EXIF)", e.model],
  ]));
}

/** An imported chat export's thread, from its metadata.json through the core's one
 * reader (core.readThread; empty for other files). */
async function chatThread(record) {
  const ref = record.artifacts?.find((a) => a.name === "metadata.json");
  if (!ref) return [];
  let doc;
  try {
    doc = core.readThread(new Uint8Array(await (await getBlob(ref.sha256)).arrayBuffer()));
  } catch {
    return [el("p", { class: "status bad" }, "The conversation read from this export cannot be shown: its metadata.json is unreadable. Run “Check integrity”.")];
  }
  if (doc?.kind !== "chat_export") return [];
  const items = doc.messages.map((m) =>
    el(
      "li",
      { class: `chat-message${m.system ? " system" : ""}` },
      el("p", { class: "muted" }, `${m.time?.utcMs != null ? moment(m.time.utcMs) : m.time?.shown ?? ""}${m.time?.approximate ? " (approximate: the export gives the phone's local time)" : ""} · `, el("strong", {}, m.system ? "System message" : m.author ?? "?"), m.authorId && m.authorId !== m.author ? ` (${m.authorId})` : ""),
      m.text ? el("p", { class: "text" }, m.text) : "",
      ...(m.attachments ?? []).map((a) => el("p", { class: "muted" }, a.omitted ? "[media left out of the export]" : `[attached: ${a.name}]`)),
    ),
  );
  return [section(`The conversation (${doc.source === "telegram" ? "Telegram" : "WhatsApp"} export, ${items.length.toLocaleString()} messages)`, ...(doc.notes ?? []).map((n) => el("p", { class: "status warn" }, n)), el("ol", { class: "plain chat-thread", id: "chat-thread" }, ...items))];
}
