"""What every moderation queue shares: permission, menu, filters, views and bulk actions.

A queue is a ``ModerationQueueViewSet`` in the "Moderation" menu
(``ModerationViewSetGroup`` in ``group.py``); photos and comments are two.
"""
