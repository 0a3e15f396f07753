"""The app's settings: one ``WAGTAIL_ILN`` dict, read when used.

Every value is looked up on each call, so ``override_settings`` and a site
changing its settings between requests behave as expected.
"""

from django.conf import settings

DEFAULTS = {
    # Template that every page template of the app extends.
    "BASE_TEMPLATE": "base.html",
    # Topics listed on one page of a discussion index.
    "INDEX_PAGE_SIZE": 10,
    # Topics carried by the RSS and Atom feeds of a discussion index.
    "FEED_SIZE": 20,
    # Topics listed on one page of the topic search's results.
    "SEARCH_PAGE_SIZE": 10,
    # Rendition filters for the hero image of a topic, in lists and on the page.
    "CARD_IMAGE_FILTER": "fill-640x360",
    "HERO_IMAGE_FILTER": "fill-1280x640",
    "BODY_IMAGE_FILTER": "max-1024x1024",
    # A topic's sharing card names its locale as Open Graph does (fr_FR): language
    # codes of the site mapped to the Open Graph locale they stand for, where the
    # usual territory (fr -> fr_FR, en -> en_GB, es -> es_ES) is not the one meant,
    # e.g. {"en": "en_US", "pt": "pt_BR"}.
    "OPEN_GRAPH_LOCALES": {},
    # Services offered as plain share links in a call to action.
    "SHARE_SERVICES": ["bluesky", "x", "linkedin", "facebook", "email"],
    # Photo intake: what a submitted photo may be.
    "PHOTO_MAX_BYTES": 20 * 1024 * 1024,
    "PHOTO_MAX_PIXELS": 40_000_000,
    "PHOTO_MIN_WIDTH": 400,
    "PHOTO_MIN_HEIGHT": 400,
    # JPEG and WebP quality of the re-encoded photo.
    "PHOTO_QUALITY": 88,
    # Photos one client may send: (how many, per how many seconds).
    "PHOTO_RATE_LIMIT": (10, 3600),
    # Comments: the longest comment, how many links before it is held, and
    # words or e-mail addresses that send a comment straight to spam.
    "COMMENT_MAX_LENGTH": 3000,
    "COMMENT_MAX_LINKS": 2,
    "COMMENT_BLOCKLIST": [],
    # Dotted paths of callables (comment, request) -> True when it is spam.
    "COMMENT_SPAM_CHECKERS": [],
    # Comments one client may post: (how many, per how many seconds).
    "COMMENT_RATE_LIMIT": (5, 600),
    # Days a browser stays recognised as a commenter's once they followed the link
    # confirming their address; their comments are shown at once only there.
    "COMMENTER_COOKIE_DAYS": 365,
    # The key of the hashes comments and subscriptions keep of an address. Set it to
    # a long random string and never change it: unlike SECRET_KEY it does not rotate.
    # None: a key derived from SECRET_KEY (and SECRET_KEY_FALLBACKS, for lookups).
    "EMAIL_HASH_KEY": None,
    # Likes of topics and photos one client may send: (how many, per how many seconds).
    "LIKE_RATE_LIMIT": (30, 600),
    # Round applications one client may send: (how many, per how many seconds).
    "APPLICATION_RATE_LIMIT": (5, 3600),
    # Days the link confirming an application works; older pending applications
    # may be deleted with ``iln_purge_applications``.
    "APPLICATION_CONFIRM_DAYS": 7,
    # The limits above count the posts a form accepted. Posts a form hands back with
    # errors are counted apart, for each form: (how many, per how many seconds), a
    # ceiling far above what people correcting mistakes reach, even many behind one address.
    "INVALID_POST_RATE_LIMIT": (200, 3600),
    # The cache (an alias of CACHES) that keeps rate-limit counts; share it between processes.
    "RATE_LIMIT_CACHE": "default",
    # Rate limits count an IPv6 client by its network of this many bits (an IPv4
    # client by its address): one subscriber gets a whole /64, or more.
    "RATE_LIMIT_IPV6_PREFIX": 64,
    # Round stats, photo galleries, comment threads and unfilled forms are rendered once
    # and kept in this cache (an alias of CACHES) until what they show changes, for at
    # most FRAGMENT_CACHE_TIMEOUT seconds. 0 renders them for every reader.
    "FRAGMENT_CACHE": "default",
    "FRAGMENT_CACHE_TIMEOUT": 600,
    # A rendering older than that is kept this many seconds more and served while the
    # task worker renders its page again (WARM_PAGES), so no reader waits for it.
    "FRAGMENT_CACHE_GRACE": 3600,
    # Keep each rendered part, and the generations its key names, in the database as
    # well, so a cache flushed, restarted or evicting serves them again without
    # rendering them (one query for a page's parts): the first reader after a
    # deployment does not wait for the parts. False keeps them in the cache alone.
    "FRAGMENT_CACHE_DATABASE": True,
    # After a photo or comment is approved or a topic published, the task worker
    # renders the pages showing it, so their next reader finds them in the cache.
    "WARM_PAGES": True,
    # The request header a trusted proxy puts the client's address in, e.g.
    # "HTTP_X_FORWARDED_FOR" (its right-most address is used). None: REMOTE_ADDR.
    "CLIENT_IP_HEADER": None,
    # Photo galleries: the widths (in pixels) of the renditions offered to the
    # browser through srcset; it picks one for the screen.
    "GALLERY_IMAGE_WIDTHS": [400, 800, 1200],
    # The site's privacy notice, linked from every public form's privacy note and
    # from My data: a URL, or a dict of URLs by language code (the active
    # language's, else LANGUAGE_CODE's). None: no link.
    "PRIVACY_POLICY_URL": None,
    # Requests for the link to a person's own data one client may send: (how many, per seconds).
    "DATA_REQUEST_RATE_LIMIT": (5, 3600),
    # Days the link to a person's own data works.
    "DATA_LINK_DAYS": 2,
    # Participants whose last round ended this many days ago, and who have not
    # enrolled again, are anonymised by ``iln_apply_retention``. None: never.
    "PARTICIPANT_RETENTION_DAYS": 730,
    # Matching: the hard rules no proposed partnership breaks. "EXTRA" holds
    # dotted paths of callables (person, person) -> True when the two may be partners.
    "MATCHING_RULES": {
        "DIFFERENT_COUNTRIES": True,
        "NO_REPEAT_PARTNERS": True,
        "SHARED_LANGUAGE": True,
        "EXTRA": [],
    },
    # Matching: the default weight of each preference (wagtail_iln.matching.Weights
    # field names); an editor may change them for a round.
    "MATCHING_WEIGHTS": {},
    # Matching: how many best candidates each person keeps before the exact matching.
    "MATCHING_CANDIDATES": 30,
    # Matching: prove how close the pairs come to the best possible total (an upper
    # bound on any pairing of the round), matching again over the pairs it favours.
    # About twice the time of a plain matching; shown on the matching page.
    "MATCHING_CERTIFY": True,
    # Partnership health: days between check-in e-mails, days without contact after
    # which a partnership is overdue, and days a check-in link works.
    "CHECKIN_INTERVAL_DAYS": 14,
    "CHECKIN_OVERDUE_DAYS": 14,
    "CHECKIN_LINK_DAYS": 28,
    # The programme's address people may write to, e.g. "team@example.org": the
    # check-in page gives it to a member who asked for help. None: not shown.
    "CONTACT_EMAIL": None,
    # E-mails the mail server refused are sent again by the task worker, up to this many
    # times, the first after EMAIL_RETRY_DELAY seconds and twice as long each time after.
    "EMAIL_RETRIES": 5,
    "EMAIL_RETRY_DELAY": 60,
    # A topic is e-mailed to its round's participants this many messages at a time,
    # each batch over one connection to the mail server.
    "TOPIC_MAILING_BATCH": 200,
    # Requests to follow a discussion by e-mail one client may send: (how many, per seconds).
    "FOLLOW_RATE_LIMIT": (5, 3600),
    # Days the link confirming a request to follow a discussion works.
    "FOLLOW_CONFIRM_DAYS": 7,
    # Photos by e-mail: the IMAP mailbox ``iln_fetch_mail`` reads. SECURITY is "ssl"
    # (IMAPS, port 993), "starttls" (port 143) or "none" (only for a server on the same
    # machine); CA_FILE, a file of certificates to trust instead of the system's.
    # Handled messages are flagged \Seen, or moved to PROCESSED_FOLDER when it is set.
    "MAIL_IMAP": {
        "HOST": None,
        "PORT": None,
        "USER": "",
        "PASSWORD": "",
        "SECURITY": "ssl",
        "FOLDER": "INBOX",
        "PROCESSED_FOLDER": None,
        "CA_FILE": None,
        "TIMEOUT": 60,
    },
    # The largest e-mail taken (bigger ones get a reply saying so, and nothing is stored),
    # the most photos taken from one e-mail, and the most e-mails one fetch reads.
    "MAIL_MAX_BYTES": 30 * 1024 * 1024,
    "MAIL_MAX_ATTACHMENTS": 5,
    "MAIL_FETCH_BATCH": 500,
    # Days the link a sender gets to confirm their e-mailed photos works.
    "MAIL_CONFIRM_DAYS": 14,
    # The site the links in replies point at (e.g. "https://example.org"). None: the
    # root URL of Wagtail's default site.
    "MAIL_SITE_URL": None,
}


def get_setting(name):
    """Return ``WAGTAIL_ILN[name]`` or its default."""
    if name not in DEFAULTS:
        raise KeyError(f"Unknown WAGTAIL_ILN setting: {name}")
    return getattr(settings, "WAGTAIL_ILN", {}).get(name, DEFAULTS[name])
