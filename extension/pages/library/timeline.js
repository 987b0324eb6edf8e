// @ts-check
// The timeline: newest first, with filters, full-text search and a count.
//
// Scale (10,000 items, 20 GB): the first rows come from a cursor over the catalog's
// "when" index (newest first, one page), so they paint before anything else is read.
// Then every catalog entry (a few hundred bytes each, never record bytes or blobs) is
// read once into memory; filtering and search are plain array scans over that, far
// under the 300 ms target for 10,000 items. Thumbnails are made lazily for visible rows.
// Behind the passphrase lock only the first page of entries is decrypted before the first
// paint; the rest is decrypted after it, in slices (counts, filters and search wait for it).
import { el } from "../../shared/ui.js";
import { catalogAll, catalogNewest, getCatalogEntry, putCatalogEntries } from "../../store/catalog.js";
import { getBlob, getRowsFrom } from "../../store/ledger.js";
import { captureSearchText, catalogEntry, searchWords } from "../../store/catalog-entry.js";
import { core } from "../../shared/core.js";
import { INCIDENT_TYPES, kindLabel, localDay, localShort, plural, shortHash, typeLabel, utcShort } from "../../shared/format.js";
import { observeThumbs, releaseThumbs } from "./thumbs.js";

const PAGE = 50;
/** A page element by id (typed loosely: the pages know what each id is). */
const $ = (/** @type {string} */ id) => /** @type {any} */ (document.getElementById(id));

const state = {
  all: null, // catalog entries by ledger order
  bySeq: new Map(),
  sorted: {}, // order -> entries, newest first
  filtered: [],
  shown: 0,
  damaged: new Set(),
  ticked: new Set(), // items ticked for export
  loading: null,
};

/** Entries loaded so far (for the item view and the check). */
export function catalogState() {
  return state;
}

/** Mark items the last integrity check found damaged. */
export function setDamaged(seqs) {
  state.damaged = new Set(seqs);
  for (const li of $("items").children) li.classList.toggle("damaged", state.damaged.has(Number(li.dataset.seq)));
}

/** Paint the newest rows straight from the catalog index, then load the rest. */
export async function firstPaint() {
  const first = await catalogNewest(PAGE);
  renderRows(first, false);
  performance.mark("library-first-rows");
  // A task queued from the next animation frame runs once that frame has been painted.
  const painted = new Promise((resolve) =>
    requestAnimationFrame(() =>
      setTimeout(() => {
        performance.mark("library-first-rows-painted");
        resolve();
      }, 0),
    ),
  );
  // The rest is read meanwhile, but (behind the lock) decrypted only once the first rows
  // are on screen, and in slices, so that the page stays responsive while it works.
  state.loading = loadAll(painted);
  return state.loading;
}

async function loadAll(painted) {
  const all = await catalogAll(-1, { before: painted });
  performance.mark("library-all-entries");
  setEntries(all);
  fillChoices();
  // Keep the first-painted rows when they are exactly the first page (no flicker).
  const onScreen = [...$("items").children].map((li) => Number(li.dataset.seq));
  const firstPage = filtersActive() ? null : sortedBy($("filter-order").value).slice(0, PAGE).map((e) => e.seq);
  apply({ keepRows: firstPage !== null && firstPage.length === onScreen.length && firstPage.every((seq, i) => seq === onScreen[i]) });
  return state;
}

function setEntries(all) {
  state.all = all;
  state.bySeq = new Map(all.map((e) => [e.seq, e]));
  state.sorted = {};
}

/** Read catalog entries committed since the last load (captures made meanwhile, new
 *  diary entries, amendments, removals) and redraw. Returns true when anything changed. */
