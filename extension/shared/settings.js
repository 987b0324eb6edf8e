// @ts-check
// User settings, kept in storage.local (never synced). Plain module shared by every page
// and the service worker.
import { api } from "./browser.js";

/** Numbers we can source (DESIGN.md, UK). Users add their own country's rows. */
export const DEFAULT_HELPLINES = [
  { country: "United Kingdom", name: "Police — emergency (you are in danger now)", number: "999", notes: "" },
  { country: "United Kingdom", name: "Police — non-emergency", number: "101", notes: "To report stalking or harassment that is not an emergency" },
  {
    country: "United Kingdom",
    name: "National Stalking Helpline",
    number: "0808 802 0300",
    notes: "Free, confidential advice and guidance for victims of stalking, their family and friends, and professionals",
  },
];

export const DEFAULTS = {
  // A page that looks ordinary if someone glances at the screen.
  neutralUrl: "https://www.bbc.co.uk/weather",
  discreet: false,
  idleLockMinutes: 15,
  helplines: DEFAULT_HELPLINES,
  // The producer's initials for exhibit references ("JM" gives JM/1, JM/2…); "" for none.
  initials: "",
  // Independent proof of time (RFC 3161): off by default; the authorities' URLs.
  tsaEnabled: false,
  tsaServers: [],
};

/** Current settings, with defaults for anything unset. */
export async function getSettings() {
  const { settings } = await api.storage.local.get("settings");
  return { ...DEFAULTS, ...(settings ?? {}) };
}

/** Validate and store a partial update; returns the new settings or throws with a reason. */
export async function updateSettings(patch) {
  const next = { ...(await getSettings()), ...patch };
  const problem = checkSettings(next);
  if (problem) throw Object.assign(new Error(problem), { code: "BAD_SETTINGS" });
  await api.storage.local.set({ settings: next });
  return next;
}

/** Null when the settings are valid, else a reason in plain words. */
export function checkSettings(s) {
  let url;
  try {
    url = new URL(s.neutralUrl);
  } catch {
    return "The quick-exit page must be a web address such as https://www.bbc.co.uk/weather.";
  }
  if (!["http:", "https:"].includes(url.protocol)) return "The quick-exit page must start with http:// or https://.";
  if (typeof s.discreet !== "boolean") return "Discreet mode must be on or off.";
  if (!Number.isInteger(s.idleLockMinutes) || s.idleLockMinutes < 1 || s.idleLockMinutes > 24 * 60) {
    return "The idle time before locking must be between 1 minute and 24 hours.";
  }
  if (typeof s.initials !== "string" || s.initials.length > 20) return "Initials must be at most 20 characters.";
  if (typeof s.tsaEnabled !== "boolean") return "Independent proof of time must be on or off.";
  if (!Array.isArray(s.tsaServers) || s.tsaServers.length > 8 || !s.tsaServers.every((u) => typeof u === "string" && /^https?:\/\//.test(u) && u.length <= 500)) {
    return "Each timestamp authority must be a web address starting with https:// or http://.";
  }
  if (!Array.isArray(s.helplines) || s.helplines.length > 50) return "The helpline list is malformed.";
  for (const h of s.helplines) {
    if (!h || typeof h.name !== "string" || typeof h.number !== "string" || !h.name.trim() || !h.number.trim()) {
      return "Every helpline needs a name and a number.";
    }
    if ([h.country, h.name, h.number, h.notes].some((v) => typeof v === "string" && v.length > 300)) return "A helpline entry is too long.";
  }
  return null;
}
