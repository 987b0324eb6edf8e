// Re-check everything stored in this browser: every record's bytes against its hash,
// every artifact against the record that lists it, and every link of the chain.
import { core, coreReady, hashBlob, hashBytes } from "./core.js";
import { getBlob, getHead, getRow, listItems } from "./store.js";

/**
 * Returns {ok, head, items: [{seq, id, ok, problems: [..]}], chainOk, chainProblem}.
 * `onProgress(done, total)` is called after each item.
 */
export async function checkStoredEvidence(onProgress) {
  await coreReady();
  const genesis = core.genesis();
  const items = await listItems();
  const results = [];
  let prevRecord = genesis.record;
  let prevChain = genesis.chain;
  let chainProblem = null;
  for (const [i, item] of items.entries()) {
    const problems = [];
    const row = await getRow(item.seq);
    if (item.seq !== i && !chainProblem) chainProblem = `item ${i} has sequence number ${item.seq}: an item is missing`;
    const recSha = hashBytes(row.bytes);
    if (recSha !== row.recordSha256) problems.push(`the record was changed (recorded ${row.recordSha256.slice(0, 12)}…, now ${recSha.slice(0, 12)}…)`);
    let record = null;
    try {
      record = core.parseRecord(row.bytes);
    } catch (e) {
      problems.push(`the record cannot be read: ${e.message}`);
    }
    if (record && record.prev_record_sha256 !== prevRecord) problems.push("the record does not point to the one before it");
    let chain = null;
    try {
      chain = core.chainNext(prevChain, recSha);
    } catch (e) {
      problems.push(e.message);
    }
    if (chain !== row.chainSha256 && !chainProblem) chainProblem = `the chain breaks at item ${item.seq}`;
    for (const a of record?.artifacts ?? []) {
      const blob = await getBlob(a.sha256);
      if (!blob) {
        problems.push(`${a.name} is missing from storage`);
        continue;
      }
      const sha = await hashBlob(blob);
      if (sha !== a.sha256 || blob.size !== a.bytes) problems.push(`${a.name} was changed or damaged`);
    }
    results.push({ seq: item.seq, id: item.id, ok: problems.length === 0, problems, summary: item.summary, capturedAt: item.capturedAt });
    prevRecord = row.recordSha256;
    prevChain = row.chainSha256;
    onProgress?.(i + 1, items.length);
  }
  const head = await getHead();
  if (head && head.chainSha256 !== prevChain && !chainProblem) chainProblem = "the stored head does not match the last item";
  return {
    ok: !chainProblem && results.every((r) => r.ok),
    head: head?.chainSha256 ?? genesis.chain,
    chainOk: !chainProblem,
    chainProblem,
    items: results,
  };
}
