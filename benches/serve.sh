#!/usr/bin/env bash
# Serving benchmark: Disan's record page and search API against nginx serving a static file.
#
# What it measures, side by side in one run, with wrk (Debian package `wrk`):
#   1. nginx serving `record.html`, a saved copy (fetched with curl from Disan in this same run)
#      of the record page /records/doi-tam-ky-thuat-lam-trong, with the same Content-Type. This
#      is the ceiling: the same bytes with no work behind them.
#   2. Disan's record pages: that technique record (Markdown body) and a photo record, and the
#      technique record again asked for with Accept-Encoding: br (a browser's request; the
#      compressed page is kept with the page, so it should cost no more than the plain one).
#   3. Disan's search API: /api/search?q=trong and the unaccented two-word /api/search?q=det+lua.
#   4. Signed in (issue 13): a researcher sending a personal API token (`disan user token`), for
#      the technique record and for the sample's researchers-only record (whose views are
#      logged), each against nginx serving that page as the researcher got it.
# For each: requests/second and wrk's latency p50/p99, then the ratios Disan/nginx.
#
# Why: a record page is rendered from the archive (inventory, record.json, Markdown, template)
# and then kept, validated on every request by one stat of the object's inventory, so a repeated
# request costs little next to sending a file. Goals (issue 13): the anonymous record page >= 0.7 x
# nginx's request rate, a signed-in researcher's pages >= 0.5 x nginx serving the same page.
# The first request of each record pays the rendering; wrk's repeated requests measure the
# validated cache. Search is not cached: every request runs the query, facets and snippets. A
# missed goal prints MISSED and still exits 0; the script exits non-zero only when something
# failed to run (build, server start, a non-200 page, wrk errors or non-2xx responses).
#
# Run from the repository root:  bash benches/serve.sh
# It ingests the bundled sample batch (sample/ha-nam) into a temporary archive and index with
# `disan demo`, serves it on 127.0.0.1 (a free port), starts nginx in the foreground on another
# loopback port with its own minimal config in a temporary folder, and removes all of it at the
# end. It builds target/release/disan with `cargo build --release` (a no-op when up to date; set
# DISAN_NO_BUILD=1 to use the existing binary, or DISAN_BIN=path for another one) and installs
# wrk and nginx-light with apt-get when they are missing.
#
# Knobs (environment): THREADS (wrk -t, 2), CONNECTIONS (wrk -c, 32), DURATION (10s),
# WARMUP (2s, an unrecorded wrk run before each measured one), NGINX_WORKERS (auto).
#
# Caveat printed with the results: wrk runs on the same machine and shares its cores with the
# server it measures, so the absolute numbers are lower than on separate machines; the ratios
# are the point, and both servers face the same handicap.

set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
NGINX_WORKERS=${NGINX_WORKERS:-auto}
GOAL=0.7
SIGNED_GOAL=0.5
RESEARCHERS_ID=mau-quyen-truy-cap-nha-nghien-cuu # the sample's researchers-only record
RECORD_ID=doi-tam-ky-thuat-lam-trong # the page nginx serves a copy of; the goal is about it
PHOTO_ID=doi-tam-anh-mau
QUERIES=(trong det+lua)

die() {
    echo "serve.sh: FAILED: $*" >&2
    exit 1
}

