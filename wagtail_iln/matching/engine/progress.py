"""Telling the caller how far a matching has gone, without flooding it."""

from collections.abc import Callable

STEPS = 100  # at most this many reports after the first


class Progress:
    """Reports a fraction from 0.0 to 1.0 to ``callback``, rising, at most ``STEPS + 1`` times.

    The work is split in stages, each given its share of the whole; a stage
    advances by units of its own size. A report is made only when the fraction
    reaches the next hundredth, so a round of any size costs the caller at most
    101 calls: 0.0 first, 1.0 last.
    """

    def __init__(self, callback: Callable[[float], object] | None):
        if callback is not None and not callable(callback):
            raise TypeError(f"progress must be a callable taking a float, not {callback!r}")
        self.callback = callback
        self.reported = -1  # hundredths
        self.base = 0.0
        self.share = 0.0
        self.size = 1.0
        self.done = 0.0

    def stage(self, share: float, size: float) -> None:
        """Start the next stage: ``share`` of the whole, ``size`` units of work."""
        self.base = min(1.0, self.base + self.share)
        self.share, self.size, self.done = share, max(float(size), 1.0), 0.0
        self._report(self.base)

    def advance(self, units: float = 1.0) -> None:
        self.done = min(self.size, self.done + units)
        self._report(self.base + self.share * self.done / self.size)

    def finish(self) -> None:
        self._report(1.0)

    def _report(self, fraction: float) -> None:
        if self.callback is None:
            return
        hundredths = min(STEPS, int(fraction * STEPS))
        if fraction >= 1.0:
            hundredths = STEPS
        elif hundredths == STEPS:
            hundredths = STEPS - 1  # 1.0 means finished, and only finish() says so
        if hundredths > self.reported:
            self.reported = hundredths
            self.callback(hundredths / STEPS)
