"""Trial: a token tagger on the frozen bundled encoder, alone or beside the extraction rules (issue 15).

The bundled MiniLM runs frozen over each passage (windows of at most 256 tokens, overlapping by
half; a token seen twice gets the mean of its two hidden states). Each token's last hidden state,
with three cheap features (inside quotation marks, part of a reporting verb, relative position in
its sentence unit), goes to a logistic regression that predicts whether the token lies inside a
gold statement. A unit's tagger score is the mean token probability over its tokens.

Three ways to use it beside the rules, each scored end to end (attribution F1) by 5-fold CV on the
``a`` half grouped by ``source``, the team passages in every training fold (the protocol of
``bench/train_second_opinion.py``):

* ``tagger``: replaces the LR second opinion: an unattributed unit whose score reaches ``t`` becomes
  a statement; the speaker as the second opinion takes it (official at the unit's start, else the
  last speaker before it);
* ``lr+tagger``: the current LR second opinion, then the tagger on the units it left;
* ``lr17``: the LR second opinion refitted with the tagger score as a seventeenth feature (the
  score of a training unit comes from an inner grouped split, never from a tagger that saw it).

Token-level F1 of the tagger is printed as well. Embeddings are cached under ``--cache`` (default
``/tmp/tagger_trial``). The ``b`` half is not read unless ``--score-b`` is given (aggregates only).

    python bench/tagger_trial.py
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.extraction_real import real_dir  # noqa: E402
from bench.train_second_opinion import TEAM, folds  # noqa: E402
from monitor import config  # noqa: E402
from monitor.statements.actors import ActorIndex  # noqa: E402
from monitor.statements.extract import _rules, learned_statements  # noqa: E402
from monitor.statements.extraction_eval import _gold_actor, _match, _overlaps, _prf, load_rows, same_speaker  # noqa: E402
from monitor.statements.second_opinion import fit, unit_features  # noqa: E402

WINDOW = 254  # tokens per window, plus [CLS] and [SEP]
LR_THRESHOLD = 0.95  # the shipped second opinion's threshold
TAGGER_THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)
LR16_THRESHOLDS = (0.9, 0.95, 0.97, 0.98)
LR17_THRESHOLDS = (0.9, 0.95, 0.97, 0.98)
_WORD = re.compile(r"\S+")


# ----------------------------------------------------------------------------- token embeddings
def token_states(enc: Any, text: str, cache: Path) -> tuple[np.ndarray, np.ndarray]:
    """Character offsets (n, 2) and last hidden states (n, 384) of the passage's tokens, cached on disk."""
    key = cache / (hashlib.sha1(text.encode()).hexdigest() + ".npz")
    if key.exists():
        z = np.load(key)
        return z["offsets"], z["hidden"].astype(np.float32)
    import torch

    tok = enc.tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    ids, offsets = tok["input_ids"], np.array(tok["offset_mapping"], dtype=np.int32).reshape(-1, 2)
    n = len(ids)
    total = np.zeros((n, int(enc.model.config.hidden_size)), dtype=np.float32)
    seen = np.zeros(n, dtype=np.float32)
    cls, sep = enc.tokenizer.cls_token_id, enc.tokenizer.sep_token_id
    starts = list(range(0, max(1, n - WINDOW // 2), WINDOW // 2)) if n > WINDOW else [0]
    with torch.inference_mode():
        for s in starts:
            chunk = ids[s : s + WINDOW]
            out = enc.model(input_ids=torch.tensor([[cls, *chunk, sep]])).last_hidden_state[0, 1:-1].numpy()
            total[s : s + len(chunk)] += out
            seen[s : s + len(chunk)] += 1
    hidden = total / np.maximum(seen, 1)[:, None]
    np.savez(key, offsets=offsets, hidden=hidden.astype(np.float16))
    return offsets, hidden


class Passage:
    """One annotated passage: the rules' units, its tokens, their features and labels."""

    def __init__(self, row: dict[str, Any], index: ActorIndex, enc: Any, cache: Path) -> None:
        self.row = row
        text = row["text"]
        item, self.units = _rules(str(row.get("id", "")), text, index, row.get("feed_actor"), "en", ())
        self.unit_feats = [unit_features(text, self.units, k, item.mentions, item.verbs) for k in range(len(self.units))]
        self.labels_unit = [int(any(_overlaps((int(g["start"]), int(g["end"])), (u.start, u.end), text)
                                    for g in row["statements"])) for u in self.units]
        self.offsets, hidden = token_states(enc, text, cache)
        n = len(self.offsets)
        quoted = np.zeros(n, dtype=np.float32)
        verb = np.zeros(n, dtype=np.float32)
        position = np.zeros(n, dtype=np.float32)
        self.unit_of = np.full(n, -1, dtype=np.int32)
        verb_spans = [(m.start(), m.end()) for m in item.verbs.finditer(text)]
        for k, u in enumerate(self.units):
            inside = (self.offsets[:, 0] >= u.start) & (self.offsets[:, 0] < u.end)
            self.unit_of[inside] = k
            position[inside] = (self.offsets[inside, 0] - u.start) / max(1, u.end - u.start)
            for q in u.quotes:
                quoted[(self.offsets[:, 0] >= q.inner_start) & (self.offsets[:, 0] < q.inner_end)] = 1.0
        for a, b in verb_spans:
            verb[(self.offsets[:, 0] >= a) & (self.offsets[:, 0] < b)] = 1.0
        self.x = np.hstack([hidden, quoted[:, None], verb[:, None], position[:, None]])
        gold = [(int(g["start"]), int(g["end"])) for g in row["statements"]]
        self.y = np.array([int(any(s < ge and e > gs for gs, ge in gold)) for s, e in self.offsets], dtype=np.int8)

    def unit_scores(self, probs: np.ndarray) -> list[float]:
        """The tagger score of every unit: mean token probability (0 for a unit without tokens)."""
        out = []
        for k in range(len(self.units)):
            p = probs[self.unit_of == k]
            out.append(float(p.mean()) if len(p) else 0.0)
        return out


# ----------------------------------------------------------------------------- tagger
UNATTRIBUTED_ONLY = False  # train on the tokens of units the rules left unattributed only (--unattributed)


def _rows(p: Passage) -> np.ndarray:
    if not UNATTRIBUTED_ONLY:
        return np.ones(len(p.y), dtype=bool)
    return np.array([k >= 0 and not p.units[k].attributed for k in p.unit_of], dtype=bool)


def fit_tagger(passages: Sequence[Passage], c: float) -> Any:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    x = np.vstack([p.x[_rows(p)] for p in passages])
    y = np.concatenate([p.y[_rows(p)] for p in passages])
    return make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=500)).fit(x, y)


def tag(model: Any, passages: Sequence[Passage]) -> list[np.ndarray]:
    return [model.predict_proba(p.x)[:, 1] for p in passages]


# ----------------------------------------------------------------------------- end to end
def extract(p: Passage, index: ActorIndex, accept: Callable[[int], bool]) -> list[Any]:
    """The rules, then every unattributed unit ``accept`` takes, spoken as the second opinion decides."""
    row = p.row
    item, units = _rules(str(row.get("id", "")), row["text"], index, row.get("feed_actor"), "en", ())
    if row.get("feed_actor") is None:
        learned_statements(item, units, accept)
    return sorted(item.statements, key=lambda s: (s.start, s.end))


class Score:
    def __init__(self) -> None:
        self.matched = self.n_gold = self.n_pred = 0

    def add(self, p: Passage, pred: Sequence[Any], index: ActorIndex) -> None:
        text = p.row["text"]
        gold = p.row["statements"]

        def ok(g: dict[str, Any], s: Any) -> bool:
            return (_overlaps((int(g["start"]), int(g["end"])), (s.start, s.end), text)
                    and _gold_actor(g.get("actor"), index) == s.actor and same_speaker(g.get("speaker"), s.speaker, index))

        self.matched += _match(gold, pred, ok)
        self.n_gold += len(gold)
        self.n_pred += len(pred)

    def prf(self) -> dict[str, float]:
        return _prf(self.matched, self.n_gold, self.n_pred)


def token_prf(passages: Sequence[Passage], probs: Sequence[np.ndarray], unattributed_only: bool = False) -> dict[str, float]:
    tp = fp = fn = 0
    for p, pr in zip(passages, probs, strict=True):
        keep = np.ones(len(p.y), dtype=bool)
        if unattributed_only:
            keep = np.array([k >= 0 and not p.units[k].attributed for k in p.unit_of])
        hat = pr[keep] >= 0.5
        y = p.y[keep] == 1
        tp += int((hat & y).sum())
        fp += int((hat & ~y).sum())
        fn += int((~hat & y).sum())
    return _prf(tp, tp + fn, tp + fp)


def misses(passages: Sequence[Passage], index: ActorIndex) -> dict[str, int]:
    """Gold statements the rules do not attribute: inside a unit left unattributed (a "whether" model
    could take it) or only in attributed units (wrong speaker or span: a "who" question)."""
    out = {"gold": 0, "missed": 0, "in_unattributed_unit": 0, "only_in_attributed_units": 0}
    for p in passages:
        text = p.row["text"]
        pred = extract(p, index, lambda k: False)
        for g in p.row["statements"]:
            out["gold"] += 1
            span = (int(g["start"]), int(g["end"]))
            if any(_overlaps(span, (s.start, s.end), text) and _gold_actor(g.get("actor"), index) == s.actor
                   and same_speaker(g.get("speaker"), s.speaker, index) for s in pred):
                continue
            out["missed"] += 1
            free = any(not u.attributed and _overlaps(span, (u.start, u.end), text) for u in p.units)
            out["in_unattributed_unit" if free else "only_in_attributed_units"] += 1
    return out


def lr_table(passages: Sequence[Passage], extra: Sequence[Sequence[float]] | None = None
             ) -> tuple[list[list[float]], list[int]]:
    xs: list[list[float]] = []
    ys: list[int] = []
    for i, p in enumerate(passages):
        for k, f in enumerate(p.unit_feats):
            xs.append(list(f) + ([extra[i][k]] if extra is not None else []))
            ys.append(p.labels_unit[k])
    return xs, ys


def split(items: Sequence[Any], k: int) -> list[list[int]]:
    """Indices of ``items`` dealt round-robin into ``k`` folds (team passages: no source field)."""
    return [list(range(i, len(items), k)) for i in range(k)]


def oof_scores(team: list[Passage], train_a: list[Passage], c: float, k: int = 4) -> tuple[list[list[float]], list[list[float]]]:
    """Unit scores of the team and training-a passages, each from a tagger that did not see it."""
    a_folds = folds([p.row for p in train_a], k)
    t_folds = split(team, k)
    team_s: list[list[float]] = [[] for _ in team]
    a_s: list[list[float]] = [[] for _ in train_a]
    for af, tf in zip(a_folds, t_folds, strict=True):
        a_in, t_in = set(af), set(tf)
        model = fit_tagger([p for i, p in enumerate(team) if i not in t_in]
                           + [p for i, p in enumerate(train_a) if i not in a_in], c)
        for i in tf:
            team_s[i] = team[i].unit_scores(model.predict_proba(team[i].x)[:, 1])
        for i in af:
            a_s[i] = train_a[i].unit_scores(model.predict_proba(train_a[i].x)[:, 1])
    return team_s, a_s


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--real", help="folder of the real corpus (default ../shared/real or MONITOR_REAL_DIR)")
    ap.add_argument("--cache", default="/tmp/tagger_trial", help="folder for the cached token states")
    ap.add_argument("--c", type=float, default=0.05, help="inverse regularisation of the token LR")
    ap.add_argument("--unattributed", action="store_true",
                    help="train the tagger on the tokens of units the rules left unattributed only")
    ap.add_argument("--no-lr17", action="store_true", help="skip the nested lr17 variant (slow)")
    a = ap.parse_args(argv)
    global UNATTRIBUTED_ONLY
    UNATTRIBUTED_ONLY = a.unattributed
    cache = Path(a.cache)
    cache.mkdir(parents=True, exist_ok=True)
    from monitor.stance.encoder import load_encoder

    enc = load_encoder("bundled")
    index = ActorIndex.from_actors(config.load(ROOT / "config").actors)
    t0 = time.time()
    team = [Passage(r, index, enc, cache) for f in TEAM for r in load_rows(f)]
    studied = [Passage(r, index, enc, cache) for r in load_rows(real_dir(a.real) / "passages_dev.jsonl")
               if str(r.get("id", "")).startswith("a")]
    print(f"{len(team)} team + {len(studied)} a passages, {sum(len(p.y) for p in team + studied)} tokens "
          f"({time.time() - t0:.0f} s)", flush=True)

    print("gold statements of a the rules miss, by where they lie:", misses(studied, index), flush=True)
    names = ["rules", "oracle"] + [f"lr@{t}" for t in LR16_THRESHOLDS] + [f"tagger@{t}" for t in TAGGER_THRESHOLDS] + [f"lr+tagger@{t}" for t in TAGGER_THRESHOLDS]
    if not a.no_lr17:
        names += [f"lr17@{t}" for t in LR17_THRESHOLDS]
    scores = {n: Score() for n in names}
    oof_probs: list[np.ndarray] = [np.zeros(0)] * len(studied)
    for fno, fold in enumerate(folds([p.row for p in studied])):
        t1 = time.time()
        test = [studied[i] for i in fold]
        train = [p for i, p in enumerate(studied) if i not in set(fold)]
        tagger = fit_tagger(team + train, a.c)
        lr = fit(*lr_table(team + train), LR_THRESHOLD)
        lr17 = None
        if not a.no_lr17:
            team_s, a_s = oof_scores(team, train, a.c)
            lr17 = fit(*lr_table(team + train, team_s + a_s), 0.0)
        for i, p in zip(fold, test, strict=True):
            probs = tagger.predict_proba(p.x)[:, 1]
            oof_probs[i] = probs
            us = p.unit_scores(probs)

            def lr_ok(k: int, p: Passage = p, lr: Any = lr) -> bool:
                return lr.probability(p.unit_feats[k]) >= LR_THRESHOLD

            scores["rules"].add(p, extract(p, index, lambda k: False), index)
            for t in LR16_THRESHOLDS:
                scores[f"lr@{t}"].add(p, extract(p, index, lambda k, t=t, p=p, lr=lr: lr.probability(p.unit_feats[k]) >= t), index)
            scores["oracle"].add(p, extract(p, index, lambda k, p=p: bool(p.labels_unit[k])), index)
            for t in TAGGER_THRESHOLDS:
                scores[f"tagger@{t}"].add(p, extract(p, index, lambda k, t=t, us=us: us[k] >= t), index)
                scores[f"lr+tagger@{t}"].add(p, extract(p, index, lambda k, t=t, us=us, f=lr_ok: f(k) or us[k] >= t), index)
            if lr17 is not None:
                for t in LR17_THRESHOLDS:
                    scores[f"lr17@{t}"].add(p, extract(
                        p, index, lambda k, t=t, us=us, p=p, m=lr17: m.probability(list(p.unit_feats[k]) + [us[k]]) >= t), index)
        print(f"fold {fno}: {len(test)} passages ({time.time() - t1:.0f} s)", flush=True)

    print("\ntoken level (out of fold, threshold 0.5):")
    print("  all tokens          ", token_prf(studied, oof_probs))
    print("  unattributed units  ", token_prf(studied, oof_probs, unattributed_only=True))
    print("\nend to end, attribution on a (5-fold grouped CV):")
    for n, s in scores.items():
        m = s.prf()
        print(f"  {n:>16}  P {m['precision']:.4f}  R {m['recall']:.4f}  F1 {m['f1']:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