# --- Clean-up: stop the servers we started (by pid) and remove the temporary folder. ---
TMP=""
DISAN_PID=""
NGINX_PID=""
stop() { # pid
    local pid=$1 i
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop "$NGINX_PID"
    stop "$DISAN_PID"
    [[ -n $TMP ]] && rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- Tools. ---
SUDO=""
[[ $(id -u) -eq 0 ]] || SUDO=sudo
find_nginx() { command -v nginx || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; } || true; }
missing=()
command -v wrk >/dev/null || missing+=(wrk)
[[ -n $(find_nginx) ]] || missing+=(nginx-light)
command -v curl >/dev/null || missing+=(curl)
if ((${#missing[@]})); then
    echo "Installing ${missing[*]} with apt-get ..."
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
NGINX=$(find_nginx)
[[ -n $NGINX ]] || die "nginx not found after installing nginx-light"
command -v wrk >/dev/null || die "wrk not found after installing it"

if [[ -n ${DISAN_BIN:-} ]]; then
    BIN=$DISAN_BIN
else
    BIN=target/release/disan
    if [[ -z ${DISAN_NO_BUILD:-} || ! -x $BIN ]]; then
        command -v cargo >/dev/null || die "cargo is needed to build $BIN"
        echo "Building $BIN (cargo build --release) ..."
        cargo build --release --quiet --bin disan || die "cargo build --release failed"
    fi
fi
[[ -x $BIN ]] || die "no Disan binary at $BIN"
"$BIN" demo --help >/dev/null 2>&1 || die "$BIN has no 'demo' subcommand (stale binary?)"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/disan-serve-bench.XXXXXX")
# nginx workers may run as another user (nobody) when started by root: let them read the copy.
chmod 755 "$TMP"
mkdir -p "$TMP/www" "$TMP/nginx" "$TMP/wrk"
chmod 755 "$TMP/www"

# --- Disan: ingest the sample batch into a temporary archive and serve it on a free port. ---
DISAN_CLI=("$BIN" --archive "$TMP/archive" --index "$TMP/index" --accounts "$TMP/accounts.sqlite")
"${DISAN_CLI[@]}" demo --addr 127.0.0.1:0 \
    >"$TMP/disan.log" 2>&1 &
DISAN_PID=$!
DISAN=""
for _ in $(seq 600); do
    DISAN=$(sed -n 's|^Disan is serving at \(http://127\.0\.0\.1:[0-9]*\)/.*|\1|p' "$TMP/disan.log")
    [[ -n $DISAN ]] && break
    kill -0 "$DISAN_PID" 2>/dev/null || {
        cat "$TMP/disan.log" >&2
        die "disan demo exited before serving"
    }
    sleep 0.2
done
[[ -n $DISAN ]] || {
    cat "$TMP/disan.log" >&2
    die "disan demo did not start serving within 120 s"
}

# fetch URL OUTFILE: GET, require 200, print the Content-Type.
fetch() {
    local status ctype
    read -r status ctype < <(curl -sS -o "$2" -w '%{http_code} %{content_type}\n' "$1") ||
        die "curl $1 failed"
    [[ $status == 200 ]] || die "GET $1 answered $status, not 200"
    [[ -s $2 ]] || die "GET $1 answered an empty body"
    echo "$ctype"
}

# The records exist (in the search listing and as pages), and each query finds something.
fetch "$DISAN/api/search" "$TMP/listing.json" >/dev/null
for id in "$RECORD_ID" "$PHOTO_ID"; do
    fetch "$DISAN/api/records/$id" "$TMP/check.json" >/dev/null
    grep -q "\"id\":\"$id\"" "$TMP/listing.json" ||
        echo "note: $id is not on the first page of /api/search (it exists: /api/records/$id is 200)"
done
for q in "${QUERIES[@]}"; do
    fetch "$DISAN/api/search?q=$q" "$TMP/check.json" >/dev/null
    grep -q '"id":"' "$TMP/check.json" || die "/api/search?q=$q found no records"
done
fetch "$DISAN/records/$PHOTO_ID" "$TMP/check.html" >/dev/null

# The saved copy for nginx, with the Content-Type Disan sent.
CTYPE=$(fetch "$DISAN/records/$RECORD_ID" "$TMP/www/record.html")
chmod 644 "$TMP/www/record.html"
[[ -n $CTYPE ]] || die "Disan sent no Content-Type for /records/$RECORD_ID"

# A researcher with a personal API token (the demo has made the accounts database by now).
echo 'trống đồng Đọi Tam' | "${DISAN_CLI[@]}" user add bench-researcher --role researcher \
    --password-stdin >/dev/null || die "disan user add failed"
TOKEN=$("${DISAN_CLI[@]}" user token bench-researcher | awk '{print $1}')
[[ $TOKEN == disan_* ]] || die "disan user token printed no token"
SIGNED="Authorization: Bearer $TOKEN"
# The pages as the researcher gets them, saved for nginx.
for page in "$RECORD_ID" "$RESEARCHERS_ID"; do
    status=$(curl -sS -H "$SIGNED" -o "$TMP/www/signed-$page.html" -w '%{http_code}' \
        "$DISAN/records/$page") || die "curl (signed in) /records/$page failed"
    [[ $status == 200 ]] || die "GET /records/$page signed in answered $status, not 200"
    chmod 644 "$TMP/www/signed-$page.html"
done
status=$(curl -sS -o /dev/null -w '%{http_code}' "$DISAN/records/$RESEARCHERS_ID")
[[ $status == 404 ]] || die "GET /records/$RESEARCHERS_ID anonymous answered $status, not 404"

# --- nginx: foreground, minimal config, loopback, a free port (retried if taken). ---
temp_paths="client_body_temp_path $TMP/nginx/body; proxy_temp_path $TMP/nginx/proxy;"
for m in fastcgi scgi uwsgi; do
    "$NGINX" -V 2>&1 | grep -q -- "--without-http_${m}_module" ||
        temp_paths+=" ${m}_temp_path $TMP/nginx/$m;"
done
NGINX_URL=""
for _ in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 40000))
    cat >"$TMP/nginx/nginx.conf" <<EOF
worker_processes $NGINX_WORKERS;
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;   # like Disan (hyper): no per-connection request limit
    $temp_paths
    types { }
    default_type "$CTYPE";
    server {
        listen 127.0.0.1:$port;
        root $TMP/www;
    }
}
EOF
    "$NGINX" -p "$TMP/nginx" -e "$TMP/nginx/error.log" -c "$TMP/nginx/nginx.conf" \
        >>"$TMP/nginx/stdout.log" 2>&1 &
    NGINX_PID=$!
    for _ in $(seq 50); do
        kill -0 "$NGINX_PID" 2>/dev/null || break
        if curl -sf -o /dev/null "http://127.0.0.1:$port/record.html"; then
            NGINX_URL="http://127.0.0.1:$port"
            break
        fi
        sleep 0.1
    done
    [[ -n $NGINX_URL ]] && break
    stop "$NGINX_PID"
    NGINX_PID=""
