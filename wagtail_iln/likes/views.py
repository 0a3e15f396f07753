"""Liking: a small form that works without JavaScript, and answers JavaScript with JSON."""

from django.http import HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..conf import get_setting
from ..mail import after_response
from ..photos.models import PhotoCampaign
from ..ratelimit import is_rate_limited
from ..warming import pages_showing, warm_pages_once_per_burst
from .browsers import browser_id, browser_key, new_browser_id, remember_browser
from .counts import LIKED_PARAMETER, like_counts, like_label
from .models import Like
from .rendering import button_texts
from .targets import find_target


def wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def back_url(request, target):
    """The page the like was made on, marked so it can thank the reader."""
    if target.page is not None:
        url = target.page.get_url(request)
    else:
        url = request.POST.get("next", "")
        if not url or not url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            url = "/"
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}{LIKED_PARAMETER}={target.anchor}#{target.anchor}"


def refuse(request, message, status):
    if wants_json(request):
        return JsonResponse({"error": message}, status=status)
    context = {
        "message": message,
        "back": request.POST.get("next", "") if request.method == "POST" else "",
        "wagtail_iln_base_template": get_setting("BASE_TEMPLATE"),
    }
    back = context["back"]
    if back and not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        context["back"] = ""
    return TemplateResponse(request, "wagtail_iln/likes/refused.html", context, status=status)


def record_like(request, target):
    """Store the like of this reader (once: a second like changes nothing).

    Returns ``(stored, new_id)``: whether a like was stored now (False for a
    like this reader had already given, which renews nothing), and the browser
    id to remember in a cookie, or None for a signed-in reader or a browser
    that already has one.
    """
    user = getattr(request, "user", None)
    new_id = None
    if user is not None and user.is_authenticated:
        reader = {"user": user}
    else:
        identifier = browser_id(request)
        if identifier is None:
            identifier = new_id = new_browser_id()
        reader = {"browser": browser_key(identifier)}
    liked = {"kind": target.kind, "target": target.key, **reader}
    if new_id is None and Like.objects.filter(**liked).exists():
        return False, None
    like = Like(**liked)
    like.campaign_key = target.campaign  # the galleries the like renews, known already
    # ON CONFLICT DO NOTHING: two likes of one reader at the same moment store one row,
    # and likes of different readers never wait for each other.
    Like.objects.bulk_create([like], ignore_conflicts=True)
    return True, new_id


@never_cache
@require_POST
@after_response  # the answer does not wait for the galleries' rendering
def like(request, kind, pk):
    """Like a topic or a photo; 404 when it is not shown, 429 when the client likes too fast."""
    target = find_target(kind, pk)
    if target is None:
        return refuse(request, gettext("This can no longer be liked."), 404)
    if is_rate_limited(request, "likes", get_setting("LIKE_RATE_LIMIT")):
        return refuse(
            request, gettext("You have liked a lot in a short time. Please try again later."), 429
        )
    stored, new_id = record_like(request, target)
    if stored and target.campaign:
        # The galleries showing the photo count it now: render them for their next reader.
        warm_pages_once_per_burst(
            f"likes:{target.campaign}",
            lambda: pages_showing(PhotoCampaign.objects.filter(translation_key=target.campaign)),
        )
    if wants_json(request):
        count = like_counts(target.kind, [target.key])[target.key]
        response = JsonResponse(
            {"count": count, "label": like_label(count), "liked": button_texts(target.kind)[1]}
        )
    else:
        response = HttpResponseRedirect(back_url(request, target))
    if new_id is not None:
        remember_browser(request, response, new_id)
    return response
