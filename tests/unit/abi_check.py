#!/usr/bin/python3
"""Every function plugins/baresip-abi.h declares must be exported by the
installed baresip binary (nm -D), so a wrong declaration fails here and not
at module load time."""

import re
import subprocess
import sys


def declared_functions(header):
    text = open(header, encoding="utf-8").read()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    names = []
    # a prototype: starts a line, is not a typedef, has "name(" before ";"
    for decl in re.findall(r"^(?!typedef|#|\s)[^;{}]*?\);", text, re.M):
        m = re.search(r"\**\b(\w+)\s*\(", decl)
        if m:
            names.append(m.group(1))
    return names


def exported(binary):
    out = subprocess.run(["nm", "-D", "--defined-only", binary],
                         check=True, capture_output=True, text=True).stdout
    return {line.split()[-1] for line in out.splitlines()
            if len(line.split()) == 3 and line.split()[1] in "TW"}


def main():
    header, binary = sys.argv[1], sys.argv[2]
    names = declared_functions(header)
    if len(names) < 10:
        print(f"found only {len(names)} declarations in {header}")
        return 1
    have = exported(binary)
    missing = [n for n in names if n not in have]
    for n in missing:
        print(f"{header}: {n} is not exported by {binary}")
    print(f"{len(names) - len(missing)} of {len(names)} declared functions "
          f"are exported by {binary}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
