"""The test OpenID Connect provider on 127.0.0.1: ``python -m tests.oidc_provider.serve PORT URI``.

Makes a fresh RSA key, migrates its own SQLite database, adds the reader
``ana`` (password ``ana-password``) and the client of the site under test,
then serves until stopped. What a test needs to know is in ``CLIENT``.
"""

import os
import sys

CLIENT = {
    "client_id": "wagtail-iln-tests",
    "client_secret": "wagtail-iln-tests-secret",
    "username": "ana",
    "password": "ana-password",
}


def rsa_private_key():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def main(port, redirect_uri):
    os.environ.setdefault("OIDC_RSA_PRIVATE_KEY", rsa_private_key())
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from oauth2_provider.models import get_application_model

    call_command("migrate", verbosity=0, interactive=False)
    get_user_model().objects.create_user(
        CLIENT["username"],
        "ana@example.org",
        CLIENT["password"],
        first_name="Ana",
        last_name="Lima",
    )
    Application = get_application_model()
    Application.objects.create(
        name="wagtail-iln tests",
        client_id=CLIENT["client_id"],
        client_secret=CLIENT["client_secret"],
        hash_client_secret=True,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=False,
    )
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
