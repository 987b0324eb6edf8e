// Re-check everything stored in this browser: every record's bytes against its hash,
// every artifact against the record that lists it, and every link of the chain.
//
// A removed item (a `removal` record deleted its content) has no record bytes and no
// blobs left, only its hashes: it is reported as "removed", not as damage, and the chain
// is still checked through it (its link uses the kept record hash, and the next record's
// prev_record_sha256 must equal it). A row whose content is gone WITHOUT a removal record
// that names it is damage.
import { core, coreReady, hashBlob, hashBytes } from "../shared/core.js";
import { getBlob, getHead, getRowsFrom } from "./ledger.js";

const BATCH = 200;

function summaryOf(row, record) {
  return row.summary ?? record?.metadata ?? null;
}

/**
 * Returns {ok, head, chainOk, chainProblem, items: [{seq, id, kind, recordSha256, removed, ok,
 * status, problems, summary, capturedAt}], counts: {intact, removed, damaged}}. `status` is "intact",
 * "removed" (content deleted on purpose, hashes kept) or "damaged". `ok` is false only
 * for damage. `onProgress(done, total)` is called after each item.
 */
export async function checkStoredEvidence(onProgress) {
  await coreReady();
  const genesis = core.genesis();
  const head = await getHead();
  const total = head ? head.seq + 1 : 0;
  const results = [];
  const removals = new Map(); // target seq -> {by, record_sha256}
  const blobResults = new Map(); // sha256 -> problem text or null (each blob hashed once)
  let prevRecord = genesis.record;
  let prevChain = genesis.chain;
  let chainProblem = null;
  let expected = 0;
  for (let from = 0; ; ) {
    const rows = await getRowsFrom(from, BATCH);
    if (!rows.length) break;
    for (const row of rows) {
      const problems = [];
      if (row.seq !== expected && !chainProblem) {
        chainProblem = row.seq > expected ? `item ${expected} is missing` : `item ${row.seq} appears twice`;
      }
      expected = row.seq + 1;
      let record = null;
      let recSha = row.recordSha256;
      if (row.removed) {
        if (row.bytes) problems.push("it is marked removed but its record is still stored");
      } else if (!(row.bytes instanceof Uint8Array)) {
        problems.push("its record is missing from storage");
      } else {
        recSha = hashBytes(row.bytes);
        if (recSha !== row.recordSha256) problems.push(`its record was changed (recorded hash ${row.recordSha256.slice(0, 12)}…, now ${recSha.slice(0, 12)}…)`);
        try {
          record = core.parseRecord(row.bytes);
        } catch (e) {
          problems.push(`its record cannot be read: ${e.message}`);
        }
        if (record && record.prev_record_sha256 !== prevRecord) problems.push("its record does not point to the item before it");
        if (record && record.seq !== row.seq) problems.push(`its record says it is item ${record.seq}`);
        if (record?.kind === "removal" && record.metadata?.target) {
          removals.set(record.metadata.target.seq, { by: row.seq, recordSha256: record.metadata.target.record_sha256 });
        }
      }
      let chain = null;
      try {
        chain = core.chainNext(prevChain, row.recordSha256);
      } catch (e) {
        problems.push(e.message);
      }
      if (chain !== row.chainSha256) {
        problems.push("its link in the chain does not follow from the item before it");
        if (!chainProblem) chainProblem = `the chain breaks at item ${row.seq}`;
      }
      if (!row.removed) {
        for (const a of record?.artifacts ?? row.artifacts ?? []) {
          if (!blobResults.has(a.sha256 + a.bytes)) blobResults.set(a.sha256 + a.bytes, await checkBlob(a));
          const p = blobResults.get(a.sha256 + a.bytes);
          if (p) problems.push(`${a.name} ${p}`);
        }
      }
      results.push({
        seq: row.seq,
        id: row.id,
        kind: row.kind,
        recordSha256: row.recordSha256,
        removed: row.removed === true,
        problems,
        summary: summaryOf(row, record),
        capturedAt: row.capturedAt,
      });
      prevRecord = row.recordSha256;
      prevChain = row.chainSha256;
      onProgress?.(results.length, Math.max(total, results.length));
    }
    from = rows[rows.length - 1].seq + 1;
  }
  // A removed item must be named by a later removal record, with the same hash.
  for (const r of results) {
    const rm = removals.get(r.seq);
    if (r.removed && !rm) r.problems.push("its content is gone, and no removal record explains it");
    else if (r.removed && rm.recordSha256 !== r.recordSha256) r.problems.push(`the removal record (item ${rm.by}) names a different record hash`);
    else if (!r.removed && rm) r.problems.push(`item ${rm.by} recorded its removal, but its content is still stored`);
    r.status = r.problems.length ? "damaged" : r.removed ? "removed" : "intact";
    r.ok = r.status !== "damaged";
  }
  if (head && head.chainSha256 !== prevChain && !chainProblem) chainProblem = "the stored head does not match the last item";
  if (head && expected !== total && !chainProblem) chainProblem = `the history says there are ${total} items, but ${expected} are stored`;
  const counts = { intact: 0, removed: 0, damaged: 0 };
  for (const r of results) counts[r.status]++;
  return {
    ok: !chainProblem && counts.damaged === 0,
    head: head?.chainSha256 ?? genesis.chain,
    chainOk: !chainProblem,
    chainProblem,
    items: results,
    counts,
  };
}

async function checkBlob(a) {
  let blob;
  try {
    blob = await getBlob(a.sha256);
  } catch (e) {
    return `cannot be read from storage (${e.message})`;
  }
  if (!blob) return "is missing from storage";
  try {
    const sha = await hashBlob(blob);
    if (sha !== a.sha256 || blob.size !== a.bytes) return "was changed or damaged: it no longer matches its hash";
  } catch (e) {
    return `cannot be read from storage (${e.name ?? "error"})`;
  }
  return null;
}
