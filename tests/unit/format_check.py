#!/usr/bin/python3
"""The tree follows .clang-format: any C file clang-format would change
fails this test, with the file names."""

import os
import shutil
import subprocess
import sys

DIRS = ("client", "plugins", "ui", "tests")


def c_files(root):
    for d in DIRS:
        for base, _, files in os.walk(os.path.join(root, d)):
            for f in sorted(files):
                if f.endswith((".c", ".h")):
                    yield os.path.join(base, f)


def main():
    root = sys.argv[1]
    tool = shutil.which("clang-format")
    if not tool:
        if os.environ.get("CI") == "true":
            print("clang-format is missing in CI")
            return 1
        print("clang-format not installed: skipping")
        return 77
    bad = []
    for path in c_files(root):
        res = subprocess.run([tool, "--dry-run", "--Werror", path],
                             capture_output=True, text=True)
        if res.returncode:
            bad.append(path)
            print(res.stderr[:2000])
    for path in bad:
        print(f"not formatted: {os.path.relpath(path, root)}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
