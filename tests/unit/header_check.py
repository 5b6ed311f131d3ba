#!/usr/bin/env python3
"""Every engine-side header stands alone (style.md "Headers", issue 16 item 4).

For each header under the given roots: it has an include guard named after
it (LOCPHONE_<NAME>_H, the whole file between #ifndef/#define and the last
#endif), and a C file holding nothing but that header, included twice,
compiles with the project's warnings and -Werror.  A header that needs
another included first, or whose guard does not guard, fails here with
the compiler's words.

usage: header_check.py SOURCE_ROOT ROOT... [--skip NAME]... -- COMPILER... -- FLAG...
(--skip NAME: a header whose library this build does not have)
"""

import os
import re
import subprocess
import sys
import tempfile

DIRECTIVE = re.compile(r'^\s*#\s*(\w+)\s*(.*?)\s*$')


def strip_comments(text):
    """The text with /* */ and // comments blanked, line breaks kept."""
    def blank(m):
        return re.sub(r'[^\n]', ' ', m.group(0))
    return re.sub(r'/\*.*?\*/|//[^\n]*', blank, text, flags=re.S)


def guard_problem(path):
    """None if path's guard is right, else what is wrong with it."""
    with open(path, encoding='utf-8') as f:
        text = strip_comments(f.read())
    lines = [ln for ln in text.splitlines() if ln.strip()]
    want = 'LOCPHONE_' + re.sub(r'[^A-Za-z0-9]', '_',
                                os.path.basename(path)).upper()
    if len(lines) < 3:
        return 'too short to hold a guard'
    first, second, last = (DIRECTIVE.match(lines[0]),
                           DIRECTIVE.match(lines[1]),
                           DIRECTIVE.match(lines[-1]))
    if not first or first.group(1) != 'ifndef':
        return 'first line of code is not "#ifndef %s"' % want
    if first.group(2) != want:
        return 'guard is %s, not %s' % (first.group(2), want)
    if not second or second.group(1) != 'define' or second.group(2) != want:
        return 'second line of code is not "#define %s"' % want
    if not last or last.group(1) != 'endif':
        return 'last line of code is not the guard\'s #endif'
    return None


def main(argv):
    sep = [i for i, a in enumerate(argv) if a == '--']
    if len(sep) != 2:
        sys.exit(__doc__)
    source_root = argv[1]
    roots, skip = [], set()
    args = iter(argv[2:sep[0]])
    for a in args:
        if a == '--skip':
            skip.add(next(args))
        else:
            roots.append(a)
    compiler = argv[sep[0] + 1:sep[1]]
    flags = argv[sep[1] + 1:]

    headers = []
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            headers += [os.path.join(dirpath, n)
                        for n in sorted(filenames)
                        if n.endswith('.h') and n not in skip]
    if not headers:
        sys.exit('header_check: no header under %s' % ' '.join(roots))

    # Every directory holding a header is on the include path, as the
    # targets that use them have it; the header's own first.
    incdirs = sorted({os.path.dirname(h) for h in headers})
    failures = []
    with tempfile.TemporaryDirectory(prefix='header-check-') as tmp:
        for header in headers:
            rel = os.path.relpath(header, source_root)
            problem = guard_problem(header)
            if problem:
                failures.append('%s: %s' % (rel, problem))
            src = os.path.join(tmp, 'alone.c')
            with open(src, 'w', encoding='utf-8') as f:
                name = os.path.basename(header)
                f.write('#include "%s"\n#include "%s"\n' % (name, name))
            inc = ['-I' + os.path.dirname(header)]
            inc += ['-I' + d for d in incdirs]
            cmd = (compiler + ['-x', 'c', '-fsyntax-only', '-Werror']
                   + flags + inc + [src])
            r = subprocess.run(cmd, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
            if r.returncode != 0:
                failures.append('%s: does not compile alone:\n%s'
                                % (rel, r.stdout.rstrip()))
    for f in failures:
        print(f)
    print('header_check: %d headers, %d problems'
          % (len(headers), len(failures)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
