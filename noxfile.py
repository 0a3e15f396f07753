"""The stacks wagtail-iln supports, one nox session per cell.

    nox -l                                                    # every cell
    nox -s "tests-3.13(django='6.0', wagtail='7.4')"          # the suite on one stack
    nox -s "tests-3.13(django='6.0', wagtail='7.4')" -- -m "not browser" -x
    nox -s "install_contract-3.13(django='6.0', wagtail='7.4')"
    nox -t tests                                              # every cell's suite

Python 3.11, 3.12 and 3.13; Django 5.2 LTS and 6.0 (which needs Python 3.12 or
later); Wagtail 7.4 LTS and 8.0. ``-R`` reuses a session's virtualenv instead
of building it again. setup.cfg's ``install_requires`` admits exactly these
stacks; CI (.ci/run) proves two cells on every change: 3.11 + Django 5.2 +
Wagtail 8.0 and 3.13 + Django 6.0 + Wagtail 7.4.
"""

import nox

nox.options.error_on_missing_interpreters = True
nox.options.sessions = []  # a bare ``nox`` lists the cells rather than building them all

PYTHONS = ["3.11", "3.12", "3.13"]
DJANGO = {"5.2": "Django>=5.2,<5.3", "6.0": "Django>=6.0,<6.1"}
WAGTAIL = {"7.4": "wagtail>=7.4,<7.5", "8.0": "wagtail>=8.0,<8.1"}
# Django 6.0 supports Python 3.12 and later.
OLDEST_PYTHON = {"5.2": "3.11", "6.0": "3.12"}


def stacks(python):
    """The (django, wagtail) cells that exist on ``python``."""
    return [
        (django, wagtail)
        for django in DJANGO
        for wagtail in WAGTAIL
        if tuple(map(int, python.split("."))) >= tuple(map(int, OLDEST_PYTHON[django].split(".")))
    ]


def requirements(django, wagtail):
    """What pins a virtualenv to its cell, on top of what setup.cfg admits."""
    return [DJANGO[django], WAGTAIL[wagtail]]


def run_tests(session, django, wagtail):
    """The whole test suite; arguments after ``--`` go to pytest."""
    session.install("-e", ".[test]", *requirements(django, wagtail))
    session.run("python", "-m", "django", "--version")
    session.run("python", "-c", "import wagtail; print('Wagtail', wagtail.__version__)")
    session.run("python", "-m", "pytest", *session.posargs)


def run_install_contract(session, django, wagtail):
    """The wheel, pip installed into a brand-new ``wagtail start`` site on this stack."""
    session.install("build")
    python = f"{session.bin}/python"
    session.run(
        "bash",
        ".ci/install_contract.sh",
        external=True,
        env={
            "PYTHON": python,
            "BUILD_PYTHON": python,
            "CONTRACT_REQUIREMENTS": " ".join(requirements(django, wagtail)),
        },
    )


def cell_sessions(name, run, python):
    """Register ``run`` as ``<name>-<python>``, one session per cell that exists on ``python``."""

    def session(session, django, wagtail):
        run(session, django, wagtail)

    session.__doc__ = run.__doc__
    nox.session(name=f"{name}-{python}", python=python, tags=[name])(
        nox.parametrize(("django", "wagtail"), stacks(python))(session)
    )


for python in PYTHONS:
    cell_sessions("tests", run_tests, python)
    cell_sessions("install_contract", run_install_contract, python)
