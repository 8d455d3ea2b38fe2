"""djmine: text mining for Chinese party-building (党建) reports.

Example::

    >>> import pipeline
    >>> result = pipeline.run("corpus/sample", "outputs/sample")   # 一次运行全部阶段
    >>> result.tables["documents"][["title", "unit"]].head()
"""

from .api import Run, compare, kwic, run_stage, units
from .config import Config, ConfigError, load_config
from .export import export_excel
from .runner import STAGES, RunError, RunResult, run

__version__ = "0.1.0"

__all__ = [
    "Config",
    "ConfigError",
    "Run",
    "RunError",
    "RunResult",
    "STAGES",
    "compare",
    "export_excel",
    "kwic",
    "load_config",
    "run",
    "run_stage",
    "units",
]
