// Serve the demo/fixture pages for `./build.sh run`: node tests/lib/serve-demo.mjs PORT
import http from "node:http";
import { startServer } from "./server.mjs";

const port = Number(process.argv[2] || 8765);
const srv = await startServer({ roots: { "/": "tests/fixtures/site" } });
// Forward a fixed port to the test server's random one, so the URL is predictable.
http
  .createServer((req, res) => {
    const up = http.request(`${srv.url}${req.url}`, { method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on("error", () => res.writeHead(502).end());
    req.pipe(up);
  })
  .on("error", (e) => {
    console.error(`The demo server cannot listen on 127.0.0.1:${port}: ${e.code === "EADDRINUSE" ? "the port is in use (another ./build.sh run?)" : e.message}`);
    process.exit(1);
  })
  .listen(port, "127.0.0.1", () => console.log(`demo pages: http://127.0.0.1:${port}/`));
