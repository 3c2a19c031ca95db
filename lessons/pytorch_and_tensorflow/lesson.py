"""qlib beside PyTorch's eager-mode quantization: the recipe as code, qparams side by side, outputs code by code.

Three comparisons, each answering one question, each a typed result the page lays out:
- `calibration_compare` -> `CalibrationCompare`: the same float model and the same calibration data through qlib
  and through PyTorch's eager API (fuse_modules_qat, prepare_qat, observers only, convert). Same formula, so the
  same scale and zero point, except where PyTorch's x86 qconfig asks for 7-bit activations (reduce_range).
- `engine_compare` -> `EngineCompare`: our integer weights loaded into PyTorch's quantized kernels
  (`torch_ref.to_torch_quantized`). On a CPU with VNNI: the same codes as `Int8Model(requant="float")`, within
  one code of the fixed-point engine (ties). Without VNNI (AVX2) fbgemm adds each two u8 × s8 products in a
  saturating 16-bit register (vpmaddubsw), so with 8-bit activations many sums, and codes, differ: what
  reduce_range avoids. `pair_sums` shows it on a two-input layer; `engine_case` / `engine_note` choose what the
  page says from the measured numbers.
- `live_qat` -> `LiveQAT`: PyTorch's own QAT run beside qlib's QAT model: different training runs, so close,
  not equal.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.ao.quantization as tq
from torch import nn

from lessons.common.tex import side_by_side
from lessons.common.tflite import TOCO_2018_SCALE, TOCO_2018_ZERO_POINT, UINT8_SHIFT, converter_qparams
from qlib import pretrained, torch_ref
from qlib.data import Splits, load_digits
from qlib.int8 import Int8Model
from qlib.qat import QConfig, calibrate, convert, prepare_qat
from qlib.quant import calc_qparams

# (i18n key of the note, code): the eager-mode recipe as torch_ref runs it, top to bottom
EAGER_STEPS: tuple[tuple[str, str], ...] = (
    (
        "eager.note.stubs",
        """\
import torch.ao.quantization as tq

class TinyCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()  # -> quint8
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(16, 32, 3, stride=2,
                               padding=1)
        self.relu2 = nn.ReLU()
        self.fc = nn.Linear(512, 10)
        self.dequant = tq.DeQuantStub()  # -> float

    def forward(self, x):
        x = self.quant(x)
        x = self.relu1(self.conv1(x))
        x = self.relu2(self.conv2(x))
        x = torch.flatten(x, 1)
        return self.dequant(self.fc(x))""",
    ),
    (
        "eager.note.fuse",
        """\
model.train()
model = tq.fuse_modules_qat(
    model, [["conv1", "relu1"], ["conv2", "relu2"]])""",
    ),
    (
        "eager.note.qconfig",
        """\
model.qconfig = tq.get_default_qat_qconfig("x86")""",
    ),
    (
        "eager.note.prepare",
        """\
model = tq.prepare_qat(model)""",
    ),
    (
        "eager.note.train",
        """\
for epoch in range(epochs):
    if epoch == 3:
        model.apply(tq.disable_observer)  # freeze
    for x, y in batches:
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()""",
    ),
    (
        "eager.note.convert",
        """\
torch.backends.quantized.engine = "fbgemm"
qmodel = tq.convert(model.eval())
# conv1 + ReLU's output scale and zero point:
qmodel.conv1.scale, qmodel.conv1.zero_point""",
    ),
)

QAT_MODEL = "qat-w8a8"  # the shipped model whose integer weights go into PyTorch's kernels (page 6's model)
RECIPE_SOURCE = (
    torch_ref.prepare,
    torch_ref.convert,
    torch_ref.pytorch_qat,
)  # what the page's expander shows


def x86_activation_codes() -> tuple[int, int]:
    """The activation codes PyTorch's x86 QAT qconfig really uses: its observer's range after reduce_range."""
    with warnings.catch_warnings():  # "reduce_range will be deprecated": it is still the x86 default
        warnings.simplefilter("ignore", UserWarning)
        obs = tq.get_default_qat_qconfig("x86").activation().activation_post_process
    return int(obs.quant_min), int(obs.quant_max)


X86_ACT_CODES = x86_activation_codes()


@dataclass(frozen=True)
class ScaleZP:
    """One tensor's scale and zero point (per tensor)."""

    scale: float
    zero_point: int


