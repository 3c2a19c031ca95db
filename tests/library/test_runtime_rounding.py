"""What the export modules' docstrings say each runtime computes, checked code for code on all 1,797 digits.

Each layer of each engine is fed that engine's own input codes and compared with the formula its sources
state (qlib.export.onnx and qlib.export.tflite record the files): if a runtime changes its arithmetic, or a
docstring says something the runtime doesn't do, one of these fails.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from qlib import pretrained
from qlib.data import load_digits
from qlib.export.runtimes import own_sums, run_litert, run_onnxruntime
from qlib.int8 import Int8Model
from qlib.model import num_threads

pytestmark = pytest.mark.slow  # every engine on 1,797 images, two models: ~10 s
F32 = np.float32


# ---------------------------------------------------------------------------------------------------------------
# the runtimes' requantization formulas, written out from their sources


def float32_multiplier(acc: np.ndarray, m: dict) -> np.ndarray:
    """ONNX Runtime (MlasRequantizeOutput) and XNNPACK (qs8-qc8w fp32): float(acc + b) * float32(s_in*s_w/s_out),
    rounded half to even."""
    mult = (F32(m["in_scale"]) * m["w_scale"].astype(F32)) / F32(m["out_scale"])
    return np.rint(acc.astype(F32) * mult).astype(np.int64)


def double_multiplier(acc: np.ndarray, m: dict) -> np.ndarray:
    """LiteRT's reference FULLY_CONNECTED: std::round(double(acc) * (double(s_in) * s_w / s_out)), ties away."""
    mult = float(m["in_scale"]) * m["w_scale"].astype(np.float64) / float(m["out_scale"])
    v = acc * mult
    return (np.sign(v) * np.floor(np.abs(v) + 0.5)).astype(np.int64)


def high_mul_then_shift_ties_up(acc: np.ndarray, m: dict) -> np.ndarray:
    """LiteRT's optimized kernels, as measured: SaturatingRoundingDoublingHighMul, then (a + 2^(r-1)) >> r."""
    ab = acc * m["M0"]  # < 2^62: no overflow in int64
    s = ab + np.where(ab >= 0, 1 << 30, 1 - (1 << 30))
    a = np.where(s >= 0, s // (1 << 31), -((-s) // (1 << 31)))  # C's division truncates towards zero
    r = m["n"] - 31
    return (a + (np.int64(1) << (r - 1))) >> r


# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def x_all():
    d = load_digits()
    return torch.cat([d.train[0], d.val[0], d.test[0]])


@pytest.fixture(scope="module", params=["qat-w8a8", "ptq-w8a8"])
def model(request):
    return pretrained.load(request.param)


def _layerwise(model: Int8Model, run, formula) -> list[int]:
    """For each layer: how many of the engine's codes differ from `formula` applied to qlib's accumulator of the
    engine's own input codes, summed as that engine sums on this CPU (`own_sums`: saturating int16 pairs in ONNX
    Runtime without VNNI), None: qlib's fixed-point requantization itself."""
    out = []
    fixed = Int8Model(model.layers, "fixed", model.layer_names, accumulate=own_sums(run.engine))
    for i, (name, layer) in enumerate(zip(model.layer_names, model.layers, strict=True)):
        step = fixed.run_layer(i, torch.as_tensor(run.codes[i]))
        acc = step.acc_bias.numpy()
        shape = [1, -1] + [1] * (acc.ndim - 2)
        if formula is None:
            want = step.q_out.numpy()
        else:
            m = {
                "in_scale": layer.in_scale,
                "out_scale": layer.out_scale,
                "w_scale": layer.w_scale.numpy().reshape(shape),
                "M0": step.M0.numpy().reshape(shape),
                "n": step.n.numpy().reshape(shape),
            }
            lo = max(layer.qmin, layer.out_zp) if layer.relu else layer.qmin
            want = np.clip(formula(acc, m) + layer.out_zp, lo, layer.qmax)
        out.append(int((run.code(name) != want).sum()))
    return out


def test_every_engine_quantizes_the_input_as_qlib(model, x_all):
    want = model.quantize_input(x_all).numpy()
    with num_threads(1):
        runs = [run_onnxruntime(model, x_all)] + [
            run_litert(model, x_all, e) for e in ("litert-reference", "litert-optimized", "litert-xnnpack")
        ]
    for r in runs:
        assert np.array_equal(r.code("input"), want), r.engine


def test_onnxruntime_is_a_float32_multiplier_rounded_half_to_even(model, x_all):
    with num_threads(1):
        run = run_onnxruntime(model, x_all)
    assert _layerwise(model, run, float32_multiplier) == [0, 0, 0]
    assert _layerwise(model, run, None) != [0, 0, 0]  # and that is not qlib's fixed point


def test_xnnpack_is_the_same_float32_multiplier(model, x_all):
    with num_threads(1):
        run = run_litert(model, x_all, "litert-xnnpack")
    assert "XNNPACK" in run.kernels
    assert _layerwise(model, run, float32_multiplier) == [0, 0, 0]


def test_litert_reference_conv_is_qlib_fixed_point(model, x_all):
    with num_threads(1):
        run = run_litert(model, x_all, "litert-reference")
    assert _layerwise(model, run, None) == [0, 0, 0]
    assert _layerwise(model, run, float32_multiplier) != [0, 0, 0]


def test_litert_reference_fully_connected_is_a_double_multiplier(model, x_all):
    """With linear_as="fully_connected", the reference fc rounds a double multiplier once (fully_connected.h)."""
    with num_threads(1):
        run = run_litert(model, x_all, "litert-reference", linear_as="fully_connected")
    conv1, conv2, fc = _layerwise(model, run, None)
    assert (conv1, conv2) == (0, 0) and fc > 0  # the convs are still fixed point; the fc is not
    assert _layerwise(model, run, double_multiplier)[2] == 0


def test_litert_optimized_rounds_the_second_step_ties_up(model, x_all):
    with num_threads(1):
        run = run_litert(model, x_all, "litert-optimized")
    assert _layerwise(model, run, high_mul_then_shift_ties_up) == [0, 0, 0]
    conv1, conv2, fc = _layerwise(model, run, None)
    assert (conv1, conv2) == (0, 0) and fc > 0  # behind a ReLU no negative tie survives; the fc has a few
