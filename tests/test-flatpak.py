#!/usr/bin/env python3
# test-flatpak.py — the Flatpak manifest loads in flatpak-builder and asks for no more than it needs
# Copyright 2026 The Sendoff authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-flatpak.py [SOURCE_ROOT]   (default: $SENDOFF_SOURCE_ROOT). Prints TAP.
# Building the Flatpak needs the GNOME runtime from a remote; this only checks
# what can be checked offline: flatpak-builder's own reading of the manifest.

import json
import os
import subprocess
import sys

APP_ID = 'io.github.sendoff.Sendoff'
FINISH_ARGS = ['--share=network', '--share=ipc', '--socket=wayland', '--socket=fallback-x11',
               '--device=dri']
RUNTIME_VERSIONS = ('47', '48')

checks = []


def check(name, ok, detail=''):
    checks.append((name, bool(ok), detail))


def main():
    root = (sys.argv[1] if len(sys.argv) > 1 else os.environ.get('SENDOFF_SOURCE_ROOT')) or \
        os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
    manifest_path = os.path.join(root, 'flatpak', APP_ID + '.json')

    env = dict(os.environ, G_DEBUG='fatal-warnings')
    proc = subprocess.run(['flatpak-builder', '--show-manifest', manifest_path],
                          capture_output=True, text=True, env=env, timeout=60)
    check('flatpak-builder --show-manifest reads it under G_DEBUG=fatal-warnings',
          proc.returncode == 0, proc.stderr.strip())
    try:
        m = json.loads(proc.stdout)
    except ValueError as e:
        m = {}
        check('flatpak-builder prints it back as JSON', False, str(e))

    check('id is ' + APP_ID, m.get('id', m.get('app-id')) == APP_ID, repr(m.get('id')))
    check('runtime is org.gnome.Platform, a current stable version',
          m.get('runtime') == 'org.gnome.Platform' and m.get('runtime-version') in RUNTIME_VERSIONS,
          '%r %r' % (m.get('runtime'), m.get('runtime-version')))
    check('sdk is org.gnome.Sdk', m.get('sdk') == 'org.gnome.Sdk', repr(m.get('sdk')))
    check('command is sendoff', m.get('command') == 'sendoff', repr(m.get('command')))

    args = m.get('finish-args', [])
    check('finish-args are exactly network, ipc, wayland, fallback-x11, dri',
          sorted(args) == sorted(FINISH_ARGS) and len(args) == len(FINISH_ARGS), repr(args))
    check('no file system access (files come through portals)',
          not any(a.startswith(('--filesystem', '--persist')) for a in args), repr(args))
    check('no direct Secret Service access (keys go through the Secret portal)',
          not any('org.freedesktop.secrets' in a or a.startswith('--socket=session-bus')
                  for a in args), repr(args))

    modules = m.get('modules', [])
    app = modules[-1] if modules else {}
    check('the last module is sendoff, built with meson',
          app.get('name') == 'sendoff' and app.get('buildsystem') == 'meson', repr(app.get('name')))
    sources = app.get('sources', [])
    src = sources[0] if len(sources) == 1 else {}
    src_dir = os.path.normpath(os.path.join(os.path.dirname(manifest_path), src.get('path', '')))
    check('it is built from the local source tree ("type": "dir")',
          src.get('type') == 'dir' and
          os.path.samefile(src_dir, root) if os.path.isdir(src_dir) else False, repr(src))
    check('the sandbox tool is not installed (-Dsandbox=false)',
          '-Dsandbox=false' in app.get('config-opts', []), repr(app.get('config-opts')))
    check('its tests run (run-tests)', app.get('run-tests') is True, repr(app.get('run-tests')))

    print('1..%d' % len(checks))
    failed = 0
    for n, (name, ok, detail) in enumerate(checks, 1):
        if not ok:
            failed += 1
            if detail:
                print('# ' + detail.replace('\n', '\n# '))
            print('FAIL: %s: %s' % (name, detail), file=sys.stderr)
        print('%s %d - %s' % ('ok' if ok else 'not ok', n, name))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
