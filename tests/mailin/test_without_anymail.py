"""A site without django-anymail takes photos by e-mail from IMAP, and never imports it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# A second interpreter that sets up its own test database.
pytestmark = pytest.mark.slow


def test_a_site_without_anymail_handles_mail_without_importing_it():
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "tests.block_anymail",
            "--ds=tests.settings_without_anymail",
            "-p",
            "no:cacheprovider",
            "-q",
            "tests/mailin/without_anymail.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
