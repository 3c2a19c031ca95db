"""Page 6, integer inference: renders in both languages, and its numbers are exactly Int8Model.trace's."""

from __future__ import annotations

import io

import pytest
from streamlit.testing.v1 import AppTest

from qlib import pretrained
from qlib.data import digit_to_image, load_digits, load_image, to_model_input
from tests.app.apptest import no_errors, run_page
from ui.state import GIVEN, GivenDigit

PAGE = "pages/6_Integer_inference.py"


def steps(at: AppTest) -> dict[str, str]:
    """The step table as {step id: value text}."""
    df = next(d.value for d in at.dataframe if "id" in d.value.columns)
    return dict(zip(df["id"], df.iloc[:, 2], strict=True))


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
    assert f"= {int(tr['acc_bias'][where])}" in latex
    assert f"{int(tr['M0'][channel])} \\cdot 2^{{-{int(tr['n'][channel])}}}" in latex
    assert f"= {int(tr['q_out'][where])}" in latex
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


def test_model_size_int8_is_smaller():
    at = run_page(PAGE, "en")
    sizes = {m.label: m.value for m in at.metric}
    fp32 = int(sizes["float32 model"].replace(",", "").split()[0])
    int8 = int(sizes["int8 model"].replace(",", "").split()[0])
    assert int8 == pretrained.load(at.selectbox(key="int8_model").value).nbytes()
    assert int8 < 0.3 * fp32
