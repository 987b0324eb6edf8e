import { bytesText, el, localTime, send } from "./ui.js";
import { getBlob, getHead } from "./store.js";

const status = document.getElementById("status");

async function load() {
  const res = await send({ type: "list" });
  if (!res.ok) {
    status.className = "status bad";
    status.textContent = `The library could not be read: ${res.error.message}`;
    return;
  }
  const head = await getHead();
  document.getElementById("head").textContent = head?.chainSha256 ?? "(no items yet)";
  const tbody = document.getElementById("items");
  tbody.replaceChildren();
  for (const item of [...res.items].reverse()) tbody.append(await row(item));
  status.className = "status";
  status.textContent = `${res.items.length} item(s) saved on this device.`;
}

async function row(item) {
  const s = item.summary ?? {};
  const shot = item.artifacts.find((a) => a.media_type === "image/png");
  let thumb = null;
  if (shot) {
    const blob = await getBlob(shot.sha256);
    if (blob) thumb = el("img", { class: "thumb", src: URL.createObjectURL(blob), alt: `Screenshot of ${s.title ?? s.url ?? "the page"}` });
  }
  const details = el(
    "details",
    {},
    el("summary", {}, "Artifacts"),
    el(
      "ul",
      {},
      ...item.artifacts.map((a) => el("li", {}, `${a.name} (${a.media_type}, ${bytesText(a.bytes)}) `, el("span", { class: "hash" }, a.sha256))),
    ),
  );
  return el(
    "tr",
    {},
    el("td", {}, String(item.seq)),
    el("td", { title: `UTC ${item.capturedAt}` }, localTime(item.capturedAt)),
    el("td", {}, thumb, el("div", {}, s.title ?? ""), el("div", { class: "muted" }, s.site ?? s.url ?? ""), el("div", {}, s.excerpt ?? ""), details),
    el("td", {}, (s.authors ?? []).join(", ")),
    el("td", { class: "hash" }, item.recordSha256.slice(0, 12)),
  );
}

document.getElementById("copy-head").addEventListener("click", async () => {
  const text = document.getElementById("head").textContent;
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = "Head hash copied.";
  } catch {
    status.textContent = `Copy failed; the head hash is ${text}`;
  }
});

load();
