// @ts-check
// A short-lived module worker for the passphrase lock's scrypt work (log_n 18, about
// 256 MiB). WebAssembly memory never shrinks, so this runs in its own worker, which the
// caller terminates after one job: the memory goes back to the system at once, and the
// service worker and long-lived pages never grow by 256 MiB.
import { core, coreReady } from "../shared/core.js";

self.onmessage = async (e) => {
  const { op, passphrase, newPassphrase, wrapped } = e.data ?? {};
  try {
    await coreReady();
    let result;
    if (op === "new") {
      const kp = core.lockNewKeypair(passphrase);
      // Unwrap once to hand the identity to the session: the user stays unlocked.
      const identity = core.lockUnwrapIdentity(kp.wrappedIdentity, passphrase);
      result = { recipient: kp.recipient, wrappedIdentity: kp.wrappedIdentity, identity };
    } else if (op === "unwrap") {
      result = { identity: core.lockUnwrapIdentity(wrapped, passphrase) };
    } else if (op === "rewrap") {
      result = { wrappedIdentity: core.lockRewrapIdentity(wrapped, passphrase, newPassphrase) };
    } else {
      throw Object.assign(new Error("unknown lock job"), { code: "INVALID_INPUT" });
    }
    self.postMessage({ ok: true, result });
  } catch (err) {
    self.postMessage({ ok: false, error: { name: err?.name ?? "Error", code: err?.code ?? null, message: err?.message ?? String(err) } });
  }
};
