#!/usr/bin/python3
"""packaging/build-deb makes locphone-engine, locphone and locphone-harness:
each holds what it must and nothing of the others', the fields name their dependencies,
lintian finds no error, and the extracted programs run."""

import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "integration"))
from lphelp import Failure, check, skip_missing  # noqa: E402

TOOLS = ("git", "dpkg-deb", "dpkg-buildpackage", "dh", "fakeroot", "lintian")

# Every file each package must hold; "*" is the multiarch directory.
ENGINE_FILES = [
    "usr/bin/locphoned",
    "usr/bin/locphonectl",
    "usr/lib/*/locphone/libsipbody.so",
    "usr/lib/*/locphone/liblocphone-bus.so",
    "usr/lib/*/locphone/ctrl.so",
    "usr/lib/*/locphone/location.so",
    "usr/lib/*/locphone/e911.so",
    "lib/systemd/system/locphoned.service",
    "usr/share/man/man8/locphoned.8.gz",
    "usr/share/man/man1/locphonectl.1.gz",
    "usr/share/man/man5/locphone.conf.5.gz",
    "usr/share/doc/locphone-engine/copyright",
]
UI_FILES = [
    "usr/bin/locphone",
    "usr/share/applications/org.locphone.Locphone.desktop",
    "usr/share/metainfo/org.locphone.Locphone.metainfo.xml",
    "usr/share/man/man1/locphone.1.gz",
    "usr/share/doc/locphone/copyright",
]
HARNESS_FILES = [
    "usr/bin/locphone-harness",
    "usr/bin/locphone-lis-sim",
    "usr/bin/locphone-psap-sim",
    "usr/bin/locphone-sbc",
    "usr/bin/locphone-pidfcheck",
    "usr/share/locphone/harness/locphone_harness/cli.py",
    "usr/share/locphone/harness/locphone_harness/procs.py",
    "usr/share/locphone/harness/locphone_harness/runner.py",
    "usr/share/locphone/harness/locphone_harness/site.py",
    "usr/share/locphone/harness/sites/office.yaml",
    "usr/share/man/man1/locphone-harness.1.gz",
    "usr/share/doc/locphone-harness/SITE.md",
    "usr/share/doc/locphone-harness/lis-sim.md",
    "usr/share/doc/locphone-harness/copyright",
]


def need_tools():
    """build-deb installs the Debian tools itself when it runs as root;
    otherwise skip without them (fail under CI=true)."""
    missing = [t for t in TOOLS if not shutil.which(t)]
    if os.geteuid() == 0 and "git" not in missing:
        return
    skip_missing(missing)


def run(*cmd, **kw):
    return subprocess.run(list(cmd), capture_output=True, text=True, **kw)


def build(build_deb, out):
    # the package build gets a clean environment for its own unit suite
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LOCPHONE_", "ASAN_", "UBSAN_", "LSAN_",
                                "MALLOC_PERTURB_", "MESON_"))}
    res = run(build_deb, out, env=env, timeout=840)
    if res.returncode:
        print(res.stdout[-6000:])
        print(res.stderr[-6000:])
        raise Failure(f"build-deb exited {res.returncode}")
    debs = {}
    for name in sorted(os.listdir(out)):
        if name.endswith(".deb"):
            path = os.path.join(out, name)
            debs[field(path, "Package")] = path
    check(sorted(debs) == ["locphone", "locphone-engine",
                           "locphone-harness"],
          f"packages built: {sorted(debs)}")
    return debs


def field(deb, name):
    res = run("dpkg-deb", "-f", deb, name)
    check(res.returncode == 0, f"dpkg-deb -f {deb} {name}: {res.stderr}")
    return res.stdout.strip()


def files_of(deb):
    """The package's files and links (not directories), without "./"."""
    res = run("dpkg-deb", "-c", deb)
    check(res.returncode == 0, f"dpkg-deb -c {deb}: {res.stderr}")
    names = set()
    for line in res.stdout.splitlines():
        parts = line.split(None, 5)
        path = parts[5].split(" -> ")[0]
        if not parts[0].startswith("d"):
            names.add(path[2:] if path.startswith("./") else path)
    return names


def multiarch(names):
    for n in names:
        parts = n.split("/")
        if n.endswith("/locphone/libsipbody.so") and len(parts) == 5:
            return parts[2]
    raise Failure("no usr/lib/<multiarch>/locphone/libsipbody.so")


def test_contents(debs):
    engine = files_of(debs["locphone-engine"])
    ui = files_of(debs["locphone"])
    harness = files_of(debs["locphone-harness"])
    arch = multiarch(engine)
    for pkg, names, want in (("locphone-engine", engine, ENGINE_FILES),
                             ("locphone", ui, UI_FILES),
                             ("locphone-harness", harness, HARNESS_FILES)):
        for f in want:
            f = f.replace("*", arch)
            # dh_compress compresses the larger documents
            check(f in names or (f.endswith(".md") and f + ".gz" in names),
                  f"{pkg} lacks {f}")
        print(f"{pkg}: {len(names)} files, all {len(want)} expected")
    both = (engine & ui) | (engine & harness) | (ui & harness)
    check(not both, f"in two packages: {sorted(both)}")
    # the simulators are the harness's, not the phone's
    check(not any("sim" in n.split("/")[-1] or "harness" in n
                  for n in engine | ui),
          "a simulator or the harness is in the phone's packages")


