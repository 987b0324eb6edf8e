import { el } from "../../shared/ui.js";

const input = document.getElementById("file");
const drop = document.getElementById("drop");
const button = document.getElementById("verify");
const progress = document.getElementById("progress");
let chosen = null;

function choose(file) {
  chosen = file ?? null;
  document.getElementById("file-name").textContent = chosen ? `${chosen.name} (${chosen.size.toLocaleString()} bytes)` : "";
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
  WITHHELD: "withheld by the person who exported",
  REMOVED: "removed in the extension (hashes kept)",
  UNEXPECTED_FILE: "unexpected extra file",
};

/** Run the verifier in a worker; resolves to its report. */
export function verifyFile(file, expectedHead, onProgress) {
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
    worker.postMessage({ file, expectedHead });
  });
}

button.addEventListener("click", async () => {
  if (!chosen) return;
  button.disabled = true;
  progress.hidden = false;
  progress.value = 0;
  const result = document.getElementById("result");
  result.hidden = true;
  const head = document.getElementById("expected-head").value.trim().toLowerCase();
  try {
    const report = await verifyFile(chosen, head || null, (done, total) => {
      progress.max = total || 1;
      progress.value = done;
    });
    show(report);
  } catch (err) {
    show({ verdict: "FAIL", summary: `The archive could not be checked: ${err.message}`, problems: [], items: [] });
  }
  progress.hidden = true;
  button.disabled = false;
});

function show(report) {
  const pass = report.verdict === "PASS";
  const verdict = document.getElementById("verdict");
  verdict.className = `status ${pass ? "ok" : "bad"}`;
  verdict.textContent = pass ? "Yes — this archive is intact." : "No — this archive has been changed, damaged, or is not a complete evidence archive.";
  document.getElementById("summary").textContent = report.summary ?? "";
  document.getElementById("problems").replaceChildren(...(report.problems ?? []).map((p) => el("li", {}, p.message)));
  document.getElementById("items").replaceChildren(
    ...(report.items ?? []).map((i) =>
      el(
        "tr",
        { "data-status": i.status },
        el("td", {}, i.seq ?? i.path ?? ""),
        el("td", {}, i.kind ?? ""),
        el("td", {}, i.capturedAt ?? ""),
        el("td", {}, STATUS_WORDS[i.status] ?? i.status),
        el("td", {}, i.detail ?? ""),
      ),
    ),
  );
  document.getElementById("result").hidden = false;
}
