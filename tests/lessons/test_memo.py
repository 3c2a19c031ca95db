"""lessons.common.memo: values derived from a finished object, once per object and key, gone with the object."""

from __future__ import annotations

import gc
from dataclasses import dataclass

import numpy as np
import plotly.io

from lessons.common import memo
from lessons.i18n import Translator
from lessons.qat_training import figures as viz
from lessons.qat_training import lesson as lab
from qlib import pretrained
from qlib.data import load_digits


@dataclass(frozen=True)
class Owner:
    values: np.ndarray  # an equality that does not hash: the memo goes by identity


def test_a_value_is_built_once_per_owner_and_key_and_forgotten_with_its_owner():
    built = []

    def build(v):
        built.append(v)
        return v

    a, b = Owner(np.zeros(3)), Owner(np.zeros(3))
    assert memo.kept(a, "k", lambda: build(None)) is None
    assert memo.kept(a, "k", lambda: build(1)) is None  # None is kept like any value
    assert memo.kept(a, "other", lambda: build(2)) == 2
    assert memo.kept(b, "k", lambda: build(3)) == 3  # an equal owner is another owner
    assert built == [None, 2, 3]
    n = memo.owners()
    del a
    gc.collect()
    assert memo.owners() == n - 1


def test_the_layer_histogram_is_one_figure_per_language_and_draws_what_histogram_draws():
    name = next(n for n in pretrained.available() if n.startswith("qat-"))
    model, splits = pretrained.load_fake_quant(name), load_digits()
    en, ja = Translator("en", "qat_training"), Translator("ja", "qat_training")
    h = lab.layer_values(model, "conv1", "activation", splits)
    fig = viz.layer_histogram(h, "activation", en)
    assert viz.layer_histogram(h, "activation", en) is fig
    assert viz.layer_histogram(h, "activation", ja) is not fig
    fresh = viz.histogram(h.floats, h.quantized, en, grid=h.grid, log_y=True)
    assert plotly.io.to_json(fig) == plotly.io.to_json(fresh)
    assert fig.layout.yaxis.type == "log"
