// @ts-check
import { el } from "../../shared/ui.js";

const input = /** @type {HTMLInputElement} */ (document.getElementById("file"));
const drop = document.getElementById("drop");
const button = /** @type {HTMLButtonElement} */ (document.getElementById("verify"));
const progress = /** @type {HTMLProgressElement} */ (document.getElementById("progress"));
let chosen = null;

/** Control and bidirectional-text characters, shown as a visible [U+XXXX] (the core's
 *  report is escaped already; this covers what the page shows from elsewhere, such as the
 *  file's name). */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g;
const safe = (s) => String(s ?? "").replace(UNSAFE, (c) => `[U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}]`);

function choose(file) {
  chosen = file ?? null;
  document.getElementById("file-name").textContent = chosen ? `${safe(chosen.name)} (${chosen.size.toLocaleString()} bytes)` : "";
  button.disabled = !chosen;
}

input.addEventListener("change", () => choose(input.files[0]));
drop.addEventListener("dragover", (e) => {
  e.preventDefault();
  drop.classList.add("over");
});
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  choose(e.dataTransfer.files[0]);
});

const STATUS_WORDS = {
  OK: "intact",
  MODIFIED: "CHANGED or damaged",
  MISSING: "MISSING",
  WITHHELD: "withheld from this archive (hash kept)",
  REMOVED: "deleted in the extension (hashes kept)",
  UNEXPECTED_FILE: "unexpected extra file",
};

/** Run the verifier in a worker; resolves to its report. */
export function verifyFile(file, expectedHead, onProgress, expectedFingerprint = null, tsaRoots = null) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./verify-worker.js", import.meta.url), { type: "module" });
    worker.onmessage = (e) => {
      const m = e.data;
      if (m.type === "progress") return onProgress?.(m.done, m.total);
      worker.terminate();
      if (m.type === "done") resolve(m.report);
      else reject(Object.assign(new Error(m.message), { code: m.code }));
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(e.message || "the verifier stopped"));
    };
    worker.postMessage({ file, expectedHead, expectedFingerprint, tsaRoots });
  });
}

button.addEventListener("click", async () => {
  if (!chosen) return;
  button.disabled = true;
  progress.hidden = false;
  progress.value = 0;
  const result = document.getElementById("result");
  result.hidden = true;
  const field = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (document.getElementById(id)).value.trim().toLowerCase();
  const head = field("expected-head");
  const fingerprint = field("expected-fingerprint");
  const rootsFile = /** @type {HTMLInputElement} */ (document.getElementById("tsa-ca")).files?.[0];
  try {
    const tsaRoots = rootsFile ? await rootsFile.text() : null;
    const report = await verifyFile(
      chosen,
      head || null,
      (done, total) => {
        progress.max = total || 1;
        progress.value = done;
      },
      fingerprint || null,
      tsaRoots,
    );
    show(report);
  } catch (err) {
    show({ verdict: "FAIL", summary: `The archive could not be checked: ${err.message}`, problems: [], items: [] });
  }
  progress.hidden = true;
  button.disabled = false;
});

function show(report) {
  const pass = report.verdict === "PASS";
  const authenticated = pass && report.authenticated === true;
  const verdict = document.getElementById("verdict");
  verdict.className = `status ${authenticated ? "ok" : pass ? "warn" : "bad"}`;
  verdict.textContent = authenticated
    ? "Yes — this archive is intact."
    : pass
      ? "Consistent, but NOT authenticated — no head hash or fingerprint was given: compare the two values below with the ones the person who exported sent you."
      : "No — this archive has been changed, damaged, or is not a complete evidence archive.";
  document.getElementById("computed").hidden = !report.head?.computed && !report.fingerprint?.computed;
  document.getElementById("computed-head").textContent = safe(report.head?.computed ?? "(none)");
  document.getElementById("computed-fingerprint").textContent = safe(report.fingerprint?.computed ?? "(none)");
  document.getElementById("summary").textContent = safe(report.summary);
  document.getElementById("problems").replaceChildren(...(report.problems ?? []).map((p) => el("li", {}, safe(p.message))));
  document.getElementById("items").replaceChildren(
    ...(report.items ?? []).map((i) =>
      el(
        "tr",
        { "data-status": i.status },
        el("td", {}, safe(i.reference ?? "")),
        el("td", {}, safe(i.seq ?? i.path)),
        el("td", {}, safe(i.kind)),
        el("td", {}, safe(i.capturedAt)),
        el("td", {}, STATUS_WORDS[i.status] ?? safe(i.status)),
        el("td", {}, safe(i.detail)),
      ),
    ),
  );
  const sig = report.signature;
  const sigLine = document.getElementById("signature-line");
  sigLine.hidden = !sig;
  sigLine.className = sig?.valid ? "status ok" : "status bad";
  sigLine.textContent = sig ? (sig.valid ? `Device signature: valid. Key fingerprint ${safe(sig.keyFingerprint)} (the same on two archives means the same installation made both; it does not say who the person is).` : `Device signature: FAILED. ${safe(sig.detail)}`) : "";
  const TS_WORDS = { OK: "proves", UNTRUSTED: "UNTRUSTED (proves nothing without its root)", FAIL: "FAILED" };
  const stamps = report.timestamps ?? [];
  document.getElementById("timestamps-section").hidden = stamps.length === 0;
  document.getElementById("timestamps").replaceChildren(
    ...stamps.map((t) => el("li", { "data-status": t.status }, `${TS_WORDS[t.status] ?? safe(t.status)}: items 0–${safe(t.seq)}, ${safe(t.genTime ?? "-")} — ${safe(t.detail)}`)),
  );
  document.getElementById("result").hidden = false;
}