export async function refresh() {
  if (!state.all) await state.loading;
  const last = state.all.length ? state.all[state.all.length - 1].seq : -1;
  const fresh = await catalogAll(last);
  if (!fresh.length) return false;
  const touched = fresh.filter((e) => e.kind === "removal" && e.targetSeq != null).map((e) => e.targetSeq);
  for (const seq of touched) {
    const updated = await getCatalogEntry(seq);
    const i = state.all.findIndex((e) => e.seq === seq);
    if (updated && i >= 0) state.all[i] = updated;
  }
  setEntries([...state.all, ...fresh]);
  fillChoices();
  apply({ keepPage: true });
  return true;
}

function sortedBy(order) {
  if (!state.sorted[order]) {
    const list = [...state.all];
    if (order === "saved") list.sort((a, b) => b.seq - a.seq);
    else list.sort((a, b) => (a.eventAt < b.eventAt ? 1 : a.eventAt > b.eventAt ? -1 : b.seq - a.seq));
    state.sorted[order] = list;
  }
  return state.sorted[order];
}

function filters() {
  return {
    words: searchWords($("search").value),
    kind: $("filter-kind").value,
    type: $("filter-type").value,
    site: $("filter-site").value.trim().toLowerCase(),
    person: $("filter-person").value.trim().toLowerCase(),
    from: $("filter-from").value,
    to: $("filter-to").value,
    order: $("filter-order").value,
  };
}

function filtersActive() {
  const f = filters();
  return Boolean(f.words.length || f.kind || f.type || f.site || f.person || f.from || f.to);
}

function matcher(f) {
  const tests = [];
  if (f.kind) tests.push((e) => e.kind === f.kind);
  if (f.type) tests.push((e) => e.type === f.type);
  if (f.site) tests.push((e) => (e.site ?? "").toLowerCase().includes(f.site) || (e.url ?? "").toLowerCase().includes(f.site));
  if (f.person) tests.push((e) => e.authors.some((a) => a.toLowerCase().includes(f.person)));
  if (f.from) tests.push((e) => localDay(e.eventAt) >= f.from);
  if (f.to) tests.push((e) => localDay(e.eventAt) <= f.to);
  for (const w of f.words) {
    // A word may also be an item number ("#12") or the start of a record hash.
    const seq = /^#?\d+$/.test(w) ? Number(w.replace("#", "")) : null;
    const hex = /^[0-9a-f]{6,64}$/.test(w) ? w : null;
    tests.push((e) => e.text.includes(w) || e.seq === seq || (hex !== null && e.recordSha256.startsWith(hex)));
  }
  return (e) => tests.every((t) => t(e));
}

/**
 * Filter, sort and draw the first page. `keepRows`: the rows on screen already are the
 * first page (after first paint); `keepPage`: keep as many rows as were shown.
 */
export function apply({ keepRows = false, keepPage = false } = {}) {
  if (!state.all) return;
  const f = filters();
  const list = sortedBy(f.order);
  const test = matcher(f);
  state.filtered = f.words.length || f.kind || f.type || f.site || f.person || f.from || f.to ? list.filter(test) : list;
  const want = keepPage ? Math.max(PAGE, state.shown) : PAGE;
  if (!keepRows) renderRows(state.filtered.slice(0, want), false);
  state.shown = Math.min(want, state.filtered.length);
  showCount(f);
  performance.mark("library-search-done");
  document.dispatchEvent(new CustomEvent("library-rendered"));
}

function showCount(f) {
  const total = state.all.length;
  const n = state.filtered.length;
  const active = f.words.length || f.kind || f.type || f.site || f.person || f.from || f.to;
  let text;
  if (!total) text = "Nothing saved yet. Capture a page from the toolbar button, or write a diary entry.";
  else if (!active) text = `${plural(total, "item")} in the timeline. Showing ${Math.min(state.shown, n).toLocaleString()}.`;
  else if (!n) text = `No items match (out of ${plural(total, "item")}).`;
  else text = `${plural(n, "item")} match, out of ${total.toLocaleString()}. Showing ${Math.min(state.shown, n).toLocaleString()}.`;
  $("count").textContent = text;
  const more = $("more");
  more.hidden = state.shown >= n;
  more.textContent = `Show ${Math.min(PAGE, n - state.shown)} more`;
}

