// The standalone verifier's page (a classic script: build.sh inlines it into
// dist-release/verify.html after wasm-bindgen's no-modules glue and the WASM core as
// base64, so the one file works from file:// with no network, in Chromium and Firefox).
// The checks are the core's (crate/src/archive/verify*.rs), the same as the extension's
// verify page and the evidence-verify CLI; this script only reads the file and shows the
// report, like extension/pages/verify/verify.js.
/* global wasm_bindgen, EVIDENCE_WASM_BASE64 */
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g;
  const safe = (s) => String(s ?? "").replace(UNSAFE, (c) => `[U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}]`);
  const STATUS_WORDS = {
    OK: "intact",
    MODIFIED: "CHANGED or damaged",
    MISSING: "MISSING",
    WITHHELD: "withheld from this archive (hash kept)",
    REMOVED: "deleted in the extension (hashes kept)",
    UNEXPECTED_FILE: "unexpected extra file",
  };
  const el = (tag, text) => {
    const e = document.createElement(tag);
    if (text != null) e.textContent = text;
    return e;
  };
  let chosen = null;
  const button = $("verify");

  function choose(file) {
    chosen = file ?? null;
    $("file-name").textContent = chosen ? `${safe(chosen.name)} (${chosen.size.toLocaleString()} bytes)` : "";
    button.disabled = !chosen || !ready;
  }

  let ready = false;
  const binary = Uint8Array.from(atob(EVIDENCE_WASM_BASE64), (c) => c.charCodeAt(0));
  wasm_bindgen({ module_or_path: binary }).then(
    () => {
      ready = true;
      $("engine").textContent = "Verifier ready. Nothing you choose leaves this computer.";
      document.body.dataset.ready = "true";
      choose(chosen);
    },
    (err) => {
      $("engine").textContent = `The verifier could not start in this browser: ${err?.message ?? err}`;
    },
  );

  $("file").addEventListener("change", () => choose($("file").files[0]));
  const drop = $("drop");
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

  function show(report) {
    const pass = report.verdict === "PASS";
    const authenticated = pass && report.authenticated === true;
    const verdict = $("verdict");
    verdict.className = `status ${authenticated ? "ok" : pass ? "warn" : "bad"}`;
    verdict.textContent = !pass
      ? "No — this archive has been changed, damaged, or is not a complete evidence archive."
      : authenticated
        ? "Yes — this archive is intact."
        : "Consistent, but NOT authenticated — no head hash or fingerprint was given: compare the two values below with the ones the person who exported sent you.";
    $("computed-head").textContent = safe(report.head?.computed ?? "(none)");
    $("computed-fingerprint").textContent = safe(report.fingerprint?.computed ?? "(none)");
    $("summary").textContent = safe(report.summary);
    $("problems").replaceChildren(...(report.problems ?? []).map((p) => el("li", safe(p.message))));
    $("items").replaceChildren(
      ...(report.items ?? []).map((i) => {
        const tr = el("tr");
        tr.dataset.status = i.status;
        for (const v of [i.reference ?? "", i.seq ?? i.path, i.kind, i.capturedAt, STATUS_WORDS[i.status] ?? i.status, i.detail]) tr.append(el("td", safe(v)));
        return tr;
      }),
    );
    $("result").hidden = false;
  }

  button.addEventListener("click", async () => {
    if (!chosen || !ready) return;
    button.disabled = true;
    $("result").hidden = true;
    const progress = $("progress");
    progress.hidden = false;
    progress.value = 0;
    const head = $("expected-head").value.trim().toLowerCase();
    const fingerprint = $("expected-fingerprint").value.trim().toLowerCase();
    try {
      // No worker: a page opened from file:// may not start one in every browser. The
      // archive is read into memory and checked in one go.
      const bytes = new Uint8Array(await chosen.arrayBuffer());
      const read = (offset, length) => bytes.subarray(offset, offset + length);
      const report = wasm_bindgen.verifyArchive(read, bytes.length, head || undefined, (done, total) => {
        progress.max = total || 1;
        progress.value = done;
      }, fingerprint || undefined);
      show(report);
    } catch (err) {
      show({ verdict: "FAIL", summary: `The archive could not be checked: ${err?.message ?? err}`, problems: [], items: [] });
    } finally {
      progress.hidden = true;
      button.disabled = false;
    }
  });
})();
