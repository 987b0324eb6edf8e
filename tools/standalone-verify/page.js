// The standalone verifier's page. build.sh inlines it into dist-release/verify.html after
// wasm-bindgen's no-modules glue and the WASM core as base64, in one module script with
// extension/pages/verify/report-view.js before it (whose functions it calls: the form, and
// how the report is shown, are the extension's verify page's), so the one file works from
// file:// with no network, in Chromium and Firefox. The checks are the core's
// (crate/src/archive/verify*.rs), the same as the extension's verify page and the
// evidence-verify CLI; this script only reads the file and hands it to the core.
/* global wasm_bindgen, EVIDENCE_WASM_BASE64, expectations, part, showReport, wireChooser */
{
  const button = part("verify", HTMLButtonElement);
  const progress = part("progress", HTMLProgressElement);
  const engine = part("engine", HTMLElement);
  let chosen = null;
  let ready = false;
  const enable = () => {
    button.disabled = !chosen || !ready;
  };
  wireChooser((file) => {
    chosen = file;
    enable();
  });

  const binary = Uint8Array.from(atob(EVIDENCE_WASM_BASE64), (c) => c.charCodeAt(0));
  wasm_bindgen({ module_or_path: binary }).then(
    () => {
      ready = true;
      engine.textContent = "Verifier ready. Nothing you choose leaves this computer.";
      document.body.dataset.ready = "true";
      enable();
    },
    (err) => {
      engine.textContent = `The verifier could not start in this browser: ${err?.message ?? err}`;
    },
  );

  button.addEventListener("click", async () => {
    if (!chosen || !ready) return;
    button.disabled = true;
    part("result", HTMLElement).hidden = true;
    progress.hidden = false;
    progress.value = 0;
    try {
      const { head, fingerprint, tsaRoots } = await expectations();
      // No worker: a page opened from file:// may not start one in every browser. The
      // archive is read into memory and checked in one go.
      const bytes = new Uint8Array(await chosen.arrayBuffer());
      const read = (offset, length) => bytes.subarray(offset, offset + length);
      const report = wasm_bindgen.verifyArchive(read, bytes.length, head ?? undefined, (done, total) => {
        progress.max = total || 1;
        progress.value = done;
      }, fingerprint ?? undefined, tsaRoots ?? undefined);
      showReport(report);
    } catch (err) {
      showReport({ verdict: "FAIL", summary: `The archive could not be checked: ${err?.message ?? err}`, problems: [], items: [] });
    } finally {
      progress.hidden = true;
      button.disabled = false;
    }
  });
}
