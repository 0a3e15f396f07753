"""Run an international peer-mentoring programme on a Wagtail site."""

__version__ = "0.1.0"
