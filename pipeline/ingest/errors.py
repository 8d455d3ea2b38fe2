"""The one exception type of the ingest readers."""

from __future__ import annotations


class IngestError(Exception):
    """A corpus file cannot be read; the message names the file, the problem and the fix.

    ``reason`` holds the message without the file name, for the ingest report.

    Example::

        >>> err = IngestError("报告/空白.txt", "empty file")
        >>> str(err)
        '报告/空白.txt: empty file'
    """

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason

    def __reduce__(self):  # keep the two arguments when crossing process boundaries
        return (type(self), (self.name, self.reason))
