#!/usr/bin/python3
"""Every test() and benchmark() in the tree's meson.build files names its
suite, its environment and an explicit time-out (meson's default 30 s is
no bound anyone chose).  Prints each call that lacks one."""

import os
import re
import sys

CALL = re.compile(r"\b(test|benchmark)\(")
NEEDED = ("suite:", "env:", "timeout:")


def calls(text):
    """The text of each test( or benchmark( call, to its closing paren."""
    for m in CALL.finditer(text):
        if text[max(0, m.start() - 1)] in "._":
            continue
        depth, i, quote = 0, m.end() - 1, False
        while i < len(text):
            c = text[i]
            if c == "'":
                quote = not quote
            elif not quote and c == "(":
                depth += 1
            elif not quote and c == ")":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        yield text.count("\n", 0, m.start()) + 1, text[m.start():i + 1]


def main():
    root = sys.argv[1]
    bad = found = 0
    for base, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith((".", "build"))]
        if "meson.build" not in files:
            continue
        path = os.path.join(base, "meson.build")
        with open(path) as f:
            text = "\n".join(line.split("#", 1)[0]
                             for line in f.read().splitlines())
        for line, call in calls(text):
            found += 1
            missing = [k for k in NEEDED if k not in call]
            if missing:
                bad += 1
                print(f"{os.path.relpath(path, root)}:{line}: "
                      f"{call.split(',')[0]}...: no {', '.join(missing)}")
    print(f"{found} test() and benchmark() calls, {bad} incomplete")
    return 1 if bad or not found else 0


if __name__ == "__main__":
    sys.exit(main())
