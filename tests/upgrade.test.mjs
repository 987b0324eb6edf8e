// Upgrades lose nothing: evidence made by the version users hold today (a build of an
// older commit, from this clone's history) is still listed with the same hashes and head,
// still passes "Check integrity", and still exports to an archive that evidence-verify
// accepts against the old head, once the new dist/ is loaded on the same profile. Both
// builds get the same extension key, so the extension id (and with it the IndexedDB
// origin) stays the same, as it does for an installed extension that updates.
// Only the automation surface is used on the new build (pages at the dist root, the
// `list` message, the library's buttons), so that the test survives a new layout.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync, createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { launch, openExtPage, send, tabIdOf, DIST } from "./lib/extension.mjs";
import { openDiary, fillDiary, saveDiary, openLibrary, checkIntegrity, amendItem, removeItem, exportAll, setPassphrase, unlockLibrary } from "./lib/library.mjs";
import { png } from "./lib/files.mjs";
import { startServer } from "./lib/server.mjs";
import { oldDist } from "./lib/old-dist.mjs";
import { verifyArchive } from "./lib/demo.mjs";

// "Today's main": the commit main was at when this test was written (1ca76c5, "Warm the
// WASM capture path up only in the background"). Evidence made by this build must survive.
const OLD_MAIN = "1ca76c5be936cf4008eac61109bd76ba78c396fc";
const PASS = "blue kettle on the stairs";
let work, srv, oldExt, newExt, extensionId, photo;

/** Copy a built extension to `dir` with `key` added to its manifest. */
function withKey(from, dir, key) {
  cpSync(from, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"));
  manifest.key = key;
  writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest, null, 2));
  return dir;
}

