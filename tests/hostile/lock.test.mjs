// Issue 10, findings 2, 8 and 9: the passphrase lock on a shared device. Real Chromium
// with the extension; the diary and settings pages used through their real controls; what
// is at rest checked by a raw scan of every IndexedDB store (as tests/lock.test.mjs does).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT, send } from "../lib/extension.mjs";
import { checkIntegrity, fillDiary, openDiary, openLibrary, saveDiary } from "../lib/library.mjs";
import { png } from "../lib/files.mjs";
import { launchGranted, needle, rawMeta, scanAtRest, setLock, sleep, startRecorder } from "./lib.mjs";

const PASS = "blue kettle on the stairs";
let rec, work;
before(async () => {
  rec = await startRecorder();
  work = mkdtempSync(path.join(tmpdir(), "evidence-hostile-lock-"));
});
after(async () => {
  await rec?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const PNG_SIG = { name: "PNG signature", bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] };
const JPEG_SIG = { name: "JPEG signature", bytes: [0xff, 0xd8, 0xff] };
/** A small JPEG-signed file (JFIF header then filler): what a phone photo starts with. */
const jpeg = () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]), Buffer.alloc(3000, 0x42), Buffer.from([0xff, 0xd9])]);
const dayAgo = (n) => {
  const d = new Date(Date.now() - n * 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
};

test("2.1 setting the lock encrypts an existing diary draft with a photo: no JPEG/PNG signature, no draft text at rest", { timeout: 240_000 }, async () => {
  const ext = await launchGranted();
  try {
    const files = [path.join(work, "gift-on-doorstep.png"), path.join(work, "note-in-letterbox.jpg")];
    writeFileSync(files[0], png(32, 32, 5));
    writeFileSync(files[1], jpeg());
    const DRAFT = "He waited outside the school gates at 8:40";
    const diary = await openDiary(ext);
    await fillDiary(diary, { what: DRAFT, files });
    await diary.waitForFunction(() => /^Draft kept on this device at/.test(document.getElementById("draft-note").textContent));
    await diary.waitForTimeout(500);
    await diary.close();
    const page = await setLock(ext, PASS);
    const scan = await scanAtRest(page, [PNG_SIG, JPEG_SIG, needle("draft text", DRAFT)]);
    assert.ok(scan.values > 0, "sanity: the scan saw stored values");
    assert.deepEqual(scan.found, [], `finding 2: after the lock migration said it was done, the diary draft with photos is still readable at rest:\n  ${scan.found.join("\n  ")}`);
  } finally {
    await ext.close();
  }
});

test("8.1 evidence metadata under the lock: diary attachment names and meta.lastExport/lastCheck are not in clear", { timeout: 240_000 }, async () => {
  const ext = await launchGranted();
  try {
    const photo = path.join(work, "photo-of-bruises.jpg");
    writeFileSync(photo, jpeg());
    const diary = await openDiary(ext);
    await fillDiary(diary, { date: dayAgo(1), time: "21:10", type: "other", typeOther: "Assault", what: "Pushed against the wall on the way home.", files: [photo] });
    assert.match(await saveDiary(diary), /^Saved/);
    await diary.close();
    // An export (meta.lastExport) and an integrity check (meta.lastCheck), through the real buttons.
    const lib = await openLibrary(ext);
    await lib.getByRole("button", { name: /^Export evidence archive/ }).click();
    await lib.getByLabel(/Your name for the report/).fill("M. O.");
    const download = lib.waitForEvent("download", { timeout: 60_000 });
    await lib.getByRole("button", { name: "Export", exact: true }).click();
    await (await download).saveAs(path.join(work, "before-lock.zip"));
    await lib.reload();
    await lib.waitForSelector("body[data-ready=true]");
    await checkIntegrity(lib);
    const page = await setLock(ext, PASS);
    const problems = [];
    const scan = await scanAtRest(page, [needle("the attachment name photo-of-bruises", "photo-of-bruises")]);
    problems.push(...scan.found);
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    const visibleList = (readme.match(/\*\*Not encrypted, visible while locked[^\n]*(?:\n(?!- \*\*)[^\n]*)*/) ?? [""])[0];
    for (const key of ["lastExport", "lastCheck"]) {
      const row = await rawMeta(page, key);
      assert.ok(row, `sanity: meta.${key} exists after the ${key === "lastExport" ? "export" : "check"}`);
      const clear = !row.enc && typeof row.at === "string";
      const listed = new RegExp(key === "lastExport" ? "last export|lastExport" : "last (integrity )?check|lastCheck", "i").test(visibleList);
      if (clear && !listed) problems.push(`meta.${key} is in clear (${JSON.stringify(row).slice(0, 120)}…) and the README's "visible while locked" list does not name it`);
    }
    assert.deepEqual(problems, [], `finding 8: evidence metadata outside the lock:\n  ${problems.join("\n  ")}`);
  } finally {
    await ext.close();
  }
});

test("9.1 a swapped public key is detected: after unlock, no capture is encrypted to a recipient that does not match the key pair", { timeout: 240_000 }, async () => {
  const ext = await launchGranted();
  try {
    const settings = await setLock(ext, PASS);
    // Someone with write access to the profile puts their own age recipient in meta "lock".
    const keyFile = path.join(work, "attacker.key");
    execFileSync("age-keygen", ["-o", keyFile], { stdio: "ignore" });
    const attacker = execFileSync("age-keygen", ["-y", keyFile], { encoding: "utf8" }).trim();
    const original = await settings.evaluate(async (recipient) => {
      const db = await new Promise((res, rej) => {
        const r = indexedDB.open("evidence");
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      const tx = db.transaction("meta", "readwrite");
      const store = tx.objectStore("meta");
      const lock = await new Promise((res) => {
        const g = store.get("lock");
        g.onsuccess = () => res(g.result);
      });
      const was = lock.recipient;
      store.put({ ...lock, recipient }, "lock");
      await new Promise((res, rej) => {
        tx.oncomplete = res;
        tx.onerror = () => rej(tx.error);
      });
      db.close();
      return was;
    }, attacker);
    assert.match(original ?? "", /^age1/, "sanity: meta.lock held an age recipient");

    await settings.getByRole("button", { name: "Lock now" }).click();
    await settings.getByText("A passphrase is set. The library is locked.").waitFor();
    const lib = await ext.context.newPage();
    await lib.goto(ext.url("library.html"));
    await lib.getByLabel("Passphrase", { exact: true }).fill(PASS);
    await lib.getByRole("button", { name: "Unlock" }).click();
    await sleep(5000);
    const shown = await lib.evaluate(() => document.body.innerText);
    const page = await ext.context.newPage();
    await page.goto(`${rec.url}/normal.html`);
    await page.bringToFront();
    const tab = (await lib.evaluate(() => chrome.tabs.query({}))).find((t) => t.url === `${rec.url}/normal.html`);
    const res = await send(lib, { type: "capture", tabId: tab.id });
    let readable = "not checked";
    if (res.ok) {
      // Which key can read what was just stored? Try the attacker's with the age CLI.
      const sealed = await lib.evaluate(async () => {
        const db = await new Promise((res) => {
          const r = indexedDB.open("evidence");
          r.onsuccess = () => res(r.result);
        });
        const all = await new Promise((res) => {
          const r = db.transaction("blobs").objectStore("blobs").getAll();
          r.onsuccess = () => res(r.result);
        });
        db.close();
        return all.filter((b) => b.enc && Array.isArray(b.data) && b.data.length === 1).map((b) => [...new Uint8Array(b.data[0])]);
      });
      let n = 0;
      for (const bytes of sealed) {
        const f = path.join(work, `sealed-${n}.age`);
        writeFileSync(f, Buffer.from(bytes));
        try {
          execFileSync("age", ["-d", "-i", keyFile, f], { stdio: ["ignore", "ignore", "ignore"] });
          n++;
        } catch {
          // not readable with the attacker's key
        }
      }
      readable = `${n} of ${sealed.length} sealed blobs decrypt with the ATTACKER's key`;
    }
    assert.equal(
      res.ok,
      false,
      `finding 9: meta.lock's public key was swapped for ${attacker.slice(0, 16)}…; unlock did not object (page says: ${JSON.stringify(shown.slice(0, 120))}) and a capture was saved as item ${res.item?.seq} (${readable})`,
    );
  } finally {
    await ext.close();
  }
});
