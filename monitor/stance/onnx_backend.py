"""Optional ONNX Runtime backend for the encoder (``pip install '.[onnx]'``).

The torch encoder is exported once per weights file to ONNX and quantised to int8, then
served by ONNX Runtime on the CPU. Before quantisation, ONNX Runtime's transformer optimiser
fuses attention and bias + GELU into single operators, so attention runs as int8 too.
Three details matter for faithfulness:

- the export uses eager attention: the default (sdpa) attention exports a graph that gives
  wrong results on padded batches;
- input axes batch and sequence are dynamic, so dynamic padding works as in torch;
- quantisation is dynamic int8 *per channel*: per-tensor scales lose too much on MiniLM.

Pooling and normalisation are the torch encoder's (mean over the attention mask, L2 norm).
The exported files live in a cache directory keyed by the weights' sha256
(``~/.cache/stance-monitor/onnx/<sha8>/`` unless configured) and are rebuilt only when the
source weights change. Nothing is downloaded.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from monitor.errors import ModelError

if TYPE_CHECKING:  # encoder imports this module (load_encoder(backend="onnx")), never the reverse
    from monitor.stance.encoder import Encoder

log = logging.getLogger(__name__)

CACHE_ENV = "STANCE_MONITOR_CACHE"
MODEL_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OPSET = 17
FP32_FILE = "model.onnx"
INT8_FILE = "model.int8.onnx"
MANIFEST = "manifest.json"
QUANTISATION = "fused transformer graph without SkipLayerNorm; dynamic int8, per-channel, MatMul and Attention"
# ONNX Runtime's CPU SkipLayerNormalization kernel is ~6x slower than Add + LayerNormalization
# (2.2 vs 0.35 ms on a 64x36x384 batch, 2 threads): it is neither built into the graph nor
# re-fused when a session loads it.
SLOW_FUSIONS = ("SkipLayerNormFusion",)


def default_cache_dir() -> Path:
    """``$STANCE_MONITOR_CACHE/onnx``, else ``$XDG_CACHE_HOME/stance-monitor/onnx`` (``~/.cache``)."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser() / "onnx"
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "stance-monitor" / "onnx"


def _require_onnx() -> None:
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError:
        raise ModelError("the ONNX backend needs onnxruntime and onnx: pip install '.[onnx]'") from None


def _input_names(tokenizer: Any) -> list[str]:
    """The model inputs the tokenizer produces, in the order the exported graph takes them."""
    produced = set(getattr(tokenizer, "model_input_names", MODEL_INPUTS))
    return [n for n in MODEL_INPUTS if n in produced]


def export_onnx(encoder: Encoder, out: Path) -> Path:
    """Export ``encoder``'s weights (reloaded with eager attention) to an fp32 ONNX file."""
    import torch
    from transformers import AutoModel

    names = _input_names(encoder.tokenizer)
    try:
        model = AutoModel.from_pretrained(encoder.path, local_files_only=True, attn_implementation="eager").eval()
    except (OSError, ValueError) as exc:
        raise ModelError(f"{encoder.path}: cannot load encoder for export: {exc}") from None

    class _LastHidden(torch.nn.Module):
        """Positional inputs in, last hidden state out: the graph the backend runs."""

        def __init__(self, inner: Any):
            super().__init__()
            self.inner = inner

        def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
            return self.inner(**dict(zip(names, inputs, strict=True))).last_hidden_state  # type: ignore[no-any-return]

    sample = encoder.tokenizer(
        ["a short sample", "a somewhat longer sample sentence so that the batch needs padding"],
        padding=True, return_tensors="pt",
    )
    axes = {n: {0: "batch", 1: "sequence"} for n in [*names, "last_hidden_state"]}
    out.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings(), torch.no_grad():
        # The TorchScript exporter warns about its own deprecation and about traced Python
        # conditionals in the mask code that are constant for encoder inputs.
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _LastHidden(model), tuple(sample[n] for n in names), str(out), dynamo=False,
            input_names=names, output_names=["last_hidden_state"], dynamic_axes=axes, opset_version=OPSET,
        )
    return out


def fuse_transformer(src: Path, dst: Path, *, num_heads: int, hidden_size: int) -> Path:
    """ONNX Runtime's transformer optimiser: attention, embedding + LayerNorm, LayerNorm and
    bias + GELU become single fused operators (for MiniLM: 6 Attention, 12 LayerNormalization,
    6 BiasGelu, 1 EmbedLayerNorm). Quantising the fused graph turns each attention block into
    one int8 ``QAttention``; on MiniLM that is ~1.35x faster than int8 MatMuls in the unfused graph.
    Residual additions stay separate ``Add`` nodes (see ``SLOW_FUSIONS``).
    """
    from onnxruntime.transformers import optimizer
    from onnxruntime.transformers.fusion_options import FusionOptions

    options = FusionOptions("bert")
    options.enable_skip_layer_norm = options.enable_bias_skip_layer_norm = False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = optimizer.optimize_model(
            str(src), model_type="bert", num_heads=num_heads, hidden_size=hidden_size,
            optimization_options=options, opt_level=0, use_gpu=False,
        )
    fused = model.get_fused_operator_statistics()
    log.info("fused %s: %s", src.name, {k: v for k, v in fused.items() if v})
    model.save_model_to_file(str(dst))
    return dst


