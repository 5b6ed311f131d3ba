#!/usr/bin/env python3
"""Test-only code is in test builds only (issue 16 item 6).

usage: hooks_check.py present|absent FILE...

The engine's shared objects (our modules, libsipbody, libbus) and programs
are read as they were built.  In every build none of them exports
sipbody_arm (it was there only for a test probe).  Built with
-Dtest_hooks=false (release packages: "absent"), none holds the
LOCPHONE_TEST_ variables the hooks read, nor the hook functions
(manual_testhook*, bus_testhook_topic_pin);
with the hooks ("present") the location module must hold them, which
shows this check sees what it looks for.
"""

import subprocess
import sys

TEST_STRING = b'LOCPHONE_TEST_'
NEVER_SYMBOLS = ('sipbody_arm',)
HOOK_SYMBOLS = ('manual_testhook_read', 'manual_testhook',
                'bus_testhook_topic_pin')


def symbols(path, dynamic):
    """Defined symbol names of path (nm; -D: the exported ones)."""
    cmd = ['nm', '--defined-only'] + (['-D'] if dynamic else []) + [path]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    if r.returncode != 0:
        if not dynamic and 'no symbols' in r.stderr:
            return set()  # stripped: only the dynamic table is left
        sys.exit('hooks_check: %s: %s' % (' '.join(cmd), r.stderr.strip()))
    return {ln.split()[-1] for ln in r.stdout.splitlines() if ln.strip()}


def main(argv):
    if len(argv) < 3 or argv[1] not in ('present', 'absent'):
        sys.exit(__doc__)
    want_present = argv[1] == 'present'
    problems = []
    seen_string = seen_symbol = False

    for path in argv[2:]:
        with open(path, 'rb') as f:
            data = f.read()
        exported = symbols(path, True)
        defined = exported | symbols(path, False)
        for name in NEVER_SYMBOLS:
            if name in exported:
                problems.append('%s exports the test-only %s'
                                % (path, name))
        has_string = TEST_STRING in data
        has_symbol = any(n in defined for n in HOOK_SYMBOLS)
        seen_string |= has_string
        seen_symbol |= has_symbol
        if not want_present and has_string:
            problems.append('%s holds "%s..." in a build without test '
                            'hooks' % (path, TEST_STRING.decode()))
        if not want_present and has_symbol:
            problems.append('%s holds a test hook function in a build '
                            'without test hooks' % path)
        print('%s: %d exported symbols, test strings %s, hook functions %s'
              % (path, len(exported), 'yes' if has_string else 'no',
                 'yes' if has_symbol else 'no'))

    if want_present and not (seen_string and seen_symbol):
        problems.append('built with test hooks, yet no file holds them: '
                        'this check would not see them either')
    for p in problems:
        print('FAIL: ' + p)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
