// Export through the real button, then check the archive with standard tools (unzip -t,
// sha256sum -c), the native evidence-verify CLI and the extension's verify page; export a
// selection and check that withheld items are reported; print report.html to A4 PDF.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { launch, openExtPage, send, tabIdOf, ROOT, CHROMIUM, sha256 } from "./lib/extension.mjs";
import { startServer } from "./lib/server.mjs";

const VERIFY_BIN = path.join(ROOT, "target", "release", "evidence-verify");
// One browser with four captures, shared by the tests that only read it; every test makes
// its own archive from it. The first test, which checks the "not exported yet" reminder,
// has a browser of its own, since any export changes that reminder.
let ext, srv, lib, work;

/** A new browser with four captured fixture pages; returns {ext, lib}. */
async function libraryWithCaptures() {
  const ext = await launch();
  const lib = await openExtPage(ext, "library.html");
  for (const f of ["x-post.html", "discord-dm.html", "gmail-message.html", "generic-forum.html"]) {
    const page = await ext.context.newPage();
    await page.goto(`${srv.url}/${f}`);
    const res = await send(lib, { type: "capture", tabId: await tabIdOf(lib, page) });
    assert.equal(res.ok, true, JSON.stringify(res));
    await page.close();
    await new Promise((r) => setTimeout(r, 500));
  }
  return { ext, lib };
}

before(async () => {
  // Built from this worktree's sources, so that a binary left by another checkout is not used.
  execFileSync("cargo", ["build", "--release", "--bin", "evidence-verify"], { cwd: ROOT, stdio: "inherit" });
  work = mkdtempSync(path.join(tmpdir(), "evidence-export-"));
  srv = await startServer({ roots: { "/": "tests/fixtures/site" } });
  ({ ext, lib } = await libraryWithCaptures());
});
after(async () => {
  await ext?.close();
  await srv?.close();
  if (work && !process.env.KEEP_EXPORT) rmSync(work, { recursive: true, force: true });
});

/** Export from a library page through the real dialog; returns the saved path. */
async function exportViaButton(name, { by = "Maya Okafor", lib: page = lib } = {}) {
  const lib = page;
  await lib.reload();
  await lib.getByRole("button", { name: /^Export evidence archive/ }).click();
  await lib.getByLabel(/Your name for the report/).fill(by);
  const download = lib.waitForEvent("download", { timeout: 60_000 });
  await lib.getByRole("button", { name: "Export", exact: true }).click();
  const d = await download;
  const file = path.join(work, name);
  await d.saveAs(file);
  await lib.getByText(/^Exported \d+ of \d+ items/).waitFor();
  await lib.keyboard.press("Escape");
  return file;
}

