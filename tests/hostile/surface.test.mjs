// Issue 10, finding 10 and the permissions section: what the shipped dist/ asks for and
// allows. Reads dist/manifest.json and dist/'s scripts, and drives the real extension
// (unmodified dist/) in Chromium: the popup's capture with activeTab only, and an SVG
// attachment opened full size while every request is recorded.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DIST, launch, openToolbarPopup, send } from "../lib/extension.mjs";
import { fillDiary, openDiary, openLibrary, saveDiary, showItem } from "../lib/library.mjs";
import { sleep, startRecorder } from "./lib.mjs";

let ext, rec, work;
before(async () => {
  rec = await startRecorder();
  work = mkdtempSync(path.join(tmpdir(), "evidence-hostile-surface-"));
  ext = await launch({ shipped: true }); // dist/ as it ships: no granted host access, no test hook
});
after(async () => {
  await ext?.close();
  await rec?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const manifest = () => JSON.parse(readFileSync(path.join(DIST, "manifest.json"), "utf8"));

function jsFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...jsFiles(p));
    else if (/\.m?js$/.test(e.name)) out.push(p);
  }
  return out;
}

/** "a b; c d" -> Map(a -> Set(b), c -> Set(d)). */
function directives(csp) {
  const m = new Map();
  for (const part of (csp ?? "").split(";")) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) m.set(name.toLowerCase(), new Set(values));
  }
  return m;
}

test("P.1 permissions: <all_urls> is not a required host permission (optional_host_permissions at most)", () => {
  const m = manifest();
  const broad = (m.host_permissions ?? []).filter((p) => p === "<all_urls>" || /^\*:\/\/\*\//.test(p) || /^https?:\/\/\*\//.test(p));
  assert.deepEqual(broad, [], `permissions: dist/manifest.json asks at install for ${JSON.stringify(broad)} ("read and change all your data on all websites"); move it to optional_host_permissions`);
});

test("P.2 permissions: the shipped worker has no globalThis.evidenceTrigger test hook", async () => {
  const files = jsFiles(DIST).filter((f) => readFileSync(f, "utf8").includes("evidenceTrigger"));
  const live = await ext.sw.evaluate(() => typeof globalThis.evidenceTrigger);
  assert.deepEqual(
    { files: files.map((f) => path.relative(DIST, f)), inWorker: live },
    { files: [], inWorker: "undefined" },
    "permissions: the evidenceTrigger hook must be removed from the shipped worker, or kept out of dist/",
  );
});

// TODO (reported to the lead): chrome.action.openPopup(), the only way automation can open
// the popup, does not grant activeTab (only a real click on the toolbar button, the shortcut
// or the menu does), so in headless Chromium the popup gets no access to the tab and this
// cannot pass with <all_urls> optional. It still runs, and shows what the popup says.
test("P.3 permissions: capturing the active tab from the toolbar popup works with activeTab (unmodified dist/)", { timeout: 60_000, todo: "action.openPopup() grants no activeTab in automation" }, async () => {
  const page = await ext.context.newPage();
  await page.goto(`${rec.url}/normal.html`);
  await page.bringToFront();

  const popup = await openToolbarPopup(ext, page);
  await popup.eval("document.getElementById('capture').click()");
  let status = "";
  for (let i = 0; i < 100 && !/Saved|Not saved|could not|can't/i.test(status); i++) {
    await sleep(200);
    status = (await popup.eval("document.body.innerText").catch(() => "")) ?? "";
  }
  await popup.close();
  assert.match(status, /Saved/, `permissions: the popup's capture of the active tab failed: ${status.slice(0, 300)}`);

});

// connect-src also allows https: since issue 12: the opt-in trusted timestamps POST a hash
// to the timestamp authorities the user chose (only with their host permission, granted
// when the feature is turned on); plain http stays refused.
test("10.1 extension page CSP: default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; connect-src 'self' https:", () => {
  const csp = manifest().content_security_policy?.extension_pages;
  const d = directives(csp);
  const want = { "default-src": ["'self'"], "img-src": ["'self'", "blob:", "data:"], "media-src": ["'self'", "blob:"], "connect-src": ["'self'", "https:"] };
  const wrong = [];
  for (const [name, values] of Object.entries(want)) {
    const have = d.get(name);
    if (!have) wrong.push(`${name} is missing`);
    else if ([...have].sort().join(" ") !== [...values].sort().join(" ")) wrong.push(`${name} is "${[...have].join(" ")}", want "${values.join(" ")}"`);
  }
  assert.deepEqual(wrong, [], `finding 10: extension_pages CSP is ${JSON.stringify(csp)}:\n  ${wrong.join("\n  ")}`);
});

test("10.2 an SVG attachment opened full size from the library makes no request", { timeout: 120_000 }, async () => {
  const svg = path.join(work, "drawing-left-on-car.svg");
  writeFileSync(
    svg,
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="100">` +
      `<rect width="200" height="100" fill="#eee"/><text x="10" y="50">I see you</text>` +
      `<image href="${rec.beacon}?v=svg-image" xlink:href="${rec.beacon}?v=svg-xlink" width="1" height="1"/>` +
      `<foreignObject width="1" height="1"><img xmlns="http://www.w3.org/1999/xhtml" src="${rec.beacon}?v=svg-foreign"/></foreignObject>` +
      `<style>rect { fill: url("${rec.beacon}?v=svg-css"); }</style></svg>`,
  );
  const d = new Date(Date.now() - 86_400_000);
  const date = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  const diary = await openDiary(ext);
  await fillDiary(diary, { date, time: "07:30", type: "other", typeOther: "Drawing on the car", what: "A drawing was left under the wiper.", files: [svg] });
  assert.match(await saveDiary(diary), /^Saved/);
  const list = await send(diary, { type: "list" });
  const seq = list.items[list.items.length - 1].seq;
  await diary.close();
  const t0 = Date.now();
  const lib = await openLibrary(ext);
  await showItem(lib, seq);
  const link = lib.locator('a[aria-label$="full size"], a:has-text("full size")').first();
  await link.waitFor({ timeout: 10_000 });
  const opened = ext.context.waitForEvent("page", { timeout: 10_000 }).catch(() => null);
  await link.click();
  const full = await opened;
  await sleep(3000);
  const fullUrl = full?.url() ?? "(no new page)";
  const hits = rec.beacons(t0).map((r) => r.query);
  assert.deepEqual(hits, [], `finding 10: showing and opening the SVG attachment full size (${fullUrl}) sent ${hits.length} request(s) to another server`);
  await full?.close();
  await lib.close();
});
