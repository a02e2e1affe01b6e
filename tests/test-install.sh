#!/bin/bash
# test-install.sh — `meson install` into a DESTDIR puts every file where GNOME expects it
# Copyright 2026 The Sendoff authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-install.sh BUILD_DIR [SOURCE_ROOT]. Prints TAP.
set -u

build=${1:?usage: test-install.sh BUILD_DIR [SOURCE_ROOT]}
root=${2:-${SENDOFF_SOURCE_ROOT:-$(dirname "$0")/..}}
dest=$(mktemp -d "${TMPDIR:-/tmp}/sendoff-install.XXXXXX")
trap 'rm -rf "$dest"' EXIT

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; echo "FAIL: $1" >&2; failed=$((failed + 1)); }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
check() { # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then ok "$what"; else not_ok "$what"; fi
}

# The build's own idea of where things go and what it installs.
eval "$(meson introspect "$build" --buildoptions --installed | python3 -c '
import json, shlex, sys
info = json.load(sys.stdin)
opts, installed = info["buildoptions"], info["installed"]
o = {x["name"]: x["value"] for x in opts}
for k in ("prefix", "bindir", "datadir", "localedir", "mandir", "development", "sandbox"):
    v = o.get(k, "")
    print("opt_%s=%s" % (k, shlex.quote(str(v).lower() if isinstance(v, bool) else str(v))))
print("declared=%s" % shlex.quote("\n".join(sorted(installed.values()))))
')"