@dataclass(frozen=True, eq=False)
class TensorQParams:
    """What a quantized model holds for one tensor: the output's scale and zero point, and the weight's scales."""

    name: str
    act: ScaleZP
    w_scale: torch.Tensor | None = None  # per output channel (None for the input)
    w_zero_point: torch.Tensor | None = None


@dataclass(frozen=True)
class ActCompare:
    """One activation's qparams: qlib, PyTorch with quant_max=255, PyTorch's x86 default (reduce_range)."""

    name: str
    qlib: ScaleZP
    full: ScaleZP
    x86: ScaleZP

    @property
    def same_full(self) -> bool:
        return self.qlib == self.full

    @property
    def same_x86(self) -> bool:
        return self.qlib == self.x86

    @property
    def x86_ratio(self) -> float:
        """PyTorch's x86 scale over qlib's: 255 / 127 when only reduce_range differs."""
        return self.x86.scale / self.qlib.scale

    @property
    def full_ratio(self) -> float:
        return self.full.scale / self.qlib.scale


@dataclass(frozen=True)
class WeightCompare:
    """One layer's per-channel weight scales, qlib against PyTorch's x86 default, compared channel by channel."""

    name: str
    channels: int
    qlib_scale: float  # the largest channel scale
    torch_scale: float
    same: bool  # every channel's scale equal and every PyTorch weight zero point 0


@dataclass(frozen=True)
class CalibrationCompare:
    """Same float model, same data: every activation and every weight, qlib beside PyTorch."""

    acts: tuple[ActCompare, ...]
    weights: tuple[WeightCompare, ...]
    x86_codes: tuple[int, int]  # the activation codes of PyTorch's x86 default (reduce_range)

    def act(self, name: str) -> ActCompare:
        return next(a for a in self.acts if a.name == name)


@dataclass(frozen=True)
class EngineCompare:
    """Our integer weights in PyTorch's kernels against qlib's two engines, over a whole split."""

    n: int  # images
    outputs: int  # output codes (images x classes)
    same_float: int  # codes equal to qlib's float-requant engine
    same_fixed: int  # codes equal to qlib's fixed-point engine
    max_diff_fixed: int  # largest difference from the fixed-point engine, in codes
    top1_same: int
    acc_torch: float
    acc_qlib: float
    first: str = "conv1"  # the first layer: both get the same input codes there, so only its sums can differ
    first_outputs: int = 0  # its output codes over the split
    first_same: int = 0  # of those, equal to qlib float (fbgemm's requantization, written out)
    first_max_diff: int = 0
    same_own_sums: int = 0  # output codes equal to qlib float run on fbgemm's own sums on this CPU

    @property
    def differ(self) -> int:
        """Output codes that differ from the fixed-point engine."""
        return self.outputs - self.same_fixed

    @property
    def first_differ(self) -> int:
        """The first layer's codes that differ from qlib float although their input codes are the same."""
        return self.first_outputs - self.first_same


def engine_case(e: EngineCompare) -> str:
    """What the numbers say: 'exact' (every code equal), 'ties' (a few, by one code: only the roundings differ)
    or 'saturated' (more than one code apart: the sums themselves differ, fbgemm without VNNI)."""
    if e.same_fixed == e.outputs:
        return "exact"
    return "ties" if e.max_diff_fixed <= 1 else "saturated"


INT16_MAX = 2**15 - 1
PAIR_WEIGHT, PAIR_STEP = torch_ref.PAIR_WEIGHT, torch_ref.PAIR_STEP  # the two-input demo (qlib.torch_ref)
PAIR_CODES = (127, 200)  # input codes: 2 · 127 · 127 = 32,258 fits in int16, 2 · 200 · 127 = 50,800 does not


@dataclass(frozen=True)
class PairSum:
    """A two-input quantized Linear, weights 127 and 127, both input codes `code`: the exact sum and PyTorch's."""

    code: int
    exact: int  # 2 · code · 127
    torch: int  # PyTorch's output code times its scale (PAIR_STEP): its sum to the nearest 256

    @property
    def saturated(self) -> bool:
        """PyTorch's sum is further from the exact one than its output rounding explains."""
        return abs(self.torch - self.exact) > PAIR_STEP // 2


def pair_sums(codes: tuple[int, ...] = PAIR_CODES) -> tuple[PairSum, ...]:
    """fbgemm's `nnq.Linear(2, 1)` with weights (127, 127) on the input codes (c, c), scales 1, no bias
    (`qlib.torch_ref.fbgemm_pair_sum`, measured once per process: the CPU does not change)."""
    return tuple(PairSum(c, 2 * c * PAIR_WEIGHT, torch_ref.fbgemm_pair_sum(c)) for c in codes)


