"""Run the demo site's production profile on the loopback interface (``make serve-prod``).

Creates the PostgreSQL database when it does not exist, migrates it, collects
the static files, loads the demo content into an empty database, then runs
gunicorn (two workers) and the task worker until Ctrl-C stops both.

Environment (all optional): ``DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/wagtail_iln_prod``), ``ILN_REDIS_URL``
(``redis://127.0.0.1:6379/0``), ``ILN_SECRET_KEY`` (a new random one each run
otherwise), ``ILN_MEDIA_ROOT``, ``ILN_PENDING_ROOT``, ``ILN_STATIC_ROOT``.
The profile's HTTPS settings are turned off with ``ILN_LOCAL_HTTP=1``, which
it only accepts for loopback host names: this runs plain HTTP on 127.0.0.1.

``benchmarks/load.py`` uses the same functions to start its own server.
"""

import argparse
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import dj_database_url
import psycopg
from psycopg import sql

EXAMPLE_DIR = Path(__file__).resolve().parent
BIN_DIR = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/wagtail_iln_prod"
SETTINGS = "example_site.settings_production"


def profile_env(port, database_url=None, **overrides):
    """The environment of the production profile on ``127.0.0.1:port``, plain HTTP."""
    env = os.environ.copy()
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "PYTHONUNBUFFERED": "1",
            "DATABASE_URL": database_url or env.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
            "ILN_LOCAL_HTTP": "1",
            "ILN_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "ILN_BASE_URL": f"http://127.0.0.1:{port}",
        }
    )
    env.setdefault("ILN_SECRET_KEY", secrets.token_urlsafe(50))
    env.setdefault("ILN_REDIS_URL", "redis://127.0.0.1:6379/0")
    env.setdefault("ILN_CACHE_KEY_PREFIX", "wagtail_iln_prod")
    env.setdefault("ILN_MEDIA_ROOT", str(EXAMPLE_DIR / "media" / "prod"))
    env.setdefault("ILN_PENDING_ROOT", str(EXAMPLE_DIR / "media_private" / "prod"))
    env.setdefault("ILN_EMAIL_FILE_PATH", str(EXAMPLE_DIR / "media_private" / "prod_mail"))
    env.update(overrides)
    return env


def connect(database_url, maintenance=False):
    """A connection to the database of ``database_url``, or to its server's ``postgres`` one."""
    config = dj_database_url.parse(database_url)
    return psycopg.connect(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"] or "postgres",
        password=config["PASSWORD"] or None,
        dbname="postgres" if maintenance else config["NAME"],
        autocommit=maintenance,
    )


def create_database(database_url):
    """Create the database named in ``database_url`` unless it exists; ``True`` when created."""
    name = dj_database_url.parse(database_url)["NAME"]
    with connect(database_url, maintenance=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return True


def drop_database(database_url):
    name = dj_database_url.parse(database_url)["NAME"]
    with connect(database_url, maintenance=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def manage(env, *args, capture=False):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=EXAMPLE_DIR,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout


def is_empty(database_url):
    with connect(database_url) as connection:
        return not connection.execute("SELECT 1 FROM home_homepage LIMIT 1").fetchone()


def prepare(env, verbosity=1):
    """Database, migrations, static files and, into an empty database, the demo content."""
    quiet = [] if verbosity > 1 else ["--verbosity", "0"]
    create_database(env["DATABASE_URL"])
    manage(env, "migrate", "--noinput", *quiet)
    manage(env, "collectstatic", "--noinput", *quiet)
    if is_empty(env["DATABASE_URL"]):
        manage(env, "load_demo", *quiet)


def start(env, port, workers=2, log_dir=None):
    """Start gunicorn and the task worker; returns the two processes."""
    logs = {}
    if log_dir is not None:
        logs = {
            "web": open(Path(log_dir) / "gunicorn.log", "w"),  # noqa: SIM115
            "worker": open(Path(log_dir) / "worker.log", "w"),  # noqa: SIM115
        }
    web = subprocess.Popen(
        [
            str(BIN_DIR / "gunicorn"),
            "example_site.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            # Several servers may run on one machine: none needs gunicorn's control socket.
            "--no-control-socket",
            "--access-logfile",
            "-" if log_dir is None else "/dev/null",
        ],
        cwd=EXAMPLE_DIR,
        env=env,
        stdout=logs.get("web"),
        stderr=subprocess.STDOUT if logs else None,
    )
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--queue-name", "*"],
        cwd=EXAMPLE_DIR,
        env=env,
        stdout=logs.get("worker"),
        stderr=subprocess.STDOUT if logs else None,
    )
    return [web, worker]


def wait_until_serving(url, processes, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(process.poll() is not None for process in processes):
            raise RuntimeError("The server or the worker stopped while starting.")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {timeout} seconds.")


def stop(processes, timeout=20):
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    options = parser.parse_args()
    env = profile_env(options.port)
    print(f"Preparing {env['DATABASE_URL']} ...", flush=True)
    prepare(env)
    processes = start(env, options.port)
    try:
        wait_until_serving(f"http://127.0.0.1:{options.port}/", processes)
        print(
            f"\nThe production profile is serving http://127.0.0.1:{options.port}/\n"
            f"  Admin: http://127.0.0.1:{options.port}/admin/  user: admin  password: changeme\n"
            f"  gunicorn (2 workers) and the task worker (manage.py db_worker) run; "
            f"e-mails are written to {env['ILN_EMAIL_FILE_PATH']}\n"
            "  Ctrl-C stops both.\n",
            flush=True,
        )
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
        print("The server or the worker stopped; stopping the other.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop(processes)


if __name__ == "__main__":
    sys.exit(main())
