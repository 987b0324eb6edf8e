// @ts-check
// The verify page: the form and the report are shared with the standalone verifier
// (report-view.js); here the core runs in a worker that reads the chosen file slice by slice.
import { expectations, part, showReport, wireChooser } from "./report-view.js";
import { workerJob } from "../../shared/worker-job.js";

const button = part("verify", HTMLButtonElement);
const progress = part("progress", HTMLProgressElement);
/** @type {File | null} */
let chosen = null;

wireChooser((file) => {
  chosen = file;
  button.disabled = !chosen;
});

/**
 * Run the verifier in a worker; resolves to its report.
 * @param {Blob} file
 * @param {string | null} expectedHead
 * @param {(done: number, total: number) => void} [onProgress]
 * @param {string | null} [expectedFingerprint]
 * @param {string | null} [tsaRoots] PEM text of the timestamp authorities' roots
 */
export async function verifyFile(file, expectedHead, onProgress, expectedFingerprint = null, tsaRoots = null) {
  const url = new URL("./verify-worker.js", import.meta.url);
  const done = await workerJob(url, { file, expectedHead, expectedFingerprint, tsaRoots }, onProgress, "the verifier stopped");
  return done.report;
}

button.addEventListener("click", async () => {
  if (!chosen) return;
  button.disabled = true;
  progress.hidden = false;
  progress.value = 0;
  part("result", HTMLElement).hidden = true;
  try {
    const { head, fingerprint, tsaRoots } = await expectations();
    const report = await verifyFile(
      chosen,
      head,
      (done, total) => {
        progress.max = total || 1;
        progress.value = done;
      },
      fingerprint,
      tsaRoots,
    );
    showReport(report);
  } catch (err) {
    showReport({ verdict: "FAIL", summary: `The archive could not be checked: ${err.message}`, problems: [], items: [] });
  }
  progress.hidden = true;
  button.disabled = false;
});
