"""Page 6, integer inference: renders in both languages, and its numbers are exactly Int8Model.trace's."""

from __future__ import annotations

import functools
import io

import pytest
from streamlit.testing.v1 import AppTest

from lessons.i18n import t
from lessons.integer_inference.lesson import Explanation, Where, double_rounding_example, explain
from lessons.integer_inference.lesson import steps as lesson_steps
from qlib import pretrained
from qlib.data import digit_to_image, load_digits, load_image, to_model_input
from tests.app.apptest import keyed_table, no_errors, run_page
from ui.state import GIVEN, GivenDigit

PAGE = "pages/6_Integer_inference.py"


def steps(at: AppTest) -> dict[str, str]:
    """The step table as {step id: value text}."""
    df = keyed_table(at, "int8_table")  # indexed by the steps' names, in lesson.steps' order
    return dict(zip(step_ids(), df.iloc[:, 1], strict=True))


@functools.cache
def step_ids() -> tuple[str, ...]:
    """The step table's row ids, in its order (the same for every layer and output)."""
    return tuple(s.id for s in lesson_steps(example()[1]))


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_renders_in_both_languages(lang):
    at = run_page(PAGE, lang)
    no_errors(at)
    assert ("整数" if lang == "ja" else "Integer") in at.title[0].value
    assert len(at.latex) >= 6  # the general formula, five steps, the float check
    assert len(at.get("plotly_chart")) >= 3


@pytest.mark.parametrize(("layer", "channel", "row", "col"), [(0, 3, 4, 2), (1, 7, 1, 2), (2, 4, None, None)])
def test_numbers_reproduce_the_trace(layer, channel, row, col):
    i = 17
    at = run_page(PAGE, "en", int8_sample=i)
    name = ("conv1", "conv2", "fc")[layer]
    at.selectbox(key="int8_layer").set_value(name).run()
    at.slider(key=f"int8_channel_{name}").set_value(channel).run()
    if row is not None:
        at.slider(key=f"int8_row_{name}").set_value(row)
        at.slider(key=f"int8_col_{name}").set_value(col).run()
    no_errors(at)
    got = steps(at)

    model = pretrained.load(at.selectbox(key="int8_model").value)
    x = load_digits().test[0][i : i + 1]
    tr = model.trace(x)[layer]
    where = (0, channel) if row is None else (0, channel, row, col)
    assert int(got["acc"]) == int(tr["acc"][where])
    assert int(got["b_q"]) == int(tr["b_q"][channel])
    assert int(got["acc_bias"]) == int(tr["acc_bias"][where])
    assert int(got["M0"]) == int(tr["M0"][channel])
    assert int(got["n"]) == int(tr["n"][channel])
    assert float(got["M"]) == pytest.approx(float(tr["M"][channel]), rel=1e-7)
    assert int(got["z_in"]) == int(tr["in_zp"])
    assert int(got["z_out"]) == int(tr["out_zp"])
    assert int(got["q_out"]) == int(tr["q_out"][where])
    # the worked calculation shows the same numbers
    latex = "\n".join(e.value for e in at.latex)
    assert f"= {{{int(tr['acc_bias'][where])}}}" in latex  # each side of a chain of = is a {group}
    assert f"{int(tr['M0'][channel])} \\cdot 2^{{-{int(tr['n'][channel])}}}" in latex
    assert f"= {{{int(tr['q_out'][where])}}}" in latex
    # the dequantized result is within half an output step of the float layer
    assert (
        abs(float(got["y_int"]) - float(got["y_float"])) <= float(tr["out_scale"]) / 2 + 1e-4
        or int(got["pre_clamp"]) > 255
    )


def test_relu_is_the_lower_clamp():
    at = run_page(PAGE, "en")
    no_errors(at)
    got = steps(at)
    assert max(int(got["pre_clamp"]), int(got["z_out"])) == int(got["q_out"]) or int(got["pre_clamp"]) > 255


def test_uses_the_predict_pages_image():
    """The Predict page hands its digit on through ui.state (GivenDigit); page 6 takes it apart."""
    x = load_digits().test[0][5]
    buf = io.BytesIO()
    digit_to_image(x.numpy()).save(buf, format="PNG")
    given = to_model_input(load_image(buf.getvalue()))
    at = run_page(PAGE, "ja", **{GIVEN: GivenDigit(given.numpy()[0, 0], "upload")}, int8_source="predict")
    no_errors(at)
    assert len(at.info) == 1  # only the closing note: no "nothing was uploaded" message
    model = pretrained.load(at.selectbox(key="int8_model").value)
    tr = model.trace(given)[0]
    assert int(steps(at)["acc"]) == int(tr["acc"][0, 0, 4, 3])  # default: channel 0, row 4, column 3


