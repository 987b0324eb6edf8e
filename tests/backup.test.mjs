// Encrypted backups (issue 14): "Back up everything" downloads one .age file (age,
// scrypt passphrase); `age -d` turns it into the ordinary archive that evidence-verify
// checks; a fresh profile restores it with the passphrase; a wrong passphrase is refused
// with the library byte-for-byte unchanged.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { launch, openExtPage, send, tabIdOf, ROOT } from "./lib/extension.mjs";
import { startServer } from "./lib/server.mjs";
import { openLibrary, checkIntegrity } from "./lib/library.mjs";
import { needle, scanAtRest } from "./hostile/lib.mjs";

const VERIFY_BIN = path.join(ROOT, "target", "release", "evidence-verify");
const PASS = "blue kettle on the stair";
let srv, work;

before(async () => {
  execFileSync("cargo", ["build", "--release", "--bin", "evidence-verify"], { cwd: ROOT, stdio: "inherit" });
  work = mkdtempSync(path.join(tmpdir(), "evidence-backup-"));
  srv = await startServer({ roots: { "/": "tests/fixtures/site" } });
});
after(async () => {
  await srv?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The same raw dump as tests/restore.test.mjs: every store, bytes as SHA-256. */
function rawDump(page) {
  return page.evaluate(async () => {
    const db = await new Promise((res, rej) => {
      const r = indexedDB.open("evidence");
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const hex = async (buf) => [...new Uint8Array(await crypto.subtle.digest("SHA-256", buf))].map((b) => b.toString(16).padStart(2, "0")).join("");
    const norm = async (v) => {
      if (v == null || typeof v !== "object") return v;
      if (v instanceof Blob) return { blob: await hex(await v.arrayBuffer()) };
      if (ArrayBuffer.isView(v)) return { bytes: await hex(new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice()) };
      if (Array.isArray(v)) return Promise.all(v.map(norm));
      const out = {};
      for (const k of Object.keys(v).sort()) out[k] = await norm(v[k]);
      return out;
    };
    const dump = {};
    for (const name of [...db.objectStoreNames].sort()) {
      const tx = db.transaction(name);
      const get = (m) => new Promise((res) => (tx.objectStore(name)[m]().onsuccess = (e) => res(e.target.result)));
      const [keys, vals] = await Promise.all([get("getAllKeys"), get("getAll")]);
      dump[name] = await Promise.all(vals.map(async (v, i) => [keys[i], await norm(v)]));
    }
    db.close();
    return dump;
  });
}

/** `age -d` with the passphrase typed at its prompt (it reads the terminal, so through a pty). */
function ageDecrypt(file, out, pass) {
  const r = spawnSync("script", ["-qec", `age -d -o '${out}' '${file}'`, "/dev/null"], { input: `${pass}\n`, encoding: "utf8", timeout: 60_000 });
  return { status: r.status, output: r.stdout + r.stderr };
}

test("Back up everything: one .age file that age -d opens, that restores with its passphrase, and refuses a wrong one", async () => {
  const a = await launch();
  let backup, itemsA, headA;
  try {
    const lib = await openLibrary(a);
    for (const f of ["x-post.html", "discord-dm.html"]) {
      const page = await a.context.newPage();
      await page.goto(`${srv.url}/${f}`);
      assert.equal((await send(lib, { type: "capture", tabId: await tabIdOf(lib, page) })).ok, true);
      await page.close();
    }
    await lib.reload();
    await lib.waitForSelector("body[data-ready=true]");
    itemsA = (await send(lib, { type: "list" })).items.map((i) => [i.seq, i.recordSha256, i.chainSha256]);
    headA = await lib.textContent("#head");
    // The reminder is filled by its own module, after the page is ready.
    await lib.locator("#backup-reminder").filter({ hasText: /items are not in any export/ }).waitFor({ timeout: 30_000 });
    assert.match(await lib.textContent("#backup-reminder"), /^2 items are not in any export or backup yet/);
    await lib.getByRole("button", { name: /^Back up everything/ }).click();
    await lib.getByLabel(/^Passphrase for the new backup/).fill(PASS);
    await lib.getByLabel("Type the new backup's passphrase again").fill(PASS);
    const download = lib.waitForEvent("download", { timeout: 120_000 });
    await lib.getByRole("button", { name: "Make the encrypted backup" }).click();
    const d = await download;
    assert.match(d.suggestedFilename(), /^evidence-backup-.*\.age$/);
    backup = path.join(work, d.suggestedFilename());
    await d.saveAs(backup);
    await lib.waitForFunction(() => /^Backed up 2 items/.test(document.getElementById("backup-status").textContent), null, { timeout: 60_000 });
    assert.ok((await lib.textContent("#backup-status")).includes(headA));
  } finally {
    await a.close();
  }
  const bytes = readFileSync(backup);
  assert.ok(bytes.subarray(0, 32).toString("latin1").startsWith("age-encryption.org/v1\n-> scrypt "), "a standard age passphrase file");
  assert.equal(bytes.indexOf(Buffer.from("x-post.html")), -1, "nothing readable inside");

  // age -d gives the ordinary archive, which evidence-verify checks against A's head.
  const zip = path.join(work, "decrypted.zip");
  const dec = ageDecrypt(backup, zip, PASS);
  assert.equal(dec.status, 0, dec.output);
  assert.ok(existsSync(zip));
  const v = spawnSync(VERIFY_BIN, [zip, "--head", headA], { encoding: "utf8" });
  assert.equal(v.status, 0, v.stdout + v.stderr);

  // A fresh profile restores the backup with its passphrase; a wrong one changes nothing.
  const b = await launch();
  try {
    const lib = await openLibrary(b);
    const before = await rawDump(lib);
    const choose = async (pass) => {
      await lib.evaluate(() => document.getElementById("restore-result")?.replaceChildren());
      await lib.getByLabel(/^Restore/).setInputFiles(backup);
      await lib.getByLabel(/^Backup passphrase/).fill(pass);
      await lib.getByRole("button", { name: "Open and restore the backup" }).click();
      await lib.waitForFunction(() => /^(Restored|Nothing to restore|Not restored)/.test(document.getElementById("restore-message")?.textContent ?? ""), null, { timeout: 120_000 });
      return lib.textContent("#restore-result");
    };
    assert.match(await choose("not the passphrase"), /^Not restored: The backup passphrase is not right/);
    assert.deepEqual(await rawDump(lib), before);
    const text = await choose(PASS);
    assert.match(text, /^Restored 2 items/, text);
    assert.ok(text.includes(headA));
    assert.deepEqual((await send(lib, { type: "list" })).items.map((i) => [i.seq, i.recordSha256, i.chainSha256]), itemsA);
    assert.match((await checkIntegrity(lib)).summary, /^Yes/);
  } finally {
    await b.close();
  }
});
