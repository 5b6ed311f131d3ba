#!/usr/bin/python3
"""A module must not need, at load time, a library we dlopen() only when a
feature starts (client/netdisc/lldpctl_lazy.c, client/lis/curl_lazy.c):
`readelf -d` of the module lists no such library among its NEEDED entries,
directly or through the libraries it does need (ldd)."""

import re
import subprocess
import sys

# loaded lazily; libbsd and libmd come with liblldpctl
LAZY = ("liblldpctl.so", "libbsd.so", "libmd.so", "libcurl.so")


def needed(module):
    out = subprocess.run(["readelf", "-d", module], check=True,
                         capture_output=True, text=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def loaded(module):
    out = subprocess.run(["ldd", module], check=True,
                         capture_output=True, text=True).stdout
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def lazy_among(names):
    return sorted({n for n in names if n.startswith(LAZY)})


def check(module):
    direct = needed(module)
    if not direct:
        print(f"{module}: readelf found no NEEDED entry at all")
        return False
    bad = lazy_among(direct)
    if bad:
        print(f"{module} NEEDs {', '.join(bad)}: load it lazily instead")
        return False
    bad = lazy_among(loaded(module))
    if bad:
        print(f"{module} pulls in {', '.join(bad)} through its NEEDED "
              f"libraries ({', '.join(direct)})")
        return False
    print(f"{module}: NEEDED {', '.join(direct)}")
    return True


def main():
    """Arguments: the modules (all of them: each is checked)."""
    if len(sys.argv) < 2:
        print("usage: needed_check.py MODULE...")
        return 2
    results = [check(m) for m in sys.argv[1:]]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