function cli(file, ...args) {
  const r = spawnSync(VERIFY_BIN, [file, ...args], { encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function unexportedBanner(ext) {
  const popup = await openExtPage(ext, "popup.html");
  await popup.locator("#unexported[data-checked=true]").waitFor({ state: "attached", timeout: 30_000 });
  const banner = popup.locator("#unexported");
  const text = (await banner.isVisible()) ? await banner.textContent() : null;
  await popup.close();
  return text;
}

test("the exported archive passes unzip -t, sha256sum -c, evidence-verify and the verify page", async () => {
  const { ext, lib } = await libraryWithCaptures();
  try {
    assert.match(await unexportedBanner(ext), /^4 items are not in any export yet/);
    const file = await exportViaButton("all.zip", { lib });
    assert.equal(await unexportedBanner(ext), null, "after a full export the reminder goes away");
    assert.match(readFileSync(file).subarray(0, 4).toString("latin1"), /^PK\x03\x04/);
    execFileSync("unzip", ["-t", "-q", file]);
    const dir = path.join(work, "all");
    execFileSync("unzip", ["-q", file, "-d", dir]);
    for (const f of ["manifest.json", "SHA256SUMS", "VERIFY.txt", "report.html", "ledger.json"]) assert.ok(existsSync(path.join(dir, f)), f);
    const sums = execFileSync("sha256sum", ["-c", "SHA256SUMS"], { cwd: dir, encoding: "utf8" });
    assert.ok(sums.trim().split("\n").every((l) => l.endsWith(": OK")), sums);
    const manifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"));
    assert.equal(manifest.items.total, 4);
    assert.equal(manifest.exported_by, "Maya Okafor");
    const head = (await send(lib, { type: "list" })).items.at(-1).chainSha256;
    assert.equal(manifest.head, head, "the archive's head is the library's head");

    const r = cli(file, "--head", head);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /VERDICT: PASS/);
    // The dialog gives the archive fingerprint beside the head: the SHA-256 of manifest.json.
    const said = await lib.getByText(/^Exported \d+ of \d+ items/).textContent();
    const shown = said.match(/Archive fingerprint: ([0-9a-f]{64})\./)?.[1];
    assert.equal(shown, sha256(readFileSync(path.join(dir, "manifest.json"))), said);
    const authenticated = cli(file, "--head", head, "--fingerprint", shown);
    assert.equal(authenticated.status, 0, authenticated.stdout + authenticated.stderr);
    const json = JSON.parse(cli(file, "--json").stdout);
    assert.equal(json.verdict, "PASS");
    assert.equal(json.counts.ok, 4);

    const page = await openExtPage(ext, "verify.html");
    await page.getByLabel(/Choose an archive/).setInputFiles(file);
    await page.getByLabel(/Head hash you received separately/).fill(head);
    await page.getByRole("button", { name: "Verify" }).click();
    await page.getByText("Yes — this archive is intact.").waitFor({ timeout: 60_000 });
    assert.equal(await page.locator("#items tr[data-status=OK]").count(), 4);
    await page.close();
  } finally {
    await ext.close();
  }
});

test("a changed archive is caught by sha256sum, evidence-verify and the verify page", async () => {
  const file = await exportViaButton("to-change.zip");
  const bytes = readFileSync(file);
  // Change one byte inside the first screenshot's stored data (stored, not deflated).
  const at = bytes.indexOf(Buffer.from("IDAT")) + 8;
  assert.ok(at > 8);
  const bad = Buffer.from(bytes);
  bad[at] ^= 0x01;
  const badFile = path.join(work, "changed.zip");
  writeFileSync(badFile, bad);
  const r = cli(badFile);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stdout, /MODIFIED/);
  const dir = path.join(work, "changed");
  spawnSync("unzip", ["-q", badFile, "-d", dir]);
  assert.notEqual(spawnSync("sha256sum", ["-c", "--quiet", "SHA256SUMS"], { cwd: dir }).status, 0);
  const page = await openExtPage(ext, "verify.html");
  await page.getByLabel(/Choose an archive/).setInputFiles(badFile);
  await page.getByRole("button", { name: "Verify" }).click();
  await page.getByText(/^No — this archive has been changed/).waitFor({ timeout: 60_000 });
  await page.close();
});

test("exporting ticked items withholds the rest, and every verifier reports them", async () => {
  await lib.reload();
  await lib.getByLabel("Select item 0 for export").check();
  await lib.getByLabel("Select item 2 for export").check();
  await lib.getByRole("button", { name: /^Export evidence archive/ }).click();
  await lib.getByLabel("The items I ticked").check();
  const download = lib.waitForEvent("download", { timeout: 60_000 });
  await lib.getByRole("button", { name: "Export", exact: true }).click();
  const file = path.join(work, "selection.zip");
  await (await download).saveAs(file);
  await lib.getByText(/^Exported 2 of 4 items \(2 withheld\)/).waitFor();
  await lib.keyboard.press("Escape");
  const r = cli(file);
  assert.equal(r.status, 0, r.stdout);
  // Issue 10, finding 3: the archive cannot show who withheld an item, so it does not say.
  assert.match(r.stdout, /2 items were withheld from this archive; only the hashes are included \(items 1, 3\)/);
  assert.doesNotMatch(r.stdout, /by the person who exported/);
  const dir = path.join(work, "selection");
  execFileSync("unzip", ["-q", file, "-d", dir]);
  execFileSync("sha256sum", ["-c", "--quiet", "SHA256SUMS"], { cwd: dir });
  assert.deepEqual(readdirSync(path.join(dir, "items")).sort(), ["000000", "000002"]);
  // Issue 10, finding 4: with no head or fingerprint the page says consistent but NOT
  // authenticated, and shows both computed values; with the fingerprint it says intact.
  const fingerprint = sha256(readFileSync(path.join(dir, "manifest.json")));
  const page = await openExtPage(ext, "verify.html");
  await page.getByLabel(/Choose an archive/).setInputFiles(file);
  await page.getByRole("button", { name: "Verify" }).click();
  await page.getByText(/^Consistent, but NOT authenticated/).waitFor({ timeout: 60_000 });
  assert.equal(await page.textContent("#computed-fingerprint"), fingerprint);
  assert.equal(await page.locator("#items tr[data-status=WITHHELD]").count(), 2);
  await page.getByLabel(/Archive fingerprint you received separately/).fill(fingerprint);
  await page.getByRole("button", { name: "Verify" }).click();
  await page.getByText("Yes — this archive is intact.").waitFor({ timeout: 60_000 });
  assert.equal(await page.locator("#items tr[data-status=WITHHELD]").count(), 2);
  await page.close();
});

test("report.html prints to A4 PDF: one page per item after the cover, none blank", async () => {
  const dir = path.join(work, "for-pdf");
  execFileSync("unzip", ["-q", await exportViaButton("for-pdf.zip"), "-d", dir]);
  const pdf = path.join(work, "report.pdf");
  execFileSync(CHROMIUM, ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-pdf-header-footer", `--print-to-pdf=${pdf}`, `file://${path.join(dir, "report.html")}`], { stdio: "ignore", timeout: 60_000 });
  const info = execFileSync("pdfinfo", [pdf], { encoding: "utf8" });
  const pages = Number(info.match(/Pages:\s+(\d+)/)[1]);
  assert.match(info, /Page size:.*\(A4\)/, info);
  assert.ok(pages >= 5, `cover + 4 items, got ${pages} pages`);
  execFileSync("pdftoppm", ["-gray", "-r", "20", pdf, path.join(work, "page")]);
  const pgms = readdirSync(work).filter((f) => /^page-\d+\.pgm$/.test(f));
  assert.equal(pgms.length, pages);
  for (const f of pgms) {
    const data = readFileSync(path.join(work, f));
    // PGM: "P5\nW H\n255\n" then one byte per pixel.
    const header = data.subarray(0, 30).toString("latin1").split(/\s+/);
    const [w, h] = [Number(header[1]), Number(header[2])];
    const px = data.subarray(data.length - w * h);
    const dark = px.filter((v) => v < 200).length;
    assert.ok(dark > px.length * 0.002, `${f} is not blank (${dark} dark pixels)`);
  }
  console.log(`# report.pdf: ${pages} A4 pages, none blank`);
});

test("a cancelled export stops, says so and downloads nothing", async () => {
  let downloads = 0;
  lib.on("download", () => downloads++);
  const res = await lib.evaluate(async () => {
    const { exportArchive } = await import(chrome.runtime.getURL("pages/library/export.js"));
    const controller = new AbortController();
    try {
      await exportArchive({ signal: controller.signal, onProgress: () => controller.abort() });
      return { ok: true };
    } catch (e) {
      return { ok: false, code: e.code, message: e.message };
    }
  });
  assert.deepEqual(res, { ok: false, code: "CANCELLED", message: "The export was cancelled. Nothing was saved." });
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(downloads, 0);
});
