// @ts-check
// The evidence library: the timeline (library/timeline.js), one item at a time
// (library/item.js, address #item-N), notes, corrections and removals
// (library/actions.js) and the integrity check (library/check.js).
//
// The page reads the extension's IndexedDB directly (store/); the WASM core is only
// loaded when something is hashed or sealed, so the first rows paint without it.
//
// Only what the timeline needs is imported up front; the item view, the note and
// removal actions and the integrity check (which pull in the WASM core) load on first use.
import { el } from "../../shared/ui.js";
import { getHead } from "../../store/ledger.js";
import { getMeta } from "../../store/db.js";
import { storeCounts } from "../../store/catalog.js";
import { catalogState, firstPaint, refresh, repairCatalog, setDamaged, wireFilters } from "./timeline.js";
import { localLong, plural } from "../../shared/format.js";
import { lockGate } from "../../shared/unlock-view.js";

const itemModule = () => import("./item.js");
const actionsModule = () => import("./actions.js");
const checkModule = () => import("./check.js");

/** A page element by id (typed loosely: the pages know what each id is). */
const $ = (/** @type {string} */ id) => /** @type {any} */ (document.getElementById(id));
const status = $("status");
let lastItem = null;

function say(text, kind = "") {
  status.className = `status ${kind}`;
  status.textContent = text;
}

function alert(text, kind = "bad") {
  $("alerts").append(el("p", { class: `status ${kind}`, role: "alert" }, text));
}

async function showHead() {
  const head = await getHead();
  $("head").textContent = head?.chainSha256 ?? "(no items yet)";
  return head;
}

async function showCounts() {
  const { records, catalog, head } = await storeCounts();
  say(records ? `${plural(records, "item")} saved on this device.` : "Nothing saved yet: 0 items saved on this device.");
  const expected = head ? head.seq + 1 : 0;
  if (records !== expected) alert(`Something is wrong with the stored evidence: the history says ${plural(expected, "item")}, but ${records.toLocaleString()} ${records === 1 ? "is" : "are"} stored. Run “Check integrity” to see which.`);
  if (catalog < records) {
    // A failed repair is reported by the alert below ("could not be put back").
    const n = await repairCatalog().catch((e) => (console.error("catalog repair failed", e), 0));
    alert(
      n
        ? `${plural(n, "item was", "items were")} missing from the timeline and ${n === 1 ? "has" : "have"} been put back. Run “Check integrity” to check the stored evidence itself.`
        : `The timeline lists ${catalog.toLocaleString()} of ${records.toLocaleString()} stored items, and the missing ones could not be put back. Run “Check integrity”.`,
      "warn",
    );
  } else if (catalog > records) {
    alert(`The timeline lists ${catalog.toLocaleString()} items, but only ${records.toLocaleString()} are stored: some items are missing from storage. Run “Check integrity” to see which.`);
  }
}

// Damage found by the last check stays visible until a later check finds none.
async function showLastCheck() {
  let last;
  try {
    last = await getMeta("lastCheck");
  } catch (e) {
    // Damage found earlier must not disappear because its note can't be read.
    alert(`The result of the last “Check integrity” could not be read (${e.message}). Run it again to see whether anything is damaged.`, "warn");
    return;
  }
  if (!last) return;
  setDamaged(last.damaged ?? []);
  if (last.ok) return;
  const n = last.damaged?.length ?? 0;
  alert(
    `The last integrity check (${localLong(last.at)}) found ${n ? `${plural(n, "damaged item")}: ${last.damaged.map((s) => `item ${s}`).join(", ")}` : "a problem"}` +
      `${last.chainProblem ? `; ${last.chainProblem}` : ""}. Run “Check integrity” again to see the details.`,
  );
}

// --- views ---------------------------------------------------------------------------

