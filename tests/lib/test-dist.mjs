// The copy of a built extension that the end-to-end tests load: a test-only build step
// applied to a COPY of dist/, never to dist/ itself (what ships).
//   * host access granted: `<all_urls>` added to host_permissions, as a user who allowed
//     the optional host permission would (issue 10, "Tests may grant host access through
//     a manifest copy"), so tests can drive `{type: "capture", tabId}` for any tab;
//   * the worker gets `globalThis.evidenceTrigger(tabId, trigger, scope?)`, which runs the
//     shortcut / context-menu capture path (headless browsers cannot press shortcuts or
//     open native menus). The shipped worker has no such hook.
// The copy's path is stable for a given source (an unpacked extension's id comes from its
// path), so a profile reused across launches keeps its data; it is rebuilt once per process.
import { createHash } from "node:crypto";
import { appendFileSync, cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const HOOK = `
// Test-only, added by tests/lib/test-dist.mjs to the tests' copy of dist/ (not shipped).
globalThis.evidenceTrigger = (tabId, trigger, scope) => triggered(tabId, trigger, scope);
`;

const made = new Map();

/** The tests' copy of `dist` (see the header); made once per process. */
export function testDist(dist) {
  const src = path.resolve(dist);
  if (made.has(src)) return made.get(src);
  const dir = path.join(tmpdir(), `evidence-test-dist-${createHash("sha256").update(src).digest("hex").slice(0, 16)}`);
  rmSync(dir, { recursive: true, force: true });
  cpSync(src, dir, { recursive: true });
  const file = path.join(dir, "manifest.json");
  const m = JSON.parse(readFileSync(file, "utf8"));
  m.host_permissions = [...new Set([...(m.host_permissions ?? []), "<all_urls>"])];
  writeFileSync(file, JSON.stringify(m, null, 2));
  const worker = path.join(dir, m.background?.service_worker ?? "background/sw.js");
  if (existsSync(worker) && !readFileSync(worker, "utf8").includes("globalThis.evidenceTrigger")) appendFileSync(worker, HOOK);
  made.set(src, dir);
  return dir;
}
