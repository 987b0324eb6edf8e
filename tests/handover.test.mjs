// Issue 13, police-ready handover: capture fixture pages (a Greek and a Cyrillic message
// among them), write a diary entry with a photo, set the initials in the export dialog,
// export; then check the exhibit references (manifest, report.html, the CLI and the
// verify page), that every exhibits/ file is its artifact byte for byte, report.pdf
// (qpdf, pdfinfo, pdftotext, pdftoppm, pdfimages), and that the references stay the
// same in a later, partial export.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { launch, openExtPage, send, tabIdOf, ROOT, DIST, sha256 } from "./lib/extension.mjs";
import { openDiary, fillDiary, saveDiary, openLibrary } from "./lib/library.mjs";
import { png, decodePng, parsePpm } from "./lib/files.mjs";
import { startServer } from "./lib/server.mjs";

const VERIFY_BIN = path.join(ROOT, "target", "release", "evidence-verify");
let ext, srv, lib, work;

before(async () => {
  // Built from this worktree's sources, so that a binary left by another checkout is not used.
  execFileSync("cargo", ["build", "--release", "--bin", "evidence-verify"], { cwd: ROOT, stdio: "inherit" });
  work = mkdtempSync(path.join(tmpdir(), "evidence-handover-"));
  srv = await startServer({ roots: { "/": "tests/fixtures/site" } });
  ext = await launch();
  lib = await openExtPage(ext, "library.html");
  for (const f of ["x-post.html", "intl-board.html", "discord-dm.html"]) {
    const page = await ext.context.newPage();
    await page.goto(`${srv.url}/${f}`);
    const res = await send(lib, { type: "capture", tabId: await tabIdOf(lib, page) });
    assert.equal(res.ok, true, JSON.stringify(res));
    await page.close();
  }
  const photo = path.join(work, "card on the doorstep.png");
  writeFileSync(photo, png(64, 48, 7));
  const diary = await openDiary(ext);
  await fillDiary(diary, { date: "2026-11-21", time: "07:30", type: "gift_left", location: "Front doorstep", what: "A card with my name on it, left on the doorstep.", files: [photo] });
  assert.match(await saveDiary(diary), /^Saved/);
  await diary.close();
});
after(async () => {
  await ext?.close();
  await srv?.close();
  if (work && !process.env.KEEP_EXPORT) rmSync(work, { recursive: true, force: true });
});

/** Export through the real dialog; `ticked` seqs for a partial export. Returns {file, dir}. */
async function exportVia(name, { initials, ticked, statement } = {}) {
  const page = await openLibrary(ext);
  for (const seq of ticked ?? []) await page.getByLabel(`Select item ${seq} for export`).check();
  await page.getByRole("button", { name: /^Export evidence archive/ }).click();
  if (initials != null) await page.getByLabel(/Your initials for exhibit references/).fill(initials);
  if (ticked) await page.getByLabel("The items I ticked").check();
  if (statement) {
    await page.getByText("Witness statement draft (optional)").click();
    await page.getByLabel("Your full name for the statement").fill(statement.name);
    await page.getByLabel("Your account, in your own words").fill(statement.account);
  }
  const download = page.waitForEvent("download", { timeout: 60_000 });
  await page.getByRole("button", { name: "Export", exact: true }).click();
  const file = path.join(work, name);
  await (await download).saveAs(file);
  await page.getByText(/^Exported \d+ of \d+ items/).waitFor();
  await page.close();
  const dir = path.join(work, name.replace(/\.zip$/, ""));
  execFileSync("unzip", ["-q", file, "-d", dir]);
  return { file, dir };
}

const cli = (file, ...args) => spawnSync(VERIFY_BIN, [file, ...args], { encoding: "utf8" });
const json = (dir, f) => JSON.parse(readFileSync(path.join(dir, f), "utf8"));

let full;

