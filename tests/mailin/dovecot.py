"""A real IMAP server for the tests: Dovecot on 127.0.0.1, with a throw-away configuration.

It listens on two free ports (IMAP with STARTTLS, and IMAPS) with a
certificate made by ``openssl req`` for 127.0.0.1, keeps its mail as maildirs
in a temporary folder, and knows one user from a passwd-file. It runs as the
current user; as root (Dovecot refuses root for its processes) as the
``dovecot`` and ``dovenull`` users the Debian package creates.
"""

import imaplib
import os
import pwd
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from pathlib import Path

DOVECOT = "/usr/sbin/dovecot"
USER = "photos"
PASSWORD = "s3cret-for-tests"


def available():
    return os.access(DOVECOT, os.X_OK) and shutil.which("openssl") is not None


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Dovecot:
    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="iln-dovecot-"))
        self.imap_port = _free_port()
        self.imaps_port = _free_port()
        self.cert = self.root / "cert.pem"
        self.process = None

    def _users(self):
        """(internal user, login user, mail uid, mail gid)."""
        if os.getuid() != 0:
            name = pwd.getpwuid(os.getuid()).pw_name
            return name, name, os.getuid(), os.getgid()
        mail = pwd.getpwnam("dovecot")
        return "dovecot", "dovenull", mail.pw_uid, mail.pw_gid

    def start(self):
        root = self.root
        internal, login, uid, gid = self._users()
        for folder in ("run", "state", "mail", "home"):
            (root / folder).mkdir()
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", str(root / "key.pem"), "-out", str(self.cert), "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip
        (root / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}:{uid}:{gid}::{root}/home::\n")
        (root / "dovecot.conf").write_text(
            f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = {min(uid, 1)}
ssl = yes
ssl_cert = <{self.cert}
ssl_key = <{root}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_fsync = never
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/users
}}
mail_location = maildir:{root}/mail/%u
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.imaps_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
"""
        )
        os.chmod(root, 0o755)
        for folder in ("mail", "home"):
            os.chown(root / folder, uid, gid)
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(root / "dovecot.conf")],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                self.connect().logout()
                return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"Dovecot did not start: {self.log()}") from None
                time.sleep(0.1)

    def log(self):
        path = self.root / "dovecot.log"
        return path.read_text() if path.exists() else ""

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.process is not None and self.process.stdout:
            self.process.stdout.close()
        shutil.rmtree(self.root, ignore_errors=True)

    def ssl_context(self):
        return ssl.create_default_context(cafile=str(self.cert))

    def connect(self, folder=None):
        imap = imaplib.IMAP4("127.0.0.1", self.imap_port, timeout=10)
        imap.login(USER, PASSWORD)
        if folder:
            imap.select(f'"{folder}"')
        return imap

    def settings(self, folder, security="starttls", **extra):
        """``WAGTAIL_ILN["MAIL_IMAP"]`` for this server and ``folder``."""
        return {
            "HOST": "127.0.0.1",
            "PORT": self.imaps_port if security == "ssl" else self.imap_port,
            "USER": USER,
            "PASSWORD": PASSWORD,
            "SECURITY": security,
            "FOLDER": folder,
            "CA_FILE": str(self.cert),
            **extra,
        }

    def deliver(self, folder, *messages):
        """APPEND each message (bytes) to ``folder``, created if needed."""
        imap = self.connect()
        try:
            imap.create(f'"{folder}"')
            for raw in messages:
                status, data = imap.append(f'"{folder}"', None, None, raw)
                assert status == "OK", data
        finally:
            imap.logout()

    def flags(self, folder):
        """``{Message-ID: flags}`` of the messages in ``folder``."""
        imap = self.connect(folder)
        try:
            status, data = imap.uid("FETCH", "1:*", "(FLAGS BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
            found = {}
            for item in data:
                if isinstance(item, tuple):
                    header = item[1].decode().split(":", 1)[-1].strip()
                    found[header] = item[0].decode()
            return found
        finally:
            imap.logout()

    def count(self, folder, criterion="ALL"):
        imap = self.connect(folder)
        try:
            status, data = imap.uid("SEARCH", None, criterion)
            return len(data[0].split())
        finally:
            imap.logout()
