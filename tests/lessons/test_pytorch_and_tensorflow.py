"""Page 7's claims about PyTorch, TF-MOT, Keras and TFLite are what those libraries do (issue 11 B2-B5)."""

from __future__ import annotations

import ast
import dataclasses
import warnings

import pytest
import torch
import torch.ao.quantization as tq

from lessons.i18n import Translator, t
from lessons.pytorch_and_tensorflow import lesson, tables
from lessons.pytorch_and_tensorflow.tf_code import TF_STEPS
from qlib import pretrained, torch_ref
from qlib.data import load_digits


@pytest.fixture(scope="module")
def fp32():
    return pretrained.load("fp32")


# --- B2: PyTorch's x86 QAT trains weights on one grid and converts them to another -------------------------


def test_qat_trains_weights_against_another_scale_than_convert_uses(fp32):
    """The fused C++ fake quant's weight scale is max(|min|/128, |max|/127); convert's is max|w|/127.5."""
    prepared = torch_ref.prepare(torch_ref.TorchNet.from_float(fp32))
    with torch.no_grad():
        prepared(load_digits().train[0][:64])
    for name in torch_ref.TINY_CNN.names:
        fq = getattr(prepared, name).weight_fake_quant
        lo, hi = fq.activation_post_process.min_val, fq.activation_post_process.max_val
        trained = torch.maximum(lo.abs() / 128, hi.abs() / 127).float()
        converted = (torch.maximum(-lo, hi) / 127.5).float()
        assert torch.equal(fq.scale, trained)
        assert torch.allclose(fq.calculate_qparams()[0], converted, rtol=1e-6, atol=0)
        assert (fq.scale != fq.calculate_qparams()[0]).all()  # every channel


def test_the_measured_weight_grids(fp32):
    g = lesson.qat_weight_grids(fp32, load_digits().train[0])
    assert g.channels == 16 + 32 + 10 and g.differ == g.channels
    assert 127.5 / 128 - 1e-6 <= g.lo < 1 < g.hi <= 127.5 / 127 + 1e-6
    assert g.percent == pytest.approx(100 * (127.5 / 127 - 1), rel=1e-3)
    assert g.acts == 4 and 0 <= g.acts_same <= 4  # the page says how many agree, whatever it is


def test_x86_activation_codes_are_read_from_pytorch():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        obs = tq.get_default_qat_qconfig("x86").activation().activation_post_process
    assert obs.reduce_range and lesson.X86_ACT_CODES == (obs.quant_min, obs.quant_max) == (0, 127)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_note_bounds_are_the_formulas_ratio(lang):
    text = t("pytorch_and_tensorflow.note", lang)
    assert f"{127.5 / 128:.4f}" in text and f"{127.5 / 127:.4f}" in text
    assert (
        "max(|min| / 128, |max| / 127)" in text and "last bits" not in text and "最後の数ビット" not in text
    )


# --- B3: TF-MOT's default 8-bit scheme: Conv2D weights per channel, Dense per tensor ------------------------


GRANULARITY = {
    "en": ("per channel for Conv2D", "per tensor for Dense"),
    "ja": ("Conv2D はチャネルごと", "Dense はテンソルごと"),
}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_tfmot_weight_granularity(lang):
    """tensorflow/model-optimization default_8bit_quantize_registry.py: Default8BitQuantizeConfig's
    LastValueQuantizer(per_axis=False) for Dense, Default8BitConvWeightsQuantizer (per_axis=True) for Conv2D."""
    conv, dense = GRANULARITY[lang]
    note = t("pytorch_and_tensorflow.tf.note.quantize_model", lang)
    assert conv in note and dense in note and "default_8bit_quantize_registry.py" in note
    row = t("pytorch_and_tensorflow.scheme.w_scheme.tflite", lang)
    assert conv in row and dense in row


# --- B4: the Keras snippet has TinyCNN's geometry -----------------------------------------------------------


def tf_same_padding(n: int, k: int, s: int) -> tuple[int, int]:
    """TensorFlow's SAME padding (core/framework/kernel_shape_util.cc): the odd pixel goes after."""
    out = (n + s - 1) // s
    total = max((out - 1) * s + k - n, 0)
    return total // 2, total - total // 2


