#!/usr/bin/env bash
# Lighthouse scores (performance, accessibility, best practices, SEO) of Disan's home, search,
# story and record pages, in both languages, served by a release build over the sample
# collection. Lighthouse runs Debian's chromium with its default mobile emulation and
# simulated throttling. Goal: every score at least 0.95.
#
#   bash benches/lighthouse.sh
#
# Needs node, npm and chromium (/usr/bin/chromium, or CHROMIUM=...); installs Lighthouse into
# benches/lighthouse/node_modules on first run.
set -euo pipefail
cd "$(dirname "$0")/.."
chromium=${CHROMIUM:-/usr/bin/chromium}
[ -d benches/lighthouse/node_modules/lighthouse ] || npm install --prefix benches/lighthouse --no-audit --no-fund --loglevel=error
cargo build --release --quiet
work=$(mktemp -d)
cleanup() { [ -n "${server:-}" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
target/release/disan --archive "$work/archive" --index "$work/index" ingest sample/ha-nam >/dev/null 2>&1
target/release/disan --archive "$work/archive" --index "$work/index" serve --addr 127.0.0.1:0 >"$work/serve.log" &
server=$!
for _ in $(seq 50); do grep -q "serving at" "$work/serve.log" 2>/dev/null && break; sleep 0.1; done
base=$(grep -o 'http://[0-9.:]*' "$work/serve.log" | head -1)
pages=(
  "home /"
  "search /search?q=det+lua"
  "story /records/cau-chuyen-lua-nha-xa"
  "record /records/nha-xa-anh-mau"
  "home(en) /en"
  "search(en) /en/search?q=silk"
  "story(en) /en/records/cau-chuyen-trong-doi-tam"
  "record(en) /en/records/doi-tam-ky-thuat-lam-trong"
)
printf '%-12s %12s %14s %15s %6s\n' page performance accessibility best-practices seo
failed=0
for entry in "${pages[@]}"; do
  name=${entry%% *}; path=${entry#* }
  benches/lighthouse/node_modules/.bin/lighthouse "$base$path" --quiet \
    --chrome-path="$chromium" \
    --chrome-flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run" \
    --only-categories=performance,accessibility,best-practices,seo \
    --output=json --output-path="$work/report.json" >/dev/null 2>&1
  scores=$(python3 - "$work/report.json" <<'PY'
import json, sys
categories = json.load(open(sys.argv[1]))["categories"]
print(" ".join(f"{categories[c]['score']:.2f}" for c in ["performance", "accessibility", "best-practices", "seo"]))
PY
)
  read -r perf a11y best seo <<<"$scores"
  printf '%-12s %12s %14s %15s %6s\n' "$name" "$perf" "$a11y" "$best" "$seo"
  for score in $perf $a11y $best $seo; do
    awk -v s="$score" 'BEGIN { exit !(s < 0.95) }' && failed=1
  done
done
if [ "$failed" = 1 ]; then echo "some score is below 0.95"; exit 1; fi
echo "every score is at least 0.95"