def test_without_an_upload_it_says_so_and_uses_a_sample():
    at = run_page(PAGE, "en", int8_source="predict")
    no_errors(at)
    assert any("Predict page" in i.value for i in at.info)


def nbytes(text: str) -> int:
    return int(text.replace(",", "").split()[0])


def test_model_size_int8_is_smaller():
    at = run_page(PAGE, "en")
    sizes = {m.label: m.value for m in at.metric}
    fp32 = nbytes(sizes[t("integer_inference.size.fp32", "en")])
    int8 = nbytes(sizes[t("integer_inference.size.stored", "en")])
    assert int8 == pretrained.load(at.selectbox(key="int8_model").value).nbytes()
    assert int8 < 0.3 * fp32


def example() -> tuple[Where, Explanation]:
    """Issue 11 B1's kind of example in qat-w4a4: an output the two roundings put more than half a step off."""
    model, x = pretrained.load("qat-w4a4"), load_digits().test[0]
    w = double_rounding_example(model, x)
    return w, explain(model, model.trace(x[w.image : w.image + 1]), w.layer, w.channel, w.row, w.col)


def texts(at: AppTest) -> list[str]:
    return [e.value for e in (*at.markdown, *at.caption, *at.subheader, *at.title)]


def the_example(lang: str) -> AppTest:
    """The page set to that output."""
    w, _ = example()
    state = {f"int8_channel_{w.name}": w.channel, f"int8_row_{w.name}": w.row, f"int8_col_{w.name}": w.col}
    at = run_page(PAGE, lang, int8_model="qat-w4a4", int8_sample=w.image, int8_layer=w.name, **state)
    no_errors(at)
    return at


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_exact_value_and_the_engines_code_side_by_side(lang):
    """B1: gemmlowp rounds twice; the page shows the exact value, one rounding and the engine's code."""
    at, (_, e) = the_example(lang), example()
    shown = {m.label: m.value for m in at.metric}
    assert shown[t("integer_inference.exact", lang)] == t("integer_inference.steps_unit", lang, v=e.exact)
    assert shown[t("integer_inference.once", lang)] == str(e.once) != str(e.rounded)
    assert shown[t("integer_inference.engine", lang)] == str(e.rounded)
    assert steps(at)["high"] == str(e.high) and steps(at)["rounded"] == str(e.rounded)
    bound = f"{e.rounding_bound:.4f}"
    caption = next(c for c in texts(at) if bound in c)  # ½ · (1 + 2^−shift), the bound at this shift
    assert f"{e.exact:.4f}" in caption and f"{abs(e.rounded - e.exact):.4f}" in caption
    help_ = next(m.help for m in at.metric if m.label == t("integer_inference.diff", lang))
    assert bound in help_ and "half an output step (" not in help_
    assert abs(float(steps(at)["y_int"]) - float(steps(at)["y_float"])) > e.s_out / 2  # beyond half a step


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_sub_8_bit_wording_follows_the_model(lang):
    """B9: a 4-bit model is not described with 8-bit codes; the size section shows packed 4-bit weights."""
    at = the_example(lang)
    model = pretrained.load("qat-w4a4")
    everything = "\n".join(texts(at) + [str(e.value) for e in at.latex])
    for wrong in ("255", "uint8 codes", "uint8 コード", "(1 byte each)", "1 個 1 バイト)"):
        assert wrong not in everything, wrong
    rng = "〜" if lang == "ja" else "…"
    assert f"−8{rng}7" in everything.replace("-8", "−8") and f"0{rng}15" in everything
    assert steps(at)["q_out"] and t("integer_inference.row.q_out", lang, a=4) in table_labels(at)
    sizes = {m.label: m.value for m in at.metric}
    assert not [label for label in sizes if "<" in label]  # a metric's label is no HTML: "<br>" would show
    n = sum(layer.w_q.numel() for layer in model.layers)
    packed = model.nbytes() - n + sum(-(-layer.w_q.numel() * 4 // 8) for layer in model.layers)
    assert nbytes(sizes[t("integer_inference.size.stored", lang)]) == model.nbytes()
    assert nbytes(sizes[t("integer_inference.size.packed", lang, w=4)]) == packed


def table_labels(at: AppTest) -> list[str]:
    return list(keyed_table(at, "int8_table").index)
