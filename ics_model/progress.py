"""Progress on a terminal for the long steps (reading workbooks, refitting, batch runs)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Steps:
    """Numbered steps on stderr: ``[2/5] Refitting the baselines... done (1.4 s)``.

    On a terminal each step's line is finished in place; elsewhere (a log, a pipe) every
    step is one plain line. Quiet mode prints nothing.
    """

    def __init__(self, total: int, *, stream: TextIO | None = None, quiet: bool = False) -> None:
        self.total = total
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        self.quiet = quiet
        self._started = 0.0
        self._label = ""

    def start(self, label: str) -> None:
        """Begin the next step."""
        self.done += 1
        self._label = label
        self._started = time.perf_counter()
        if not self.quiet and self.stream.isatty():
            print(f"[{self.done}/{self.total}] {label}...", end="", file=self.stream, flush=True)

    def finish(self, note: str = "done") -> None:
        """End the current step with a short note and its time."""
        if self.quiet:
            return
        took = time.perf_counter() - self._started
        if self.stream.isatty():
            print(f" {note} ({took:.1f} s)", file=self.stream, flush=True)
        else:
            print(f"[{self.done}/{self.total}] {self._label}: {note} ({took:.1f} s)", file=self.stream)