if [ "$opt_development" = true ]; then app_id=io.github.sendoff.Sendoff.Devel; else app_id=io.github.sendoff.Sendoff; fi
abs() { case $1 in /*) echo "$1" ;; *) echo "$opt_prefix/$1" ;; esac; }
bindir=$(abs "$opt_bindir")
datadir=$(abs "$opt_datadir")
localedir=$(abs "$opt_localedir")
mandir=$(abs "$opt_mandir")

# Without --no-rebuild: `meson test` builds only what the tests use, so this
# also builds what is installed but no test runs (a no-op after a full build).
log=$(meson install -C "$build" --destdir "$dest" 2>&1)
rc=$?

# TAP plan printed last (allowed by TAP 13) because the count depends on LINGUAS.
if [ $rc -eq 0 ]; then ok "meson install --destdir succeeds"; else
  echo "$log" | tail -20 | sed 's/^/# /'; not_ok "meson install --destdir succeeds"; fi

# Binaries: all three, as far as meson declares them yet (the sandbox only with -Dsandbox=true).
for bin in sendoff sendoff-cli sendoff-sandbox; do
  path=$bindir/$bin
  if [ $bin = sendoff-sandbox ] && [ "$opt_sandbox" = false ]; then
    check "$bin is not installed with -Dsandbox=false" test ! -e "$dest$path"
  elif echo "$declared" | grep -qx "$path"; then
    check "$path is installed and executable" test -x "$dest$path"
  else
    skip "$path is installed and executable" "not declared in meson yet"
  fi
done

expect=(
  "$datadir/applications/$app_id.desktop"
  "$datadir/metainfo/$app_id.metainfo.xml"
  "$datadir/icons/hicolor/scalable/apps/$app_id.svg"
  "$datadir/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
  "$datadir/glib-2.0/schemas/io.github.sendoff.Sendoff.gschema.xml"
  "$datadir/dbus-1/services/$app_id.service"
)
langs=$(sed -e 's/#.*//' "$root/po/LINGUAS" | tr -s ' \t' '\n\n' | grep -v '^$')
for lang in $langs; do
  expect+=("$localedir/$lang/LC_MESSAGES/sendoff.mo")
done
for path in "${expect[@]}"; do
  check "$path is installed" test -s "$dest$path"
done

# Whatever meson says it installs is really there (catches a rename gone wrong).
absent=$(echo "$declared" | while read -r path; do
  [ -n "$path" ] && [ ! -e "$dest$path" ] && echo "$path"; done)
if [ -z "$absent" ]; then ok "every file meson declares is installed"; else
  echo "$absent" | sed 's/^/# not installed: /'; not_ok "every file meson declares is installed"; fi

# The installed files work together.
desktop=$dest$datadir/applications/$app_id.desktop
check "the desktop file's Icon is the installed icon's name" grep -qx "Icon=$app_id" "$desktop"
check "the D-Bus service starts the installed binary" \
  grep -qx "Exec=$bindir/sendoff --gapplication-service" "$dest$datadir/dbus-1/services/$app_id.service"
check "the D-Bus service is named after the application id" \
  grep -qx "Name=$app_id" "$dest$datadir/dbus-1/services/$app_id.service"
check "the metainfo's launchable is the installed desktop file" \
  grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" \
  "$dest$datadir/metainfo/$app_id.metainfo.xml"
check "the installed schema compiles" \
  glib-compile-schemas --strict --dry-run "$dest$datadir/glib-2.0/schemas"
for lang in $langs; do
  check "the desktop file carries the $lang translation" grep -q "^Comment\[$lang\]=" "$desktop"
  check "the metainfo carries the $lang translation" \
    grep -q "<summary xml:lang=\"$lang\">" "$dest$datadir/metainfo/$app_id.metainfo.xml"
done

# The command line's manual pages and shell completion
if command -v scdoc >/dev/null; then
  pages=(sendoff-cli)
  [ "$opt_sandbox" = true ] && pages+=(sendoff-sandbox)
  for page in "${pages[@]}"; do
    path=$dest$mandir/man1/$page.1
    check "$mandir/man1/$page.1 is installed" test -s "$path"
    check "the $page manual page is a roff page named $page(1)" \
      grep -qi "^\.TH \"$page\" \"1\"" "$path"
  done
  for section in "EXIT STATUS" "ENVIRONMENT" "JSON EVENTS" "EXAMPLES"; do
    check "sendoff-cli(1) has $section" grep -q "^\.SH $section" "$dest$mandir/man1/sendoff-cli.1"
  done
  # every option of `send --help` is in the manual page
  missing=$("$build/src/cli/sendoff-cli" send --help 2>/dev/null |
    grep -o -- '--[a-z][a-z-]*' | sort -u | while read -r option; do
      grep -q -- "${option//-/\\-}" "$dest$mandir/man1/sendoff-cli.1" ||
        grep -q -- "$option" "$dest$mandir/man1/sendoff-cli.1" || echo "$option"; done |
    tr '\n' ' ')
  if [ -z "$missing" ]; then ok "sendoff-cli(1) describes every option of send"; else
    not_ok "sendoff-cli(1) describes every option of send (missing: $missing)"; fi
  for word in "destination add" "destination check" "--to" "-o api-url=" "task-id"; do
    check "sendoff-cli(1) documents $word" grep -q -- "$word" "$dest$mandir/man1/sendoff-cli.1"
  done
else
  skip "manual pages are installed" "scdoc is not installed"
fi

bash_completion=$dest$datadir/bash-completion/completions/sendoff-cli
zsh_completion=$dest$datadir/zsh/site-functions/_sendoff-cli
check "the bash completion is installed" test -s "$bash_completion"
check "the zsh completion is installed" test -s "$zsh_completion"
complete_bash() { # words… → what bash completes for the last word
  bash -c '
    completion=$1; shift
    [ -f /usr/share/bash-completion/bash_completion ] || exit 3
    . /usr/share/bash-completion/bash_completion
    . "$completion"
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
    COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _sendoff_cli sendoff-cli "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    printf "%s\n" "${COMPREPLY[@]}"' _ "$bash_completion" "$@"
}
if [ -f /usr/share/bash-completion/bash_completion ]; then
  check "bash completes the subcommands" \
    bash -c '[ "$(printf "%s\n" $1 | sort | tr "\n" " ")" = "send status " ]' _ \
    "$(complete_bash sendoff-cli s)"
  check "bash completes the options of send" \
    grep -qx -- --dry-run <<<"$(complete_bash sendoff-cli send --d)"
  check "bash completes the services" \
    grep -qx wunderlist <<<"$(complete_bash sendoff-cli send --service w)"
  check "bash completes the commands of help" \
    grep -qx logout <<<"$(complete_bash sendoff-cli help lo)"
  check "bash completes the destination commands" \
    grep -qx check <<<"$(complete_bash sendoff-cli destination ch)"
  check "bash completes the option keys of -o" \
    grep -qx task-id= <<<"$(complete_bash sendoff-cli send -o t)"
  check "bash completes --to from “destination list --names”" \
    grep -q "destination list --names" "$bash_completion"
else
  skip "bash completes sendoff-cli" "bash-completion is not installed"
fi
if command -v zsh >/dev/null; then
  check "the zsh completion parses and is a #compdef for sendoff-cli" \
    bash -c 'zsh -n "$1" && head -1 "$1" | grep -qx "#compdef sendoff-cli"' _ "$zsh_completion"
  check "zsh autoloads the completion from site-functions" \
    zsh -f -c 'fpath=("$1" $fpath); autoload -Uz compinit; compinit -u -d "$2";
               [[ ${_comps[sendoff-cli]} == _sendoff-cli ]]' _ \
    "$(dirname "$zsh_completion")" "$dest/zcompdump"
else
  skip "the zsh completion works" "zsh is not installed"
fi

echo "1..$n"
exit $((failed > 0))
