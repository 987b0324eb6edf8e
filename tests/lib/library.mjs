// Drivers for the library and diary pages, used the way a person uses them: Playwright
// fills the real form fields, chooses files and presses the real buttons.
import { openExtPage } from "./extension.mjs";

/** Open diary.html and wait until any draft has been brought back. */
export async function openDiary(ext) {
  const page = await openExtPage(ext, "diary.html");
  await page.waitForSelector("body[data-ready=true]");
  return page;
}

/**
 * Fill the diary form. `e` = {date, time, type, typeOther, location, what, name,
 * description, witnesses, effect, reported, reference, officer, files: [paths]}.
 */
export async function fillDiary(page, e) {
  if (e.date != null) await page.getByLabel("Date (required)").fill(e.date);
  if (e.time != null) await page.getByLabel("Time (required)").fill(e.time);
  if (e.type != null) await page.getByLabel("What kind of incident was it? (required)").selectOption(e.type);
  if (e.typeOther != null) await page.getByLabel("Describe the kind of incident").fill(e.typeOther);
  if (e.location != null) await page.getByLabel("Where did it happen?").fill(e.location);
  if (e.what != null) await page.getByLabel("What happened? (required)").fill(e.what);
  if (e.name != null) await page.getByLabel("Their name, if you know it").fill(e.name);
  if (e.description != null) await page.getByLabel("What they looked like").fill(e.description);
  if (e.witnesses != null) await page.getByLabel("Witnesses").fill(e.witnesses);
  if (e.effect != null) await page.getByLabel("How did it affect you?").fill(e.effect);
  if (e.reported) await page.getByLabel("I reported this to the police").check();
  if (e.reference != null) await page.getByLabel("Police reference number").fill(e.reference);
  if (e.officer != null) await page.getByLabel("Officer's name or number").fill(e.officer);
  if (e.files?.length) {
    const before = await page.locator("#attachments-list li").count();
    await page.getByLabel("Add files").setInputFiles(e.files);
    await page.waitForFunction((n) => document.querySelectorAll("#attachments-list li").length === n, before + e.files.length);
  }
}

/** Press "Save this entry" and wait for the answer; returns the status text. */
export async function saveDiary(page, timeout = 60_000) {
  await page.getByRole("button", { name: "Save this entry" }).click();
  await page.waitForFunction(() => /^(Saved|Not saved)/.test(document.getElementById("status").textContent), null, { timeout });
  return page.textContent("#status");
}

/** Open library.html (optionally at an item) and wait until it has loaded. */
export async function openLibrary(ext, hash = "") {
  const page = await openExtPage(ext, `library.html${hash}`);
  await page.waitForSelector("body[data-ready=true]");
  return page;
}

/** Show item `seq` in an open library page and wait for its own hash check. */
export async function showItem(page, seq) {
  await page.evaluate((s) => (location.hash = `#item-${s}`), seq);
  await page.waitForFunction((s) => document.getElementById("item-title")?.textContent && !document.getElementById("item-view").hidden && document.title.startsWith(`Item ${s} `), seq);
  await page.waitForFunction(() => {
    const c = document.getElementById("item-check");
    return !c || c.hidden || /ok|bad/.test(c.className);
  });
}

/** Run "Check integrity" in the library and return {summary, damaged: [text], all: [text]}. */
export async function checkIntegrity(page) {
  await page.getByRole("button", { name: "Check integrity" }).click();
  await page.waitForFunction(() => /^(Yes|No|The check could not)/.test(document.getElementById("check-summary").textContent), null, { timeout: 120_000 });
  return page.evaluate(() => ({
    summary: document.getElementById("check-summary").textContent,
    damaged: [...document.querySelectorAll("#check-damaged li")].map((li) => li.textContent),
    all: [...document.querySelectorAll("#check-all li")].map((li) => ({ seq: Number(li.dataset.seq), status: li.dataset.status, text: li.textContent })),
  }));
}

