// @ts-check
// Settings → "Independent proof of time" (RFC 3161 trusted timestamps), off by default.
// Turning it on asks the browser for host permission for exactly the chosen authorities'
// origins (optional_host_permissions), in the click itself (the browser requires a user
// gesture), and only then saves the setting.

import { api } from "../../shared/browser.js";
import { getSettings, updateSettings } from "../../shared/settings.js";

/** A short list of public RFC 3161 authorities reachable over https. */
export const DEFAULT_AUTHORITIES = [
  { name: "FreeTSA", url: "https://freetsa.org/tsr" },
  { name: "Sectigo", url: "https://timestamp.sectigo.com" },
];

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const list = /** @type {HTMLUListElement} */ ($("tsa-authorities"));
const custom = /** @type {HTMLInputElement} */ ($("tsa-custom"));
const status = $("tsa-status");

/** @param {string} text @param {string} kind */
function say(text, kind = "") {
  status.className = `status ${kind}`;
  status.textContent = text;
}

/** @param {string} url @param {string} name @param {boolean} checked */
function row(url, name, checked) {
  const li = document.createElement("li");
  const box = document.createElement("input");
  box.type = "checkbox";
  box.value = url;
  box.checked = checked;
  box.id = `tsa-${list.children.length}`;
  const label = document.createElement("label");
  label.htmlFor = box.id;
  label.style.display = "inline";
  label.textContent = ` ${name} (${url})`;
  li.append(box, label);
  list.append(li);
}

async function load() {
  const s = await getSettings();
  list.replaceChildren();
  const chosen = new Set(s.tsaServers);
  for (const a of DEFAULT_AUTHORITIES) row(a.url, a.name, chosen.has(a.url));
  for (const url of s.tsaServers) if (!DEFAULT_AUTHORITIES.some((a) => a.url === url)) row(url, new URL(url).host, true);
  say(s.tsaEnabled ? `On: ${s.tsaServers.join(", ")}` : "Off: nothing is sent.", s.tsaEnabled ? "ok" : "");
  /** @type {HTMLButtonElement} */ ($("tsa-now")).disabled = !s.tsaEnabled;
}

/** The chosen authorities' URLs, or a reason. @returns {string[] | string} */
function chosenUrls() {
  const urls = [...list.querySelectorAll("input:checked")].map((b) => /** @type {HTMLInputElement} */ (b).value);
  const extra = custom.value.trim();
  if (extra) {
    let u;
    try {
      u = new URL(extra);
    } catch {
      return "The authority's address is not a web address.";
    }
    if (u.protocol !== "https:") return "The authority's address must start with https://.";
    urls.push(u.href);
  }
  if (!urls.length) return "Choose at least one authority.";
  return [...new Set(urls)];
}

$("tsa-on").addEventListener("click", () => {
  const urls = chosenUrls();
  if (typeof urls === "string") return say(urls, "bad");
  const origins = [...new Set(urls.map((u) => `${new URL(u).origin}/*`))];
  // First, in the click itself: the browser asks the user (no await before it).
  api.permissions
    .request({ origins })
    .then(async (granted) => {
      if (!granted) return say("Not turned on: the browser's permission to contact the authority was not given.", "bad");
      await updateSettings({ tsaEnabled: true, tsaServers: urls });
      custom.value = "";
      await load();
    })
    .catch((e) => say(`Not turned on: ${e.message}`, "bad"));
});

$("tsa-off").addEventListener("click", async () => {
  const s = await getSettings();
  await updateSettings({ tsaEnabled: false });
  const origins = [...new Set(s.tsaServers.map((u) => `${new URL(u).origin}/*`))];
  await api.permissions.remove({ origins }).catch(() => {});
  await load();
});

$("tsa-now").addEventListener("click", async () => {
  say("Asking the authorities…");
  const res = await api.runtime.sendMessage({ type: "timestamp" });
  if (res?.ok) say(`Timestamped: items 0–${res.tokens[0].seq} existed by ${res.tokens.map((t) => `${t.genTime} (${t.tsaName})`).join(", ")}.`, "ok");
  else say(`Not timestamped: ${res?.error?.message ?? "no answer"}`, "bad");
});

void load();
