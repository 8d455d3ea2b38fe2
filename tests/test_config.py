from pathlib import Path

import pytest

from pipeline.config import Config, ConfigError, load_config


def test_defaults_and_overrides(tmp_path: Path) -> None:
    ini = tmp_path / "run.cfg"
    ini.write_text("[pipeline]\nworkers = 2\nnear_dup_threshold = 0.7\n", encoding="utf-8")
    cfg = load_config(ini, seed=7)
    assert (cfg.workers, cfg.near_dup_threshold, cfg.seed) == (2, 0.7, 7)
    assert cfg.segmenter == Config().segmenter


def test_setup_cfg_has_a_valid_pipeline_section() -> None:
    root = Path(__file__).resolve().parent.parent
    cfg = load_config(root / "setup.cfg")
    assert cfg.seed == 42


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[pipeline]\nworkerz = 2\n", "unknown key"),
        ("[pipeline]\nworkers = two\n", "workers = 'two' is not a valid int"),
        ("[pipeline]\nsegmenter = thulac\n", "segmenter = 'thulac' is not one of"),
        ("[other]\nx = 1\n", "no [pipeline] section"),
        ("[pipeline\nworkers = 2\n", "cannot parse config"),
    ],
)
def test_bad_config_names_file_and_problem(tmp_path: Path, body: str, message: str) -> None:
    ini = tmp_path / "bad.cfg"
    ini.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(ini)
    assert str(ini) in str(info.value)
    assert message in str(info.value)


def test_missing_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.cfg")


def test_tuple_fields_parse_from_commas() -> None:
    from pipeline.config import config_from_mapping

    cfg = config_from_mapping({"pos_keep": "n, vn,v"})
    assert cfg.pos_keep == ("n", "vn", "v")
