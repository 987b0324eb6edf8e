// @ts-check
// One job in a module worker of its own, for pages whose heavy work runs off the main
// thread (the verify page's verifier, the library's encrypted backup). The worker gets one
// message and answers {type: "progress", done, total} any number of times, then
// {type: "done", ...} or {type: "error", code, message}; it is terminated after its answer.

/**
 * Start the worker at `url`, send it `message`, and resolve with its "done" answer (or
 * reject with its error, which keeps its `code`).
 * @param {URL} url the worker module (new URL("./x-worker.js", import.meta.url))
 * @param {unknown} message what the worker is asked to do
 * @param {((done: number, total: number) => void) | undefined} onProgress
 * @param {string} stopped the error's words when the worker itself fails ("the verifier stopped")
 * @returns {Promise<any>} the worker's "done" message
 */
export function workerJob(url, message, onProgress, stopped) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(url, { type: "module" });
    worker.onmessage = (e) => {
      const m = e.data;
      if (m.type === "progress") return onProgress?.(m.done, m.total);
      worker.terminate();
      if (m.type === "done") resolve(m);
      else reject(Object.assign(new Error(m.message), { code: m.code }));
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(e.message || stopped));
    };
    worker.postMessage(message);
  });
}
