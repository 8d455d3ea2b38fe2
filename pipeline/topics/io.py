"""Saving and loading a fitted TopicModel with sha256 checks before any unpickling."""

from __future__ import annotations

import hashlib
import json
import pickle
from pathlib import Path
from typing import Any

from ..tables import atomic_write

MODEL_FILE = "model.pkl"
VOCAB_FILE = "vocabulary.txt"
PARAMS_FILE = "params.json"
HASHES_FILE = "hashes.json"


class ModelIntegrityError(ValueError):
    """A saved model folder is incomplete or a file does not match its recorded sha256."""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def save_model(model: Any, folder: str | Path) -> Path:
    """Write ``model.pkl``, ``vocabulary.txt``, ``params.json`` and ``hashes.json`` into ``folder``.

    Example::

        >>> save_model(tm, "models/runs/topics")   # 保存
        PosixPath('models/runs/topics')
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    params = {**model.get_params(), "k_": int(model.k_), "n_units_": int(model.n_units_)}
    writers = {
        MODEL_FILE: lambda p: p.write_bytes(pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)),
        VOCAB_FILE: lambda p: p.write_text("\n".join(model.vocabulary_) + "\n", encoding="utf-8"),
        PARAMS_FILE: lambda p: p.write_text(
            json.dumps(params, ensure_ascii=False, indent=2, sort_keys=True, default=list) + "\n",
            encoding="utf-8",
        ),
    }
    hashes = {name: _sha256(atomic_write(target / name, write)) for name, write in writers.items()}
    text = json.dumps(hashes, indent=2, sort_keys=True) + "\n"
    atomic_write(target / HASHES_FILE, lambda p: p.write_text(text, encoding="utf-8"))
    return target


def _verified_files(folder: Path) -> dict[str, str]:
    hashes_path = folder / HASHES_FILE
    if not hashes_path.is_file():
        raise ModelIntegrityError(f"{hashes_path} not found; save the model with TopicModel.save")
    try:
        hashes = json.loads(hashes_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelIntegrityError(
            f"{hashes_path} is not valid JSON ({exc}); re-save the model"
        ) from None
    for name in (MODEL_FILE, VOCAB_FILE, PARAMS_FILE):
        path = folder / name
        if path.is_symlink() or path.resolve().parent != folder:
            raise ModelIntegrityError(f"{path} points outside {folder}; refusing to read it")
        if name not in hashes or not path.is_file():
            raise ModelIntegrityError(
                f"{path} or its entry in {hashes_path} is missing; re-save the model"
            )
        actual = _sha256(path)
        if actual != hashes[name]:
            raise ModelIntegrityError(
                f"{path}: sha256 {actual[:12]}… does not match {hashes[name][:12]}… in "
                f"{hashes_path}; the file was changed or corrupted, so it is not unpickled. "
                "Re-save the model or restore the original file."
            )
    return hashes


def load_model(folder: str | Path, *, expected: type) -> Any:
    """Load ``folder/model.pkl`` only after every file matches ``hashes.json``.

    Only the fixed file names inside ``folder`` are read; nothing outside it is unpickled.

    Example::

        >>> tm = load_model("models/runs/topics", expected=TopicModel)   # 载入前校验哈希
    """
    base = Path(folder).resolve()
    if not base.is_dir():
        raise FileNotFoundError(f"{folder}: no such model folder; save one with TopicModel.save")
    _verified_files(base)
    with open(base / MODEL_FILE, "rb") as handle:
        model = pickle.load(handle)
    if not isinstance(model, expected):
        raise ModelIntegrityError(
            f"{base / MODEL_FILE} holds a {type(model).__name__}, not a {expected.__name__}"
        )
    return model
