"""Forms placed in pages: the page is shown again with a bound form and its errors."""

from django.template.response import TemplateResponse


def bound_form(request, kind, key):
    """The form a view handed back for the block showing ``kind`` ``key``, if any."""
    return getattr(request, "wagtail_iln_forms", {}).get((kind, key))


def render_page_with_form(request, page, kind, key, form, status):
    """Serve ``page`` with ``form`` (bound, with its errors) where its block shows it."""
    request.wagtail_iln_forms = {(kind, key): form}
    return TemplateResponse(
        request, page.get_template(request), page.get_context(request), status=status
    )
