// @ts-check
// Restores an archive into the library, off the page's main thread (the verifier needs
// synchronous reads, which only FileReaderSync in a worker gives). The rules are the
// core's (core.ArchiveRestore, crate/src/restore/): it verifies the archive with the
// CLI's verifier, plans against the library's rows, and says what to read next; this
// worker only moves bytes into IndexedDB (store/restore.js, which explains why a
// stopped or failed restore leaves the library as it was).
//
// Messages to the page: {type: "progress", phase: "verify"|"restore", done, total},
// {type: "verified", report}, {type: "refused", message, report?},
// {type: "done", report, plan, head, restored}, {type: "error", code, message}.
import { core, coreReady } from "../../shared/core.js";
import { LOCK_NAME, SEAL_CHUNK, blobStored, captureSearchText, commitRestore, libraryState, sealedParts, startJournal, storeBlob, sweepRestore } from "../../store/restore.js";

const FLUSH = 32 * 1024 * 1024; // fold restored bytes into the Blob every 32 MiB
const post = (/** @type {any} */ m) => self.postMessage(m);

/** A throttled progress poster. */
function progressOf(/** @type {string} */ phase) {
  let last = 0;
  return (/** @type {number} */ done, /** @type {number} */ total) => {
    const now = performance.now();
    if (now - last > 100 || done === total) {
      last = now;
      post({ type: "progress", phase, done, total });
    }
  };
}

/**
 * Collects one artifact's slices as the lock stores it: a Blob built up part by part (so
 * neither the JS heap nor WASM memory holds a large file), or, behind the lock, age files
 * of SEAL_CHUNK bytes each, made with the public key.
 */
class Collector {
  constructor(/** @type {string | null} */ recipient, /** @type {string} */ mediaType) {
    this.recipient = recipient;
    this.mediaType = mediaType;
    this.blob = new Blob([]);
    /** @type {Uint8Array[]} */
    this.parts = [];
    this.pending = 0;
    this.size = 0;
    /** @type {Uint8Array[]} */
    this.sealed = [];
  }
  push(/** @type {Uint8Array} */ chunk) {
    this.parts.push(chunk);
    this.pending += chunk.length;
    this.size += chunk.length;
    if (this.recipient ? this.pending >= SEAL_CHUNK : this.pending >= FLUSH) this.flush(false);
  }
  flush(/** @type {boolean} */ last) {
    if (!this.recipient) {
      this.blob = new Blob([this.blob, .../** @type {BlobPart[]} */ (this.parts)], { type: this.mediaType });
      this.parts = [];
      this.pending = 0;
      return;
    }
    const all = new Uint8Array(this.pending);
    let off = 0;
    for (const p of this.parts) {
      all.set(p, off);
      off += p.length;
    }
    const whole = last ? all.length : all.length - (all.length % SEAL_CHUNK);
    if (whole > 0 || (last && this.sealed.length === 0)) this.sealed.push(...sealedParts(this.recipient, all.subarray(0, whole)));
    const rest = all.slice(whole);
    this.parts = rest.length ? [rest] : [];
    this.pending = rest.length;
  }
  /** What storeBlob takes. Small unlocked files are kept as bytes, as captures are. */
  async finish() {
    this.flush(true);
    if (this.recipient) return { data: this.sealed, enc: true };
    if (this.size <= 8 * 1024 * 1024) return { data: new Uint8Array(await this.blob.arrayBuffer()), enc: false };
    return { data: this.blob, enc: false };
  }
}

async function restore(/** @type {File} */ file, /** @type {string | undefined} */ expectedHead, /** @type {string | undefined} */ passphrase) {
  const reader = new (/** @type {any} */ (self).FileReaderSync)(); // workers only
  const read = (/** @type {number} */ offset, /** @type {number} */ length) => new Uint8Array(reader.readAsArrayBuffer(file.slice(offset, offset + length)));
  // With a passphrase the file is an encrypted backup; the core decrypts the ranges it reads.
  const r = new core.ArchiveRestore(read, file.size, progressOf("verify"), expectedHead, undefined, passphrase);
  try {
    const report = r.report() ?? null;
    post({ type: "verified", report });
    const refusal = r.refusal();
    if (refusal) return post({ type: "refused", message: refusal, report });
    const state = await libraryState();
    const plan = r.plan(state.rows);
    if (plan.refusal) return post({ type: "refused", message: plan.refusal, report });
    if (!plan.items.length) return post({ type: "done", report, plan, head: null, restored: 0 });
    const id = crypto.randomUUID();
    await startJournal(id, new Date().toISOString());
    /** @type {Map<number, Uint8Array>} */
    const records = new Map();
    /** @type {Map<number, string>} */
    const searchText = new Map();
    const progress = progressOf("restore");
    let done = 0;
    for (let need = r.next(); need.kind !== "done"; need = r.next()) {
      if (need.kind === "record") {
        const bytes = r.readRecord();
        records.set(need.seq, bytes);
        done += bytes.length;
      } else if (await blobStored(need.sha256)) {
        r.skipArtifact();
        done += need.bytes;
      } else {
        const c = new Collector(state.lock?.recipient ?? null, need.mediaType);
        r.readArtifact((/** @type {Uint8Array} */ chunk) => {
          c.push(chunk);
          done += chunk.length;
          progress(Math.min(done, file.size), file.size);
        });
        if (need.name === "metadata.json" && c.sealed.length === 0) {
          // A capture's messages and page facts go into the library's search (behind the
          // lock too: a metadata.json under 4 MiB is still in clear here, before sealing).
          const bytes = new Uint8Array(await new Blob([c.blob, .../** @type {BlobPart[]} */ (c.parts)]).arrayBuffer());
          searchText.set(need.seq, captureSearchText(bytes));
        }
        const stored = await c.finish();
        await storeBlob(id, { sha256: need.sha256, mediaType: need.mediaType, size: need.bytes, ...stored });
      }
      progress(Math.min(done, file.size), file.size);
    }
    const finished = r.finish();
    await commitRestore(id, finished, records, searchText, state.head?.chainSha256 ?? null);
    post({ type: "done", report, plan, head: finished.head, restored: finished.rows.length });
  } finally {
    r.free();
  }
}

self.onmessage = async (e) => {
  const { file, expectedHead, passphrase } = e.data ?? {};
  try {
    if (!(file instanceof Blob)) throw new Error("no file was given");
    await coreReady();
    // What an earlier restore left unfinished goes first (it waits for a running one).
    await sweepRestore({ wait: true });
    await navigator.locks.request(LOCK_NAME, () => restore(/** @type {File} */ (file), expectedHead || undefined, passphrase || undefined));
  } catch (err) {
    const x = /** @type {any} */ (err);
    post({ type: "error", code: x?.code ?? "RESTORE_FAILED", message: String(x?.message ?? x) });
  } finally {
    // A failed restore's blobs go now (a stopped one's at the next start).
    await sweepRestore().catch(() => {});
  }
};
