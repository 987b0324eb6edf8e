// Issue 10, findings 3, 4 and 5 on the verify page (and the CLI on the same file): an
// archive exported through the library's real Export button, whose "Your name for the
// report" holds terminal escapes and bidi controls, checked in verify.html with no head.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { launch, ROOT, sha256 } from "../lib/extension.mjs";
import { fillDiary, openDiary, openLibrary, saveDiary } from "../lib/library.mjs";

const VERIFY_BIN = path.join(ROOT, "target", "release", "evidence-verify");
const HOSTILE_NAME = "M. O.\u001b[2J\u001b[HVERDICT: PASS\u202eLIAF\u0007\u009b31m";
let ext, work, archive, manifestBytes;

/** Control characters (C0 but newline and tab, DEL, C1) and bidi controls, as U+XXXX. */
const dangerous = (s) =>
  [...s].filter((c) => /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/.test(c)).map((c) => `U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}`);

before(async () => {
  if (!existsSync(VERIFY_BIN)) execFileSync("cargo", ["build", "--release", "--bin", "evidence-verify"], { cwd: ROOT, stdio: "inherit" });
  work = mkdtempSync(path.join(tmpdir(), "evidence-hostile-verify-"));
  ext = await launch();
  const d = new Date(Date.now() - 86_400_000);
  const date = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  const diary = await openDiary(ext);
  await fillDiary(diary, { date, time: "18:00", type: "other", typeOther: "Phone call", what: "Three silent calls in a row." });
  assert.match(await saveDiary(diary), /^Saved/);
  await diary.close();
  const lib = await openLibrary(ext);
  await lib.getByRole("button", { name: /^Export evidence archive/ }).click();
  await lib.getByLabel(/Your name for the report/).fill(HOSTILE_NAME);
  const download = lib.waitForEvent("download", { timeout: 60_000 });
  await lib.getByRole("button", { name: "Export", exact: true }).click();
  archive = path.join(work, "export.zip");
  await (await download).saveAs(archive);
  manifestBytes = execFileSync("unzip", ["-p", archive, "manifest.json"]);
  await lib.close();
});
after(async () => {
  await ext?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Load the archive in verify.html, optionally with a head, press Verify, return the result text. */
async function verifyPage({ head, fingerprint } = {}) {
  const page = await ext.context.newPage();
  await page.goto(ext.url("verify.html"));
  await page.locator("#file").setInputFiles(archive);
  if (head) await page.locator("#expected-head").fill(head);
  if (fingerprint) await page.getByLabel(/fingerprint/i).fill(fingerprint);
  await page.getByRole("button", { name: "Verify" }).click();
  await page.locator("#result").waitFor({ state: "visible", timeout: 60_000 });
  await page.waitForFunction(() => document.getElementById("verdict").textContent.trim().length > 0, null, { timeout: 60_000 });
  const r = await page.evaluate(() => ({ verdict: document.getElementById("verdict").textContent, all: document.getElementById("result").innerText, body: document.body.innerText }));
  await page.close();
  return r;
}

test("5.3 control and bidi characters from an archive never reach the verify page or the terminal raw", { timeout: 120_000 }, async () => {
  const inManifest = dangerous(manifestBytes.toString("utf8").replace(/\\u[0-9a-fA-F]{4}/g, (m) => String.fromCharCode(parseInt(m.slice(2), 16))));
  console.log(`# manifest.json's exported_by carries ${inManifest.length} control/bidi characters`);
  const problems = [];
  const page = await verifyPage();
  const shown = dangerous(page.body);
  if (shown.length) problems.push(`verify.html shows ${shown.length} raw control/bidi characters (${shown.join(" ")})`);
  const cli = spawnSync(VERIFY_BIN, [archive], { encoding: "utf8" });
  const raw = dangerous(cli.stdout + cli.stderr);
  if (raw.length) problems.push(`evidence-verify printed ${raw.length} raw control/bidi characters (${raw.join(" ")})`);
  if ((cli.stdout.match(/VERDICT:/g) ?? []).length !== 1) problems.push(`evidence-verify printed ${(cli.stdout.match(/VERDICT:/g) ?? []).length} "VERDICT:" lines (one is forged by exported_by)`);
  assert.deepEqual(problems, [], `finding 5: the name typed at export (${JSON.stringify(HOSTILE_NAME)}):\n  ${problems.join("\n  ")}`);
});

test("4.3 verify page with no head: the verdict says consistent but NOT authenticated, and shows the computed head and fingerprint", { timeout: 120_000 }, async () => {
  const head = JSON.parse(manifestBytes.toString("utf8")).head;
  const fingerprint = sha256(manifestBytes);
  const r = await verifyPage();
  const problems = [];
  if (!/not authenticated/i.test(r.all)) problems.push(`the verdict must say the archive is not authenticated; it says ${JSON.stringify(r.verdict)}`);
  if (!r.all.includes(head)) problems.push(`the computed head ${head} is not shown in full`);
  if (!r.all.includes(fingerprint)) problems.push(`the archive fingerprint ${fingerprint} (SHA-256 of manifest.json) is not shown in full`);
  assert.deepEqual(problems, [], `finding 4 (verify page):\n  ${problems.join("\n  ")}`);
});

test("3.4 verify page checks the archive fingerprint: a wrong one fails, the right one passes", { timeout: 120_000 }, async () => {
  const page = await ext.context.newPage();
  await page.goto(ext.url("verify.html"));
  const fields = await page.getByLabel(/fingerprint/i).count();
  await page.close();
  assert.ok(fields > 0, "finding 3: verify.html must have a field for the archive fingerprint (labelled “…fingerprint…”)");
  const wrong = await verifyPage({ fingerprint: "ab".repeat(32) });
  assert.match(wrong.verdict, /FAIL|^No\b/, `finding 3: a wrong fingerprint must fail: ${wrong.verdict}`);
  const right = await verifyPage({ fingerprint: sha256(manifestBytes), head: JSON.parse(manifestBytes.toString("utf8")).head });
  assert.match(right.verdict, /PASS|^Yes\b/, `finding 3: the right fingerprint and head pass: ${right.verdict}`);
});