/** Append the next page; focus moves to its first row. */
export function showMore() {
  const next = state.filtered.slice(state.shown, state.shown + PAGE);
  if (!next.length) return;
  const firstNew = renderRows(next, true);
  state.shown += next.length;
  showCount(filters());
  firstNew?.querySelector("a")?.focus();
}

function renderRows(entries, append) {
  const list = $("items");
  if (!append) {
    releaseThumbs(list);
    list.replaceChildren();
  }
  const rows = entries.map(rowFor);
  list.append(...rows);
  observeThumbs(list);
  return rows[0];
}

function when(e) {
  // A removed item restored from an archive: the archive keeps its hashes, not its time.
  if (!e.eventAt) return el("span", { class: "when" }, "(time not in the archive it was restored from)");
  return el(
    "span",
    { class: "when" },
    el("time", { datetime: e.eventAt }, localShort(e.eventAt)),
    el("span", { class: "utc" }, ` (${utcShort(e.eventAt)})`),
  );
}

function rowFor(e) {
  if (e.withheld) return withheldRow(e);
  const li = el("li", { class: `row kind-${e.kind}${e.removed ? " removed" : ""}${state.damaged.has(e.seq) ? " damaged" : ""}`, "data-seq": String(e.seq) });
  const thumb = el("div", { class: "thumb-box", "aria-hidden": "true" });
  if (e.thumb && !e.removed) thumb.dataset.sha = e.thumb;
  else thumb.append(el("span", { class: "thumb-kind" }, kindLabel(e.kind)));
  const title = e.removed ? `Content removed (was a ${kindLabel(e.kind).toLowerCase()})` : e.title || kindLabel(e.kind);
  const what = e.removed
    ? `${kindLabel(e.kind)} · saved`
    : e.kind === "capture"
      ? `${e.site ?? "Web page"} · captured`
      : e.kind === "incident"
        ? `Diary: ${typeLabel(e.type)}${e.location ? ` · ${e.location}` : ""} · happened`
        : `${kindLabel(e.kind)} · written`;
  const main = el(
    "div",
    { class: "row-main" },
    el("h3", { class: "row-title" }, el("a", { href: `#item-${e.seq}` }, title)),
    el("p", { class: "row-meta" }, el("span", { class: "badge" }, kindLabel(e.kind)), ` ${what} `, when(e)),
    e.authors?.length ? el("p", { class: "row-authors" }, `${e.kind === "incident" ? "Person" : "Who wrote"}: ${e.authors.join(", ")}`) : null,
    e.removed
      ? el("p", { class: "row-excerpt" }, `Removed${e.removedBy != null ? ` (see item ${e.removedBy})` : ""}. Its hashes are kept, so the history still checks.`)
      : e.excerpt
        ? el("p", { class: "row-excerpt" }, e.excerpt)
        : null,
    el(
      "p",
      { class: "row-hash muted" },
      `Item ${e.seq} · record `,
      el("code", { class: "hash", title: e.recordSha256 }, shortHash(e.recordSha256)),
      e.kind === "capture" && e.missing ? ` · ${plural(e.missing, "part")} missing` : "",
      e.kind !== "capture" && e.artifactCount ? ` · ${plural(e.artifactCount, "file")}` : "",
    ),
    el("p", { class: "damaged-note" }, "The last integrity check found this item damaged."),
  );
  // Tick items to export only those (the others are withheld, their hashes kept).
  const tick = el("input", {
    type: "checkbox",
    class: "row-tick",
    "aria-label": `Select item ${e.seq} for export`,
    checked: state.ticked.has(e.seq),
    disabled: e.removed,
  });
  tick.addEventListener("change", () => {
    if (tick.checked) state.ticked.add(e.seq);
    else state.ticked.delete(e.seq);
  });
  li.append(tick, thumb, main);
  return li;
}

