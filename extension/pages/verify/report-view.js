// @ts-check
// What the two archive verifiers share: the extension's verify page (pages/verify/verify.js)
// and the standalone verifier (tools/standalone-verify/page.js, built into
// dist-release/verify.html). Both show the same form (build.sh copies verify.html's form
// into the standalone page), read it the same way, and show the core's report the same way;
// only how the archive reaches the core differs (a worker reading slices, or the whole file
// in memory from file://).
//
// No imports: build.sh inlines this file as it is into the standalone page's module script,
// where nothing can be imported.

/** The report's item statuses, in words. */
export const STATUS_WORDS = {
  OK: "intact",
  MODIFIED: "CHANGED or damaged",
  MISSING: "MISSING",
  WITHHELD: "withheld from this archive (hash kept)",
  REMOVED: "deleted in the extension (hashes kept)",
  UNEXPECTED_FILE: "unexpected extra file",
};

/** The trusted-timestamp statuses, in words. */
const TS_WORDS = { OK: "proves", UNTRUSTED: "UNTRUSTED (proves nothing without its root)", FAIL: "FAILED" };

/** Control and bidirectional-text characters, shown as a visible [U+XXXX] (the core's
 *  report is escaped already; this covers what the page shows from elsewhere, such as the
 *  file's name). */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g;

/** `s` as text that cannot reorder or hide what is around it. */
export const safe = (/** @type {unknown} */ s) =>
  String(s ?? "").replace(UNSAFE, (c) => `[U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}]`);

/**
 * The element of the verify form with this id, of the expected kind; a page without it
 * is incomplete (an error naming the id).
 * @template {Element} T
 * @param {string} id
 * @param {new (...args: any[]) => T} kind
 * @returns {T}
 */
export function part(id, kind) {
  const node = document.getElementById(id);
  if (node instanceof kind) return node;
  throw new Error(`The verify page is incomplete: #${id} should be a ${kind.name}.`);
}

/** A new element with this text. */
function textEl(/** @type {string} */ tag, /** @type {string} */ text) {
  const node = document.createElement(tag);
  node.textContent = text;
  return node;
}

/**
 * Wire the file chooser (#file) and the drop zone (#drop): `onChoose(file)` gets the archive
 * chosen, or null. Shows its name and size under the chooser.
 * @param {(file: File | null) => void} onChoose
 */
export function wireChooser(onChoose) {
  const input = part("file", HTMLInputElement);
  const drop = part("drop", HTMLElement);
  const choose = (/** @type {File | null | undefined} */ file) => {
    const chosen = file ?? null;
    part("file-name", HTMLElement).textContent = chosen ? `${safe(chosen.name)} (${chosen.size.toLocaleString()} bytes)` : "";
    onChoose(chosen);
  };
  input.addEventListener("change", () => choose(input.files?.[0]));
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    choose(e.dataTransfer?.files[0]);
  });
}

/**
 * What the form asks to check against: the head hash and the fingerprint received separately
 * (lower case, or null when not given) and the PEM text of the timestamp roots (or null).
 * @returns {Promise<{ head: string | null, fingerprint: string | null, tsaRoots: string | null }>}
 */
export async function expectations() {
  const field = (/** @type {string} */ id) => part(id, HTMLInputElement).value.trim().toLowerCase() || null;
  const rootsFile = part("tsa-ca", HTMLInputElement).files?.[0];
  return { head: field("expected-head"), fingerprint: field("expected-fingerprint"), tsaRoots: rootsFile ? await rootsFile.text() : null };
}

/**
 * Show the verifier's report (camelCase, as the core's verifyArchive gives it) in #result.
 * @param {any} report the core's report (wasm-bindgen types it `any`), or a FAIL made here
 */
export function showReport(report) {
  const pass = report.verdict === "PASS";
  const authenticated = pass && report.authenticated === true;
  const verdict = part("verdict", HTMLElement);
  verdict.className = `status ${authenticated ? "ok" : pass ? "warn" : "bad"}`;
  verdict.textContent = authenticated
    ? "Yes — this archive is intact."
    : pass
      ? "Consistent, but NOT authenticated — no head hash or fingerprint was given: compare the two values below with the ones the person who exported sent you."
      : "No — this archive has been changed, damaged, or is not a complete evidence archive.";
  part("computed", HTMLElement).hidden = !report.head?.computed && !report.fingerprint?.computed;
  part("computed-head", HTMLElement).textContent = safe(report.head?.computed ?? "(none)");
  part("computed-fingerprint", HTMLElement).textContent = safe(report.fingerprint?.computed ?? "(none)");
  part("summary", HTMLElement).textContent = safe(report.summary);
  part("problems", HTMLElement).replaceChildren(...(report.problems ?? []).map((p) => textEl("li", safe(p.message))));
  part("items", HTMLElement).replaceChildren(
    ...(report.items ?? []).map((i) => {
      const tr = document.createElement("tr");
      if (i.status != null) tr.dataset.status = i.status;
      const cells = [safe(i.reference ?? ""), safe(i.seq ?? i.path), safe(i.kind), safe(i.capturedAt), STATUS_WORDS[i.status] ?? safe(i.status), safe(i.detail)];
      tr.append(...cells.map((text) => textEl("td", text)));
      return tr;
    }),
  );
  const sig = report.signature;
  const sigLine = part("signature-line", HTMLElement);
  sigLine.hidden = !sig;
  sigLine.className = sig?.valid ? "status ok" : "status bad";
  sigLine.textContent = sig ? (sig.valid ? `Device signature: valid. Key fingerprint ${safe(sig.keyFingerprint)} (the same on two archives means the same installation made both; it does not say who the person is).` : `Device signature: FAILED. ${safe(sig.detail)}`) : "";
  const stamps = report.timestamps ?? [];
  part("timestamps-section", HTMLElement).hidden = stamps.length === 0;
  part("timestamps", HTMLElement).replaceChildren(
    ...stamps.map((t) => {
      const li = textEl("li", `${TS_WORDS[t.status] ?? safe(t.status)}: items 0–${safe(t.seq)}, ${safe(t.genTime ?? "-")} — ${safe(t.detail)}`);
      if (t.status != null) li.dataset.status = t.status;
      return li;
    }),
  );
  part("result", HTMLElement).hidden = false;
}
