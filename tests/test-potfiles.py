#!/usr/bin/env python3
# test-potfiles.py — po/POTFILES.in lists every file with translatable strings, and only files that exist
# Copyright 2026 The Sendoff authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-potfiles.py [--update] [SOURCE_ROOT]   (default: $SENDOFF_SOURCE_ROOT, then ../)
# Prints TAP; with --update, rewrites po/POTFILES.in from the scan instead. Scans src/ and data/ for the gettext markers the build's xgettext
# call knows (_(), N_(), C_(), NC_(), ngettext(), translatable="yes"), plus the
# desktop, metainfo and settings schema files, whose strings are always translatable.

import os
import re
import sys

C_MARKERS = re.compile(r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_)\s*\(\s*"|ngettext\s*\(')
UI_MARKER = re.compile(r'translatable\s*=\s*"(?:yes|true|1)"')
C_SUFFIXES = ('.c', '.h')
UI_SUFFIXES = ('.ui',)
DATA_SUFFIXES = ('.desktop.in', '.metainfo.xml.in', '.appdata.xml.in', '.gschema.xml')


def strip_c_comments(text):
    """Drops /* */ and // comments so that a commented-out _("…") does not count."""
    pattern = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)
    return pattern.sub(lambda m: m.group(0) if m.group(0)[0] in '"\'' else ' ', text)


def has_strings(path):
    with open(path, encoding='utf-8', errors='replace') as f:
        text = f.read()
    if path.endswith(C_SUFFIXES):
        return C_MARKERS.search(strip_c_comments(text)) is not None
    if path.endswith(UI_SUFFIXES):
        return UI_MARKER.search(text) is not None
    if path.endswith(DATA_SUFFIXES):
        return True
    return False


def wanted(root):
    found = set()
    for top in ('src', 'data'):
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(('.', '_build')))
            for name in filenames:
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root)
                if has_strings(path):
                    found.add(rel)
    return found


def listed(root):
    entries = []
    with open(os.path.join(root, 'po', 'POTFILES.in'), encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith('#'):
                entries.append(line)
    return entries


HEADER = '''# po/POTFILES.in — files with translatable strings (tests/test-potfiles.py checks it;
# `tests/test-potfiles.py --update` rewrites it)
# SPDX-License-Identifier: GPL-3.0-or-later
'''


def update(root):
    need = sorted(wanted(root), key=lambda p: (not p.startswith('data/'), p))
    with open(os.path.join(root, 'po', 'POTFILES.in'), 'w', encoding='utf-8') as f:
        f.write(HEADER + ''.join(p + '\n' for p in need))
    print('po/POTFILES.in: %d files' % len(need))
    return 0


def main():
    args = sys.argv[1:]
    do_update = '--update' in args
    args = [a for a in args if a != '--update']
    root = (args[0] if args else os.environ.get('SENDOFF_SOURCE_ROOT')) or \
        os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
    if do_update:
        return update(root)
    entries = listed(root)
    need = wanted(root)
    checks = []

    missing = sorted(need - set(entries))
    checks.append(('every file with translatable strings is in po/POTFILES.in',
                   ['missing from po/POTFILES.in: ' + m for m in missing]))

    gone = [e for e in entries if not os.path.isfile(os.path.join(root, e))]
    checks.append(('every file in po/POTFILES.in exists',
                   ['listed in po/POTFILES.in but not found: ' + g for g in gone]))

    dupes = sorted({e for e in entries if entries.count(e) > 1})
    checks.append(('po/POTFILES.in lists each file once',
                   ['listed more than once: ' + d for d in dupes]))

    unmarked = [e for e in entries if e not in gone and e not in need]
    checks.append(('every file in po/POTFILES.in has translatable strings',
                   ['no translatable strings in ' + u for u in unmarked]))

    if not need:
        checks.append(('the scan found files to check', ['no file with translatable strings under '
                                                        + root]))

    print('1..%d' % len(checks))
    failed = 0
    for n, (name, problems) in enumerate(checks, 1):
        for p in problems:
            print('# ' + p)
            print(p, file=sys.stderr)
        if problems:
            failed += 1
        print('%s %d - %s' % ('not ok' if problems else 'ok', n, name))
    print('# %d files with translatable strings, %d listed' % (len(need), len(entries)))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
