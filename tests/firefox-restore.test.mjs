// Issue 14 in Firefox ESR: a fresh Firefox restores, on its welcome page, an archive that
// Chromium exported (same items, hashes and head), then adds a photo as evidence in the
// library, with its EXIF facts. Files are handed to the real inputs as a person's file
// picker would (a DataTransfer set on the input, then its change event).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { launch, openExtPage, send, tabIdOf } from "./lib/extension.mjs";
import { launchFirefox, firefoxAvailable } from "./lib/firefox.mjs";
import { startServer } from "./lib/server.mjs";
import { exportAll, openLibrary } from "./lib/library.mjs";
import { jpegWithExif } from "./lib/files.mjs";

let srv, work;
before(async () => {
  srv = await startServer({ roots: { "/": "tests/fixtures/site" } });
  work = mkdtempSync(path.join(tmpdir(), "evidence-ff-restore-"));
});
after(async () => {
  await srv?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Choose `bytes` as file `name` in the input `#id` of `page`, as a file picker does. */
function choose(page, id, name, bytes, type = "") {
  return page.evaluate(
    (id, name, b64, type) => {
      const bin = atob(b64);
      const buf = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) buf[i] = bin.charCodeAt(i);
      const dt = new DataTransfer();
      dt.items.add(new File([buf], name, { type }));
      const input = document.getElementById(id);
      input.files = dt.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    },
    id,
    name,
    Buffer.from(bytes).toString("base64"),
    type,
  );
}

const waitText = (page, id, re, timeout = 120_000) =>
  page.waitForFunction((id, src) => new RegExp(src).test(document.getElementById(id)?.textContent ?? ""), { timeout }, id, re.source);

test("Firefox: a fresh install restores a Chromium export on its welcome page, then adds a photo with its EXIF", async (t) => {
  if (!firefoxAvailable()) return t.skip("firefox-esr is not installed");
  // Chromium: two captures, exported.
  const a = await launch();
  let archive, items;
  try {
    const lib = await openLibrary(a);
    for (const f of ["x-post.html", "gmail-message.html"]) {
      const page = await a.context.newPage();
      await page.goto(`${srv.url}/${f}`);
      assert.equal((await send(lib, { type: "capture", tabId: await tabIdOf(lib, page) })).ok, true);
      await page.close();
    }
    await lib.reload();
    await lib.waitForSelector("body[data-ready=true]");
    items = (await send(lib, { type: "list" })).items.map((i) => [i.seq, i.recordSha256, i.chainSha256]);
    archive = await exportAll(lib, path.join(work, "from-chromium.zip"));
  } finally {
    await a.close();
  }
  const ff = await launchFirefox();
  try {
    const welcome = ff.extPage;
    await welcome.waitForSelector("#restore-file");
    await choose(welcome, "restore-file", "from-chromium.zip", readFileSync(archive), "application/zip");
    await waitText(welcome, "restore-message", /^(Restored|Not restored|Nothing)/);
    assert.match(await welcome.evaluate(() => document.getElementById("restore-message").textContent), /^Restored 2 items/);
    const got = (await ff.send({ type: "list" })).items.map((i) => [i.seq, i.recordSha256, i.chainSha256]);
    assert.deepEqual(got, items);

    // The library (the page navigates itself: no driver may open a moz-extension URL).
    await welcome.evaluate(() => (location.href = "library.html"));
    await welcome.waitForFunction(() => location.pathname.endsWith("/library.html") && document.body.dataset.ready === "true", { timeout: 60_000 });
    const jpeg = jpegWithExif({ make: "samsung", model: "SM-S911B", taken: "2026:11:27 08:15:00" });
    await choose(welcome, "add-files", "20261127_081500.jpg", jpeg, "image/jpeg");
    await waitText(welcome, "add-files-status", /chain of custody/);
    assert.match(await welcome.evaluate(() => document.getElementById("add-files-status").textContent), /^Saved · [0-9a-f]{12}: 20261127_081500\.jpg is item 2\./);
    const list = (await ff.send({ type: "list" })).items;
    assert.equal(list.length, 3);
    assert.equal(list[2].kind, "import");
    assert.equal(list[2].artifacts[0].sha256, (await import("./lib/extension.mjs")).sha256(jpeg));
    assert.equal(list[2].chainSha256.length, 64);
    // The core read the photo's EXIF there too (the timeline summary carries it).
    assert.match(list[2].summary.excerpt, /taken 2026-11-27T08:15:00 \(camera's clock\) · samsung SM-S911B/);
  } finally {
    await ff.close();
  }
});
