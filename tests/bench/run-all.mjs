// ./build.sh bench: runs every benchmark one after the other (never two at once on a
// 2-core machine), collects each one's "BENCH {...}" line, and prints one table and one
// final "BENCH {...}" line with every field.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const benches = ["capture-bench.mjs", "library-bench.mjs", "export-bench.mjs", "restore-bench.mjs", "firefox-bench.mjs", "conversation-bench.mjs"].filter((f) => existsSync(path.join(here, f)));
const all = {};
let failed = false;
for (const b of benches) {
  console.log(`\n== ${b}`);
  const r = spawnSync(process.execPath, [path.join(here, b)], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 * 1024 * 1024 });
  process.stdout.write(r.stdout ?? "");
  const line = (r.stdout ?? "").split("\n").reverse().find((l) => l.startsWith("BENCH "));
  if (r.status !== 0 || !line) {
    console.log(`!! ${b} failed (exit ${r.status})`);
    failed = true;
    continue;
  }
  Object.assign(all, JSON.parse(line.slice(6)));
}
console.log("\n| field | value |\n| --- | --- |");
for (const [k, v] of Object.entries(all)) console.log(`| ${k} | ${v} |`);
console.log(`BENCH ${JSON.stringify(all)}`);
process.exit(failed ? 1 : 0);