test("every item is an exhibit JM/n; exhibits/ holds each screenshot and photo, byte for byte", async () => {
  full = await exportVia("full.zip", { initials: "jm", statement: { name: "Jane Martin", account: "Since October a man I knew at work has messaged me from new accounts." } });
  const { file, dir } = full;
  const m = json(dir, "manifest.json");
  assert.equal(m.exhibits.initials, "JM");
  assert.deepEqual(m.exhibits.items.map((i) => i.reference), ["JM/1", "JM/2", "JM/3", "JM/4"]);
  const sums = readFileSync(path.join(dir, "SHA256SUMS"), "utf8");
  const names = readdirSync(path.join(dir, "exhibits")).sort();
  assert.equal(names.length, 4, names.join("\n"));
  for (const item of m.exhibits.items) {
    const rec = json(dir, `items/${String(item.seq).padStart(6, "0")}/record.json`);
    assert.equal(item.files.length, 1, JSON.stringify(item));
    const f = item.files[0];
    const art = rec.artifacts.find((a) => a.name === f.artifact);
    const bytes = readFileSync(path.join(dir, f.path));
    assert.equal(sha256(bytes), art.sha256, f.path);
    assert.ok(sums.includes(`${art.sha256}  ${f.path}\n`), `${f.path} is in SHA256SUMS`);
    assert.ok(f.path.startsWith(`exhibits/JM-${item.seq + 1} `), f.path);
    assert.match(f.path, /^exhibits\/JM-\d+ \d{4}-\d{2}-\d{2} \d{4} .+\.png$/);
  }
  // Readable names: reference, local date and time of the capture, platform or site and
  // first author (a diary entry: its type).
  const stamp = "\\d{4}-\\d{2}-\\d{2} \\d{4}";
  const want = [`JM-1 ${stamp} X mayaokafor_art\\.png`, `JM-2 ${stamp} 127\\.0\\.0\\.1 eleni_k\\.png`, `JM-3 ${stamp} Discord .+\\.png`, `JM-4 ${stamp} Gift left\\.png`];
  names.forEach((n, i) => assert.match(n, new RegExp(`^${want[i]}$`)));
  execFileSync("sha256sum", ["-c", "--quiet", "SHA256SUMS"], { cwd: dir });
  const report = readFileSync(path.join(dir, "report.html"), "utf8");
  for (const r of ["JM/1", "JM/2", "JM/3", "JM/4"]) assert.ok(report.includes(`Exhibit ${r} ·`), r);

  const r = cli(file, "--fingerprint", sha256(readFileSync(path.join(dir, "manifest.json"))));
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^REF /m);
  assert.match(r.stdout, /^JM\/4 /m);
  const report2 = JSON.parse(cli(file, "--json").stdout);
  assert.deepEqual(report2.items.map((i) => i.reference), ["JM/1", "JM/2", "JM/3", "JM/4"]);

  // The verify page shows the same references.
  const page = await openExtPage(ext, "verify.html");
  await page.getByLabel(/Choose an archive/).setInputFiles(file);
  await page.getByRole("button", { name: "Verify" }).click();
  await page.getByText(/^Consistent, but NOT authenticated/).waitFor({ timeout: 60_000 });
  const refs = await page.$$eval("#items tr", (trs) => trs.map((tr) => tr.cells[0].textContent));
  assert.deepEqual(refs, ["JM/1", "JM/2", "JM/3", "JM/4"]);
  await page.close();

  // The initials were saved for next time (set once, here or in Settings).
  const settings = await openExtPage(ext, "settings.html");
  await settings.waitForFunction(() => document.getElementById("initials").value !== "");
  assert.equal(await settings.inputValue("#initials"), "jm");
  await settings.close();
});

/** The exhibit references statement.html lists, in order. */
const statementRefs = (dir) => [...readFileSync(path.join(dir, "statement.html"), "utf8").matchAll(/data-reference="([^"]+)"/g)].map((m) => m[1]);

test("statement.html: a draft that lists exactly the exhibits exported, the witness's words as theirs", async () => {
  const html = readFileSync(path.join(full.dir, "statement.html"), "utf8");
  assert.deepEqual(statementRefs(full.dir), ["JM/1", "JM/2", "JM/3", "JM/4"]);
  assert.match(html, /not legal advice/);
  assert.match(html, /true to the best of my knowledge and belief/);
  assert.match(html, /<td>Jane Martin<\/td>/);
  assert.match(html, /In my own words \(typed by me when I exported; the software did not record any of this\)/);
  assert.match(html, /Since October a man I knew at work/);
  const m = json(full.dir, "manifest.json");
  assert.ok(m.files.some((f) => f.path === "statement.html"));
  assert.ok(html.includes(m.head));
});