def keras_conv_geometry(code: str, size: int = 8) -> list[tuple[int, int, int, int]]:
    """(pad before, pad after, kernel, stride) of each Conv2D in a Keras Sequential snippet, along one axis."""
    out, pending = [], (0, 0)
    for node in ast.walk(ast.parse(code)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        kw = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
        if node.func.attr == "ZeroPadding2D":
            p = ast.literal_eval(node.args[0])
            pending, size = (pending[0] + p, pending[1] + p), size + 2 * p
        elif node.func.attr == "Conv2D":
            k, s = ast.literal_eval(node.args[1]), kw.get("strides", 1)
            same = tf_same_padding(size, k, s) if kw.get("padding", "valid") == "same" else (0, 0)
            out.append((pending[0] + same[0], pending[1] + same[1], k, s))
            size = (size + sum(same) - k) // s + 1
            pending = (0, 0)
    return out


def test_the_keras_model_pads_like_pytorch():
    code = dict((key, c) for key, c in TF_STEPS)["tf.note.model"]
    torch_geometry = [
        (m.padding[0], m.padding[0], m.kernel_size[0], m.stride[0])
        for m in (torch_ref.TorchNet().conv1, torch_ref.TorchNet().conv2)
    ]
    assert keras_conv_geometry(code) == torch_geometry == [(1, 1, 3, 1), (1, 1, 3, 2)]


def test_the_geometry_check_sees_keras_same_with_stride_2():
    """Keras's "same" with stride 2 on 8 pixels pads 0 before and 1 after (what the snippet used to do)."""
    old = "tf.keras.layers.Conv2D(32, 3, strides=2, padding='same')"
    assert keras_conv_geometry(old) == [(0, 1, 3, 2)]


# --- B5: TFLite's input conventions --------------------------------------------------------------------------


def test_tflite_quantizes_minus_one_to_one_with_zero_point_minus_one():
    """FakeQuantSupport.cc: zero point from the max end, -0.5 rounds away from zero to -1 (uint8: 127)."""
    qp = lesson.tflite_qparams(-1.0, 1.0)
    assert qp == lesson.ScaleZP(2 / 255, -1)
    assert lesson.tflite_qparams(0.0, 6.0) == lesson.ScaleZP(6 / 255, -128)
    assert lesson.tflite_qparams(-1.0, 1.0, 0, 255).zero_point == 128  # the same rule on uint8 codes
    c = lesson.input_conventions()
    assert c.tflite_as_uint8 == 127 == c.torch.zero_point
    assert c.toco_2018 == lesson.ScaleZP(0.0078125, 128)
    # the x86 qconfig's own observer, 7-bit codes 0..127 (reduce_range): 2/127, and -(-1)/(2/127) = 63.5 -> 64
    assert c.x86.zero_point == 64 and c.x86.scale == pytest.approx(2 / 127, rel=1e-7)
    for lang in ("en", "ja"):
        cell = tables.scheme_table(Translator(lang, "pytorch_and_tensorflow"), c, lesson.X86_ACT_CODES).iloc[
            0, 0
        ]
        assert "2/127" in cell and "64" in cell and "2/255" in cell and "127" in cell


def test_the_pytorch_snippet_is_the_spec_the_app_runs():
    """Issue 12: page 7's hand-written TinyCNN class restates qlib.spec.TINY_CNN; run it and compare its layers and
    its output shape with torch_ref's model built from the spec."""
    import torch
    from torch import nn

    from lessons.pytorch_and_tensorflow.lesson import EAGER_STEPS
    from qlib.spec import TINY_CNN
    from qlib.torch_ref import TorchNet

    scope: dict = {"nn": nn, "torch": torch}
    exec(EAGER_STEPS[0][1], scope)  # noqa: S102 - our own snippet, as the page shows it
    snippet = scope["TinyCNN"]()

    def layers(m: nn.Module) -> list[tuple]:
        out = []
        for name, mod in m.named_modules():
            if isinstance(mod, nn.Conv2d):
                out.append(
                    (
                        name,
                        "conv",
                        mod.in_channels,
                        mod.out_channels,
                        mod.kernel_size,
                        mod.stride,
                        mod.padding,
                    )
                )
            elif isinstance(mod, nn.Linear):
                out.append((name, "linear", mod.in_features, mod.out_features))
        return out

    ours = TorchNet(TINY_CNN)
    assert layers(snippet) == layers(ours)
    x = torch.zeros(2, 1, 8, 8)
    assert snippet(x).shape == ours(x).shape == (2, 10)


# ---- PyTorch's kernels on CPUs with and without VNNI: the page's sentences are chosen from the numbers

# the whole test split as a CPU with VNNI gave it (exact sums: only ties differ) and as AVX2 gives it (saturated)
VNNI = lesson.EngineCompare(
    n=360, outputs=3600, same_float=3600, same_fixed=3531, max_diff_fixed=1, top1_same=360,
    acc_torch=0.9889, acc_qlib=0.9889, first="conv1", first_outputs=368640, first_same=368640, first_max_diff=0,
    same_own_sums=3600,
)  # fmt: skip
AVX2 = lesson.EngineCompare(
    n=360, outputs=3600, same_float=260, same_fixed=260, max_diff_fixed=28, top1_same=357,
    acc_torch=0.9806, acc_qlib=0.9889, first="conv1", first_outputs=368640, first_same=341261, first_max_diff=111,
    same_own_sums=3600,
)  # fmt: skip
EXACT_PAIRS = (lesson.PairSum(127, 32258, 32256), lesson.PairSum(200, 50800, 50688))
SATURATED_PAIRS = (lesson.PairSum(127, 32258, 32256), lesson.PairSum(200, 50800, 32768))


@pytest.mark.parametrize(
    ("e", "pairs", "case", "regime", "option"),
    [(VNNI, EXACT_PAIRS, "ties", "exact", "ties"), (AVX2, SATURATED_PAIRS, "saturated", "saturated", "many")],
    ids=["vnni", "avx2"],
)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_each_cpu_gets_its_own_sentences_with_its_own_numbers(e, pairs, case, regime, option, lang):
    from lessons.pytorch_and_tensorflow.questions import ENGINE, engine_option

    assert lesson.engine_case(e) == case and lesson.kernel_regime(pairs) == regime
    assert engine_option(e) == ENGINE.correct[regime]  # the answer for that CPU is what its numbers give
    note = lesson.engine_note(e, pairs)
    assert note.key == f"engine_note.{case}"
    text = note.text(lambda key, **v: t(f"pytorch_and_tensorflow.{key}", lang, **v))
    stated = [f"{e.differ:,}", f"{e.outputs:,}", f"{e.first_differ:,}", f"{e.first_outputs:,}", "conv1"]
    if case == "saturated":  # the sums: the two-input layer, conv1's share, the changed predictions
        stated += ["50,800", "32,768", "32,767", f"{100 * e.first_differ / e.first_outputs:.1f}"]
        stated += [f"{e.first_max_diff}", f"{e.max_diff_fixed}", f"{e.n - e.top1_same}", "98.06", "98.89"]
        stated += [f"{e.same_own_sums:,}"]  # qlib on the saturated sums: PyTorch's codes
    else:
        stated += ["50,800", "50,688"]
    for number in stated:
        assert number in text, (number, text)
    help_text = t(f"pytorch_and_tensorflow.{lesson.same_fixed_help(e).key}", lang, d=e.max_diff_fixed)
    assert str(e.max_diff_fixed) in help_text
    assert ("16" in help_text) == (case == "saturated")  # only the AVX2 tooltip speaks of 16-bit sums


def test_a_pair_sum_is_saturated_only_past_its_output_rounding():
    assert not lesson.PairSum(200, 50800, 50688).saturated  # 50,800 / 256 rounds to 198: 50,688
    assert lesson.PairSum(200, 50800, 32768).saturated  # stopped at 32,767, read to the nearest 256
    assert lesson.engine_case(dataclasses.replace(VNNI, same_fixed=3600)) == "exact"


def test_this_cpus_pair_sums_and_whole_split_tell_the_same_story():
    """The two-input layer (exact under 32,768, saturated above without VNNI) and the test split agree."""
    small, big = lesson.pair_sums()
    assert (small.code, big.code) == lesson.PAIR_CODES
    assert not small.saturated  # 2 · 127 · 127 fits in int16 on every CPU
    e = lesson.shipped_engine_compare(lesson.QAT_MODEL)
    regime = lesson.kernel_regime((small, big))
    if big.saturated:
        assert big.torch == 32768  # 32,767 read to the nearest 256
        assert regime == "saturated" == lesson.engine_case(e)
        assert e.first_differ > 0 and e.max_diff_fixed > 1  # conv1 differs, its input codes the same
    else:
        assert regime == "exact" and lesson.engine_case(e) in ("exact", "ties")
        assert e.first_differ == 0 and e.same_float == e.outputs  # fbgemm's requantization, bit for bit
    assert e.same_own_sums == e.outputs  # on fbgemm's own sums qlib float is PyTorch, on either CPU