def kernel_regime(pairs: tuple[PairSum, ...]) -> str:
    """'saturated' if fbgemm's pair sums saturate on this CPU (no VNNI), else 'exact'."""
    return "saturated" if any(p.saturated for p in pairs) else "exact"


@dataclass(frozen=True)
class Claim:
    """A sentence the page says, chosen from the numbers: its string key and the values it is filled with."""

    key: str
    values: dict

    def text(self, tr: Callable[..., str]) -> str:
        """The sentence in the translator's language."""
        return tr(self.key, **self.values)


def engine_facts(e: EngineCompare, pairs: tuple[PairSum, ...]) -> dict[str, object]:
    """Every number the engine comparison's texts state, formatted once (the page's note and its question)."""
    small, big = min(pairs, key=lambda p: p.code), max(pairs, key=lambda p: p.code)
    return dict(
        n=e.n,
        outputs=f"{e.outputs:,}",
        same=f"{e.same_fixed:,}",
        differ=f"{e.differ:,}",
        share=f"{100 * e.differ / e.outputs:.1f}",
        d=e.max_diff_fixed,
        top1=e.top1_same,
        changed=e.n - e.top1_same,
        same_float=f"{e.same_float:,}",
        same_own=f"{e.same_own_sums:,}",
        acc_torch=f"{100 * e.acc_torch:.2f}",
        acc_qlib=f"{100 * e.acc_qlib:.2f}",
        first=e.first,
        first_outputs=f"{e.first_outputs:,}",
        first_differ=f"{e.first_differ:,}",
        first_share=f"{100 * e.first_differ / max(e.first_outputs, 1):.1f}",
        first_d=e.first_max_diff,
        w=PAIR_WEIGHT,
        c_small=small.code,
        exact_small=f"{small.exact:,}",
        torch_small=f"{small.torch:,}",
        c_big=big.code,
        exact_big=f"{big.exact:,}",
        torch_big=f"{big.torch:,}",
        pair_step=PAIR_STEP,
        int16=f"{INT16_MAX:,}",
        cpu=torch.backends.cpu.get_cpu_capability(),
    )


def engine_note(e: EngineCompare, pairs: tuple[PairSum, ...]) -> Claim:
    """What the page says under the engine comparison: only roundings differ, or the sums saturated (no VNNI)."""
    return Claim(f"engine_note.{engine_case(e)}", engine_facts(e, pairs))


def same_fixed_help(e: EngineCompare) -> Claim:
    """The tooltip of "codes equal to qlib (M0 · 2⁻ⁿ)": ties only, or ties and saturated sums."""
    return Claim(f"same_fixed_help.{engine_case(e)}", dict(d=e.max_diff_fixed))


@dataclass(frozen=True)
class SampleLogits:
    """One test image's ten logits from qlib's engine and from PyTorch's kernels (same weights)."""

    index: int
    qlib: tuple[float, ...]
    torch: tuple[float, ...]

    @property
    def qlib_class(self) -> int:
        return max(range(len(self.qlib)), key=self.qlib.__getitem__)

    @property
    def torch_class(self) -> int:
        return max(range(len(self.torch)), key=self.torch.__getitem__)

    @property
    def max_diff(self) -> float:
        return max(abs(a - b) for a, b in zip(self.qlib, self.torch, strict=True))


@dataclass(frozen=True)
class QatRow:
    """One activation after PyTorch's own QAT and after qlib's: separate runs, so close, not equal."""

    name: str
    qlib: ScaleZP
    torch: ScaleZP

    @property
    def ratio(self) -> float:
        return self.torch.scale / self.qlib.scale


@dataclass(frozen=True)
class LiveQAT:
    """PyTorch's QAT from the shipped fp32 weights, converted, beside qlib's shipped QAT model."""

    epochs: int
    accuracy: float  # PyTorch's converted model, test split
    qlib_accuracy: float  # qlib's shipped QAT model, test split
    train_seconds: float
    fused: bool  # convert made ConvReLU2d twice and a quantized Linear
    rows: tuple[QatRow, ...]


def _qconfig(quant_max: int) -> tq.QConfig:
    """The x86 QAT qconfig, with activations 0..quant_max (127 is what reduce_range gives, 255 is full uint8)."""
    act = tq.FusedMovingAvgObsFakeQuantize.with_args(
        observer=tq.MovingAverageMinMaxObserver, quant_min=0, quant_max=quant_max, dtype=torch.quint8
    )
    return tq.QConfig(activation=act, weight=tq.get_default_qat_qconfig("x86").weight)


