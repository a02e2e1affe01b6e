#!/bin/sh
# test-po.sh — every translation in po/LINGUAS exists and compiles with msgfmt -c --check-format
# Copyright 2026 The Sendoff authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-po.sh [SOURCE_ROOT]   (default: $SENDOFF_SOURCE_ROOT). Prints TAP.
set -u

root=${1:-${SENDOFF_SOURCE_ROOT:-$(dirname "$0")/..}}
po=$root/po
langs=$(sed -e 's/#.*//' "$po/LINGUAS" | tr -s ' \t' '\n\n' | grep -v '^$')
n=0
failed=0

result() { # result OK|FAIL description
  n=$((n + 1))
  if [ "$1" = OK ]; then
    echo "ok $n - $2"
  else
    echo "not ok $n - $2"
    echo "FAIL: $2" >&2
    failed=$((failed + 1))
  fi
}

count=$(($(echo "$langs" | grep -c .) * 3 + 2))
echo "1..$count"

[ -n "$langs" ] && result OK "po/LINGUAS names languages" || result FAIL "po/LINGUAS names languages"

for lang in $langs; do
  file=$po/$lang.po
  if [ ! -f "$file" ]; then
    result FAIL "$lang: po/$lang.po exists"
    result FAIL "$lang: compiles"
    result FAIL "$lang: header"
    continue
  fi
  if out=$(LC_ALL=C msgfmt -c --check-format --statistics -o /dev/null "$file" 2>&1); then
    echo "# $lang: $out"
    result OK "$lang: po/$lang.po compiles with msgfmt -c --check-format"
  else
    echo "$out" | sed 's/^/# /'
    result FAIL "$lang: po/$lang.po compiles with msgfmt -c --check-format"
  fi
  problems=
  grep -q "^\"Language: $lang\\\\n\"" "$file" || problems="$problems no 'Language: $lang' header;"
  grep -q '^"Plural-Forms: nplurals=[0-9]*; plural=.*;\\n"' "$file" ||
    problems="$problems no Plural-Forms header;"
  grep -q '^"Content-Type: text/plain; charset=UTF-8\\n"' "$file" || problems="$problems not UTF-8;"
  if [ -z "$problems" ]; then
    result OK "$lang: headers (Language, Plural-Forms, UTF-8)"
  else
    echo "# $lang:$problems"
    result FAIL "$lang: headers (Language, Plural-Forms, UTF-8)"
  fi
  # A catalog that translates nothing would pass msgfmt; make sure it is real.
  translated=$(LC_ALL=C msgfmt --statistics -o /dev/null "$file" 2>&1 | sed -n 's/^\([0-9]*\) translated.*/\1/p')
  if [ "${translated:-0}" -gt 0 ]; then
    result OK "$lang: has translations ($translated)"
  else
    result FAIL "$lang: has translations"
  fi
done

stray=
for file in "$po"/*.po; do
  [ -e "$file" ] || continue
  lang=$(basename "$file" .po)
  echo "$langs" | grep -qx "$lang" || stray="$stray $lang"
done
if [ -z "$stray" ]; then
  result OK "every po/*.po is listed in po/LINGUAS"
else
  echo "# not in po/LINGUAS:$stray"
  result FAIL "every po/*.po is listed in po/LINGUAS"
fi

exit $((failed > 0))
