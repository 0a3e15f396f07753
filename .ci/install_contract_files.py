"""The wheel and the sdist hold every file git tracks under wagtail_iln/, and nothing else.

    python .ci/install_contract_files.py SOURCE_DIR WHEEL SDIST

A file missing from a distribution is a site without it (an e-mail template, a
catalogue); a file in a distribution that git does not track was packed from a
working tree by accident. Exits 1 listing every difference.
"""

import subprocess
import sys
import tarfile
import zipfile
from pathlib import PurePosixPath

PACKAGE = "wagtail_iln"


def tracked(source):
    listing = subprocess.run(
        ["git", "-C", source, "ls-files", "-z", "--", PACKAGE],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {name for name in listing.split("\0") if name}


def wheel_files(path):
    """The wheel's files, and the names it holds outside the package and its metadata."""
    names = [n for n in zipfile.ZipFile(path).namelist() if not n.endswith("/")]
    inside = {n for n in names if n.startswith(f"{PACKAGE}/")}
    strays = {n for n in names if n not in inside and ".dist-info/" not in n}
    return inside, strays


def sdist_files(path):
    """The sdist's files under its top folder's wagtail_iln/."""
    with tarfile.open(path) as archive:
        names = [member.name for member in archive.getmembers() if member.isfile()]
    inside = set()
    for name in names:
        parts = PurePosixPath(name).parts
        if len(parts) > 2 and parts[1] == PACKAGE:
            inside.add(PurePosixPath(*parts[1:]).as_posix())
    return inside


def compare(label, expected, found):
    problems = [f"missing from the {label}: {name}" for name in sorted(expected - found)]
    problems += [
        f"in the {label} but not tracked by git: {name}" for name in sorted(found - expected)
    ]
    return problems


def main(source, wheel, sdist):
    expected = tracked(source)
    if not expected:
        sys.exit(f"git tracks no file under {PACKAGE}/ in {source}")
    in_wheel, strays = wheel_files(wheel)
    problems = compare("wheel", expected, in_wheel)
    problems += [f"outside {PACKAGE}/ in the wheel: {name}" for name in sorted(strays)]
    problems += compare("sdist", expected, sdist_files(sdist))
    for problem in problems:
        print(problem)
    if problems:
        sys.exit(1)
    kinds = sorted({PurePosixPath(name).suffix or PurePosixPath(name).name for name in expected})
    print(f"{len(expected)} tracked files in the wheel and the sdist ({' '.join(kinds)})")


if __name__ == "__main__":
    main(*sys.argv[1:])
