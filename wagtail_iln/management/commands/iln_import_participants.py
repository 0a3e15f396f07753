from wagtail_iln.people.command import ImportParticipantsCommand as Command

__all__ = ["Command"]
