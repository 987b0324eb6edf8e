// @ts-check
// Restores an archive into the library, off the page's main thread (the core's small
// reads are synchronous, which only FileReaderSync in a worker gives; the content is
// streamed in, see streamRange). The rules are the
// core's (core.ArchiveRestore, crate/src/restore/): it verifies the archive with the
// CLI's verifier, plans against the library's rows, and says what to read next; this
// worker only moves bytes into IndexedDB (store/restore.js, which explains why a
// stopped or failed restore leaves the library as it was).
//
// Messages to the page: {type: "progress", phase: "verify"|"restore", done, total},
// {type: "verified", report}, {type: "refused", message, report?},
// {type: "done", report, plan, head, restored, tokens?} (tokens: trusted timestamps added
// when no item was), {type: "error", code, message}.
import { core, coreReady } from "../../shared/core.js";
import { LOCK_NAME, SEAL_CHUNK, blobStored, captureSearchText, commitRestore, commitTokens, libraryState, sealedParts, startJournal, storeBlob, sweepRestore } from "../../store/restore.js";

const post = (/** @type {any} */ m) => self.postMessage(m);

// The archive's content is read as a stream into this one buffer, reused from read to
// read: a read that returns a fresh buffer each time (FileReaderSync) leaves garbage the
// worker's collector lets grow to hundreds of megabytes over a 2 GB archive.
let streamBuffer = new ArrayBuffer(1024 * 1024);

/** Feed bytes [offset, offset + length) of `file` to `each(chunk)`, in order. A chunk is only valid during the call. */
async function streamRange(/** @type {Blob} */ file, /** @type {number} */ offset, /** @type {number} */ length, /** @type {(c: Uint8Array) => void} */ each) {
  if (length === 0) return;
  const stream = file.slice(offset, offset + length).stream();
  /** @type {any} */
  let byob = null;
  try {
    byob = stream.getReader({ mode: "byob" });
  } catch {
    // A browser whose Blob streams are not byte streams: its chunks, as they come.
  }
  if (!byob) {
    const plain = stream.getReader();
    for (let r = await plain.read(); !r.done; r = await plain.read()) each(r.value);
    return;
  }
  for (;;) {
    const { value, done } = await byob.read(new Uint8Array(streamBuffer, 0, streamBuffer.byteLength));
    if (value) streamBuffer = value.buffer;
    if (done) return;
    each(value);
  }
}

/** Run the verifier over `file`, streaming each entry's bytes to it (see core.ArchiveRestore.streamed). */
async function verifyStreamed(/** @type {any} */ r, /** @type {Blob} */ file, /** @type {(done: number, total: number) => void} */ progress) {
  for (let range = r.verifyNext(); range !== undefined; range = r.verifyNext()) {
    try {
      await streamRange(file, range[0], range[1], (chunk) => r.verifyFeed(chunk));
    } catch (err) {
      r.verifyFail(String(/** @type {any} */ (err)?.message ?? err));
    }
    const [done, total] = r.verifyEnd();
    progress(done, total);
  }
  r.verifyFinish();
}

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

// Unlocked content is copied from the read buffer into this one staging buffer, and from
// there into Blobs 8 MiB at a time: no per-chunk copies left for the collector.
const STAGE = 1024 * 1024;
let stage = new Uint8Array(0);

/**
 * Collects one artifact's slices as the lock stores it: Blobs built up part by part (so
 * neither the JS heap nor WASM memory holds a large file), or, behind the lock, age files
 * of SEAL_CHUNK bytes each, made with the public key. A pushed chunk is only read during
 * the call (it may be a view of a reused buffer).
 */