done
[[ -n $NGINX_URL ]] || {
    cat "$TMP/nginx/error.log" "$TMP/nginx/stdout.log" >&2 2>/dev/null || true
    die "nginx did not start"
}
NGINX_CTYPE=$(fetch "$NGINX_URL/record.html" "$TMP/nginx-copy.html")
[[ $NGINX_CTYPE == "$CTYPE" ]] ||
    die "nginx sends Content-Type '$NGINX_CTYPE', Disan '$CTYPE'"
cmp -s "$TMP/nginx-copy.html" "$TMP/www/record.html" || die "nginx does not serve the saved copy"

# --- Measure. ---
# bench NAME URL: a warm-up run, then the measured run; fails loudly on any wrk error.
labels=()
declare -A RPS P50 P99
check_wrk() { # output-file what
    grep -q '^Requests/sec:' "$1" || {
        cat "$1" >&2
        die "wrk $2: no result"
    }
    if grep -q 'Non-2xx or 3xx responses' "$1"; then
        cat "$1" >&2
        die "wrk $2: non-2xx responses ($(awk -F: '/Non-2xx/{gsub(/ /,"",$2); print $2}' "$1"))"
    fi
    if grep -q 'Socket errors' "$1"; then
        cat "$1" >&2
        die "wrk $2: $(grep 'Socket errors' "$1" | sed 's/^ *//')"
    fi
}
# bench NAME URL [HEADER]: HEADER ("Name: value") is sent with every request.
bench() {
    local name=$1 url=$2 out
    local header=(${3:+-H "$3"})
    out="$TMP/wrk/${#labels[@]}"
    wrk "${header[@]}" -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$url" >"$out.warmup" 2>&1 ||
        { cat "$out.warmup" >&2; die "wrk warm-up of $url failed"; }
    check_wrk "$out.warmup" "warm-up of $url"
    wrk "${header[@]}" -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url" >"$out" 2>&1 ||
        { cat "$out" >&2; die "wrk $url failed"; }
    check_wrk "$out" "$url"
    echo "--- $name: $url"
    sed -n '/^ *Latency Distribution/,$p' "$out" | grep -v '^Transfer/sec\|^ *Latency Distribution' |
        sed 's/^ */    /' | grep -v '^    \(75\|90\)%' || true
    labels+=("$name")
    RPS[$name]=$(awk '/^Requests\/sec:/{print $2}' "$out")
    P50[$name]=$(awk '$1=="50%"{print $2}' "$out")
    P99[$name]=$(awk '$1=="99%"{print $2}' "$out")
}