def _from_torch(records: list[torch_ref.TensorQParams]) -> list[TensorQParams]:
    """`torch_ref.torch_qparams`'s records as this lesson's values (scale and zero point as one pair)."""
    return [TensorQParams(r.name, ScaleZP(r.scale, r.zero_point), r.w_scale, r.w_zero_point) for r in records]


@torch.no_grad()
def torch_calibrated(fp32: nn.Module, x: torch.Tensor, quant_max: int | None = None) -> list[TensorQParams]:
    """PyTorch's eager API on the float model, observers fed `x` once in float, then convert -> qparams.

    quant_max None is `get_default_qat_qconfig("x86")` itself (reduce_range: activations 0..127).
    """
    net = torch_ref.TorchNet.from_float(fp32).train()
    fused = tq.fuse_modules_qat(net, net.fuse_list())
    fused.qconfig = tq.get_default_qat_qconfig("x86") if quant_max is None else _qconfig(quant_max)
    prepared = tq.prepare_qat(fused)
    prepared.apply(tq.disable_fake_quant)  # observe float weights and activations, as PTQ calibration does
    prepared.eval()
    prepared(x)
    prepared.apply(tq.enable_fake_quant)
    return _from_torch(torch_ref.torch_qparams(torch_ref.convert(prepared)))


@torch.no_grad()
def qlib_calibrated(fp32: nn.Module, x: torch.Tensor) -> Int8Model:
    """qlib's PTQ on the same model and data: prepare_qat, calibrate once, convert."""
    return convert(calibrate(prepare_qat(fp32, QConfig()), x))


def qlib_qparams(model: Int8Model) -> list[TensorQParams]:
    """The same values as `torch_ref.torch_qparams`, read from an Int8Model."""
    first = model.layers[0]
    out = [TensorQParams("input", ScaleZP(float(first.in_scale), int(first.in_zp)))]
    for name, layer in zip(model.layer_names, model.layers, strict=True):
        act = ScaleZP(float(layer.out_scale), int(layer.out_zp))
        out.append(TensorQParams(name, act, layer.w_scale.float()))
    return out


def _weight_compare(ours: TensorQParams, theirs: TensorQParams) -> WeightCompare:
    """One layer's weight scales, channel by channel."""
    return WeightCompare(
        name=ours.name,
        channels=len(ours.w_scale),
        qlib_scale=float(ours.w_scale.max()),
        torch_scale=float(theirs.w_scale.max()),
        same=bool(torch.equal(ours.w_scale, theirs.w_scale) and (theirs.w_zero_point == 0).all()),
    )


def calibration_compare(fp32: nn.Module, x: torch.Tensor) -> CalibrationCompare:
    """Per tensor: qlib's scale / zero point, PyTorch's with x86's 0..127 and with 0..255."""
    ours = qlib_qparams(qlib_calibrated(fp32, x))
    x86, full = torch_calibrated(fp32, x), torch_calibrated(fp32, x, quant_max=255)
    acts = tuple(ActCompare(q.name, q.act, b.act, a.act) for q, a, b in zip(ours, x86, full, strict=True))
    weights = tuple(_weight_compare(q, a) for q, a in zip(ours[1:], x86[1:], strict=True))
    return CalibrationCompare(acts, weights, X86_ACT_CODES)


def calibration_latex(c: CalibrationCompare) -> str:
    """The scale and zero point formulas with the input's numbers put in: qlib's 0..255 beside x86's codes.

    A small array, not underbraces: Streamlit clips a display formula's depth (overflow-y hidden).
    """
    a, (lo, hi) = c.act("input"), c.x86_codes
    return (
        r"\begin{array}{lcc}"
        rf" & \mathrm{{qlib}},\ 0..255 & \mathrm{{PyTorch\ x86}},\ {lo}..{hi} \\[2pt]"
        r" s = \dfrac{x_{\max} - x_{\min}}{q_{\max} - q_{\min}}"
        rf" & {a.qlib.scale:.6f} & {a.x86.scale:.6f} \\[8pt]"
        r" z = q_{\min} - \mathrm{round}(x_{\min} / s)"
        rf" & {a.qlib.zero_point} & {a.x86.zero_point}"
        r" \end{array}"
    )


