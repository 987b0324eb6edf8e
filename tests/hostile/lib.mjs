// Helpers for the hostile suite (issue 10). Written against the stable automation surface
// only: pages at the root of dist/, runtime messages, the real buttons, raw IndexedDB.
//
// * `startRecorder()` serves tests/hostile/fixtures/ and records EVERY request it gets. In
//   fixture files, `__BEACON__` becomes `http://localhost:<port>/beacon` (another origin
//   than the 127.0.0.1 the pages are served from, so a "remote" resource) and `__SITE__`
//   becomes the 127.0.0.1 origin. A request to /beacon is what a harasser's server sees.
// * `launchGranted()` / `launchFirefoxGranted()` load the tests' COPY of dist/ (tests/lib/
//   test-dist.mjs), whose manifest has `<all_urls>` in host_permissions, as a user who
//   allowed host access would (issue 10, "Tests may grant host access through a manifest
//   copy"), so these tests keep driving `{type: "capture", tabId}` after `<all_urls>`
//   became optional.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { ROOT, launch } from "../lib/extension.mjs";
import { launchFirefox } from "../lib/firefox.mjs";

export const FIXTURES = path.join(ROOT, "tests", "hostile", "fixtures");
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml", ".js": "text/javascript" };

/** A fixture server that records every request (method, host, path, time). */
export async function startRecorder() {
  const requests = [];
  let port = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    requests.push({ at: Date.now(), method: req.method, host: req.headers.host, path: url.pathname, query: url.search, referer: req.headers.referer ?? null });
    if (url.pathname.startsWith("/beacon")) {
      // A 1x1 transparent GIF: what a tracking pixel answers.
      const gif = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");
      res.writeHead(200, { "Content-Type": "image/gif", "Cache-Control": "no-store" }).end(gif);
      return;
    }
    const file = path.join(FIXTURES, path.normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, ""));
    if (!file.startsWith(FIXTURES) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { "Cache-Control": "no-store" }).end("404\n");
      return;
    }
    const ext = path.extname(file);
    let body = fs.readFileSync(file);
    if (ext === ".html" || ext === ".css" || ext === ".svg") {
      body = Buffer.from(body.toString("utf8").replaceAll("__BEACON__", `http://localhost:${port}/beacon`).replaceAll("__SITE__", `http://127.0.0.1:${port}`));
    }
    res.writeHead(200, { "Content-Type": TYPES[ext] ?? "application/octet-stream", "Cache-Control": "no-store" }).end(body);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  port = server.address().port;
  const sockets = new Set();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    beacon: `http://localhost:${port}/beacon`,
    port,
    requests,
    /** Requests since `t` (ms), optionally only those whose path starts with `prefix`. */
    since: (t, prefix = "") => requests.filter((r) => r.at >= t && r.path.startsWith(prefix)),
    beacons: (t = 0) => requests.filter((r) => r.at >= t && r.path.startsWith("/beacon")),
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Chromium with the tests' granted copy of dist/ (tests/lib/extension.mjs launch(); see the header). */
export const launchGranted = ({ viewport = { width: 1280, height: 800 } } = {}) => launch({ viewport });

/** Firefox ESR with the tests' granted copy of dist/ (tests/lib/firefox.mjs launchFirefox()). */
export const launchFirefoxGranted = () => launchFirefox();

/** Race a promise against a time limit; resolves {value} or {timedOut: true}. */
export async function within(ms, promise) {
  let timer;
  const timeout = new Promise((r) => (timer = setTimeout(() => r({ timedOut: true }), ms)));
  try {
    return await Promise.race([promise.then((value) => ({ value })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Every raw value of every IndexedDB store, scanned IN AN EXTENSION PAGE for byte
 * patterns (as tests/lock.test.mjs does): strings as UTF-8, Blobs, ArrayBuffers, views.
 */
export function scanAtRest(page, needles) {
  return page.evaluate(async (needles) => {
    const db = await new Promise((res, rej) => {
      const r = indexedDB.open("evidence");
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const found = [];
    let values = 0;
    const pats = needles.map((n) => ({ name: n.name, bytes: new Uint8Array(n.bytes) }));
    const has = (hay, pat) => {
      outer: for (let i = 0; i + pat.length <= hay.length; i++) {
        for (let j = 0; j < pat.length; j++) if (hay[i + j] !== pat[j]) continue outer;
        return true;
      }
      return false;
    };
    const scanBytes = (bytes, where) => {
      for (const p of pats) if (has(bytes, p.bytes)) found.push(`${p.name} in ${where}`);
    };
    const walk = async (v, where) => {
      if (v == null) return;
      if (typeof v === "string") return scanBytes(new TextEncoder().encode(v), where);
      if (v instanceof Blob) {
        scanBytes(new Uint8Array(await v.arrayBuffer()), `${where} (${v instanceof File ? "File" : "Blob"})`);
        if (v instanceof File) scanBytes(new TextEncoder().encode(v.name), `${where} (File name ${JSON.stringify(v.name)})`);
        return;
      }
      if (v instanceof ArrayBuffer) return scanBytes(new Uint8Array(v), where);
      if (ArrayBuffer.isView(v)) return scanBytes(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), where);
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) await walk(v[i], `${where}[${i}]`);
        return;
      }
      if (typeof v === "object") for (const [k, x] of Object.entries(v)) await walk(x, `${where}.${k}`);
    };
    for (const name of db.objectStoreNames) {
      const tx = db.transaction(name);
      const [keys, vals] = await Promise.all(
        ["getAllKeys", "getAll"].map(
          (m) =>
            new Promise((res, rej) => {
              const r = tx.objectStore(name)[m]();
              r.onsuccess = () => res(r.result);
              r.onerror = () => rej(r.error);
            }),
        ),
      );
      for (let i = 0; i < vals.length; i++) {
        values++;
        await walk(vals[i], `${name}/${keys[i]}`);
      }
    }
    db.close();
    return { found, values };
  }, needles);
}

export const needle = (name, text) => ({ name, bytes: [...Buffer.from(text, "utf8")] });

/** One raw row of the meta store (read in an extension page). */
export function rawMeta(page, key) {
  return page.evaluate(
    (key) =>
      new Promise((res, rej) => {
        const r = indexedDB.open("evidence");
        r.onerror = () => rej(r.error);
        r.onsuccess = () => {
          const g = r.result.transaction("meta").objectStore("meta").get(key);
          g.onsuccess = () => {
            res(g.result ?? null);
            r.result.close();
          };
          g.onerror = () => rej(g.error);
        };
      }),
    key,
  );
}

/** Set the passphrase in settings.html, as a person does, and wait until the migration is done. */
export async function setLock(ext, pass) {
  const page = await ext.context.newPage();
  await page.goto(ext.url("settings.html"));
  await page.getByLabel("Passphrase (at least 8 characters)", { exact: true }).fill(pass);
  await page.getByLabel("Type the passphrase again", { exact: true }).fill(pass);
  await page.getByRole("checkbox", { name: "I understand" }).check();
  await page.getByRole("button", { name: "Set passphrase" }).click();
  await page.getByText(/^The lock is set\./).waitFor({ timeout: 90_000 });
  const t0 = Date.now();
  while ((await rawMeta(page, "lock"))?.migration?.state !== "done") {
    if (Date.now() - t0 > 90_000) throw new Error("the lock migration did not finish in 90 s");
    await sleep(250);
  }
  return page;
}
