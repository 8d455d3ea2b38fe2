"""djmine: text mining for Chinese party-building (党建) reports.

Example::

    >>> import pipeline
    >>> result = pipeline.run("corpus/sample", "outputs/sample")   # 一次运行全部阶段
    >>> result.tables["documents"][["title", "unit"]].head()
"""

from .config import Config, ConfigError, load_config
from .runner import STAGES, RunError, RunResult, run

__version__ = "0.1.0"

__all__ = ["Config", "ConfigError", "RunError", "RunResult", "STAGES", "load_config", "run"]
