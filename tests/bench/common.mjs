// Shared by the benchmarks: the 1280x800 bench page with a few hundred KB of DOM, and statistics.

export function benchPage() {
  const rows = [];
  for (let i = 0; rows.join("").length < 350_000; i++) {
    rows.push(`<article role="article" class="post"><header><a rel="author" href="/u/user${i % 40}">User ${i % 40}</a>
      <time datetime="2026-11-2${i % 5}T1${i % 10}:0${i % 6}:00Z">${i % 23}h</time></header>
      <p>Message ${i}: ${"you cannot hide from me, I see everything you post. ".repeat(3)}</p>
      <footer><a href="/p/${1000 + i}">permalink</a> · <span>${i * 7} likes</span></footer></article>`);
  }
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Bench feed</title>
    <style>body{font:15px system-ui;margin:0 auto;max-width:700px}.post{border-bottom:1px solid #ddd;padding:12px}</style>
    </head><body><h1>Feed</h1>${rows.join("\n")}</body></html>`;
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
export const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