before(() => {
  work = mkdtempSync(path.join(tmpdir(), "evidence-upgrade-"));
  const built = oldDist(OLD_MAIN); // fails loudly on a clone without the commit
  // One RSA-2048 key for both builds: the manifest key is the base64 DER SubjectPublicKeyInfo.
  const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const der = publicKey.export({ type: "spki", format: "der" });
  // Chromium's id for a key: the first 16 bytes of its SHA-256, each hex digit as a..p.
  extensionId = [...createHash("sha256").update(der).digest("hex").slice(0, 32)].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join("");
  oldExt = withKey(built, path.join(work, "old-build"), der.toString("base64"));
  newExt = withKey(DIST, path.join(work, "new-build"), der.toString("base64"));
  // An update always carries a higher version. Chromium keeps the registered service worker
  // of an extension whose version did not change, so a new build that moved its worker
  // (as the layout by feature did) must bump the version, or the worker never starts.
  const version = (dir) => JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8")).version.split(".").map(Number);
  const [o, n] = [version(oldExt), version(newExt)];
  const newer = n.findIndex((x, i) => x !== o[i]);
  assert.ok(newer >= 0 && n[newer] > o[newer], `the new build's version ${n.join(".")} must be higher than the old build's ${o.join(".")}`);
  photo = path.join(work, "Photo of note.png");
  writeFileSync(photo, png(64, 48, 1));
});
before(async () => {
  srv = await startServer({ roots: { "/": "tests/fixtures/site" } });
});
after(async () => {
  await srv?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function capture(ext, extPage, file) {
  const page = await ext.context.newPage();
  await page.goto(`${srv.url}/${file}`);
  await page.bringToFront();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.waitForTimeout(200);
  const res = await send(extPage, { type: "capture", tabId: await tabIdOf(extPage, page) });
  await page.close();
  assert.equal(res.ok, true, `${file}: ${JSON.stringify(res)}`);
  return res.item;
}

async function diaryEntry(ext, what) {
  const diary = await openDiary(ext);
  await fillDiary(diary, { date: "2026-01-05", time: "14:30", type: "note_or_letter", location: "Car park behind work", what, files: [photo] });
  assert.match(await saveDiary(diary), /^Saved · [0-9a-f]{12}\./);
  await diary.close();
}

/** What must survive the upgrade, per item: its place, id, kind, hashes, removal and files. */
const facts = (items) => items.map((i) => ({ seq: i.seq, id: i.id, kind: i.kind, recordSha256: i.recordSha256, chainSha256: i.chainSha256, removed: i.removed === true, artifacts: i.artifacts }));

/** Load the new build on `profileDir` and check every item, the integrity check and the export. */
async function upgradeAndCheck(profileDir, before, { pass = null } = {}) {
  const ext = await launch({ profileDir, dist: newExt });
  try {
    assert.equal(ext.extensionId, extensionId, "the new build has the same extension id");
    const lib = await openExtPage(ext, "library.html");
    const listed = await send(lib, { type: "list" });
    assert.equal(listed.ok, true, JSON.stringify(listed));
    assert.deepEqual(facts(listed.items), facts(before), "every item lists with the same hashes");
    const head = before.at(-1).chainSha256;
    assert.equal(listed.items.at(-1).chainSha256, head, "the same head");
    if (pass) await unlockLibrary(lib, pass);
    await lib.waitForSelector("body[data-ready=true]");
    const check = await checkIntegrity(lib);
    const removed = before.filter((i) => i.removed).length;
    assert.match(check.summary, new RegExp(`^Yes: everything is intact\\. ${before.length - removed} items re-hashed and matched\\. ${removed} items? had its content removed on purpose`), check.summary);
    assert.deepEqual(check.damaged, []);
    const file = await exportAll(lib, path.join(work, `${path.basename(profileDir)}.zip`));
    const v = verifyArchive(file, head);
    assert.equal(v.status, 0, v.output);
    assert.equal(v.verdict, "PASS", v.output);
  } finally {
    await ext.close();
  }
}

test("lock off: captures, a diary entry with a file, an amendment and a removal made by today's main survive the upgrade", { timeout: 300_000 }, async () => {
  const profileDir = mkdtempSync(path.join(tmpdir(), "evidence-upgrade-profile-"));
  try {
    const ext = await launch({ profileDir, dist: oldExt });
    let before;
    try {
      assert.equal(ext.extensionId, extensionId, "the old build has the id of the fixed key");
      const lib = await openExtPage(ext, "library.html");
      for (const f of ["x-post.html", "gmail-message.html", "discord-dm.html"]) await capture(ext, lib, f); // items 0-2
      await diaryEntry(ext, "A note under the windscreen wiper."); // item 3
      const page = await openLibrary(ext);
      assert.match(await amendItem(page, 3, "It was Tuesday, not Monday.", { correction: true, files: [photo] }), /^Saved · .*item 4/);
      assert.match(await removeItem(page, 2, "Shows a friend's private messages."), /The content of item 2 was removed\. The removal is item 5/);
      before = (await send(lib, { type: "list" })).items;
      assert.deepEqual(before.map((i) => i.kind), ["capture", "capture", "capture", "incident", "amendment", "removal"]);
      assert.equal(before[2].removed, true);
    } finally {
      await ext.close();
    }
    await upgradeAndCheck(profileDir, before);
  } finally {
    rmSync(profileDir, { recursive: true, force: true });
  }
});

test("lock on: evidence encrypted at rest by today's main survives the upgrade and unlocks with the same passphrase", { timeout: 300_000 }, async () => {
  const profileDir = mkdtempSync(path.join(tmpdir(), "evidence-upgrade-locked-"));
  try {
    const ext = await launch({ profileDir, dist: oldExt });
    let before;
    try {
      const settings = await openExtPage(ext, "settings.html");
      await capture(ext, settings, "x-post.html"); // item 0, encrypted by the lock migration
      await setPassphrase(settings, PASS);
      await capture(ext, settings, "discord-dm.html"); // item 1
      await diaryEntry(ext, "He was waiting at the bus stop again."); // item 2
      const page = await openLibrary(ext);
      assert.match(await amendItem(page, 2, "He had a grey coat.", { files: [photo] }), /^Saved · .*item 3/);
      assert.match(await removeItem(page, 1, "Shows a friend's private messages."), /The content of item 1 was removed\. The removal is item 4/);
      await settings.bringToFront();
      await settings.getByRole("button", { name: "Lock now" }).click();
      await settings.getByText("A passphrase is set. The library is locked.").waitFor();
      await capture(ext, settings, "gmail-message.html"); // item 5, captured while locked
      before = (await send(settings, { type: "list" })).items;
      assert.deepEqual(before.map((i) => i.kind), ["capture", "capture", "incident", "amendment", "removal", "capture"]);
      assert.ok(before.every((i) => i.summary == null), "locked: no summaries");
    } finally {
      await ext.close();
    }
    await upgradeAndCheck(profileDir, before, { pass: PASS });
  } finally {
    rmSync(profileDir, { recursive: true, force: true });
  }
});
