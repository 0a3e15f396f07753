"""One web process counting requests against the shared rate limit, for tests/test_faults.py.

    python -m tests.ratelimit_process REDIS_URL KEY_PREFIX LIMIT ATTEMPTS FOLDER NAME

Counts ATTEMPTS requests of one client through ``wagtail_iln.ratelimit`` with a
``RedisCache``, starting when ``FOLDER/go`` exists (after writing
``FOLDER/ready-NAME``), and prints how many were let through.
"""

import sys
import time
from pathlib import Path

import django
from django.conf import settings


def main(redis_url, prefix, limit, attempts, folder, name):
    settings.configure(
        SECRET_KEY="tests-only-not-secret",
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": prefix,
            }
        },
    )
    django.setup()
    from django.test import RequestFactory

    from wagtail_iln.ratelimit import is_rate_limited

    request = RequestFactory().post("/iln/photos/1/submit/", REMOTE_ADDR="203.0.113.7")
    is_rate_limited(request, "warm-up", (1, 60))  # connect before the start
    folder = Path(folder)
    (folder / f"ready-{name}").touch()
    while not (folder / "go").exists():
        time.sleep(0.005)
    passed = sum(
        not is_rate_limited(request, "photos", (int(limit), 3600)) for _ in range(int(attempts))
    )
    print(passed)


if __name__ == "__main__":
    main(*sys.argv[1:])
