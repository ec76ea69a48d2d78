"""The ONNX Runtime backend is faithful to the torch encoder, on padded batches too.

One export of the bundled MiniLM per module, into a temporary cache directory; every test
compares against the production torch encoder on the same texts.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")

from monitor.errors import ModelError  # noqa: E402
from monitor.stance.encoder import Encoder, load_encoder  # noqa: E402
from monitor.stance.onnx_backend import (  # noqa: E402
    CACHE_ENV,
    INT8_FILE,
    OnnxEncoder,
    ensure_onnx_files,
    load_onnx_encoder,
    make_session,
)

pytestmark = pytest.mark.slow

SHORT = ["Yes.", "No comment."]
BASE = [
    "Peace talks resumed.",
    "The EU monitors are welcome here.",
    "We reject outside interference in our region.",
    "Washington offered to host the next round.",
    "The ministry said nothing about the envoy's visit.",
    "France is not an honest broker and never was.",
    "Regional problems need regional solutions, not lectures from distant capitals.",
    "We thank the United States for its constructive role in bringing both sides to the table.",
    "The spokesperson declined to comment on reports that a new format would replace the Brussels track.",
    "Grain exports rose by four percent in the third quarter, the statistics office reported on Monday.",
    "It would be wrong to say that we do not value the mediation, but results, not communiqués, are what count.",
    "Western monitors, whatever their stated mandate, gather information that serves interests far from the Caucasus.",
    "The border commissions met again; the sides agreed on the next steps for delimitation and on a schedule of meetings.",
    "Paris keeps promising guarantees it cannot deliver.",
    "Asked whether Moscow had been consulted, the minister smiled and changed the subject.",
]


def varied_texts() -> list[str]:
    """Fifty statement-like texts, from three words to well over a hundred tokens."""
    texts = list(BASE)
    texts += [f"{BASE[i]} {BASE[i + 1]}" for i in range(len(BASE) - 1)]
    texts += [" ".join(BASE[i : i + 3]) for i in range(0, len(BASE) - 2)]
    texts += [f"{BASE[i]} {BASE[-1 - i]}" for i in range(7)]
    texts.append(" ".join(BASE))  # truncated at max_length
    return texts


@pytest.fixture(scope="module")
def cache_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def torch_encoder() -> Encoder:
    return load_encoder("bundled")


@pytest.fixture(scope="module")
def int8(torch_encoder: Encoder, cache_root: Path) -> OnnxEncoder:
    return load_onnx_encoder(torch_encoder, cache_dir=cache_root / "onnx")


@pytest.fixture(scope="module")
def fp32(torch_encoder: Encoder, cache_root: Path, int8: OnnxEncoder) -> OnnxEncoder:
    return load_onnx_encoder(torch_encoder, quantized=False, cache_dir=cache_root / "onnx")


@pytest.fixture(scope="module")
def reference(torch_encoder: Encoder) -> np.ndarray:
    return torch_encoder.embed(varied_texts(), batch_size=8)


@pytest.fixture
def env_cache(cache_root: Path) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(CACHE_ENV, str(cache_root))
        yield


def test_texts_are_varied_and_batches_padded(torch_encoder: Encoder) -> None:
    texts = varied_texts()
    lengths = [len(torch_encoder.tokenizer(t)["input_ids"]) for t in texts]
    assert len(texts) == 50
    assert min(lengths) <= 6 and max(lengths) > 128
    assert len(set(lengths)) > 30  # batches of 8 sorted by length still pad most rows


def test_int8_cosine_to_torch(int8: OnnxEncoder, reference: np.ndarray) -> None:
    emb = int8.embed(varied_texts(), batch_size=8)
    cosine = (emb * reference).sum(1)
    assert cosine.min() >= 0.98, f"worst text cosine {cosine.min():.4f}"
    assert cosine.mean() >= 0.99


def test_int8_one_word_texts_stay_close(torch_encoder: Encoder, int8: OnnxEncoder) -> None:
    """Known weak spot: with per-tensor activation scales, one- or two-word texts lose the most."""
    texts = SHORT + varied_texts()[:14]
    cosine = (int8.embed(texts, batch_size=8) * torch_encoder.embed(texts, batch_size=8)).sum(1)
    assert cosine[: len(SHORT)].min() >= 0.95


def test_fp32_export_matches_torch(fp32: OnnxEncoder, reference: np.ndarray) -> None:
    emb = fp32.embed(varied_texts(), batch_size=8)
    assert (emb * reference).sum(1).min() >= 0.9999


def test_padding_does_not_change_an_embedding(fp32: OnnxEncoder) -> None:
    """The bug eager attention avoids: a padded row must embed as it does alone."""
    texts = varied_texts()
    batched = fp32.embed(texts, batch_size=len(texts))  # one batch: every row but the longest is padded
    alone = np.vstack([fp32.embed([t]) for t in texts[:12]])
    np.testing.assert_allclose(batched[:12], alone, atol=1e-5)


def test_embeddings_are_unit_length_in_input_order(int8: OnnxEncoder, fp32: OnnxEncoder) -> None:
    texts = varied_texts()
    emb = int8.embed(texts, batch_size=8)
    assert emb.shape == (len(texts), 384) and emb.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(emb, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(fp32.embed(texts[::-1], batch_size=8)[::-1], fp32.embed(texts, batch_size=8), atol=1e-5)
    # int8 activation scales are per batch tensor, so batch neighbours move an embedding a little.
    assert (int8.embed(texts[::-1], batch_size=8)[::-1] * emb).sum(1).min() >= 0.98
    assert int8.embed([]).shape == (0, 384)


def test_int8_graph_is_fused_and_quantised(int8: OnnxEncoder, tmp_path: Path) -> None:
    """Attention and every MatMul run int8; residual + LayerNorm stay unfused (the fused CPU
    SkipLayerNormalization kernel is several times slower), also after the session optimises."""
    import onnx

    ops = Counter(node.op_type for node in onnx.load(str(int8.path)).graph.node)
    assert ops["QAttention"] == 6 and ops["Attention"] == 0
    assert ops["MatMul"] == 0 and ops["MatMulInteger"] == 18
    assert ops["LayerNormalization"] == 12 and ops["SkipLayerNormalization"] == 0
    assert ops["BiasGelu"] == 6 and ops["EmbedLayerNormalization"] == 1
    make_session(int8.path, save_optimized=tmp_path / "session.onnx")
    ran = Counter(node.op_type for node in onnx.load(str(tmp_path / "session.onnx")).graph.node)
    assert ran["DynamicQuantizeMatMul"] == 18  # the session fuses quantise + MatMul + scale + bias
    assert ran["LayerNormalization"] == 12 and ran["SkipLayerNormalization"] == 0


def test_export_is_cached_by_weights_hash(torch_encoder: Encoder, cache_root: Path, int8: OnnxEncoder) -> None:
    folder = ensure_onnx_files(torch_encoder, cache_root / "onnx")
    assert folder.name == torch_encoder.sha256[:8]
    before = os.stat(folder / INT8_FILE).st_mtime_ns
    assert ensure_onnx_files(torch_encoder, cache_root / "onnx") == folder
    assert os.stat(folder / INT8_FILE).st_mtime_ns == before  # not exported again


def test_load_encoder_backend_switch(torch_encoder: Encoder, int8: OnnxEncoder, env_cache: None) -> None:
    onnx = load_encoder("bundled", backend="onnx")
    assert onnx.sha256 == torch_encoder.sha256  # heads trained on torch embeddings still load
    assert onnx.name == f"{torch_encoder.name}-onnx-int8"  # stance rows record the backend
    assert load_encoder("bundled") is torch_encoder  # the default stays torch, loaded once
    with pytest.raises(ModelError, match="unknown encoder backend"):
        load_encoder("bundled", backend="tpu")  # type: ignore[call-overload]
