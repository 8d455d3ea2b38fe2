"""Ingest: corpus folder -> documents table (one row per article) and ingest report.

Example::

    >>> from pipeline.ingest import ingest
    >>> result = ingest("corpus/sample")        # 读入语料
    >>> result.report[["source_file", "status"]]
"""

from .errors import IngestError
from .stage import IngestResult, ingest

__all__ = ["IngestError", "IngestResult", "ingest"]