test("a later partial export keeps every reference; withheld items leave gaps", async () => {
  const { file, dir } = await exportVia("partial.zip", { ticked: [1, 3] });
  const m = json(dir, "manifest.json");
  assert.deepEqual(m.exhibits.items.map((i) => [i.reference, i.files.length]), [["JM/1", 0], ["JM/2", 1], ["JM/3", 0], ["JM/4", 1]]);
  const names = readdirSync(path.join(dir, "exhibits")).sort();
  const fullNames = readdirSync(path.join(full.dir, "exhibits")).sort();
  assert.deepEqual(names, fullNames.filter((n) => /^JM-[24] /.test(n)), "the same names as in the first export");
  for (const n of names) assert.equal(sha256(readFileSync(path.join(dir, "exhibits", n))), sha256(readFileSync(path.join(full.dir, "exhibits", n))));
  assert.deepEqual(statementRefs(dir), ["JM/2", "JM/4"], "only what this export contains");
  assert.doesNotMatch(readFileSync(path.join(dir, "statement.html"), "utf8"), /Jane Martin/, "nothing typed is kept between exports");
  const r = cli(file);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^JM\/1 +0 .*WITHHELD/m);
  assert.match(r.stdout, /^JM\/2 +1 .*OK/m);
});

const squash = (t) => t.replace(/[\u{1F000}-\u{1FFFF}\u{FE0F}\u{200D}\uFFFD]/gu, "").replace(/\s+/g, " ").trim();