cores=$(nproc)
echo
echo "Disan serving benchmark — $(git describe --always --dirty 2>/dev/null || echo 'no git') — $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "Machine: $cores cores ($(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')), load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
echo "NOTE: wrk runs on the same $cores cores as the server it measures; they compete for CPU."
echo "wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'): -t$THREADS -c$CONNECTIONS -d$DURATION --latency, after a $WARMUP warm-up run; one target at a time."
echo "nginx $("$NGINX" -v 2>&1 | sed 's|.*nginx/||'): worker_processes $NGINX_WORKERS, access_log off, sendfile on, serving record.html ($(wc -c <"$TMP/www/record.html") bytes, Content-Type: $CTYPE),"
echo "  a copy of Disan's /records/$RECORD_ID fetched with curl in this run."
echo "Disan: $BIN demo (sample/ha-nam, fresh temporary archive), tokio runtime (one worker thread per core)."
echo

bench "nginx static copy" "$NGINX_URL/record.html"
bench "Disan record ($RECORD_ID)" "$DISAN/records/$RECORD_ID"
encoding=$(curl -sS -o /dev/null -H 'Accept-Encoding: br' -w '%header{content-encoding}' \
    "$DISAN/records/$RECORD_ID") || die "curl with Accept-Encoding: br failed"
[[ $encoding == br ]] || die "Disan answered Accept-Encoding: br with '$encoding', not br"
bench "Disan record, br ($RECORD_ID)" "$DISAN/records/$RECORD_ID" "Accept-Encoding: br"
bench "Disan record ($PHOTO_ID)" "$DISAN/records/$PHOTO_ID"
for q in "${QUERIES[@]}"; do
    bench "Disan search q=$q" "$DISAN/api/search?q=$q"
done
bench "nginx static copy, signed-in technique page" "$NGINX_URL/signed-$RECORD_ID.html"
bench "Disan record, signed in ($RECORD_ID)" "$DISAN/records/$RECORD_ID" "$SIGNED"
bench "nginx static copy, researchers' page" "$NGINX_URL/signed-$RESEARCHERS_ID.html"
bench "Disan researchers' record, signed in" "$DISAN/records/$RESEARCHERS_ID" "$SIGNED"

# Disan must still be alive (wrk would have reported errors otherwise, but say so if not).
kill -0 "$DISAN_PID" 2>/dev/null || die "Disan exited during the benchmark"

# --- Report. ---
base=${RPS["nginx static copy"]}
echo
printf '%-44s %12s %10s %10s %12s\n' "target" "requests/s" "p50" "p99" "x nginx"
for name in "${labels[@]}"; do
    printf '%-44s %12s %10s %10s %12s\n' "$name" "${RPS[$name]}" "${P50[$name]}" "${P99[$name]}" \
        "$(awk -v a="${RPS[$name]}" -v b="$base" 'BEGIN{printf "%.3f", a/b}')"
done
echo
echo "Ratios (requests/s over nginx's for the anonymous static copy of /records/$RECORD_ID; the goals below compare each page with its own copy):"
for name in "${labels[@]}"; do
    [[ $name == "nginx static copy" ]] && continue
    printf '  %-56s %s\n' "$name / nginx" \
        "$(awk -v a="${RPS[$name]}" -v b="$base" 'BEGIN{printf "%.3f", a/b}')"
done
echo
# goal WHAT DISAN NGINX GOAL: one goal line, the ratio of two measured rates.
goal() {
    local ratio
    ratio=$(awk -v a="${RPS[$2]}" -v b="${RPS[$3]}" 'BEGIN{printf "%.3f", a/b}')
    if awk -v r="$ratio" -v g="$4" 'BEGIN{exit !(r >= g)}'; then
        echo "Goal: $1 >= $4 x nginx (same page): met ($ratio)"
    else
        echo "Goal: $1 >= $4 x nginx (same page): MISSED ($ratio)"
    fi
}
goal "anonymous record page" "Disan record ($RECORD_ID)" "nginx static copy" "$GOAL"
goal "signed-in researcher, technique page" "Disan record, signed in ($RECORD_ID)" \
    "nginx static copy, signed-in technique page" "$SIGNED_GOAL"
goal "signed-in researcher, researchers' page" "Disan researchers' record, signed in" \
    "nginx static copy, researchers' page" "$SIGNED_GOAL"