/** Overwrite a stored blob with other bytes of the same size (deliberate corruption). */
export function corruptBlob(extPage, sha256) {
  return extPage.evaluate(async (sha) => {
    const db = await new Promise((res, rej) => {
      const r = indexedDB.open("evidence");
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const tx = db.transaction("blobs", "readwrite");
    const store = tx.objectStore("blobs");
    const row = await new Promise((res) => {
      const r = store.get(sha);
      r.onsuccess = () => res(r.result);
    });
    const bytes = row.data instanceof Blob ? new Uint8Array(await row.data.arrayBuffer()) : new Uint8Array(row.data);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    // A new transaction: the one above closed while the Blob was read.
    const tx2 = db.transaction("blobs", "readwrite");
    tx2.objectStore("blobs").put({ ...row, data: bytes });
    await new Promise((res, rej) => {
      tx2.oncomplete = res;
      tx2.onerror = () => rej(tx2.error);
    });
    db.close();
    return bytes.length;
  }, sha256);
}

/** Run `fn` and collect uncaught errors and console errors of the extension's pages. */
export function watchErrors(context) {
  const errors = [];
  const onPage = (p) => {
    p.on("pageerror", (e) => errors.push(`${p.url()}: ${e.message}`));
    p.on("console", (m) => {
      if (m.type() === "error" && !/favicon|Failed to load resource/.test(m.text())) errors.push(`${p.url()}: ${m.text()}`);
    });
  };
  context.pages().forEach(onPage);
  context.on("page", onPage);
  return errors;
}

/** In an open library page: add a note to item `seq` through its form; returns the status text. */
export async function amendItem(page, seq, text, { correction = false, files = [] } = {}) {
  await showItem(page, seq);
  await page.getByRole("button", { name: "Add a note or correction" }).click();
  await page.getByLabel("Your note or correction").fill(text);
  if (correction) await page.getByLabel("This corrects something in the item").check();
  if (files.length) await page.getByLabel("Add files (optional)").setInputFiles(files);
  await page.getByRole("button", { name: "Save the note" }).click();
  await page.waitForFunction(() => /^(Saved · |Not saved)/.test(document.getElementById("item-status")?.textContent ?? ""), null, { timeout: 60_000 });
  return page.textContent("#item-status");
}

/** In an open library page: remove item `seq`'s content, confirmed, with a reason; returns the status text. */
export async function removeItem(page, seq, reason) {
  await showItem(page, seq);
  await page.getByRole("button", { name: /Remove this item's content/ }).click();
  await page.getByLabel(/Why are you removing it/).fill(reason);
  await page.getByRole("button", { name: "Remove the content" }).click();
  await page.waitForFunction(() => /was removed|Nothing was removed/.test(document.getElementById("item-status")?.textContent ?? ""), null, { timeout: 60_000 });
  return page.textContent("#item-status");
}

/** Export every item through the library's Export dialog and save the archive as `file`. */
export async function exportAll(page, file, { by = "Maya Okafor" } = {}) {
  await page.getByRole("button", { name: /^Export evidence archive/ }).click();
  await page.getByLabel(/Your name for the report/).fill(by);
  const download = page.waitForEvent("download", { timeout: 120_000 });
  await page.getByRole("button", { name: "Export", exact: true }).click();
  await (await download).saveAs(file);
  await page.getByText(/^Exported \d+ of \d+ items/).waitFor({ timeout: 60_000 });
  await page.keyboard.press("Escape");
  return file;
}

/** Set the passphrase lock on an open settings page and wait until it is set. */
export async function setPassphrase(page, pass) {
  await page.getByLabel("Passphrase (at least 8 characters)", { exact: true }).fill(pass);
  await page.getByLabel("Type the passphrase again", { exact: true }).fill(pass);
  await page.getByRole("checkbox", { name: "I understand" }).check();
  await page.getByRole("button", { name: "Set passphrase" }).click();
  await page.getByText(/^The lock is set\./).waitFor({ timeout: 60_000 });
}

/** Unlock a library page that shows the unlock form. */
export async function unlockLibrary(page, pass) {
  await page.locator("#unlock-form").waitFor();
  await page.getByLabel("Passphrase", { exact: true }).fill(pass);
  await page.getByRole("button", { name: "Unlock" }).click();
  await page.waitForFunction(() => document.body.dataset.ready === "true" && !document.body.dataset.locked, null, { timeout: 60_000 });
}
