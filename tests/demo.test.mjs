// The headless demo that `./build.sh run` does with no display (tests/lib/demo.mjs), run as
// the script itself so that it cannot rot: it must capture the demo pages through the
// extension, export, verify, leave the archive and a PNG of the library, and say DEMO OK;
// and when it cannot do its job it must say DEMO FAILED and exit non-zero.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync, execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT } from "./lib/extension.mjs";
import { startServer } from "./lib/server.mjs";
import { verifyArchive, DEMO_PAGES } from "./lib/demo.mjs";

const demo = (...args) => spawnSync(process.execPath, [path.join(ROOT, "tests/lib/demo.mjs"), ...args], { cwd: ROOT, encoding: "utf8", timeout: 300_000 });

test("the headless demo captures the demo pages, exports, and the archive verifies", { timeout: 300_000 }, async () => {
  const out = mkdtempSync(path.join(tmpdir(), "evidence-demo-"));
  // Served the way ./build.sh run serves them (a server of our own, its URL passed in).
  const srv = await startServer({ roots: { "/": path.join(ROOT, "tests/fixtures/site") } });
  try {
    // Not spawnSync: that would block the event loop that serves the pages.
    const r = await new Promise((resolve) =>
      execFile(process.execPath, [path.join(ROOT, "tests/lib/demo.mjs"), "--site", srv.url, "--out", out], { cwd: ROOT, encoding: "utf8", timeout: 300_000 }, (err, stdout, stderr) =>
        resolve({ status: err ? (err.code ?? 1) : 0, stdout, stderr })),
    );
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /DEMO OK\s*$/);
    const archive = r.stdout.match(/archive:\s+(\S+)/)[1];
    const screenshot = r.stdout.match(/screenshot:\s+(\S+)/)[1];
    const head = r.stdout.match(/head hash:\s+([0-9a-f]{64})/)[1];
    assert.equal(path.dirname(archive), out);
    assert.match(r.stdout, /verdict:\s+PASS/);
    assert.equal(readFileSync(archive).subarray(0, 4).toString("latin1"), "PK\x03\x04");
    assert.equal(readFileSync(screenshot).subarray(0, 8).toString("hex"), "89504e470d0a1a0a", "a PNG of the library");
    // Check the archive again here, independently of what the demo printed.
    const v = verifyArchive(archive, head);
    assert.equal(v.status, 0, v.output);
    assert.equal(v.verdict, "PASS");
    const json = JSON.parse(spawnSync(path.join(ROOT, "target/release/evidence-verify"), [archive, "--json"], { encoding: "utf8" }).stdout);
    assert.equal(json.counts.ok, DEMO_PAGES.length, "every demo page is in the archive and intact");
  } finally {
    await srv.close();
    rmSync(out, { recursive: true, force: true });
  }
});

test("the headless demo fails loudly, exit non-zero, when the demo pages are not there", { timeout: 60_000 }, async () => {
  const out = mkdtempSync(path.join(tmpdir(), "evidence-demo-"));
  const srv = await startServer({ roots: { "/": path.join(ROOT, "tests/fixtures/site") } });
  const dead = srv.url;
  await srv.close(); // nothing listens there any more
  try {
    const r = demo("--site", dead, "--out", out, "--wait", "1000");
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /DEMO FAILED: .*not reachable/);
    assert.doesNotMatch(r.stdout, /DEMO OK/);
    assert.equal(existsSync(path.join(out, "evidence-demo.zip")), false);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
