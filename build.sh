#!/usr/bin/env bash
# One entry point for the project.
#   ./build.sh            build dist/ (the unpacked extension)
#   ./build.sh run        install what running needs (Rust wasm target, wasm-bindgen-cli, Chromium,
#                         node deps), build, open Chromium with dist/ on a demo page; with no
#                         display, capture, export and verify the demo pages headless instead
#   ./build.sh run firefox   the same in Firefox ESR (dist/ as a temporary add-on)
#   ./build.sh test       install everything the tests need (also Firefox, chromedriver, geckodriver,
#                         poppler, unzip, age), then run every test (Rust, WASM boundary, end-to-end)
#   ./build.sh bench      set up, build, run the benchmarks (prints a table and a final BENCH line)
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
FIREFOX=${FIREFOX:-/usr/bin/firefox-esr}
GECKODRIVER_VERSION=0.37.1
export CHROMIUM CHROMEDRIVER FIREFOX
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# The wasm-bindgen CLI must be exactly the version of the wasm-bindgen crate in Cargo.lock.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]} (apt)"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# What each command needs, and nothing more:
#   setup_build    the Rust wasm32 target, wasm-bindgen-cli and the font report.pdf embeds (./build.sh)
#   setup_run      + Chromium and the node dependencies (./build.sh run)
#   setup_firefox  + Firefox ESR (./build.sh run firefox)
#   setup_test     + chromedriver, geckodriver, poppler, qpdf, unzip and age (./build.sh test)
setup_build() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  [ -f Cargo.lock ] || cargo generate-lockfile
  # DejaVu Sans, compiled into the core for report.pdf (crate/build.rs finds it).
  [ -n "${EVIDENCE_PDF_FONT:-}" ] || apt_install fonts-dejavu-core
  local want have
  want=$(wasm_bindgen_version)
  have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
  if [ "$have" != "$want" ]; then
    log "installing wasm-bindgen-cli $want (takes a few minutes once)"
    cargo install wasm-bindgen-cli --version "$want"
  fi
}

setup_run() {
  setup_build
  [ -x "$CHROMIUM" ] || apt_install chromium
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "installing node dependencies"
    npm ci --no-audit --no-fund
  fi
}

setup_firefox() {
  [ -x "$FIREFOX" ] || apt_install firefox-esr
}

setup_test() {
  setup_run
  setup_firefox
  [ -x "$CHROMEDRIVER" ] || apt_install chromium-driver
  # geckodriver runs the WASM boundary tests in Firefox too (Debian has no package for it).
  if [ "$(geckodriver --version 2>/dev/null | head -1 | awk '{print $2}')" != "$GECKODRIVER_VERSION" ]; then
    log "installing geckodriver $GECKODRIVER_VERSION (takes a few minutes once)"
    cargo install geckodriver --version "$GECKODRIVER_VERSION"
  fi
  command -v pdftoppm >/dev/null 2>&1 || apt_install poppler-utils
  command -v qpdf >/dev/null 2>&1 || apt_install qpdf
  command -v unzip >/dev/null 2>&1 || apt_install unzip
  # The age tool: a test decrypts our encrypted data with it, to show the format is standard.
  command -v age >/dev/null 2>&1 || apt_install age
  # The upgrade test builds today's main from the git history.
  command -v git >/dev/null 2>&1 || apt_install git
  # Trusted timestamps: the test TSA is `openssl ts -reply`; rfc3161-client (Python) is the
  # second, independent verifier of the exported tokens, in its own venv under .cache/.
  command -v openssl >/dev/null 2>&1 || apt_install openssl
  python3 -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv
  if ! .cache/tsa-venv/bin/python -c 'import rfc3161_client' 2>/dev/null; then
    log "installing rfc3161-client (Python) into .cache/tsa-venv"
    python3 -m venv .cache/tsa-venv
    .cache/tsa-venv/bin/pip install --quiet "rfc3161-client==1.0.9"
  fi
}