# the two weight-scale rules of the scheme comparison, before any numbers are put in
WEIGHT_SCALE_LATEX = side_by_side(
    r"s_w = \frac{\max|w|}{127}\ \ (\mathrm{TFLite},\ -127..127)",
    r"s_w = \frac{\max|w|}{127.5}\ \ (\mathrm{PyTorch},\ -128..127)",
)


def recipe_source() -> str:
    """The source of the torch_ref functions that run PyTorch's recipe on this page."""
    return "\n\n".join(inspect.getsource(f) for f in RECIPE_SOURCE)


@torch.no_grad()
def engine_compare(model: Int8Model, x: torch.Tensor, y: torch.Tensor) -> EngineCompare:
    """Our weights in PyTorch's kernels against both qlib engines, over a whole data split."""
    tmodel = torch_ref.to_torch_quantized(model)
    theirs = torch_ref.torch_int_outputs(tmodel, x)
    torch_codes = theirs["fc"]
    float_eng = Int8Model(model.layers, requant="float", names=model.layer_names)
    fixed_eng = Int8Model(model.layers, requant="fixed", names=model.layer_names)
    q_in = fixed_eng.quantize_input(x)
    codes_float, codes_fixed = float_eng.forward_int(q_in), fixed_eng.forward_int(q_in)
    on_its_sums = Int8Model(model.layers, "float", model.layer_names, accumulate=torch_ref.fbgemm_accumulate)
    diff = (codes_fixed - torch_codes).abs()
    first = Int8Model(model.layers[:1], requant="float", names=model.layer_names[:1])
    ours1, theirs1 = first.forward_int(theirs["quant"]), theirs[model.layer_names[0]]  # PyTorch's input codes
    return EngineCompare(
        n=len(y),
        outputs=torch_codes.numel(),
        same_float=int((codes_float == torch_codes).sum()),
        same_fixed=int((diff == 0).sum()),
        max_diff_fixed=int(diff.max()),
        top1_same=int((codes_fixed.argmax(1) == torch_codes.argmax(1)).sum()),
        acc_torch=float((torch_codes.argmax(1) == y).float().mean()),
        acc_qlib=float((codes_fixed.argmax(1) == y).float().mean()),
        first=model.layer_names[0],
        first_outputs=theirs1.numel(),
        first_same=int((ours1 == theirs1).sum()),
        first_max_diff=int((ours1 - theirs1).abs().max()),
        same_own_sums=int((on_its_sums.forward_int(q_in) == torch_codes).sum()),
    )


@functools.cache
def shipped_engine_compare(name: str) -> EngineCompare:
    """engine_compare for a shipped model on the test split, once per process (the page and its question)."""
    return engine_compare(pretrained.load(name), *load_digits().test)


@torch.no_grad()
def sample_logits(
    model: Int8Model, x: torch.Tensor, index: int, tmodel: nn.Module | None = None
) -> SampleLogits:
    """Test image `index` of `x`: its ten logits from qlib's engine and from PyTorch's kernels, same weights.

    `tmodel`: `torch_ref.to_torch_quantized(model)` if already built (building it takes ~150 ms).
    """
    tmodel = tmodel if tmodel is not None else torch_ref.to_torch_quantized(model)
    one = x[index : index + 1]
    with torch_ref.quant_engine():
        theirs = tmodel(one)[0].tolist()
    return SampleLogits(index, tuple(model(one)[0].tolist()), tuple(theirs))


def qat_rows(torch_qp: list[torch_ref.TensorQParams], model: Int8Model) -> tuple[QatRow, ...]:
    """PyTorch's own QAT run (`torch_ref.torch_qparams` records) beside qlib's QAT model, per activation."""
    return tuple(
        QatRow(q.name, q.act, a.act) for a, q in zip(_from_torch(torch_qp), qlib_qparams(model), strict=True)
    )


def live_qat(fp32: nn.Module, qat_model: Int8Model, splits: Splits, epochs: int) -> LiveQAT:
    """PyTorch's QAT from `fp32` for `epochs` (observers frozen for the last one), converted, beside qlib's."""
    run = torch_ref.pytorch_qat(fp32, splits.train, epochs=epochs, freeze_observers_after=max(epochs - 1, 1))
    return LiveQAT(
        epochs=epochs,
        accuracy=accuracy(run.model, *splits.test),
        qlib_accuracy=accuracy(qat_model, *splits.test),
        train_seconds=run.seconds,
        fused=torch_ref.check_fused_types(run.model),
        rows=qat_rows(run.qparams, qat_model),
    )