def quantize_int8(src: Path, dst: Path) -> Path:
    """Dynamic int8 quantisation with per-channel weight scales of the MatMuls and fused attention.

    The embedding tables (Gather) stay fp32: more faithful, and faster than ONNX Runtime's
    default operator set. Measured on MiniLM (bench/stance.py): cosine to torch >= 0.98 for
    every training text, held-out macro-F1 within 0.005 of torch.
    """
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # the quantiser logs a generic "consider pre-processing" hint to root
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            quantize_dynamic(
                str(src), str(dst), per_channel=True, weight_type=QuantType.QInt8,
                op_types_to_quantize=["MatMul", "Attention"],
                # the fused operators are outside ONNX shape inference: their outputs are float
                extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
            )
    finally:
        root.setLevel(level)
    return dst


def ensure_onnx_files(encoder: Encoder, cache_dir: Path | None = None) -> Path:
    """Directory holding the fp32 and int8 exports of ``encoder``; exports only when missing or stale.

    The directory is named after the weights' sha256 and carries a manifest with the full
    hash; a file lock keeps two processes from exporting at once, and files appear
    atomically (written under a temporary name, then renamed).
    """
    _require_onnx()
    from filelock import FileLock

    root = (cache_dir or default_cache_dir()).expanduser()
    target = root / encoder.sha256[:8]
    target.mkdir(parents=True, exist_ok=True)
    manifest = {"source": str(encoder.path), "sha256": encoder.sha256, "opset": OPSET,
                "inputs": _input_names(encoder.tokenizer), "quantisation": QUANTISATION}
    with FileLock(str(target / ".lock")):
        current = target / MANIFEST
        if (
            current.exists()
            and json.loads(current.read_text(encoding="utf-8")) == manifest
            and (target / FP32_FILE).exists()
            and (target / INT8_FILE).exists()
        ):
            return target
        log.info("exporting %s (sha256 %s) to ONNX in %s", encoder.name, encoder.sha256[:12], target)
        with tempfile.TemporaryDirectory(dir=target) as tmp:
            fp32 = export_onnx(encoder, Path(tmp) / FP32_FILE)
            config = encoder.model.config
            fused = fuse_transformer(fp32, Path(tmp) / "model.fused.onnx", num_heads=int(config.num_attention_heads),
                                     hidden_size=int(config.hidden_size))
            int8 = quantize_int8(fused, Path(tmp) / INT8_FILE)
            os.replace(fp32, target / FP32_FILE)
            os.replace(int8, target / INT8_FILE)
        current.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return target


def make_session(path: Path, *, threads: int | None = None, save_optimized: Path | None = None) -> Any:
    """A CPU inference session with full graph optimisation (less ``SLOW_FUSIONS``) and
    ``threads`` intra-op threads; ``save_optimized`` writes the graph as the session runs it."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    if threads:
        opts.intra_op_num_threads = threads
    opts.log_severity_level = 3  # errors only
    if save_optimized:
        opts.optimized_model_filepath = str(save_optimized)
    return ort.InferenceSession(
        str(path), sess_options=opts, providers=["CPUExecutionProvider"], disabled_optimizers=list(SLOW_FUSIONS)
    )


@dataclass(frozen=True)
class OnnxEncoder:
    """Same interface as :class:`monitor.stance.encoder.Encoder` (``name``, ``sha256``, ``embed``).

    ``sha256`` is the source weights' hash, so a head trained on the torch encoder loads;
    ``name`` says the backend, so stance rows record which one scored them.
    """

    name: str
    path: Path
    sha256: str
    tokenizer: Any
    session: Any
    input_names: tuple[str, ...]
    hidden_size: int
    max_length: int = 256

    def embed(self, texts: list[str], *, batch_size: int = 64) -> np.ndarray:
        """Mean-pooled, L2-normalised embeddings in input order, batches sorted by length."""
        out = np.zeros((len(texts), self.hidden_size), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for lo in range(0, len(order), batch_size):
            idx = order[lo : lo + batch_size]
            batch = self.tokenizer(
                [texts[i] for i in idx], padding=True, truncation=True, max_length=self.max_length, return_tensors="np"
            )
            feeds = {n: np.asarray(batch[n], dtype=np.int64) for n in self.input_names}
            hidden = self.session.run(None, feeds)[0]
            mask = feeds["attention_mask"][..., None].astype(np.float32)
            pooled = (hidden * mask).sum(1) / np.maximum(mask.sum(1), 1e-9)
            norm = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            out[idx] = pooled / norm
        return out


def load_onnx_encoder(
    encoder: Encoder, *, quantized: bool = True, cache_dir: Path | None = None, threads: int | None = None
) -> OnnxEncoder:
    """ONNX Runtime twin of a loaded torch encoder (int8 by default, fp32 with ``quantized=False``)."""
    folder = ensure_onnx_files(encoder, cache_dir)
    path = folder / (INT8_FILE if quantized else FP32_FILE)
    session = make_session(path, threads=threads)
    return OnnxEncoder(
        name=f"{encoder.name}-onnx-{'int8' if quantized else 'fp32'}",
        path=path,
        sha256=encoder.sha256,
        tokenizer=encoder.tokenizer,
        session=session,
        input_names=tuple(i.name for i in session.get_inputs()),
        hidden_size=int(encoder.model.config.hidden_size),
        max_length=encoder.max_length,
    )
