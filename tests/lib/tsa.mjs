// The test timestamp authority (issue 12): `openssl ts -reply` behind a tiny HTTP server
// on 127.0.0.1, with a test CA and RSA and P-256 TSA certificates made by
// crate/tests/fixtures/tsp/make.sh (critical timeStamping usage). POST /rsa or /p256
// answers a TimeStampReq; POST /replay answers with the last token served again (so its
// nonce is wrong); `state.down = true` makes it answer 503. Tokens carry the TSA's own certificate only (what certReq asks for);
// the root is the caseworker's, `${dir}/ca.pem`.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { ROOT, DIST } from "./extension.mjs";

/** Make the TSA in `dir` and serve it; `received` lists every request {path, method, headers, body}. */
export async function startTsa(dir) {
  execFileSync("sh", [path.join(ROOT, "crate/tests/fixtures/tsp/make.sh"), dir], { env: { ...process.env, TSA_DAYS: "2" } });
  const cnf = path.join(dir, "tsa.cnf");
  writeFileSync(cnf, readFileSync(cnf, "utf8").replace(/^certs = .*$/gm, ""));
  const received = [];
  // While `state.down`, every request is answered 503 (an authority that is unreachable).
  const state = { down: false };
  let lastToken = null;
  let n = 0;
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      received.push({ path: req.url, method: req.method, headers: req.headers, body });
      if (state.down) return void res.writeHead(503).end();
      const section = { "/rsa": "tsa_rsa", "/p256": "tsa_p256" }[req.url];
      let token = null;
      if (req.method === "POST" && section) {
        const q = path.join(dir, `q${++n}.tsq`);
        const r = path.join(dir, `r${n}.tsr`);
        writeFileSync(q, body);
        const out = spawnSync("openssl", ["ts", "-reply", "-config", "tsa.cnf", "-section", section, "-queryfile", q, "-out", r], { cwd: dir });
        if (out.status === 0) token = lastToken = readFileSync(r);
      } else if (req.url === "/replay") {
        token = lastToken;
      }
      if (!token) return void res.writeHead(400).end();
      res.writeHead(200, { "Content-Type": "application/timestamp-reply" }).end(token);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${/** @type {import("node:net").AddressInfo} */ (server.address()).port}`;
  return { url, dir, ca: path.join(dir, "ca.pem"), received, state, close: () => new Promise((r) => server.close(r)) };
}

/** A copy of dist/ (in `work`) whose CSP also allows the test TSA's plain-http origin (the
 *  shipped CSP allows https: only); host access comes from the tests' manifest copy. */
export function distWithTsa(work, origin) {
  const dir = path.join(work, "dist");
  cpSync(DIST, dir, { recursive: true });
  const file = path.join(dir, "manifest.json");
  const m = JSON.parse(readFileSync(file, "utf8"));
  m.content_security_policy.extension_pages = m.content_security_policy.extension_pages.replace("connect-src 'self' https:", `connect-src 'self' https: ${origin}`);
  writeFileSync(file, JSON.stringify(m, null, 2));
  return dir;
}