@dataclass(frozen=True)
class WeightGrids:
    """PyTorch's x86 QAT: the weight scale it trains against over the one `convert` quantizes with, per channel.

    Training: the fused C++ fake quant (`fused_moving_avg_obs_fake_quant` -> `ChooseQuantizationParams` with
    preserve_sparsity) gives s = max(|min| / 128, |max| / 127). Convert: the observer's Python
    `calculate_qparams` gives s = max(|min|, |max|) / 127.5. The ratio lies between 127.5/128 and 127.5/127.
    """

    lo: float  # smallest ratio over all channels
    hi: float  # largest
    channels: int
    differ: int  # channels whose two scales are not equal
    acts: int  # activation quantizers compared the same way
    acts_same: int  # of those, how many have equal scale and zero point

    @property
    def percent(self) -> float:
        """The largest relative difference between the two grids, in percent."""
        return 100 * max(self.hi - 1, 1 - self.lo)


@torch.no_grad()
def qat_weight_grids(fp32: nn.Module, x: torch.Tensor) -> WeightGrids:
    """One training step of PyTorch's x86 QAT on `x`: every quantizer's training-time qparams against convert's."""
    prepared = torch_ref.prepare(torch_ref.TorchNet.from_float(fp32))
    prepared(x)  # train mode: the fused fake quants observe, compute their scales in C++ and fake-quantize
    ratios, acts_same, acts = [], 0, 0
    for m in prepared.modules():
        if not isinstance(m, tq.FusedMovingAvgObsFakeQuantize):
            continue
        scale, zero_point = m.calculate_qparams()  # what convert will use
        if m.is_per_channel:
            ratios.append(m.scale / scale)
        else:
            acts += 1
            acts_same += bool(torch.equal(m.scale, scale) and torch.equal(m.zero_point, zero_point))
    r = torch.cat(ratios)
    return WeightGrids(float(r.min()), float(r.max()), len(r), int((r != 1).sum()), acts, acts_same)


def tflite_qparams(rmin: float, rmax: float, qmin: int = -128, qmax: int = 127) -> ScaleZP:
    """Scale and zero point as today's TFLite converter derives them from a range (lessons.common.tflite)."""
    return ScaleZP(*converter_qparams(rmin, rmax, qmin, qmax))


# the uint8 input convention of TFLite's 2018 quantized MobileNets (TOCO, mean 128, std 128): 1/128, 128
TOCO_2018_INPUT = ScaleZP(TOCO_2018_SCALE, TOCO_2018_ZERO_POINT)


@dataclass(frozen=True)
class InputConventions:
    """The input x / 127.5 - 1, in [-1, 1], as each tool quantizes it."""

    torch: ScaleZP  # qlib and PyTorch's min-max observer: uint8, computed in float32
    tflite: ScaleZP  # today's TFLite converter: int8
    toco_2018: ScaleZP  # the uint8 quantized MobileNets of 2018
    x86: ScaleZP  # PyTorch's x86 QAT qconfig's own activation observer on [-1, 1]: 7-bit codes (reduce_range)

    @property
    def tflite_as_uint8(self) -> int:
        """TFLite's int8 zero point as a uint8 code (the same grid shifted by 128)."""
        return self.tflite.zero_point + UINT8_SHIFT


@functools.cache  # constants: computed once, not on every rerun (0.5 ms, most of it PyTorch's observer)
def input_conventions() -> InputConventions:
    """qlib/PyTorch, today's TFLite converter and 2018's TOCO on an input range [-1, 1]."""
    qp = calc_qparams(-1.0, 1.0, 8)
    with warnings.catch_warnings():  # "reduce_range will be deprecated": it is still the x86 default
        warnings.simplefilter("ignore", UserWarning)
        obs = tq.get_default_qat_qconfig("x86").activation().activation_post_process
    obs.reset_min_max_vals()
    obs(torch.tensor([-1.0, 1.0]))
    s86, z86 = obs.calculate_qparams()
    return InputConventions(
        ScaleZP(float(qp.scale), int(qp.zero_point)),
        tflite_qparams(-1.0, 1.0),
        TOCO_2018_INPUT,
        ScaleZP(float(s86), int(z86)),
    )


@torch.no_grad()
def accuracy(model: nn.Module | Int8Model, x: torch.Tensor, y: torch.Tensor) -> float:
    """Top-1 accuracy of a float, integer or PyTorch quantized model."""
    with torch_ref.quant_engine():
        return float((model(x).argmax(1) == y).float().mean())
