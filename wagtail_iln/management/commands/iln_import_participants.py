from wagtail_iln.management.command import ImportParticipantsCommand as Command

__all__ = ["Command"]
