"""How TensorFlow Lite picks an input's scale and zero point: today's converter, and 2018's TOCO convention.

Written once here for the two lessons that show it (preprocess, PyTorch and TensorFlow).
"""

from __future__ import annotations

import math


def converter_qparams(rmin: float, rmax: float, qmin: int = -128, qmax: int = 127) -> tuple[float, int]:
    """Scale and zero point as today's TFLite converter derives them from a calibrated range (int8 unless told).

    tensorflow/compiler/mlir/lite/quantization/ir/FakeQuantSupport.cc, getNudgedScaleAndZeroPoint: in double,
    scale = (rmax - rmin) / (qmax - qmin); the zero point from whichever end (min or max) adds the smaller
    arithmetic error; std::round, half away from zero. For [-1, 1] in int8 both ends give -0.5, the max end's
    is taken, and -0.5 rounds to -1 (as uint8: 127), not 128.
    """
    scale = (rmax - rmin) / (qmax - qmin)
    from_min, err_min = qmin - rmin / scale, abs(qmin) + abs(rmin / scale)
    from_max, err_max = qmax - rmax / scale, abs(qmax) + abs(rmax / scale)
    z = from_min if err_min < err_max else from_max
    rounded = int(math.copysign(math.floor(abs(z) + 0.5), z))  # std::round: half away from zero
    return scale, min(max(rounded, qmin), qmax)


# A uint8 input (inference_input_type=tf.uint8) is the int8 code shifted: zero point + 128
# (tensorflow/lite/tools/optimize/modify_model_interface.cc, SetInputTypeToUINT8).
UINT8_SHIFT = 128

# TF1's TOCO converter (2017-2018) took the uint8 input's code from --mean_values / --std_dev_values:
# real = (q - mean) / std (tensorflow/lite/python/lite.py, quantized_input_stats; TOCO needed an integer mean).
# The guides of the time gave 128 and 128 (tensorflow/models,
# research/object_detection/g3doc/running_on_mobile_tensorflowlite.md): scale 1/128, zero point 128.
TOCO_2018_SCALE, TOCO_2018_ZERO_POINT = 1 / 128, 128