def test_fields(debs, version):
    engine_dep = field(debs["locphone-engine"], "Depends")
    ui_dep = field(debs["locphone"], "Depends")
    deb_version = field(debs["locphone"], "Version")
    print(f"locphone-engine Depends: {engine_dep}")
    print(f"locphone Depends: {ui_dep}")
    deps = [d.strip().split()[0] for d in engine_dep.split(",")]
    check("baresip-core" in deps, "locphone-engine does not depend on "
          "baresip-core")
    check(f"locphone-engine (= {deb_version})" in ui_dep,
          "locphone does not depend on this locphone-engine")
    check(deb_version.split("-")[0] == version,
          f"package version {deb_version}, meson project {version}")
    check(field(debs["locphone-engine"], "Version") == deb_version,
          "the packages differ in version")
    harness_dep = field(debs["locphone-harness"], "Depends")
    print(f"locphone-harness Depends: {harness_dep}")
    deps = [d.strip().split()[0] for d in harness_dep.split(",")]
    for want in ("lldpd", "kamailio", "python3", "python3-yaml", "iproute2",
                 "openssl", "locphone-engine"):
        check(want in deps, f"locphone-harness does not depend on {want}")
    check(f"locphone-engine (= {deb_version})" in harness_dep,
          "locphone-harness does not depend on this locphone-engine")


def test_lintian(debs):
    res = run("lintian", "--tag-display-limit", "0", *sorted(debs.values()))
    tags = [ln for ln in res.stdout.splitlines() if ln[:2] in
            ("E:", "W:", "I:", "X:")]
    for ln in tags:
        print(f"lintian: {ln}")
    errors = [ln for ln in tags if ln.startswith("E:")]
    check(not errors, f"lintian errors: {len(errors)}")
    check(res.returncode == 0, f"lintian exited {res.returncode}: "
          f"{res.stderr.strip()}")


def test_programs(debs, version, root):
    for deb in debs.values():
        res = run("dpkg-deb", "-x", deb, root)
        check(res.returncode == 0, f"dpkg-deb -x {deb}: {res.stderr}")
    arch = multiarch(files_of(debs["locphone-engine"]))
    env = dict(os.environ,
               LD_LIBRARY_PATH=os.path.join(root, "usr", "lib", arch,
                                            "locphone"))
    res = run(os.path.join(root, "usr/bin/locphoned"), "--version", env=env)
    check(res.returncode == 0 and
          res.stdout.strip() == f"locphoned {version}",
          f"locphoned --version: {res.returncode} {res.stdout}{res.stderr}")
    res = run(os.path.join(root, "usr/bin/locphonectl"), "--help", env=env)
    check(res.returncode == 0 and res.stdout.startswith("usage: locphonectl"),
          f"locphonectl --help: {res.returncode} {res.stdout}{res.stderr}")
    # @BINDIR@ became the packaged program
    with open(os.path.join(root, "lib/systemd/system/locphoned.service")) as f:
        unit = f.read()
    check("\nExecStart=/usr/bin/locphoned " in unit,
          "the unit does not start /usr/bin/locphoned")
    # the packaged harness reads its packaged site (its library found
    # through PYTHONPATH, the package not being installed at /)
    lib = os.path.join(root, "usr/share/locphone/harness")
    res = run("/usr/bin/python3",
              os.path.join(root, "usr/bin/locphone-harness"), "--check", os.path.join(lib, "sites/office.yaml"),
              env=dict(os.environ, PYTHONPATH=lib))
    check(res.returncode == 0 and "scenarios: ok" in res.stdout,
          f"locphone-harness --check: {res.returncode} {res.stdout}"
          f"{res.stderr}")
    with open(os.path.join(root, "usr/bin/locphone-harness")) as f:
        text = f.read()
    check('"/usr/bin/locphoned"' in text and
          '"/usr/share/locphone/harness"' in text,
          "the packaged harness runs the packaged programs")


def main():
    build_deb, version = sys.argv[1], sys.argv[2]
    need_tools()
    with tempfile.TemporaryDirectory(prefix="locphone-debs.") as tmp:
        out = os.path.join(tmp, "out")
        root = os.path.join(tmp, "root")
        try:
            debs = build(build_deb, out)
            test_contents(debs)
            test_fields(debs, version)
            test_lintian(debs)
            test_programs(debs, version, root)
        except Failure as e:
            print(f"FAIL: {e}")
            return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
