// @ts-check
// Words and formats shared by the library and the diary: kind names, incident types,
// times (local, with UTC always available) and sizes.
import { core, coreReady } from "./core.js";

// The core owns the incident types (crate/src/diary.rs, one label per type, the same
// in the UI and the report): every page that shows them loads the core first.
await coreReady();

/** Incident types `[{value, label}]` in the diary form's order, from the core. */
export const INCIDENT_TYPES = core.incidentTypes();

const TYPE_LABELS = new Map(INCIDENT_TYPES.map((t) => [t.value, t.label]));

/** The label of an incident type ("Phone call"), or the raw value if unknown. */
export function typeLabel(value) {
  return TYPE_LABELS.get(value) ?? String(value ?? "");
}

/** Item kinds as the user reads them. */
export const KIND_LABELS = {
  capture: "Web page",
  incident: "Diary entry",
  amendment: "Note or correction",
  removal: "Removal",
  import: "Added file",
};

export function kindLabel(kind) {
  return KIND_LABELS[kind] ?? String(kind);
}

// Intl formatters are costly to create: make each once.
const fmt = {};
function formatter(key, options) {
  fmt[key] ??= new Intl.DateTimeFormat(undefined, options);
  return fmt[key];
}

function date(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Local date and time, e.g. "25 Nov 2026, 17:45". */
export function localShort(iso) {
  const d = date(iso);
  return d ? formatter("ls", { dateStyle: "medium", timeStyle: "short" }).format(d) : String(iso ?? "");
}

/** Local date and time with seconds and weekday, e.g. "Wed, 25 Nov 2026, 17:45:03". */
export function localLong(iso) {
  const d = date(iso);
  return d
    ? formatter("ll", { weekday: "short", year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" }).format(d)
    : String(iso ?? "");
}

/** The same moment in UTC, e.g. "25 Nov 2026, 17:45 UTC". */
export function utcShort(iso) {
  const d = date(iso);
  return d ? `${formatter("us", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(d)} UTC` : "";
}

/** Local calendar day (YYYY-MM-DD) of a moment, for the date-range filter. */
export function localDay(iso) {
  const d = date(iso);
  if (!d) return "";
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** Human-readable byte count. */
export function sizeText(n) {
  if (!Number.isFinite(n)) return "";
  if (n < 1024) return `${n} bytes`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** "1 item", "3 items". */
export function plural(n, one, many = `${one}s`) {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

/** The first 12 hex digits of a hash, as the popup shows them. */
export const shortHash = (h) => String(h ?? "").slice(0, 12);

/**
 * RFC 3339 with the local offset for a date ("2026-11-20") and time ("14:30") entered
 * in this browser's time zone, e.g. "2026-11-20T14:30:00+00:00"; null if invalid.
 */
export function localRfc3339(day, time) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day ?? "") || !/^\d{2}:\d{2}(:\d{2})?$/.test(time ?? "")) return null;
  const d = new Date(`${day}T${time.length === 5 ? `${time}:00` : time}`);
  if (Number.isNaN(d.getTime())) return null;
  // A time in a daylight-saving gap does not exist: the Date has moved it; use its own
  // wall-clock fields so that the string and its offset name one real moment.
  const p = (n) => String(n).padStart(2, "0");
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? "+" : "-";
  const abs = Math.abs(off);
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}${sign}${p(Math.floor(abs / 60))}:${p(abs % 60)}`;
}

/** The message of a core or storage error, without the core's "invalid input: " prefix. */
export function errorText(e) {
  const m = String(e?.message ?? e);
  const text = m.replace(/^invalid input: /, "").replace(/^./, (c) => c.toUpperCase()).trim();
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
