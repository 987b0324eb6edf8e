// @ts-check
// This browser's time zone over the years, as the core reads chat times in it
// (crate/src/zone.rs): a small table of offset changes [{from_utc_ms, offset_minutes}],
// found by probing Date's offset once a day and bisecting each change to the minute.
// Chat apps show local times without a zone ("20/11/2026, 21:14"); a message from the
// other side of a daylight-saving change must be read in the offset of ITS date, not
// today's. The core has no time-zone database: this table is what it gets instead.

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Chats older than this read in the offset of this year's start (WhatsApp began in 2009). */
export const ZONE_FIRST_YEAR = 2000;

/** Minutes east of UTC at `ms` in this browser's zone. */
const offsetAt = (/** @type {number} */ ms) => -new Date(ms).getTimezoneOffset();

/**
 * The offsets of this browser's zone from 1 January `fromYear` (UTC) to 1 January of the
 * year after `toYear`: the first entry gives the offset at the start, each further entry
 * the minute a new offset begins. About two entries a year where the zone keeps summer time.
 * @param {number} [fromYear]
 * @param {number} [toYear] default: next year
 * @returns {{from_utc_ms: number, offset_minutes: number}[]}
 */
export function zoneOffsets(fromYear = ZONE_FIRST_YEAR, toYear = new Date().getUTCFullYear() + 1) {
  const start = Date.UTC(fromYear, 0, 1);
  const end = Date.UTC(toYear + 1, 0, 1);
  const table = [{ from_utc_ms: start, offset_minutes: offsetAt(start) }];
  let prev = start;
  let prevOffset = table[0].offset_minutes;
  for (let t = start + DAY_MS; t <= end; t += DAY_MS) {
    const o = offsetAt(t);
    if (o === prevOffset) {
      prev = t;
      continue;
    }
    // The change lies in (prev, t]: bisect to the minute (offset changes fall on minutes).
    let lo = prev;
    let hi = t;
    while (hi - lo > MINUTE_MS) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
      if (mid <= lo) break;
      if (offsetAt(mid) === prevOffset) lo = mid;
      else hi = mid;
    }
    table.push({ from_utc_ms: hi, offset_minutes: offsetAt(hi) });
    prev = t;
    prevOffset = o;
  }
  return table;
}

/** @type {{key: string, table: {from_utc_ms: number, offset_minutes: number}[]} | null} */
let cached = null;

/** {@link zoneOffsets} with the defaults, worked out again only when the zone or the year changes. */
export function currentZoneOffsets() {
  const key = `${Intl.DateTimeFormat().resolvedOptions().timeZone ?? ""} ${new Date().getUTCFullYear()}`;
  if (cached?.key !== key) cached = { key, table: zoneOffsets() };
  return cached.table;
}
