"""What the scripting commands raise; :mod:`closetui.cli.run` maps each to an exit code."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from closetui.api.outcome import WriteFailure
    from closetui.bulk.settle import Settled


class WriteNotSaved(Exception):
    """A PUT not known to be saved: refused (``settled`` None), or of unknown outcome and
    the re-read found it not saved or could not tell (``settled``)."""

    def __init__(
        self,
        error: Exception,
        verdict: WriteFailure,
        opportunity_id: str,
        settled: Settled | None = None,
    ) -> None:
        super().__init__(verdict.reason)
        self.error = error
        """What the PUT raised."""
        self.verdict = verdict
        self.opportunity_id = opportunity_id
        self.settled = settled


class UsageError(Exception):
    """Bad arguments or input; printed as one line, exit code 2."""
