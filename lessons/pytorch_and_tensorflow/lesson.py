"""qlib beside PyTorch's eager-mode quantization: the recipe as code, qparams side by side, outputs code for code.

Three comparisons, each answering one question:
- `calibration_compare`: the same float model and the same calibration data through qlib and through
  PyTorch's eager API (fuse_modules_qat, prepare_qat, observers only, convert). Same formula, so the same
  scale and zero point, except where PyTorch's x86 qconfig asks for 7-bit activations (reduce_range).
- `engine_compare`: our integer weights loaded into PyTorch's quantized kernels (`torch_ref.to_torch_quantized`):
  the same codes as `Int8Model(requant="float")`, within one code of the fixed-point engine.
- `qat_rows`: PyTorch's own QAT run beside qlib's QAT model: different training runs, so close, not equal.
"""

from __future__ import annotations

import torch
import torch.ao.quantization as tq
from torch import nn

from qlib import torch_ref
from qlib.int8 import Int8Model
from qlib.qat import QConfig, calibrate, convert, prepare_qat

# (i18n key of the note, code): the eager-mode recipe as torch_ref runs it, top to bottom
EAGER_STEPS: tuple[tuple[str, str], ...] = (
    (
        "eager.note.stubs",
        """\
import torch.ao.quantization as tq

class TinyCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()      # float -> quint8
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.relu2 = nn.ReLU()
        self.fc = nn.Linear(512, 10)
        self.dequant = tq.DeQuantStub()  # quint8 -> float

    def forward(self, x):
        x = self.quant(x)
        x = self.relu1(self.conv1(x))
        x = self.relu2(self.conv2(x))
        return self.dequant(self.fc(torch.flatten(x, 1)))""",
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

ACT_NAMES = ("input", "conv1", "conv2", "fc")


def _qconfig(quant_max: int) -> tq.QConfig:
    """The x86 QAT qconfig, with activations 0..quant_max (127 is what reduce_range gives, 255 is full uint8)."""
    act = tq.FusedMovingAvgObsFakeQuantize.with_args(
        observer=tq.MovingAverageMinMaxObserver, quant_min=0, quant_max=quant_max, dtype=torch.quint8
    )
    return tq.QConfig(activation=act, weight=tq.get_default_qat_qconfig("x86").weight)


@torch.no_grad()
def torch_calibrated(
    fp32: nn.Module, x: torch.Tensor, quant_max: int | None = None
) -> list[torch_ref.TensorQParams]:
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
    return torch_ref.torch_qparams(torch_ref.convert(prepared))


@torch.no_grad()
def qlib_calibrated(fp32: nn.Module, x: torch.Tensor) -> Int8Model:
    """qlib's PTQ on the same model and data: prepare_qat, calibrate once, convert."""
    return convert(calibrate(prepare_qat(fp32, QConfig()), x))


def qlib_qparams(model: Int8Model) -> list[dict]:
    """The same records as `torch_ref.torch_qparams`, read from an Int8Model."""
    first = model.layers[0]
    out = [{"name": "input", "scale": float(first.in_scale), "zero_point": int(first.in_zp)}]
    for name, layer in zip(model.layer_names, model.layers, strict=True):
        out.append(
            {
                "name": name,
                "scale": float(layer.out_scale),
                "zero_point": int(layer.out_zp),
                "w_scale": layer.w_scale.float(),
                "qmax": layer.qmax,
            }
        )
    return out


def calibration_compare(fp32: nn.Module, x: torch.Tensor) -> list[dict]:
    """Per tensor: qlib's scale / zero point, PyTorch's with x86's 0..127 and with 0..255, and whether they match."""
    ours = qlib_qparams(qlib_calibrated(fp32, x))
    x86, full = torch_calibrated(fp32, x), torch_calibrated(fp32, x, quant_max=255)
    rows = []
    for q, a, b in zip(ours, x86, full, strict=True):
        rows.append(
            {
                "name": q["name"],
                "kind": "act",
                "qlib_scale": q["scale"],
                "qlib_zp": q["zero_point"],
                "x86_scale": a.scale,
                "x86_zp": a.zero_point,
                "full_scale": b.scale,
                "full_zp": b.zero_point,
                "same_full": q["scale"] == b.scale and q["zero_point"] == b.zero_point,
                "same_x86": q["scale"] == a.scale and q["zero_point"] == a.zero_point,
            }
        )
    for q, a in zip(ours[1:], x86[1:], strict=True):
        diff = float((q["w_scale"] - a.w_scale).abs().max())
        rows.append(
            {
                "name": q["name"],
                "kind": "weight",
                "channels": len(q["w_scale"]),
                "qlib_scale": float(q["w_scale"].max()),
                "x86_scale": float(a.w_scale.max()),
                "max_diff": diff,
                "same_x86": bool(torch.equal(q["w_scale"], a.w_scale)),
                "same_zp": bool((a.w_zero_point == 0).all()),
            }
        )
    return rows


@torch.no_grad()
def engine_compare(model: Int8Model, x: torch.Tensor, y: torch.Tensor) -> dict:
    """Our weights in PyTorch's kernels against both qlib engines, over a whole data split."""
    tmodel = torch_ref.to_torch_quantized(model)
    torch_codes = torch_ref.torch_int_outputs(tmodel, x)["fc"]
    float_eng = Int8Model(model.layers, requant="float", names=model.layer_names)
    fixed_eng = Int8Model(model.layers, requant="fixed", names=model.layer_names)
    q_in = fixed_eng.quantize_input(x)
    codes_float, codes_fixed = float_eng.forward_int(q_in), fixed_eng.forward_int(q_in)
    diff = (codes_fixed - torch_codes).abs()
    return {
        "n": len(y),
        "outputs": torch_codes.numel(),
        "same_float": int((codes_float == torch_codes).sum()),
        "same_fixed": int((diff == 0).sum()),
        "max_diff_fixed": int(diff.max()),
        "top1_same": int((codes_fixed.argmax(1) == torch_codes.argmax(1)).sum()),
        "acc_torch": float((torch_codes.argmax(1) == y).float().mean()),
        "acc_qlib": float((codes_fixed.argmax(1) == y).float().mean()),
    }


@torch.no_grad()
def sample_logits(
    model: Int8Model, x: torch.Tensor, tmodel: nn.Module | None = None
) -> tuple[list[float], list[float]]:
    """One input's ten logits from qlib's engine and from PyTorch's kernels holding the same weights.

    `tmodel`: `torch_ref.to_torch_quantized(model)` if already built (building it takes ~150 ms).
    """
    tmodel = tmodel if tmodel is not None else torch_ref.to_torch_quantized(model)
    with torch_ref.quant_engine():
        theirs = tmodel(x)[0].tolist()
    return model(x)[0].tolist(), theirs


def qat_rows(torch_qp: list[torch_ref.TensorQParams], model: Int8Model) -> list[dict]:
    """PyTorch's own QAT run beside qlib's QAT model: activation scale and zero point per tensor."""
    rows = []
    for a, q in zip(torch_qp, qlib_qparams(model), strict=True):
        rows.append(
            {
                "name": q["name"],
                "qlib_scale": q["scale"],
                "qlib_zp": q["zero_point"],
                "torch_scale": a.scale,
                "torch_zp": a.zero_point,
                "ratio": a.scale / q["scale"],
            }
        )
    return rows


@torch.no_grad()
def accuracy(model, x: torch.Tensor, y: torch.Tensor) -> float:
    """Top-1 accuracy of a float, integer or PyTorch quantized model."""
    with torch_ref.quant_engine():
        return float((model(x).argmax(1) == y).float().mean())