function fillChoices() {
  const sites = new Set();
  const people = new Set();
  const types = new Set();
  for (const e of state.all) {
    if (e.site) sites.add(e.site);
    for (const a of e.authors ?? []) people.add(a);
    if (e.type) types.add(e.type);
  }
  const options = (set) => [...set].sort((a, b) => a.localeCompare(b)).slice(0, 500).map((v) => el("option", { value: v }));
  $("sites").replaceChildren(...options(sites));
  $("people").replaceChildren(...options(people));
  const typeSelect = $("filter-type");
  const current = typeSelect.value;
  typeSelect.replaceChildren(
    el("option", { value: "" }, "Any type"),
    ...INCIDENT_TYPES.map((t) => el("option", { value: t.value }, `${t.label}${types.has(t.value) ? "" : " (none yet)"}`)),
  );
  typeSelect.value = current;
}

/** Wire the filter form: search as you type (briefly debounced), at once on Enter. */
export function wireFilters() {
  const form = $("filters");
  let timer = null;
  const run = () => {
    clearTimeout(timer);
    if (!state.all) {
      state.loading?.then(() => apply());
      return;
    }
    apply();
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    run();
  });
  $("search").addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, 150);
  });
  for (const id of ["filter-kind", "filter-type", "filter-order", "filter-from", "filter-to"]) $(id).addEventListener("change", run);
  for (const id of ["filter-site", "filter-person"]) {
    $(id).addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(run, 150);
    });
  }
  $("clear-filters").addEventListener("click", () => {
    form.reset();
    run();
    $("search").focus();
  });
  $("more").addEventListener("click", showMore);
}

/** Stored record bytes read by the core; null when they do not read. */
function readRecord(bytes) {
  try {
    return core.parseRecord(bytes);
  } catch {
    return null;
  }
}

/**
 * Put back catalog entries that are missing for stored records (the timeline must never
 * hide an item). Reads record rows in batches; returns how many entries were rebuilt.
 */
export async function repairCatalog() {
  const have = new Set((await catalogAll()).map((e) => e.seq));
  const rebuilt = [];
  for (let from = 0; ; ) {
    const rows = await getRowsFrom(from, 200);
    if (!rows.length) break;
    for (const row of rows) {
      if (have.has(row.seq)) continue;
      const record = row.removed || !row.bytes ? null : readRecord(row.bytes);
      let extra = "";
      const meta = row.kind === "capture" ? record?.artifacts?.find((a) => a.name === "metadata.json") : null;
      // Unreadable metadata only costs the rebuilt entry its search text; "Check integrity" reports the blob.
      const blob = meta ? await getBlob(meta.sha256).catch(() => null) : null;
      if (blob) extra = captureSearchText(new Uint8Array(await blob.arrayBuffer()));
      const entry = catalogEntry(row, extra);
      // A record that cannot be read is still listed, so that it can be opened and seen damaged.
      if (!row.removed && !record) Object.assign(entry, { removed: false, title: `Item ${row.seq} (cannot be read)`, excerpt: "The stored record of this item is damaged." });
      rebuilt.push(entry);
    }
    from = rows[rows.length - 1].seq + 1;
  }
  if (rebuilt.length) {
    await putCatalogEntries(rebuilt);
    await loadAll();
  }
  return rebuilt.length;
}

// An item the restored archive withheld: its hashes only, no time, nothing to open but them.
function withheldRow(e) {
  return el(
    "li",
    { class: "row withheld", "data-seq": String(e.seq), "data-withheld": "true" },
    el("div", { class: "thumb-box", "aria-hidden": "true" }, el("span", { class: "thumb-kind" }, "—")),
    el(
      "div",
      { class: "row-main" },
      el("h3", { class: "row-title" }, el("a", { href: `#item-${e.seq}` }, `Item ${e.seq}: not in this archive`)),
      el("p", { class: "row-excerpt" }, "The archive this library was restored from withheld this item. Its hashes are kept, so the history still checks."),
      el("p", { class: "row-hash muted" }, `Item ${e.seq} · record `, el("code", { class: "hash", title: e.recordSha256 }, e.recordSha256)),
    ),
  );
}
