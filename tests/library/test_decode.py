"""qlib.decode: readable, correctly ordered answers from the model's scores."""

import json

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from qlib.decode import LABELS, class_names, decode_predictions

logits_rows = arrays(
    np.float64, st.tuples(st.integers(1, 4), st.just(10)), elements=st.floats(-1e4, 1e4, allow_nan=False)
)


def test_labels_file():
    labels = json.loads(LABELS.read_text(encoding="utf-8"))
    assert set(labels) == {"en", "ja"}
    assert class_names("en")[7] == "seven" and class_names("ja")[7] == "七"
    for lang in labels:
        assert len(set(class_names(lang))) == 10
    class_names("en").append("x")  # a caller's list is its own
    assert len(class_names("en")) == 10
    with pytest.raises(ValueError, match="language"):
        class_names("fr")


def test_best_first_with_names_and_softmax():
    z = torch.tensor([[0.0, 1, 2, 3, 4, 5, 6, 9, 8, 7]])
    out = decode_predictions(z, top=3)
    assert [c for c, _, _ in out[0]] == [7, 8, 9]
    assert out[0][0][1] == "seven"
    e = np.exp(np.arange(10.0))
    assert out[0][0][2] == pytest.approx(e[9] / e.sum(), rel=1e-12)  # logit 9 is the largest


@given(logits_rows)
def test_full_softmax_sums_to_one_and_is_sorted(z):
    out = decode_predictions(z, top=10)
    assert len(out) == len(z)
    for row, scores in zip(out, z, strict=True):
        probs = [p for _, _, p in row]
        assert sorted(c for c, _, _ in row) == list(range(10))
        assert sum(probs) == pytest.approx(1, abs=1e-12)
        assert probs == sorted(probs, reverse=True)
        assert scores.max() - scores[row[0][0]] < 1e-15  # the top logit (or one float64 can't tell from it)


def test_stable_with_huge_logits():
    out = decode_predictions(np.array([1000.0, 999, -1000, 0, 0, 0, 0, 0, 0, 0]), top=2)
    (c0, _, p0), (c1, _, p1) = out[0]
    assert (c0, c1) == (0, 1)
    assert p0 == pytest.approx(1 / (1 + np.e**-1)) and p1 == pytest.approx(1 / (1 + np.e))
    shifted = decode_predictions(np.arange(10.0) + 1e6, top=10)[0]
    plain = decode_predictions(np.arange(10.0), top=10)[0]
    assert [c for c, _, _ in shifted] == [c for c, _, _ in plain]  # softmax(z + c) = softmax(z)
    assert np.allclose([p for _, _, p in shifted], [p for _, _, p in plain], rtol=1e-9)


def test_probabilities_pass_through_unchanged_like_keras():
    p = np.array([0.05, 0.1, 0.02, 0.03, 0.3, 0.1, 0.1, 0.1, 0.1, 0.1])
    out = decode_predictions(p, top=10, from_logits=False)[0]
    assert [c for c, _, _ in out] == [4, 1, 5, 6, 7, 8, 9, 0, 3, 2]  # equal scores: smaller class id first
    assert {c: prob for c, _, prob in out} == dict(enumerate(p))
    raw = decode_predictions(
        [[5.0] + [0.0] * 9], from_logits=False, top=1
    )  # scores that are not probabilities
    assert raw[0][0][2] == 5.0  # are reported as given, as Keras does


@pytest.mark.parametrize(("top", "n"), [(-3, 1), (0, 1), (1, 1), (5, 5), (10, 10), (99, 10)])
def test_top_is_clamped(top, n):
    assert len(decode_predictions(torch.zeros(2, 10), top=top)[1]) == n


def test_ties_are_broken_by_class_id():
    out = decode_predictions(torch.zeros(10), top=10)[0]
    assert [c for c, _, _ in out] == list(range(10)) and all(p == 0.1 for _, _, p in out)


def test_inputs_of_every_kind_agree():
    z = np.random.default_rng(0).normal(size=(3, 10))
    want = decode_predictions(z)
    got = decode_predictions(torch.tensor(z, dtype=torch.float32, requires_grad=True))
    assert [[c for c, _, _ in r] for r in got] == [[c for c, _, _ in r] for r in want]
    assert np.allclose([[p for _, _, p in r] for r in got], [[p for _, _, p in r] for r in want], atol=1e-6)
    assert decode_predictions(z.tolist()) == want
    assert decode_predictions(z[1]) == [want[1]]  # 1-D is one row
    assert decode_predictions(np.zeros((0, 10))) == []


def test_japanese_names():
    out = decode_predictions(np.eye(10)[3] * 5, top=2, lang="ja")[0]
    assert out[0][:2] == (3, "三") and out[1][1] == "零"


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_scores_are_refused(bad):
    z = np.zeros((2, 10))
    z[1, 4] = bad
    with pytest.raises(ValueError, match="NaN or infinity"):
        decode_predictions(z)


@pytest.mark.parametrize("shape", [(9,), (2, 11), (2, 2, 10)])
def test_wrong_shapes_are_refused(shape):
    with pytest.raises(ValueError, match="expected"):
        decode_predictions(np.zeros(shape))
