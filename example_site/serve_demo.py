"""Run the demo site with its task worker, in one command (``make demo``).

Starts ``manage.py runserver`` and ``manage.py db_worker`` (django-tasks-db)
side by side with ``ILN_TASK_BACKEND=database``, so that long admin actions —
matching, publishing a round and its introductions, e-mails — run in the
worker while the admin shows their progress. Ctrl-C stops both; if either
stops, the other is stopped too.
"""

import argparse
import os
import signal
import subprocess
import sys
import time

from serve_prod import EXAMPLE_DIR, stop


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    options = parser.parse_args()
    # Stopped by a signal as by Ctrl-C: both processes are stopped with it.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    env = {**os.environ, "ILN_TASK_BACKEND": "database", "PYTHONUNBUFFERED": "1"}
    manage = [sys.executable, "manage.py"]
    processes = [
        subprocess.Popen(
            [*manage, "runserver", f"127.0.0.1:{options.port}"], cwd=EXAMPLE_DIR, env=env
        ),
        subprocess.Popen(
            [*manage, "db_worker", "--no-reload", "--queue-name", "*", "--interval", "0.5"],
            cwd=EXAMPLE_DIR,
            env=env,
        ),
    ]
    print("The task worker (manage.py db_worker) runs beside the server; Ctrl-C stops both.")
    try:
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
