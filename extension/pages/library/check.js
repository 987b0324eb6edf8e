// @ts-check
// "Check integrity": re-hash every stored record and artifact, check the chain, and say
// in plain words which items are intact, which were removed on purpose and which are
// damaged. The result is kept (meta "lastCheck") so that damage stays visible in the
// timeline until a later check finds everything intact: corruption is never hidden.
import { el } from "../../shared/ui.js";
import { core, coreReady } from "../../shared/core.js";
import { getRow } from "../../store/ledger.js";
import { putMeta } from "../../store/db.js";
import { checkStoredEvidence, checkerRow } from "../../store/integrity.js";
import { kindLabel, localShort, plural, sizeText } from "../../shared/format.js";

/** A page element by id (typed loosely: the pages know what each id is). */
const $ = (/** @type {string} */ id) => /** @type {any} */ (document.getElementById(id));

function describe(item) {
  const s = item.summary ?? {};
  const what = item.removed ? `${kindLabel(item.kind).toLowerCase()}, content removed` : [kindLabel(item.kind), s.site ?? s.type_label ?? s.title].filter(Boolean).join(", ");
  return `Item ${item.seq} (${what}; saved ${localShort(item.capturedAt)})`;
}

/** Run the full check and show its result in the check section. `onDone(result)` follows. */
export async function runCheck(onDone) {
  const button = $("check-integrity");
  const box = $("check-section");
  box.hidden = false;
  button.disabled = true;
  const summary = $("check-summary");
  summary.className = "status";
  summary.textContent = "Checking every item. This can take a while for a large library; you can keep using this page.";
  $("check-damaged").replaceChildren();
  $("check-all").replaceChildren();
  $("check-all-box").hidden = true;
  $("check-progress-box").hidden = false;
  $("check-title").focus();
  try {
    const r = await checkStoredEvidence((done, total) => {
      $("check-progress").value = total ? done / total : 1;
      $("check-progress-label").textContent = `Checked ${done.toLocaleString()} of ${total.toLocaleString()} items`;
    });
    show(r);
    const damaged = r.items.filter((i) => i.status === "damaged").map((i) => i.seq);
    try {
      await putMeta("lastCheck", { at: new Date().toISOString(), ok: r.ok, damaged, chainProblem: r.chainProblem, counts: r.counts });
    } catch (e) {
      // The library shows damage found by the last check until a later check finds none:
      // if this result is not kept, say so, or found damage would vanish at the next visit.
      console.error("lastCheck not recorded", e);
      summary.textContent += ` This result could not be kept (${e.message}): the library will not remind you of it, so note it down.`;
    }
    onDone?.(r);
  } catch (e) {
    summary.className = "status bad";
    summary.textContent = `The check could not finish: ${e.message}. This itself can mean the storage is damaged. Try again; if it fails again, export what you can.`;
  } finally {
    $("check-progress-box").hidden = true;
    button.disabled = false;
  }
}

function show(r) {
  const summary = $("check-summary");
  const { intact, removed, damaged } = r.counts;
  const removedText = removed ? ` ${plural(removed, "item")} had ${removed === 1 ? "its" : "their"} content removed on purpose; ${removed === 1 ? "its hashes are" : "their hashes are"} kept and check out.` : "";
  if (r.ok) {
    summary.className = "status ok";
    summary.replaceChildren(`Yes: everything is intact. ${plural(intact, "item")} re-hashed and matched.${removedText} The chain from the first item to the head is complete. Head: `, el("span", { class: "hash" }, r.head));
  } else {
    summary.className = "status bad";
    summary.textContent = `No: ${damaged ? `${plural(damaged, "item")} ${damaged === 1 ? "is" : "are"} damaged or changed` : "a problem was found"}${r.chainOk ? "" : `; ${r.chainProblem}`}. ${plural(intact, "item")} ${intact === 1 ? "is" : "are"} intact.${removedText} The damaged items are listed below. Do not remove them: export the library and show this result to your caseworker.`;
  }
  $("check-damaged").replaceChildren(
    ...r.items.filter((i) => i.status === "damaged").map((i) =>
      el("li", { class: "status bad", "data-seq": String(i.seq) }, `${describe(i)}: ${i.problems.join("; ")}. `, el("a", { href: `#item-${i.seq}` }, `Open item ${i.seq}`))),
  );
  $("check-all").replaceChildren(
    ...r.items.map((i) =>
      el("li", { "data-seq": String(i.seq), "data-status": i.status }, `${describe(i)}: ${i.status === "intact" ? "intact" : i.status === "removed" ? "removed (hashes kept)" : i.status === "withheld" ? "not in the archive it was restored from (hash kept)" : `damaged: ${i.problems.join("; ")}`}`)),
  );
  $("check-all-box").hidden = r.items.length === 0;
}

/**
 * Check one item while it is shown, with the core's rules (core.LibraryChecker.checkItem):
 * its record bytes, its link from the item before, and (up to 64 MB, or on request) its
 * files. Writes a plain sentence into `out`.
 */
export async function quickCheck(row, record, out) {
  try {
    await coreReady();
    const prev = row.seq > 0 ? await getRow(row.seq - 1) : null;
    const g = core.genesis();
    const after = prev ? { seq: prev.seq, recordSha256: prev.recordSha256, chainSha256: prev.chainSha256 } : { seq: -1, recordSha256: g.record, chainSha256: g.chain };
    const files = record?.artifacts ?? [];
    const total = files.reduce((n, a) => n + a.bytes, 0);
    const problemsOf = (result) => [result.item.status === "OK" ? "" : result.item.detail, ...result.problems.map((p) => p.message)].filter(Boolean);
    const checkAll = async () => problemsOf(core.LibraryChecker.checkItem(after, await checkerRow(row, new Map())));
    if (total <= 64 * 1024 * 1024) {
      report(out, await checkAll(), files.length, true);
    } else {
      // The files are large: first the record and its link only. The files are handed to
      // the checker as their record lists them, so that this step judges nothing else;
      // the button below checks them for real.
      const recordOnly = { ...(await checkerRow({ ...row, artifacts: [] }, new Map())), artifacts: files.map((a) => ({ name: a.name, sha256: a.sha256, bytes: a.bytes })) };
      report(out, problemsOf(core.LibraryChecker.checkItem(after, recordOnly)), files.length, false);
      out.append(" ", el("button", { type: "button", onclick: async (e) => {
        e.target.disabled = true;
        out.textContent = `Checking ${sizeText(total)} of files…`;
        report(out, await checkAll(), files.length, true);
      } }, `Check its files too (${sizeText(total)})`));
    }
  } catch (e) {
    out.className = "status bad";
    out.textContent = `This item could not be checked: ${e.message}`;
  }
}

function report(out, problems, fileCount, filesDone) {
  if (problems.length) {
    out.className = "status bad";
    out.textContent = `Damaged: ${problems.join("; ")}. Run “Check integrity” for the whole library.`;
  } else {
    out.className = "status ok";
    out.textContent = filesDone
      ? `Checked just now: the record${fileCount ? ` and its ${plural(fileCount, "file")}` : ""} match their hashes, and its link in the chain holds.`
      : "Checked just now: the record matches its hash and its link in the chain holds.";
  }
}
