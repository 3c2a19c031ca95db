"""Page 7, PyTorch and TensorFlow: renders in both languages; PyTorch's scale and zero point equal qlib's where
they should (same formula, 0..255) and differ by exactly the reduce_range factor where they should not."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from lessons.i18n import t
from lessons.pytorch_and_tensorflow import lesson
from lessons.pytorch_and_tensorflow.lesson import (
    X86_ACT_CODES,
    qat_weight_grids,
    qlib_calibrated,
    qlib_qparams,
)
from qlib import pretrained
from qlib.data import load_digits
from tests.app.apptest import keyed_table, no_errors, run_page

PAGE = "pages/7_PyTorch_and_TensorFlow.py"


def calib_table(at: AppTest):
    """The calibration table, indexed by tensor label, columns by position."""
    return keyed_table(at, "pytorch_calib_table")


def label(kind: str, name: str, n: int = 0, lang: str = "en") -> str:
    """The calibration table's row label of an activation ("act") or a layer's weights ("weight")."""
    return t(f"pytorch_and_tensorflow.tensor.{kind}", lang, name=name, n=n)


def pair(cell: str) -> tuple[float, int]:
    """A cell "scale / zero point", with or without its match to qlib after it ("(= qlib)", "（≠ qlib）")."""
    scale, zp = cell.split(" / ")
    return float(scale), int(re.match(r"-?\d+", zp).group())


def matches_qlib(cell: str, lang: str = "en") -> bool:
    """What a PyTorch cell says of its match to qlib's numbers."""
    mark = {t(f"pytorch_and_tensorflow.cell.{k}", lang, cell="").strip(): k for k in ("same", "differs")}
    return mark[cell.split(" / ")[1].lstrip("-0123456789").strip()] == "same"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_renders_in_both_languages(lang):
    at = run_page(PAGE, lang)
    no_errors(at)
    assert "TensorFlow" in at.title[0].value
    assert len(at.code) >= 6 + 9  # the PyTorch recipe and the TF-MOT / TFLite steps
    assert at.button(key="pytorch_run").value is False


def test_scale_and_zero_point_equal_qlibs_where_they_should():
    at = run_page(PAGE, "en")
    no_errors(at)
    df = calib_table(at)
    qlib_col, full_col, x86_col = df.columns
    ours = {r.name: r for r in qlib_qparams(qlib_calibrated(pretrained.load("fp32"), load_digits().train[0]))}
    for name, r in ours.items():
        row = df.loc[label("act", name)]
        q, full, x86 = pair(row[qlib_col]), pair(row[full_col]), pair(row[x86_col])
        assert q[0] == pytest.approx(r.act.scale, rel=1e-7) and q[1] == r.act.zero_point
        assert full == q and matches_qlib(row[full_col])  # PyTorch with quant_max=255: the same numbers
        assert not matches_qlib(row[x86_col])
        assert x86[0] == pytest.approx(q[0] * 255 / 127, rel=1e-5)  # reduce_range: 128 codes for the range
        if r.w_scale is not None:
            row = df.loc[label("weight", name, len(r.w_scale))]
            q, x86 = pair(row[qlib_col]), pair(row[x86_col])
            assert (
                x86 == q and q[1] == 0 and matches_qlib(row[x86_col])
            )  # weights: the same per-channel scheme
            assert q[0] == pytest.approx(float(r.w_scale.max()), rel=1e-7)
    assert len(df) == 4 + 3
    assert all(matches_qlib(c) for c in df[full_col])


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_pytorch_kernels_give_the_codes_the_page_says(lang):
    """With VNNI: qlib float's codes, every one. Without: the page says the sums saturated, with the numbers."""
    at = run_page(PAGE, lang)
    no_errors(at)
    e = lesson.shipped_engine_compare(lesson.QAT_MODEL)
    m = {x.label: x.value for x in at.metric}
    assert m[t("pytorch_and_tensorflow.same_float", lang)] == f"{e.same_float:,} / {e.outputs:,}"
    note = lesson.engine_note(e, lesson.pair_sums())
    said = note.text(lambda key, **v: t(f"pytorch_and_tensorflow.{key}", lang, **v))
    assert said in [x.value for x in at.markdown]
    help_ = next(x.proto.help for x in at.metric if x.label == t("pytorch_and_tensorflow.same_fixed", lang))
    assert help_ == t(f"pytorch_and_tensorflow.{lesson.same_fixed_help(e).key}", lang, d=e.max_diff_fixed)
    if lesson.kernel_regime(lesson.pair_sums()) == "exact":
        assert e.same_float == e.outputs and note.key != "engine_note.saturated"
    else:
        assert note.key == "engine_note.saturated" and e.same_float < e.outputs


def test_live_pytorch_qat_runs():
    at = run_page(PAGE, "ja")
    at.button(key="pytorch_run").click().run(timeout=120)
    no_errors(at)
    labels = [e.label for e in at.metric]
    assert any("PyTorch の QAT" in label for label in labels)
    assert any("ConvReLU2d" in c.value for c in at.caption)  # convert made fused quantized conv + ReLU layers
    qat = keyed_table(at, "pytorch_qat_table")  # one row per activation, both QATs' scale / zero point
    assert len(qat) >= 2 and all(" / " in v for v in (*qat.iloc[:, 0], *qat.iloc[:, 1]))


def scheme_row(at: AppTest, key: str, lang: str) -> list[str]:
    """The scheme table's row for one aspect: [PyTorch / qlib cell, TFLite cell]."""
    df = keyed_table(at, "pytorch_scheme_table")
    return list(df.loc[t(f"pytorch_and_tensorflow.scheme.{key}", lang)])


@pytest.mark.parametrize(("lang", "dots"), [("en", ".."), ("ja", "〜")])
def test_one_truth_about_x86_activation_codes(lang, dots):
    """The scheme table and the calibration section both say x86 activations are 0..127 (reduce_range)."""
    at = run_page(PAGE, lang)
    lo, hi = X86_ACT_CODES
    codes = f"{lo}{dots}{hi}"
    assert codes in scheme_row(at, "act_dtype", lang)[0]
    assert codes in calib_table(at).columns[2]
    assert f"0..{hi}" in at.latex[0].value  # the formula's underbrace, ASCII in both languages


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_why_differ_gives_the_measured_weight_ratio(lang):
    """B2: during QAT the weight scales differ from convert's in every channel, by the measured ratio."""
    g = qat_weight_grids(pretrained.load("fp32"), load_digits().train[0])
    at = run_page(PAGE, lang)
    why = next(m.value for m in at.markdown if "127.5" in m.value and "128" in m.value and "x86" in m.value)
    assert f"{g.lo:.4f}" in why and f"{g.hi:.4f}" in why and f"{g.channels}" in why
    assert "last bits" not in why and "最後の数ビット" not in why


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_input_row_says_which_tool_uses_128(lang):
    """B5: today's converter gives int8 -1 (uint8 127) for [-1, 1]; 128 is 2018's TOCO convention."""
    ours, tflite = scheme_row(run_page(PAGE, lang), "input", lang)
    assert "127" in ours and "2/255" in ours
    assert "-1" in tflite.replace("−", "-") and "127" in tflite and "2018" in tflite and "TOCO" in tflite
