"""Where pending photos live: a storage that no public URL reaches."""

import secrets
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.files.storage.handler import InvalidStorageError
from django.utils.functional import cached_property

PENDING_STORAGE_ALIAS = "wagtail_iln_pending"


class PrivateFileSystemStorage(FileSystemStorage):
    """Files beside ``MEDIA_ROOT`` (in ``<MEDIA_ROOT>_private/wagtail_iln``), without URLs."""

    @cached_property
    def base_location(self):
        if self._location is not None:
            return self._location
        media = Path(settings.MEDIA_ROOT)
        return str(media.with_name(f"{media.name}_private") / "wagtail_iln")

    def url(self, name):
        raise ValueError("Pending photos have no public URL.")


class PendingStorage(Storage):
    """Hands every call to the storage configured when the call is made.

    ``STORAGES["wagtail_iln_pending"]`` when the site defines it (any Django
    storage, e.g. a private S3 bucket), else ``PrivateFileSystemStorage``.
    """

    def __init__(self):
        self._fallback = PrivateFileSystemStorage()

    @property
    def target(self):
        try:
            return storages[PENDING_STORAGE_ALIAS]
        except InvalidStorageError:
            return self._fallback

    def _open(self, name, mode="rb"):
        return self.target.open(name, mode)

    def _save(self, name, content):
        return self.target.save(name, content)

    def get_available_name(self, name, max_length=None):
        return self.target.get_available_name(name, max_length=max_length)

    def delete(self, name):
        return self.target.delete(name)

    def exists(self, name):
        return self.target.exists(name)

    def size(self, name):
        return self.target.size(name)

    def listdir(self, path):
        return self.target.listdir(path)

    def path(self, name):
        return self.target.path(name)

    def url(self, name):
        raise ValueError("Pending photos have no public URL.")


pending_storage = PendingStorage()


def get_pending_storage():
    return pending_storage


def pending_upload_to(instance, filename):
    """A generated name, never the client's: ``pending/<random>.<detected extension>``."""
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"pending/{secrets.token_hex(16)}.{extension}"
