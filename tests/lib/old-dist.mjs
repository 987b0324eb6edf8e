// Build an older version of the extension from this clone's git history, the way that
// version's build.sh built it, into a cache keyed by commit:
//   .cache/old-dist/<commit>/dist     (the unpacked extension)
//   .cache/old-dist/<commit>/target   (its own cargo target dir while it builds, so ours is
//                                      never touched; removed once the dist is built)
// Run once by hand with `node tests/lib/old-dist.mjs COMMIT`; the upgrade test calls it too.
// A clone without the commit (a shallow clone) is an error, never a skip.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ROOT } from "./extension.mjs";

const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20, ...opts });
  if (r.error || r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.status}): ${r.error?.message ?? ""}\n${r.stdout ?? ""}${r.stderr ?? ""}`);
  return r.stdout;
};

/** The directory of the built extension at `commit` (built now unless cached). */
export function oldDist(commit) {
  if (!/^[0-9a-f]{40}$/.test(commit)) throw new Error(`give the full 40-digit commit hash, not ${commit}`);
  if (spawnSync("git", ["cat-file", "-e", `${commit}^{commit}`], { cwd: ROOT }).status !== 0) {
    throw new Error(`commit ${commit} is not in this clone's history (a shallow clone?). Fetch the full history (git fetch --unshallow) to run the upgrade test.`);
  }
  const base = path.join(ROOT, ".cache", "old-dist", commit);
  const dist = path.join(base, "dist");
  if (existsSync(path.join(base, "built"))) return dist;
  const src = path.join(base, "src");
  rmSync(src, { recursive: true, force: true });
  rmSync(dist, { recursive: true, force: true });
  rmSync(path.join(base, "built"), { force: true });
  mkdirSync(src, { recursive: true });
  const tar = execFileSync("git", ["archive", "--format=tar", commit], { cwd: ROOT, maxBuffer: 1 << 30 });
  execFileSync("tar", ["-x", "-C", src], { input: tar });
  // The same steps as that commit's build.sh build(): a release wasm32 build, then the
  // wasm-bindgen CLI of exactly the version in its Cargo.lock.
  const lock = readFileSync(path.join(src, "Cargo.lock"), "utf8");
  const want = lock.match(/name = "wasm-bindgen"\nversion = "([^"]+)"/)?.[1];
  const have = run("wasm-bindgen", ["--version"]).trim().split(/\s+/)[1];
  if (want !== have) throw new Error(`${commit.slice(0, 7)} needs wasm-bindgen-cli ${want}, but ${have} is installed`);
  const target = path.join(base, "target");
  run("cargo", ["build", "--locked", "--release", "--target", "wasm32-unknown-unknown", "-p", "evidence-core", "--lib"], { cwd: src, env: { ...process.env, CARGO_TARGET_DIR: target }, stdio: ["ignore", "pipe", "pipe"] });
  mkdirSync(path.join(dist, "wasm"), { recursive: true });
  run("wasm-bindgen", ["--target", "web", "--no-typescript", "--out-dir", path.join(dist, "wasm"), "--out-name", "evidence_core", path.join(target, "wasm32-unknown-unknown/release/evidence_core.wasm")]);
  cpSync(path.join(src, "manifest.json"), path.join(dist, "manifest.json"));
  cpSync(path.join(src, "extension"), dist, { recursive: true });
  writeFileSync(path.join(base, "built"), `${commit}\n`);
  // The dist is what is cached; the sources and the build tree are not needed again.
  rmSync(src, { recursive: true, force: true });
  rmSync(target, { recursive: true, force: true });
  return dist;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(oldDist(process.argv[2]));
}
