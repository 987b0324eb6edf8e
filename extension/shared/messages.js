// @ts-check
// Every runtime message of the extension, with its guard, in one place:
//   MESSAGE_SCHEMAS: what the extension's pages send to the service worker (checkMessage);
//   BROADCASTS:      what the service worker sends to every extension page (checkBroadcast).
//
// The service worker answers only messages that come from the extension's own pages and
// that match one of these shapes exactly. Content scripts never send messages: page
// facts come back as the return value of scripting.executeScript, so a hostile page has
// no channel through which to forge or alter a capture.

export const TRIGGERS = ["popup", "shortcut", "context-menu", "api"];

/** What a capture takes: one screen (the default), a whole conversation, a whole page. */
export const SCOPES = ["screen", "conversation", "page"];

const isInt = (v) => Number.isSafeInteger(v) && v >= 0;
const isHttpUrl = (v) => {
  if (typeof v !== "string" || v.length > 500) return false;
  try {
    const u = new URL(v);
    return (u.protocol === "https:" || u.protocol === "http:") && !u.username && !u.password;
  } catch {
    return false;
  }
};
const isId = (v) => typeof v === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(v);
/** Long-capture limits: {maxMessages?, maxMinutes?, backTo?: "YYYY-MM-DD" | null}, nothing else. */
const isLimits = (v) =>
  !!v && typeof v === "object" && !Array.isArray(v) &&
  Object.keys(v).every((k) => ["maxMessages", "maxMinutes", "backTo"].includes(k)) &&
  (v.maxMessages === undefined || (Number.isSafeInteger(v.maxMessages) && v.maxMessages > 0)) &&
  (v.maxMinutes === undefined || (Number.isSafeInteger(v.maxMinutes) && v.maxMinutes > 0)) &&
  (v.backTo === undefined || v.backTo === null || (typeof v.backTo === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v.backTo)));

/** Message type -> field validators. Optional fields end with "?". */
export const MESSAGE_SCHEMAS = {
  ping: {},
  capture: { tabId: isInt, "trigger?": (v) => TRIGGERS.includes(v), "requestId?": isId, "scope?": (v) => SCOPES.includes(v), "limits?": isLimits },
  // Long captures (issue 11): what is running, and stopping one (it stores what it has).
  captureProgress: {},
  cancelCapture: { tabId: isInt },
  captureStatus: { requestId: isId },
  list: {},
  failures: {},
  dismissFailure: { id: isId },
  quickExit: {},
  // Trusted timestamp of the ledger head now (background/timestamp.js), with these
  // authorities or else the configured ones.
  timestamp: { "servers?": (v) => Array.isArray(v) && v.length >= 1 && v.length <= 8 && v.every(isHttpUrl) },
};

/** Worker -> pages: message type -> field validators (same form as MESSAGE_SCHEMAS). */
export const BROADCASTS = {
  // Quick exit (shortcut, or the button on another page): every extension page hides,
  // flushes its drafts and closes itself.
  quickExitNow: {},
};

/** Returns null when `msg` is a well-formed page -> worker message, else a reason in plain words. */
export function checkMessage(msg) {
  return checkAgainst(MESSAGE_SCHEMAS, msg);
}

/** Returns null when `msg` is a well-formed worker -> pages broadcast, else a reason. */
export function checkBroadcast(msg) {
  return checkAgainst(BROADCASTS, msg);
}

function checkAgainst(schemas, msg) {
  if (!msg || typeof msg !== "object" || Array.isArray(msg)) return "a message must be an object";
  const schema = schemas[msg.type];
  if (!schema || !Object.hasOwn(schemas, msg.type)) return `unknown message type ${JSON.stringify(msg.type)}`;
  const allowed = new Set(["type"]);
  for (const [key, check] of Object.entries(schema)) {
    const optional = key.endsWith("?");
    const name = optional ? key.slice(0, -1) : key;
    allowed.add(name);
    if (!(name in msg)) {
      if (optional) continue;
      return `${msg.type}: missing field ${name}`;
    }
    if (!check(msg[name])) return `${msg.type}: field ${name} is malformed`;
  }
  for (const key of Object.keys(msg)) if (!allowed.has(key)) return `${msg.type}: unexpected field ${key}`;
  return null;
}

/** True only for messages sent by this extension's own pages (not content scripts). */
export function isOwnPage(sender, runtime) {
  if (!sender || sender.id !== runtime.id) return false;
  const base = runtime.getURL("");
  return typeof sender.url === "string" && sender.url.startsWith(base);
}

/** A failure answer with a stable code. */
export function failure(code, message) {
  return { ok: false, error: { code, message } };
}
