// @ts-check
// Small helpers shared by the extension's pages.
import { api } from "./browser.js";

/** Send a message to the service worker; a dropped connection becomes an error answer. */
export async function send(msg) {
  try {
    const res = await api.runtime.sendMessage(msg);
    return res ?? { ok: false, error: { code: "NO_ANSWER", message: "The extension did not answer." } };
  } catch (e) {
    return { ok: false, error: { code: "DISCONNECTED", message: String(e?.message ?? e) } };
  }
}

/** Create an element with attributes and children (text is always set as text). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c != null) node.append(c instanceof Node ? c : String(c));
  return node;
}

/** Local date and time for an ISO string, e.g. "25 Nov 2026, 17:02:11". */
export function localTime(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? String(iso)
    : d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
}

/**
 * The element with this id, checked to be of the expected kind (HTMLButtonElement,
 * HTMLInputElement…). A page without it, or with another kind of element there, is a
 * defect of the page: that throws an error naming the id, rather than failing later on null.
 * @template {Element} T
 * @param {string} id
 * @param {new (...args: any[]) => T} kind
 * @returns {T}
 */
export function byId(id, kind) {
  const node = document.getElementById(id);
  if (node instanceof kind) return node;
  const found = node ? `a <${node.tagName.toLowerCase()}>` : "nothing";
  throw new Error(`This page is incomplete: #${id} should be a ${kind.name}, but there is ${found}.`);
}
