// The headless demo that `./build.sh run` does on a machine with no display:
//   node tests/lib/demo.mjs [--site URL] [--out DIR] [--wait MS]
// 1. captures the demo pages (tests/fixtures/site; served at --site, or by a server of its
//    own) through the real extension (dist/) in headless Chromium;
// 2. exports an archive through the library page's Export button and verifies it with
//    `cargo run --release --bin evidence-verify -- ARCHIVE.zip --head HEAD`;
// 3. prints where the archive and a PNG screenshot of the library are, and the verdict.
// Any failure prints "DEMO FAILED: <reason>" (DEMO_DEBUG=1 adds the stack) and exits 1;
// success ends with "DEMO OK".
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, mkdtempSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launch, openExtPage, send, tabIdOf, ROOT } from "./extension.mjs";
import { startServer } from "./server.mjs";

export const DEMO_PAGES = ["x-post.html", "discord-dm.html", "gmail-message.html", "generic-forum.html"];

/** Wait until `url` answers 200, or throw after `ms`. */
async function reachable(url, ms) {
  const until = Date.now() + ms;
  let last = "no answer";
  while (Date.now() < until) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = e.cause?.code ?? e.message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the demo pages at ${url} are not reachable (${last})`);
}

/** Capture one page through the extension's own capture message; returns the stored item. */
async function capturePage(ext, lib, url) {
  const page = await ext.context.newPage();
  await page.goto(url);
  await page.bringToFront();
  // Let the tab paint first: headless captureVisibleTab fails on a tab with no frame yet.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.waitForTimeout(200);
  const res = await send(lib, { type: "capture", tabId: await tabIdOf(lib, page) });
  await page.close();
  if (!res?.ok) throw new Error(`capturing ${url} failed: ${JSON.stringify(res)}`);
  return res.item;
}

/** Export every item through the library's Export dialog; returns the saved archive path. */
async function exportArchive(lib, file) {
  await lib.reload();
  await lib.waitForSelector("body[data-ready=true]");
  await lib.getByRole("button", { name: /^Export evidence archive/ }).click();
  await lib.getByLabel(/Your name for the report/).fill("Demo");
  const download = lib.waitForEvent("download", { timeout: 120_000 });
  await lib.getByRole("button", { name: "Export", exact: true }).click();
  await (await download).saveAs(file);
  await lib.getByText(/^Exported \d+ of \d+ items/).waitFor({ timeout: 60_000 });
  await lib.keyboard.press("Escape");
  return file;
}

/** Run evidence-verify (built by cargo if needed) on `file`; returns {status, verdict, output}. */
export function verifyArchive(file, head) {
  const args = ["run", "--quiet", "--release", "--bin", "evidence-verify", "--", file];
  if (head) args.push("--head", head);
  const r = spawnSync("cargo", args, { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.error) throw new Error(`could not run cargo: ${r.error.message}`);
  const verdict = r.stdout.match(/VERDICT: (\w+)/)?.[1] ?? null;
  return { status: r.status, verdict, output: r.stdout + r.stderr };
}

/**
 * The whole demo. Returns {archive, screenshot, head, items, verdict}; throws on any
 * failure, including a verdict other than PASS.
 */
export async function runDemo({ site, out = path.join(ROOT, ".cache", "demo"), wait = 10_000, log = console.log } = {}) {
  mkdirSync(out, { recursive: true });
  const archive = path.join(out, "evidence-demo.zip");
  const screenshot = path.join(out, "library.png");
  rmSync(archive, { force: true });
  rmSync(screenshot, { force: true });
  const own = site ? null : await startServer({ roots: { "/": path.join(ROOT, "tests/fixtures/site") } });
  const base = (site ?? own.url).replace(/\/$/, "");
  const profileDir = mkdtempSync(path.join(tmpdir(), "evidence-demo-profile-"));
  let ext = null;
  try {
    await reachable(`${base}/`, wait);
    log(`capturing ${DEMO_PAGES.length} demo pages from ${base}/ in headless Chromium`);
    ext = await launch({ profileDir });
    const lib = await openExtPage(ext, "library.html");
    for (const f of DEMO_PAGES) {
      const item = await capturePage(ext, lib, `${base}/${f}`);
      log(`  saved ${f} as item ${item.seq} · ${String(item.recordSha256 ?? "").slice(0, 12)}`);
    }
    const list = await send(lib, { type: "list" });
    if (!list?.ok || list.items.length !== DEMO_PAGES.length) throw new Error(`the library lists ${list?.items?.length ?? "no"} items, expected ${DEMO_PAGES.length}`);
    const head = list.items.at(-1).chainSha256;
    log("exporting through the library's Export button");
    await exportArchive(lib, archive);
    await lib.setViewportSize({ width: 1280, height: 800 });
    await lib.reload();
    await lib.waitForSelector("body[data-ready=true]");
    await lib.screenshot({ path: screenshot, fullPage: true });
    await ext.close();
    ext = null;
    log("verifying the archive with evidence-verify");
    const v = verifyArchive(archive, head);
    if (v.status !== 0 || v.verdict !== "PASS") throw new Error(`evidence-verify says ${v.verdict ?? "nothing"} (exit ${v.status}):\n${v.output}`);
    return { archive, screenshot, head, items: list.items.length, verdict: v.verdict };
  } finally {
    await ext?.close().catch(() => {});
    rmSync(profileDir, { recursive: true, force: true });
    await own?.close();
  }
}

function argv(name) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = argv("--out") ? path.resolve(argv("--out")) : undefined;
  try {
    if (!existsSync(path.join(ROOT, "dist", "manifest.json"))) throw new Error("dist/ is not built: run ./build.sh first");
    const r = await runDemo({ site: argv("--site"), out, wait: Number(argv("--wait") ?? 10_000) });
    console.log(`
Headless demo done: ${r.items} pages captured through the extension, exported and verified.
  archive:    ${r.archive}
  screenshot: ${r.screenshot}   (the library page)
  head hash:  ${r.head}
  verdict:    ${r.verdict} (evidence-verify --head ${r.head.slice(0, 12)}…)
DEMO OK`);
  } catch (e) {
    console.error(`DEMO FAILED: ${e?.message ?? e}`);
    if (process.env.DEMO_DEBUG) console.error(e?.stack);
    process.exit(1);
  }
}
