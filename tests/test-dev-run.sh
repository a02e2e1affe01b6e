#!/bin/bash
# test-dev-run.sh — `build-aux/dev run` stops everything it started
#
# Copyright 2026 The Sendoff authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-dev-run.sh BUILD_ROOT SOURCE_ROOT (TAP). A stand-in for the
# window (SENDOFF_DEV_APP) checks the sandbox answers with the key it was
# given, then exits, fails or is killed; afterwards no sandbox process, port
# file or data folder may be left, and the script exits 0.
set -uo pipefail

build=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "1..3"

app="$work/app"
cat >"$app" <<'EOF_APP'
#!/bin/bash
# The stand-in: proves the sandbox is up and takes the key, then ends as told
host_port=${SENDOFF_API_URL#http://}
exec 3<>"/dev/tcp/${host_port%:*}/${host_port#*:}" || exit 3
printf 'POST /v1/authorize HTTP/1.1\r\nHost: %s\r\nx-api-key: %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n' \
  "$host_port" "$SENDOFF_API_KEY" >&3
answer=$(head -c 12 <&3)
echo "$SENDOFF_API_URL $answer" >"$STANDIN_REPORT"
case "$STANDIN_END" in
  close) exit 0 ;;
  kill) kill -9 $$ ;;
esac
EOF_APP
chmod +x "$app"

n=0
check_case() {   # end-of-app, description
  local end=$1 what=$2 tmp="$work/tmp-$1" out status url left
  n=$((n + 1))
  mkdir -p "$tmp"
  TMPDIR="$tmp" SENDOFF_DEV_APP="$app" SENDOFF_DEV_NO_BUILD=1 SENDOFF_RUN_BUILDDIR="$build" \
    STANDIN_REPORT="$work/report-$end" STANDIN_END="$end" \
    "$src/build-aux/dev" run >"$work/out-$end" 2>&1
  status=$?
  out=$(cat "$work/out-$end")
  url=$(cut -d' ' -f1 "$work/report-$end" 2>/dev/null)
  left=$(ls -A "$tmp")
  if [ "$status" -ne 0 ]; then
    echo "not ok $n - $what: exit $status"; echo "$out" | sed 's/^/# /'; return
  fi
  if ! grep -q ' HTTP/1.1 200' "$work/report-$end"; then
    echo "not ok $n - $what: the app did not reach the sandbox with its key"
    sed 's/^/# /' "$work/report-$end" 2>/dev/null; echo "$out" | sed 's/^/# /'; return
  fi
  if [ -n "$left" ]; then
    echo "not ok $n - $what: left behind in TMPDIR: $left"; return
  fi
  if pgrep -f -- "--data-dir $tmp/" >/dev/null; then
    echo "not ok $n - $what: a sendoff-sandbox still runs"; return
  fi
  hp=${url#http://}
  if (exec 3<>"/dev/tcp/${hp%:*}/${hp#*:}") 2>/dev/null; then
    echo "not ok $n - $what: $url still answers"; return
  fi
  if ! grep -q "SENDOFF_API_KEY=sandbox-" <<<"$out" || ! grep -q "sendoff-cli send" <<<"$out"; then
    echo "not ok $n - $what: the URL and key for the CLI are not printed"; echo "$out" | sed 's/^/# /'
    return
  fi
  echo "ok $n - $what"
}

check_case close "closing the app stops the sandbox and exits 0"
check_case kill "a killed app (kill -9) stops the sandbox too, exit 0"

# The script interrupted as a terminal does it (the whole process group):
# the sandbox, its port file and its data go too
n=$((n + 1))
tmp="$work/tmp-int"
mkdir -p "$tmp"
cat >"$work/sleeper" <<'EOF_APP'
#!/bin/bash
echo "$SENDOFF_API_URL" >"$STANDIN_REPORT"
sleep 30
EOF_APP
chmod +x "$work/sleeper"
TMPDIR="$tmp" SENDOFF_DEV_APP="$work/sleeper" SENDOFF_DEV_NO_BUILD=1 SENDOFF_RUN_BUILDDIR="$build" \
  STANDIN_REPORT="$work/report-int" setsid "$src/build-aux/dev" run >"$work/out-int" 2>&1 &
dev_pid=$!
for _ in $(seq 100); do [ -s "$work/report-int" ] && break; sleep 0.1; done
kill -TERM -- "-$dev_pid" 2>/dev/null
wait "$dev_pid"
status=$?
left=$(ls -A "$tmp")
if [ "$status" -eq 143 ] && [ -z "$left" ] && ! pgrep -f -- "--data-dir $tmp/" >/dev/null; then
  echo "ok $n - SIGTERM to run stops the sandbox, exit 143"
else
  echo "not ok $n - SIGTERM to run: exit $status, left: $left"; sed 's/^/# /' "$work/out-int"
fi
