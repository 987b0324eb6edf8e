// Tiny static HTTP server for the tests (node:http only, no dependencies).
//
//   const srv = await startServer({ roots: { "/": "tests/fixtures/site",
//                                            "/real/": "../shared/fixtures/real-pages" } });
//   await page.goto(srv.url + "/x-post.html");   // srv.url has no trailing slash
//   await srv.close();
//
// * Listens on 127.0.0.1, port 0 (the OS picks a free port) unless `port` is given.
// * `roots` maps URL prefixes to directories (relative paths resolve against the current
//   working directory). The longest matching prefix wins. A root whose directory does not
//   exist answers 404, so callers can pass optional roots unconditionally.
// * Everything under `/real/` (saved third-party pages) gets a Content-Security-Policy that
//   forbids their own scripts, plugins, frames and off-site images/fonts/media, so a saved
//   page renders as its static DOM and never reaches the network.
// * `?delay=<ms>` (0..30000) delays the response: slow-page tests.
// * Path traversal (`..`, encoded or not, NUL bytes, symlinks leaving the root) gets 403.

import http from "node:http";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";

export const REAL_PAGES_CSP =
  "script-src 'none'; object-src 'none'; frame-src 'none'; worker-src 'none'; " +
  "img-src 'self' data:; media-src 'self' data:; font-src 'self' data:; " +
  "style-src 'self' 'unsafe-inline'; connect-src 'self'";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".htm": "text/html; charset=utf-8",
  ".xhtml": "application/xhtml+xml; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".wasm": "application/wasm",
  ".mhtml": "multipart/related",
  ".mht": "multipart/related",
  ".woff2": "font/woff2",
};

const MAX_DELAY_MS = 30_000;

function contentType(file) {
  return TYPES[path.extname(file).toLowerCase()] || "application/octet-stream";
}

function isInside(root, candidate) {
  const rel = path.relative(root, candidate);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

export async function startServer({ roots = { "/": "tests/fixtures/site" }, port: wantPort = 0 } = {}) {
  // Longest prefix first, so "/real/" wins over "/".
  const mounts = Object.entries(roots)
    .map(([prefix, dir]) => ({
      prefix: prefix.endsWith("/") ? prefix : prefix + "/",
      dir: path.resolve(dir),
    }))
    .sort((a, b) => b.prefix.length - a.prefix.length);

  async function resolveFile(pathname) {
    const mount = mounts.find((m) => pathname.startsWith(m.prefix) || pathname + "/" === m.prefix);
    if (!mount) return { status: 404 };
    let rest;
    try {
      rest = decodeURIComponent(pathname.slice(mount.prefix.length));
    } catch {
      return { status: 400 };
    }
    if (rest.includes("\0") || rest.split(/[\\/]/).includes("..")) return { status: 403 };
    let file = path.resolve(mount.dir, "." + path.sep + rest);
    if (!isInside(mount.dir, file)) return { status: 403 };
    let stat;
    try {
      stat = await fsp.stat(file);
      if (stat.isDirectory()) {
        file = path.join(file, "index.html");
        stat = await fsp.stat(file);
      }
      // Symlinks must not lead out of the root either.
      const [realRoot, realFile] = await Promise.all([fsp.realpath(mount.dir), fsp.realpath(file)]);
      if (!isInside(realRoot, realFile)) return { status: 403 };
    } catch {
      return { status: 404 };
    }
    if (!stat.isFile()) return { status: 404 };
    return { status: 200, file, size: stat.size, real: mount.prefix === "/real/" };
  }

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url, "http://127.0.0.1");
      const delay = Math.min(MAX_DELAY_MS, Math.max(0, Number(url.searchParams.get("delay")) || 0));
      if (delay) await new Promise((r) => setTimeout(r, delay));
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(405, { Allow: "GET, HEAD" }).end();
        return;
      }
      const found = await resolveFile(url.pathname);
      if (found.status !== 200) {
        res.writeHead(found.status, { "Content-Type": "text/plain; charset=utf-8" });
        res.end(`${found.status}\n`);
        return;
      }
      const headers = {
        "Content-Type": contentType(found.file),
        "Content-Length": found.size,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      };
      if (found.real || url.pathname.startsWith("/real/")) headers["Content-Security-Policy"] = REAL_PAGES_CSP;
      res.writeHead(200, headers);
      if (req.method === "HEAD") {
        res.end();
        return;
      }
      fs.createReadStream(found.file)
        .on("error", () => res.destroy())
        .pipe(res);
    } catch {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    }
  });

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(wantPort, "127.0.0.1", resolve);
  });
  const { port } = server.address();
  const sockets = new Set();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