class Collector {
  constructor(/** @type {string | null} */ recipient, /** @type {string} */ mediaType) {
    this.recipient = recipient;
    this.mediaType = mediaType;
    /** @type {Blob[]} */
    this.blobs = [];
    this.staged = 0;
    /** @type {Uint8Array[]} */
    this.parts = [];
    this.pending = 0;
    this.size = 0;
    /** @type {Uint8Array[]} */
    this.sealed = [];
  }
  push(/** @type {Uint8Array} */ chunk) {
    this.size += chunk.length;
    if (!this.recipient) {
      if (stage.length === 0) stage = new Uint8Array(STAGE);
      for (let at = 0; at < chunk.length; ) {
        const n = Math.min(chunk.length - at, STAGE - this.staged);
        stage.set(chunk.subarray(at, at + n), this.staged);
        this.staged += n;
        at += n;
        if (this.staged === STAGE) this.unstage();
      }
      return;
    }
    this.parts.push(chunk.slice());
    this.pending += chunk.length;
    if (this.pending >= SEAL_CHUNK) this.seal(false);
  }
  /** The staged bytes into a Blob (the Blob takes a copy). */
  unstage() {
    if (this.staged) this.blobs.push(new Blob([stage.subarray(0, this.staged)]));
    this.staged = 0;
  }
  seal(/** @type {boolean} */ last) {
    const all = new Uint8Array(this.pending);
    let off = 0;
    for (const p of this.parts) {
      all.set(p, off);
      off += p.length;
    }
    const whole = last ? all.length : all.length - (all.length % SEAL_CHUNK);
    if (whole > 0 || (last && this.sealed.length === 0)) this.sealed.push(...sealedParts(/** @type {string} */ (this.recipient), all.subarray(0, whole)));
    const rest = all.slice(whole);
    this.parts = rest.length ? [rest] : [];
    this.pending = rest.length;
  }
  /** The content in clear, while it still is (not yet sealed behind the lock), or null. */
  async clear() {
    if (!this.recipient) {
      this.unstage();
      return new Uint8Array(await new Blob(this.blobs).arrayBuffer());
    }
    return this.sealed.length === 0 ? new Uint8Array(await new Blob(/** @type {BlobPart[]} */ (this.parts)).arrayBuffer()) : null;
  }
  /** What storeBlob takes. Small unlocked files are kept as bytes, as captures are. */
  async finish() {
    if (this.recipient) {
      this.seal(true);
      return { data: this.sealed, enc: true };
    }
    this.unstage();
    const blob = new Blob(this.blobs, { type: this.mediaType });
    if (this.size <= 8 * 1024 * 1024) return { data: new Uint8Array(await blob.arrayBuffer()), enc: false };
    return { data: blob, enc: false };
  }
}

async function restore(/** @type {File} */ file, /** @type {string | undefined} */ expectedHead, /** @type {string | undefined} */ passphrase) {
  const reader = new (/** @type {any} */ (self).FileReaderSync)(); // workers only
  const read = (/** @type {number} */ offset, /** @type {number} */ length) => new Uint8Array(reader.readAsArrayBuffer(file.slice(offset, offset + length)));
  // With a passphrase the file is an encrypted backup; the core decrypts the ranges it
  // reads. An archive's content is streamed to the core instead (see streamRange).
  const streamed = !passphrase;
  const r = streamed ? core.ArchiveRestore.streamed(read, file.size, expectedHead, undefined) : new core.ArchiveRestore(read, file.size, progressOf("verify"), expectedHead, undefined, passphrase);
  try {
    if (streamed) await verifyStreamed(r, file, progressOf("verify"));
    const report = r.report() ?? null;
    post({ type: "verified", report });
    const refusal = r.refusal();
    if (refusal) return post({ type: "refused", message: refusal, report });
    const state = await libraryState();
    const plan = r.plan(state.rows);
    if (plan.refusal) return post({ type: "refused", message: plan.refusal, report });
    if (!plan.items.length) {
      // No item to add, but the archive may hold trusted timestamps the library lacks.
      const tokens = await commitTokens(r.timestamps(), state.head?.chainSha256 ?? null);
      return post({ type: "done", report, plan, head: null, restored: 0, tokens });
    }
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
        const sink = (/** @type {Uint8Array} */ chunk) => {
          c.push(chunk);
          done += chunk.length;
          progress(Math.min(done, file.size), file.size);
        };
        if (streamed) {
          // A stored (uncompressed) artifact is the very bytes read: the core only checks them.
          const [offset, length, stored] = r.artifactBegin();
          await streamRange(file, offset, length, (chunk) => {
            if (!stored) return r.artifactFeed(chunk, sink);
            r.artifactFeed(chunk, undefined);
            sink(chunk);
          });
          r.artifactEnd(sink);
        } else r.readArtifact(sink);
        if (need.name === "metadata.json") {
          // A capture's messages and page facts go into the library's search (behind the
          // lock too: a metadata.json under 4 MiB is still in clear here, before sealing).
          const bytes = await c.clear();
          if (bytes) searchText.set(need.seq, captureSearchText(bytes));
        }
        const stored = await c.finish();
        await storeBlob(id, { sha256: need.sha256, mediaType: need.mediaType, size: need.bytes, ...stored });
      }
      progress(Math.min(done, file.size), file.size);
    }
    // The trusted timestamps the verifier passed come back with the items they cover.
    const tokens = r.timestamps();
    const finished = r.finish();
    await commitRestore(id, finished, records, searchText, state.head?.chainSha256 ?? null, tokens);
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