build() {
  log "building the WASM core"
  cargo build --release --target wasm32-unknown-unknown -p evidence-core --lib
  rm -rf dist dist-release
  mkdir -p dist/wasm
  wasm-bindgen --target web --out-dir dist/wasm --out-name evidence_core \
    target/wasm32-unknown-unknown/release/evidence_core.wasm
  # No wasm-opt: Debian's binaryen (108) predates wasm-bindgen's externref table and
  # produces a module that fails to instantiate. rustc's release build is optimised already.
  cp manifest.json dist/
  # Layout: extension/ is copied as it is (background/, content/, store/, shared/, pages/,
  # icons/), so every module keeps its folder and its relative imports resolve unchanged;
  # only each page's HTML moves from pages/<page>/ to the dist/ root, where the automation
  # surface expects it (popup.html, library.html ...). The HTML loads its scripts and styles
  # by absolute path from the extension root (/pages/library/library.js, /shared/common.css),
  # so it works from the root without rewriting, and its links to other pages ("library.html")
  # resolve at the root too. The worker stays background/sw.js (found by a URL ending in /sw.js).
  cp -r extension/. dist/
  local page
  for page in dist/pages/*/; do
    mv "$page"*.html dist/
  done
  log "built dist/ ($(du -sh dist | cut -f1))"
  standalone_verifier
}

# The standalone verifier, a release file beside dist/ (never inside an archive it would
# check): one self-contained dist-release/verify.html, made from
# tools/standalone-verify/verify.template.html by filling in its placeholder lines:
#   @@COMMON_CSS@@    extension/shared/common.css, the extension's own stylesheet;
#   @@VERIFY_STYLE@@  and @@VERIFY_FORM@@, the parts of extension/pages/verify/verify.html
#                     between its <!-- begin NAME --> and <!-- end NAME --> comments (one
#                     source for the form both verifiers show);
#   @@SCRIPTS@@       wasm-bindgen's no-modules glue, the same WASM core as base64, then one
#                     module script: extension/pages/verify/report-view.js (no imports; it
#                     reads the form and shows the report) and tools/standalone-verify/page.js.
# Opened from disk it works offline in Chromium and Firefox. Plain shell (coreutils, awk),
# so building needs no node.
VERIFY_PAGE=extension/pages/verify/verify.html
VERIFY_VIEW=extension/pages/verify/report-view.js

# The lines of verify.html between <!-- begin $1 ... --> and <!-- end $1 -->; fails when
# there are none (a marker was renamed or lost).
verify_page_part() {
  local part
  part=$(awk -v begin="<!-- begin $1" -v end="<!-- end $1 -->" \
    'index($0, end) { on = 0 } on { print } index($0, begin) { on = 1 }' "$VERIFY_PAGE")
  if [ -z "$part" ]; then
    echo "$VERIFY_PAGE has no part between <!-- begin $1 --> and <!-- end $1 -->" >&2
    return 1
  fi
  printf '%s\n' "$part"
}

standalone_scripts() {
  local tmp=$1
  printf '<script>\n'
  cat "$tmp/evidence_core.js"
  printf '</script>\n<script>const EVIDENCE_WASM_BASE64 = "'
  base64 -w0 "$tmp/evidence_core_bg.wasm"
  printf '";</script>\n<script type="module">\n'
  cat "$VERIFY_VIEW" tools/standalone-verify/page.js
  printf '</script>\n'
}

standalone_verifier() {
  local tmp=target/standalone-verify out=dist-release/verify.html
  local template=tools/standalone-verify/verify.template.html
  rm -rf "$tmp" && mkdir -p "$tmp" dist-release
  wasm-bindgen --target no-modules --no-typescript --out-dir "$tmp" --out-name evidence_core \
    target/wasm32-unknown-unknown/release/evidence_core.wasm
  if grep -qi '</script' "$tmp/evidence_core.js" "$VERIFY_VIEW" tools/standalone-verify/page.js; then
    echo "a script to inline contains </script" >&2
    return 1
  fi
  if grep -qE '^\s*import\b' "$VERIFY_VIEW"; then
    echo "$VERIFY_VIEW imports a module: the standalone verifier cannot load it" >&2
    return 1
  fi
  if grep -qi '</style' extension/shared/common.css; then
    echo "common.css contains </style" >&2
    return 1
  fi
  local line
  while IFS= read -r line; do
    case "$line" in
      *@@COMMON_CSS@@*) cat extension/shared/common.css ;;
      *@@VERIFY_STYLE@@*) verify_page_part verify-style ;;
      *@@VERIFY_FORM@@*) verify_page_part verify-form ;;
      *@@SCRIPTS@@*) standalone_scripts "$tmp" ;;
      *) printf '%s\n' "$line" ;;
    esac
  done < "$template" > "$out.part"
  mv "$out.part" "$out"
  log "built $out ($(du -h "$out" | cut -f1)), the standalone verifier"
}

run() {
  local browser=${1:-chromium}
  setup_run
  if [ "$browser" = firefox ]; then setup_firefox; fi
  build
  local port=8765
  log "serving the demo pages on http://127.0.0.1:$port/"
  node tests/lib/serve-demo.mjs "$port" &
  local server=$!
  # Expanded now: the trap runs after run() has returned, when $server is out of scope.
  trap "kill $server 2>/dev/null || true" EXIT
  if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    log "no display: running the demo headless (capture, export, verify)"
    if ! node tests/lib/demo.mjs --site "http://127.0.0.1:$port" --out "$ROOT/.cache/demo"; then
      printf '\n\033[1;31mThe headless demo failed (see DEMO FAILED above): the extension did not capture, export and verify the demo pages.\033[0m\n' >&2
      exit 1
    fi
    if ! kill -0 "$server" 2>/dev/null; then
      echo "The demo server on port $port stopped (is the port in use?)." >&2
      exit 1
    fi
    cat <<MSG

No display found, so the browser cannot be opened here. To use the extension:
  Chromium/Chrome: open chrome://extensions, turn on "Developer mode", click "Load unpacked"
                   and choose $ROOT/dist
  Firefox:         open about:debugging#/runtime/this-firefox, click "Load Temporary Add-on…"
                   and choose $ROOT/dist/manifest.json
Then open a page with messages (the demo pages are at http://127.0.0.1:$port/ while this
runs), click the extension's toolbar button, then "Capture this page".
Press Ctrl+C to stop the demo server.
MSG
    wait $server
    return
  fi
  if [ "$browser" = firefox ]; then
    npx web-ext run --source-dir "$ROOT/dist" --firefox="$FIREFOX" --start-url "http://127.0.0.1:$port/" || true
    return
  fi
  local profile
  profile=$(mktemp -d)
  "$CHROMIUM" --user-data-dir="$profile" --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync \
    --disable-extensions-except="$ROOT/dist" --load-extension="$ROOT/dist" \
    "http://127.0.0.1:$port/" || true
}

test_all() {
  setup_test
  log "cargo fmt --check"
  cargo fmt --all -- --check
  log "cargo clippy"
  cargo clippy --all-targets -- -D warnings
  log "native tests"
  cargo test --all-targets
  log "WASM boundary tests in headless Chromium"
  (cd crate && CHROMEDRIVER="$CHROMEDRIVER" cargo test --target wasm32-unknown-unknown --test wasm_boundary)
  log "WASM boundary tests in headless Firefox"
  (cd crate && GECKODRIVER="$(command -v geckodriver)" cargo test --target wasm32-unknown-unknown --test wasm_boundary)
  build
  # The extension's JS (// @ts-check modules) against wasm-bindgen's declarations in dist/wasm.
  log "type-checking the extension's JS (tsc --noEmit)"
  node_modules/.bin/tsc --noEmit -p tsconfig.json
  log "end-to-end tests in headless Chromium"
  node --test --test-concurrency=1 tests/
}

bench() {
  setup_run
  setup_firefox
  build
  node tests/bench/run-all.mjs
}

case "${1:-build}" in
  build) setup_build; build ;;
  run) run "${2:-chromium}" ;;
  test) test_all ;;
  bench) bench ;;
  *) echo "usage: $0 [build|run|test|bench]" >&2; exit 2 ;;
esac
