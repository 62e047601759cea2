"""Progress of a running tool on the command line.

On a terminal, one line redrawn in place: a bar, the percentage and an
estimate of the time left, ``elapsed × (1 − f) / f`` at fraction ``f`` of the
work (shown from 2 % on; the work of a tool is roughly linear in its
fraction, years or units done). Messages are printed above the bar.

Anywhere else (a pipe, a log file, CI), plain lines only, one every 10 %:
``progress  40%  (3.1 s)`` — no carriage returns or escape codes in logs.

Written by hand rather than with tqdm: one line of drawing, and the tools
report through :class:`toolbox.tool.Feedback` (also QGIS's), not an iterator.
"""

import time

from .tool import StreamFeedback

BAR = 24
REDRAW_SECONDS = 0.2
ETA_FROM = 0.02


def _clock(seconds: float) -> str:
    hours, rest = divmod(int(round(seconds)), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


class ConsoleFeedback(StreamFeedback):
    """:class:`StreamFeedback` with a progress bar on a terminal.

    ``terminal`` defaults to whether the stream is a terminal (``isatty``).
    """

    def __init__(self, stream=None, quiet: bool = False, terminal=None, clock=time.monotonic):
        super().__init__(stream, quiet)
        if terminal is None:
            isatty = getattr(self._stream, "isatty", None)
            terminal = bool(isatty and isatty())
        self._terminal = terminal
        self._clock = clock
        self._start = clock()
        self._fraction = None  # shown on the terminal line, None when no bar is drawn
        self._drawn_at = None
        self._plain_step = -1

    # -------------------------------------------------------------- progress
    def progress(self, fraction: float) -> None:
        if self._quiet:
            return
        fraction = max(0.0, min(1.0, float(fraction)))
        now = self._clock()
        if not self._terminal:
            step = int(fraction * 10 + 1e-9)
            if step > self._plain_step:
                self._plain_step = step
                print(f"progress {100 * step // 10:3d}%  ({now - self._start:.1f} s)", file=self._stream)
            return
        if (self._drawn_at is not None and now - self._drawn_at < REDRAW_SECONDS and fraction < 1.0):
            self._fraction = fraction
            return
        self._fraction, self._drawn_at = fraction, now
        self._draw(now)
        if fraction >= 1.0:
            self._stream.write("\n")
            self._fraction = None
        self._stream.flush()

    def _draw(self, now: float) -> None:
        fraction = self._fraction
        filled = int(round(BAR * fraction))
        elapsed = now - self._start
        if fraction >= 1.0:
            tail = f"{_clock(elapsed)} in all"
        elif fraction >= ETA_FROM:
            tail = f"{_clock(elapsed * (1 - fraction) / fraction)} left"
        else:
            tail = ""
        self._stream.write(f"\r[{'#' * filled}{'.' * (BAR - filled)}] {100 * fraction:3.0f}%  {tail}\x1b[K")

    def _clear(self) -> None:
        if self._terminal and self._fraction is not None:
            self._stream.write("\r\x1b[K")

    def _redraw(self) -> None:
        if self._terminal and self._fraction is not None:
            self._draw(self._clock())
            self._stream.flush()

    # -------------------------------------------------------------- messages above the bar
    def info(self, message: str) -> None:
        if self._quiet:
            return
        self._clear()
        super().info(message)
        self._redraw()

    def warning(self, message: str) -> None:
        self._clear()
        super().warning(message)
        self._redraw()

    def finish(self) -> None:
        """End the bar's line (the tool stopped before 100 %, or finished)."""
        if self._terminal and self._fraction is not None:
            self._stream.write("\n")
            self._stream.flush()
            self._fraction = None
