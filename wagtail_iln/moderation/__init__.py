"""What every moderation queue shares, knowing none of them.

- ``models.ModeratedModel``: the status, who moderated and when, the form's key;
- ``service.Moderation``: the locked, idempotent moves from status to status;
- ``viewsets.ModerationQueueViewSet``: the queue, its inspect view and its
  actions, one at a time and in bulk, from a table of ``actions.QueueAction``;
- ``group.register_queue``: puts a queue in the admin's "Moderation" menu.

See docs/moderation.md.
"""
