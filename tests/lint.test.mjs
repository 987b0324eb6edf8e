// web-ext lint on what is shipped (dist/), offline, as the Firefox add-on store would run it.
// 0 errors; every warning must be one the README explains.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { DIST, ROOT } from "./lib/extension.mjs";
import path from "node:path";

// Each explained in README.md ("Firefox").
const EXPLAINED = {
  MANIFEST_PERMISSIONS: /Invalid permissions "pageCapture"/,
  BACKGROUND_SERVICE_WORKER_IGNORED: /service_worker/,
};

test("web-ext lint: no errors, only explained warnings", () => {
  const bin = path.join(ROOT, "node_modules", ".bin", "web-ext");
  const r = spawnSync(bin, ["lint", "--source-dir", DIST, "--output", "json"], { encoding: "utf8", timeout: 120_000 });
  const report = JSON.parse(r.stdout);
  assert.equal(report.summary.errors, 0, JSON.stringify(report.errors, null, 1));
  for (const w of report.warnings) {
    assert.ok(EXPLAINED[w.code]?.test(w.message), `unexplained warning ${w.code}: ${w.message}`);
  }
  console.log(`# web-ext lint: ${report.summary.errors} errors, ${report.summary.warnings} warnings (${report.warnings.map((w) => w.code).join(", ")})`);
});
