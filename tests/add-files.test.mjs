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
import { jpegWithExif, minimalPdf } from "./lib/files.mjs";

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
