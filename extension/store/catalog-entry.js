// The library's catalog: one small entry per record, written in the same transaction as
// the record (store/ledger.js), so that the timeline, its filters and full-text search read a
// few hundred bytes per item instead of record bytes or blobs.
//
// An entry is derived from the sealed record (and, for captures, the metadata.json bytes
// being stored with it). It is a cache of what the record already says: the record and
// its hashes stay the evidence. Plain functions, no browser APIs: the service worker,
// the library page and the v1 -> v2 upgrade all use them.

/** Longest search text kept per item, in characters. */
export const MAX_SEARCH_TEXT = 20_000;

const str = (v) => (typeof v === "string" ? v : v == null ? "" : String(v));

/** Lowercase, accent-free, whitespace-collapsed text for search (the query goes through
 *  the same), so that "zoe" finds "Zoë" and "cafe" finds "Café". */
export function searchNormal(s) {
  return str(s).normalize("NFD").replace(/\p{M}+/gu, "").toLowerCase().replace(/\s+/g, " ").trim();
}

/** The words of a search query, normalised like the catalog's text. */
export function searchWords(query) {
  return searchNormal(query).split(" ").filter(Boolean);
}

/**
 * Extra search text from a capture's metadata.json bytes: every visible message's
 * author and text, the page title and URLs. `bytes` is a Uint8Array; returns "" when it
 * is not a capture metadata document.
 */
export function captureSearchText(bytes) {
  if (!(bytes instanceof Uint8Array) || bytes.length > 8 * 1024 * 1024) return "";
  let meta;
  try {
    meta = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return "";
  }
  if (!meta || typeof meta !== "object" || !Array.isArray(meta.messages)) return "";
  const parts = [meta.page?.title, meta.page?.url, meta.page?.final_url, meta.page?.site_name];
  for (const m of meta.messages) {
    parts.push(m?.author?.name, m?.author?.handle, m?.text);
  }
  return parts.filter(Boolean).join("\n");
}

/** The first image artifact (screenshot or photo, up to 50 MB), for the timeline's thumbnail. */
function thumbOf(artifacts) {
  const a = (artifacts ?? []).find((x) => /^image\/(png|jpeg|webp|gif|bmp)$/.test(x.media_type) && x.bytes > 0 && x.bytes <= 50 * 1024 * 1024);
  return a ? a.sha256 : null;
}

/**
 * The catalog entry for a stored row. `record` is the parsed record (null for a removed
 * row); `extraText` is more text to search (a capture's messages).
 */
export function catalogEntry(row, record, extraText = "") {
  const base = {
    seq: row.seq,
    id: row.id,
    kind: row.kind,
    recordSha256: row.recordSha256,
    capturedAt: row.capturedAt,
  };
  if (row.removed || !record) {
    return {
      ...base,
      eventAt: row.capturedAt,
      removed: true,
      removedBy: row.removedBy ?? null,
      title: "",
      excerpt: "",
      site: null,
      authors: [],
      blobs: [],
      text: "",
    };
  }
  const m = record.metadata ?? {};
  const artifacts = record.artifacts ?? [];
  const entry = {
    ...base,
    eventAt: row.capturedAt,
    removed: false,
    title: str(m.title).slice(0, 300),
    excerpt: str(m.excerpt).slice(0, 300),
    site: typeof m.site === "string" ? m.site : null,
    url: typeof m.url === "string" ? m.url : null,
    authors: Array.isArray(m.authors) ? m.authors.filter((a) => typeof a === "string").slice(0, 20) : [],
    thumb: thumbOf(artifacts),
    artifactCount: artifacts.length,
    bytes: artifacts.reduce((n, a) => n + (Number(a.bytes) || 0), 0),
    blobs: [...new Set(artifacts.map((a) => a.sha256))],
  };
  const words = [entry.title, entry.excerpt, entry.site, entry.url, ...entry.authors, str(m.platform)];
  if (row.kind === "capture") {
    entry.missing = Array.isArray(m.missing) ? m.missing.length : 0;
    entry.messageCount = Number(m.message_count) || 0;
  } else if (row.kind === "incident") {
    const i = m.incident ?? {};
    entry.eventAt = typeof i.occurred_at_utc === "string" ? i.occurred_at_utc : row.capturedAt;
    entry.occurredAt = str(i.occurred_at);
    entry.type = str(i.type);
    entry.location = i.location ?? null;
    entry.policeReported = i.police?.reported === true;
    words.push(i.type_other, i.location, i.what_happened, i.person?.name, i.person?.description, i.witnesses, i.effect, i.police?.reference, i.police?.officer);
  } else if (row.kind === "amendment") {
    entry.targetSeq = m.target?.seq ?? null;
    entry.correction = m.correction === true;
    words.push(m.note);
  } else if (row.kind === "removal") {
    entry.targetSeq = m.target?.seq ?? null;
    entry.targetKind = m.target?.kind ?? null;
    words.push(m.reason);
  }
  for (const a of m.attachments ?? []) words.push(a?.original_name);
  words.push(extraText);
  entry.text = searchNormal(words.filter(Boolean).join(" ")).slice(0, MAX_SEARCH_TEXT);
  return entry;
}

/** Parse stored record bytes as JSON without the WASM core (upgrade path); null if unreadable. */
export function parseRecordJson(bytes) {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}