test("report.pdf: valid A4, every reference, author, identifier and message text, the head hash; pages not blank; the screenshots' pixels", async () => {
  const { dir } = full;
  const pdf = path.join(dir, "report.pdf");
  const m = json(dir, "manifest.json");
  assert.ok(m.files.some((f) => f.path === "report.pdf"), "listed in manifest.json (so the fingerprint covers it)");
  assert.ok(readFileSync(path.join(dir, "SHA256SUMS"), "utf8").includes(`${sha256(readFileSync(pdf))}  report.pdf\n`));
  const check = spawnSync("qpdf", ["--check", pdf], { encoding: "utf8" });
  assert.equal(check.status, 0, check.stdout + check.stderr);
  const info = execFileSync("pdfinfo", [pdf], { encoding: "utf8" });
  assert.match(info, /Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
  const pages = Number(info.match(/Pages:\s+(\d+)/)[1]);
  assert.ok(pages >= 6, info);
  const text = execFileSync("pdftotext", ["-enc", "UTF-8", pdf, "-"], { encoding: "utf8" });
  const flat = squash(text);
  for (const r of ["JM/1", "JM/2", "JM/3", "JM/4"]) assert.ok(text.includes(`Exhibit ${r} —`), r);
  assert.equal(text.split(`Head hash ${m.head}`).length - 1, pages, "the head hash in every footer");
  for (let i = 1; i <= pages; i++) assert.ok(text.includes(`Page ${i} of ${pages}`), `page ${i}`);
  let greek = false, cyrillic = false, messages = 0;
  for (const item of m.exhibits.items) {
    const folder = path.join(dir, "items", String(item.seq).padStart(6, "0"));
    const rec = json(folder, "record.json");
    if (rec.kind !== "capture") continue;
    const meta = json(folder, "metadata.json");
    for (const msg of meta.messages) {
      const a = msg.author ?? {};
      for (const v of [a.name, a.handle, a.profile_url, msg.text].filter(Boolean)) assert.ok(flat.includes(squash(v)), `${item.reference}: ${v}`);
      greek ||= /Ξέρω πού μένεις/.test(msg.text);
      cyrillic ||= /Я знаю, где ты живёшь/.test(msg.text);
      messages++;
    }
  }
  assert.ok(greek && cyrillic && messages >= 4, `greek ${greek}, cyrillic ${cyrillic}, ${messages} messages`);
  assert.ok(text.includes("Я знаю, где ты живёшь") && text.includes("Ξέρω πού μένεις"), "printed as written");

  // No page is blank.
  const out = path.join(work, "pages");
  execFileSync("pdftoppm", ["-r", "20", pdf, out]);
  const rendered = readdirSync(work).filter((f) => f.startsWith("pages-") && f.endsWith(".ppm"));
  assert.equal(rendered.length, pages);
  for (const f of rendered) {
    const { rgb } = parsePpm(readFileSync(path.join(work, f)));
    assert.ok(rgb.some((v) => v < 200), `${f} is blank`);
  }
  // Each capture's screenshot is in the PDF with exactly its pixels (and the photo of the
  // diary entry is not: only screenshots are drawn), on an exhibit page after the timeline.
  const list = execFileSync("pdfimages", ["-list", pdf], { encoding: "utf8" }).trim().split("\n").slice(2);
  const shots = m.exhibits.items.filter((i) => json(dir, `items/${String(i.seq).padStart(6, "0")}/record.json`).kind === "capture");
  assert.equal(list.length, shots.length, list.join("\n"));
  for (const line of list) assert.ok(Number(line.trim().split(/\s+/)[0]) >= 3, line);
  execFileSync("pdfimages", [pdf, path.join(work, "img")]);
  for (const [k, item] of shots.entries()) {
    const original = decodePng(readFileSync(path.join(dir, item.files[0].path)));
    const embedded = parsePpm(readFileSync(path.join(work, `img-${String(k).padStart(3, "0")}.ppm`)));
    assert.deepEqual([embedded.width, embedded.height], [original.width, original.height]);
    // A region in the middle, then the whole image.
    const y = Math.floor(original.height / 2), row = original.width * 3;
    assert.ok(embedded.rgb.subarray(y * row, (y + 8) * row).equals(original.rgb.subarray(y * row, (y + 8) * row)), `${item.reference}: middle rows`);
    assert.ok(embedded.rgb.equals(original.rgb), `${item.reference}: every pixel`);
  }
});

test("discreet mode gives the archive a neutral name; the export can be taken off the download list", async () => {
  // The optional `downloads` permission is asked for on the click. Headless Chromium cannot
  // answer a permission prompt, so this browser loads a copy of dist/ in which it is
  // already granted (as after a user said yes once): the request then resolves at once.
  const granted = path.join(work, "dist-downloads");
  cpSync(DIST, granted, { recursive: true });
  const mf = JSON.parse(readFileSync(path.join(granted, "manifest.json"), "utf8"));
  mf.permissions.push("downloads");
  writeFileSync(path.join(granted, "manifest.json"), JSON.stringify(mf, null, 2));
  const own = await launch({ dist: granted });
  try {
    const settings = await openExtPage(own, "settings.html");
    await settings.waitForFunction(() => document.getElementById("neutral-url").value !== "");
    await settings.getByLabel(/Use a neutral toolbar icon and title/).check();
    await settings.getByRole("button", { name: /^Save/ }).click();
    await settings.getByText("Saved.").waitFor();
    await settings.close();
    const page = await openLibrary(own);
    await page.getByRole("button", { name: /^Export evidence archive/ }).click();
    const download = page.waitForEvent("download", { timeout: 60_000 });
    await page.getByRole("button", { name: "Export", exact: true }).click();
    const d = await download;
    assert.match(d.suggestedFilename(), /^notes-\d{4}-\d{2}-\d{2}\.zip$/);
    await d.saveAs(path.join(work, "discreet.zip"));
    await page.getByText(/^Exported 0 of 0 items.* to notes-/).waitFor();
    const listed = () => page.evaluate(async () => (await chrome.downloads.search({})).filter((x) => /notes-/.test(x.filename) || x.url.startsWith("blob:")).length);
    assert.equal(await listed(), 1, "the export is in the download list");
    const forget = page.getByRole("button", { name: "Remove this export from the browser's download list" });
    await forget.click();
    await page.getByText("Removed from the browser's download list. The file is still where it was saved.").waitFor();
    assert.equal(await listed(), 0);
    assert.equal(await forget.isVisible(), false);
    assert.ok(readFileSync(path.join(work, "discreet.zip")).length > 0, "the file itself stays");
    await page.close();
  } finally {
    await own.close();
  }
});
