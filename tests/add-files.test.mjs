// "Add files as evidence" (issue 14): files from the phone become items of their own,
// stored byte for byte, with the import time, the file's own time and, for a photo, the
// EXIF capture time and camera; the record, the item view and the report say that the
// chain of custody starts at the import. The export verifies.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { launch, send, ROOT, sha256, readStore } from "./lib/extension.mjs";
import { exportAll, openLibrary, showItem, checkIntegrity } from "./lib/library.mjs";
import { jpegWithExif, minimalPdf, storedZip } from "./lib/files.mjs";

const VERIFY_BIN = path.join(ROOT, "target", "release", "evidence-verify");
let work;

before(() => {
  execFileSync("cargo", ["build", "--release", "--bin", "evidence-verify"], { cwd: ROOT, stdio: "inherit" });
  work = mkdtempSync(path.join(tmpdir(), "evidence-add-files-"));
});
after(() => work && rmSync(work, { recursive: true, force: true }));

test("a photo with EXIF and a PDF are added as evidence, byte for byte, with custody starting at the import", async () => {
  const jpeg = jpegWithExif({ make: "Google", model: "Pixel 7", taken: "2026:11:28 14:03:11" });
  const photo = path.join(work, "PXL_20261128_140311.jpg");
  writeFileSync(photo, jpeg);
  const modified = new Date("2026-11-28T14:05:00Z");
  utimesSync(photo, modified, modified);
  const pdfBytes = minimalPdf("Letter from the landlord");
  const pdf = path.join(work, "letter.pdf");
  writeFileSync(pdf, pdfBytes);
  const ext = await launch();
  try {
    const lib = await openLibrary(ext);
    const t0 = Date.now();
    await lib.getByLabel(/^Add files/).setInputFiles([photo, pdf]);
    await lib.waitForFunction(() => /chain of custody/.test(document.getElementById("add-files-status")?.textContent ?? ""), null, { timeout: 60_000 });
    const status = await lib.textContent("#add-files-status");
    assert.match(status, /Saved · [0-9a-f]{12}: PXL_20261128_140311\.jpg is item 0\./, status);
    assert.match(status, /Saved · [0-9a-f]{12}: letter\.pdf is item 1\./, status);
    assert.doesNotMatch(status, /Not saved|Warning/);

    // Stored byte for byte, under the hash of the file as received.
    const items = (await send(lib, { type: "list" })).items;
    assert.deepEqual(items.map((i) => i.kind), ["import", "import"]);
    assert.equal(items[0].artifacts[0].sha256, sha256(jpeg));
    assert.equal(items[1].artifacts[0].sha256, sha256(pdfBytes));
    assert.equal(items[1].artifacts[0].media_type, "application/pdf");
    const dump = await readStore(lib);
    const rec = JSON.parse(Buffer.from(dump.records[0].bytes, "base64").toString("utf8"));
    assert.equal(rec.kind, "import");
    const m = rec.metadata;
    assert.equal(m.file.original_name, "PXL_20261128_140311.jpg");
    assert.equal(m.file.last_modified, "2026-11-28T14:05:00.000Z");
    assert.ok(Math.abs(Date.parse(m.imported_at) - t0) < 60_000, m.imported_at);
    assert.deepEqual(m.exif, { date_time_original: "2026-11-28T14:03:11", offset_time_original: null, make: "Google", model: "Pixel 7" });
    assert.match(m.custody, /chain of custody starts at the import/);

    // The item view shows it.
    await showItem(lib, 0);
    const body = await lib.textContent("#item-body");
    assert.match(body, /chain of custody starts at the import/);
    assert.match(body, /Taken \(EXIF, the camera's clock\)2026-11-28T14:03:11 \(no time zone recorded\)/);
    assert.match(body, /Camera model \(EXIF\)Pixel 7/);
    await lib.evaluate(() => (location.hash = ""));
    assert.match((await checkIntegrity(lib)).summary, /^Yes/);

    // The export verifies, and its report says where custody starts.
    await lib.reload();
    await lib.waitForSelector("body[data-ready=true]");
    const file = await exportAll(lib, path.join(work, "files.zip"));
    const r = spawnSync(VERIFY_BIN, [file], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const report = execFileSync("unzip", ["-p", file, "report.html"], { encoding: "utf8" });
    assert.match(report, /chain of custody starts at the import/);
    assert.match(report, /Pixel 7/);
    assert.ok(execFileSync("unzip", ["-p", file, "items/000000/01-pxl_20261128_140311.jpg"]).equals(jpeg));
  } finally {
    await ext.close();
  }
});

test("WhatsApp and Telegram chat exports are kept as they are and read as a thread", async () => {
  const android = "28/11/2026, 13:58 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.\n28/11/2026, 14:03 - Sam Reed: You can't ignore me forever\nI know where you work.\n28/11/2026, 14:04 - Sam Reed: IMG-20261128-WA0001.jpg (file attached)\n28/11/2026, 14:05 - Sam Reed: <Media omitted>\n";
  const txt = path.join(work, "WhatsApp Chat with Sam Reed.txt");
  writeFileSync(txt, android);
  const ios = "[11/28/26, 2:03:11\u202fPM] Sam Reed: I saw you at the station\nwith your sister\n[11/28/26, 2:03:40\u202fPM] Sam Reed: \u200e<attached: 00000012-PHOTO-2026-11-28-14-03-40.jpg>\n";
  const zipBytes = storedZip([["_chat.txt", Buffer.from(ios)], ["00000012-PHOTO-2026-11-28-14-03-40.jpg", jpegWithExif({ make: "Apple", model: "iPhone 15", taken: "2026:11:28 14:03:40" })]]);
  const zip = path.join(work, "WhatsApp Chat - Sam Reed.zip");
  writeFileSync(zip, zipBytes);
  const telegram = path.join(work, "result.json");
  writeFileSync(telegram, JSON.stringify({ name: "Sam Reed", type: "personal_chat", id: 4242, messages: [
    { id: 1, type: "message", date: "2026-11-28T14:03:11", date_unixtime: "1795870991", from: "Sam Reed", from_id: "user4242", text: ["Answer the ", { type: "bold", text: "phone" }], text_entities: [] },
    { id: 2, type: "message", date: "2026-11-28T14:04:00", date_unixtime: "1795871040", from: "Sam Reed", from_id: "user4242", photo: "photos/photo_2@28-11-2026_14-04-00.jpg", text: "", text_entities: [] },
  ] }, null, 1));
  const ext = await launch();
  try {
    const lib = await openLibrary(ext);
    await lib.getByLabel(/^Add files/).setInputFiles([txt, zip, telegram]);
    await lib.waitForFunction(() => /chain of custody/.test(document.getElementById("add-files-status")?.textContent ?? ""), null, { timeout: 60_000 });
    const status = await lib.textContent("#add-files-status");
    assert.match(status, /Sam Reed\.txt is item 0\. Its 4 messages were read as a conversation\./, status);
    assert.match(status, /Sam Reed\.zip is item 1\. Its 2 messages were read as a conversation\./, status);
    assert.match(status, /result\.json is item 2\. Its 2 messages were read as a conversation\./, status);
    const items = (await send(lib, { type: "list" })).items;
    // The original export is kept byte for byte; the thread is in metadata.json.
    assert.equal(items[1].artifacts[0].sha256, sha256(zipBytes));
    assert.deepEqual(items.map((i) => i.artifacts.map((a) => a.name)), [
      ["01-whatsapp-chat-with-sam-reed.txt", "metadata.json"],
      ["01-whatsapp-chat-sam-reed.zip", "metadata.json"],
      ["01-result.json", "metadata.json"],
    ]);
    // WhatsApp writes the phone's local time without a zone: it is read in this browser's
    // zone (the offset at that date), and flagged approximate.
    const offset = await lib.evaluate(() => -new Date(2026, 10, 28, 14, 3).getTimezoneOffset());
    const utcOf = (ms) => new Date(ms - offset * 60_000).toISOString().replace(".000Z", "Z");
    const sent = utcOf(Date.UTC(2026, 10, 28, 14, 3));
    await showItem(lib, 0);
    const thread = await lib.locator("#chat-thread li").allTextContents();
    assert.equal(thread.length, 4);
    assert.match(thread[0], /System message/);
    assert.match(thread[1], /Sam Reed/);
    assert.match(thread[1], /You can't ignore me forever\nI know where you work\./);
    assert.match(thread[1], /approximate: the export gives the phone's local time/);
    assert.match(thread[2], /\[attached: IMG-20261128-WA0001\.jpg\]/);
    assert.match(thread[3], /\[media left out of the export\]/);
    await showItem(lib, 1);
    const iosThread = await lib.locator("#chat-thread li").allTextContents();
    assert.match(iosThread[0], /I saw you at the station\nwith your sister/);
    await showItem(lib, 2);
    const tg = await lib.locator("#chat-thread li").allTextContents();
    assert.match(tg[0], /Sam Reed \(user4242\)/);
    assert.match(tg[0], /Answer the phone/);
    await lib.evaluate(() => (location.hash = ""));
    // The report shows the threads.
    await lib.reload();
    await lib.waitForSelector("body[data-ready=true]");
    const file = await exportAll(lib, path.join(work, "chats.zip"));
    assert.equal(spawnSync(VERIFY_BIN, [file], { encoding: "utf8" }).status, 0);
    const report = execFileSync("unzip", ["-p", file, "report.html"], { encoding: "utf8" });
    assert.match(report, /The conversation, as the export gives it/);
    assert.ok(report.includes(`${sent} UTC (approx.)`), sent);
    assert.match(report, /2026-11-28T13:03:11Z UTC<br>Sam Reed \(user4242\)/);
  } finally {
    await ext.close();
  }
});
