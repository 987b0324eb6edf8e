import { checkStoredEvidence } from "./integrity.js";
import { el, localTime } from "./ui.js";

const status = document.getElementById("status");
const button = document.getElementById("check");

button.addEventListener("click", async () => {
  button.disabled = true;
  status.className = "status";
  status.textContent = "Checking…";
  const list = document.getElementById("results");
  list.replaceChildren();
  try {
    const r = await checkStoredEvidence((done, total) => (status.textContent = `Checking… ${done} of ${total}`));
    const bad = r.items.filter((i) => !i.ok);
    if (r.ok) {
      status.className = "status ok";
      status.textContent = `Yes: all ${r.items.length} item(s) are intact and the chain is complete. Head ${r.head}`;
    } else {
      status.className = "status bad";
      status.textContent = `No: ${bad.length} item(s) damaged or changed${r.chainOk ? "" : `; ${r.chainProblem}`}.`;
    }
    for (const i of r.items) {
      list.append(
        el("li", { class: `status ${i.ok ? "ok" : "bad"}`, "data-seq": String(i.seq) },
          `Item ${i.seq} (${localTime(i.capturedAt)}, ${i.summary?.site ?? i.summary?.title ?? ""}): ${i.ok ? "intact" : i.problems.join("; ")}`),
      );
    }
  } catch (e) {
    status.className = "status bad";
    status.textContent = `The check could not run: ${e.message}`;
  }
  button.disabled = false;
});