async function route() {
  const m = location.hash.match(/^#item-(\d+)$/);
  if (m) await showItem(Number(m[1]));
  else showTimeline();
}

function showTimeline() {
  void itemModule().then((m) => m.releaseItem());
  $("item-view").hidden = true;
  $("timeline-view").hidden = false;
  document.title = "Evidence library";
  if (lastItem != null) {
    const link = $("items").querySelector(`li[data-seq="${lastItem}"] a`);
    (link ?? $("timeline-title")).focus();
    lastItem = null;
  }
}

async function showItem(seq, notice) {
  $("timeline-view").hidden = true;
  $("item-view").hidden = false;
  lastItem = seq;
  const [{ renderItem }, { itemActions }] = await Promise.all([itemModule(), actionsModule()]);
  const heading = await renderItem(seq, $("item-body"), {
    notice,
    actions: (row, record) => itemActions(row, record, afterChange),
  });
  document.title = `Item ${seq} · Evidence library`;
  heading.focus();
}

// After a note or a removal: refresh the head, counts and timeline, and show the item again.
async function afterChange(seq, notice) {
  await Promise.all([showHead(), showCounts(), refresh()]);
  await showItem(seq, notice);
}

$("back").addEventListener("click", (e) => {
  e.preventDefault();
  location.hash = "";
});
window.addEventListener("hashchange", () => void route());

$("copy-head").addEventListener("click", async () => {
  const text = $("head").textContent;
  try {
    await navigator.clipboard.writeText(text);
    say("Head hash copied.", "ok");
  } catch {
    say(`Copy failed; the head hash is ${text}`, "warn");
  }
});

$("check-integrity").addEventListener("click", async () =>
  (await checkModule()).runCheck((r) => {
    setDamaged(r.items.filter((i) => i.status === "damaged").map((i) => i.seq));
    $("alerts").replaceChildren();
    void showCounts();
  }),
);
$("check-close").addEventListener("click", () => {
  $("check-section").hidden = true;
  $("check-integrity").focus();
});

// Captures made while the page is open (from the toolbar, the shortcut or the menu)
// appear when the page is looked at again, and every few seconds while it is visible.
async function poll() {
  if (document.visibilityState !== "visible" || !catalogState().all) return;
  const head = await getHead().catch(() => null); // then the refresh below runs and reports storage errors itself
  const shown = catalogState().all.length ? catalogState().all[catalogState().all.length - 1].seq : -1;
  if ((head?.seq ?? -1) !== shown) {
    await Promise.all([showHead(), showCounts(), refresh()]);
  }
}
document.addEventListener("visibilitychange", () => void poll());
setInterval(() => void poll(), 5000);

async function start() {
  // With a passphrase set and the library locked, nothing but the unlock form is shown.
  if (await lockGate([document.querySelector("header.page-header"), document.querySelector("main")])) return;
  wireFilters();
  try {
    // The first rows come first; counts (which walk the stores) wait until they are shown.
    const painted = firstPaint();
    await showHead();
    await painted;
    await Promise.all([showCounts(), showLastCheck()]);
    (await actionsModule()).wireRemoveDialog();
    if (location.hash) await route();
    document.body.dataset.ready = "true";
  } catch (e) {
    say(`The library could not be read: ${e.message}. Your evidence may still be stored; try closing and reopening this page.`, "bad");
  }
}

void start();

// Restore from an archive (pages/library/restore-ui.js); a restore left unfinished (a
// closed browser) is swept first, so the library shows exactly what it held before.
import("./restore-ui.js").then(({ mountRestore }) =>
  mountRestore($("restore-slot"), {
    onDone: () => void Promise.all([showHead(), firstPaint()]).then(() => showCounts()),
  }),
);
import("./backup-ui.js").then(({ mountBackup }) => mountBackup($("backup-slot"), $("backup-panel")));
import("./add-files-ui.js").then(({ mountAddFiles }) =>
  mountAddFiles($("add-files-slot"), { onDone: () => void Promise.all([showHead(), showCounts(), refresh()]) }),
);
import("../../store/restore.js").then(({ sweepRestore }) => sweepRestore()).catch((e) => console.error("restore sweep failed", e));

// Export: the control lives in #export-slot and can export the filtered view.
import("./export-ui.js").then(({ mountExport }) =>
  mountExport($("export-slot"), {
    selection: () => {
      const st = catalogState();
      return { filtered: st.filtered ? new Set(st.filtered.map((e) => e.seq)) : null, ticked: st.ticked };
    },
  }),
);
