"""The same network in PyTorch's own eager-mode quantization, to check qlib code for code.

Two uses:
- `pytorch_qat(fp32_model, train)`: PyTorch's standard recipe (QuantStub/DeQuantStub, fuse conv+ReLU,
  `prepare_qat` with `get_default_qat_qconfig("x86")`, train, `convert`) from the TinyCNN's fp32 weights:
  the benchmark's reference row and the app's "same in PyTorch" page.
- `to_torch_quantized(int8_model)`: a PyTorch quantized model holding exactly our integer weights, float
  bias and activation qparams, so its outputs can be compared with `Int8Model` code for code.

Engine: on this machine (AVX512-VNNI) PyTorch 2.x's default "x86" engine sends conv to oneDNN, whose
requantization (float bias added after scaling, output zero point added before rounding) differs from
fbgemm's in about 1 output per million; linear always runs fbgemm. We pin "fbgemm" (`ENGINE`): its kernels are
what `Int8Model(requant="float")` reproduces bit for bit, on every x86 CPU. The packed weights remember the
engine they were built under, so the model keeps using fbgemm whatever the global engine is afterwards.
"""

from __future__ import annotations

import contextlib
import time
import warnings
from collections.abc import Iterator

import torch
import torch.ao.nn.intrinsic.quantized as nniq
import torch.ao.nn.quantized as nnq
import torch.ao.quantization as tq
from torch import nn

from qlib.int8 import Int8Model
from qlib.model import num_threads

ENGINE = "fbgemm"  # the kernels Int8Model(requant="float") matches exactly


@contextlib.contextmanager
def quant_engine(name: str = ENGINE) -> Iterator[None]:
    """Run a block under one quantized engine, then restore the previous one."""
    old = torch.backends.quantized.engine
    torch.backends.quantized.engine = name
    try:
        with warnings.catch_warnings():  # torch 2.13 warns that quantized tensor creation is deprecated
            warnings.simplefilter("ignore", UserWarning)
            yield
    finally:
        torch.backends.quantized.engine = old


class TorchTinyCNN(nn.Module):
    """TinyCNN for torch.ao eager mode: QuantStub, conv+ReLU twice, flatten, linear, DeQuantStub."""

    def __init__(self) -> None:
        super().__init__()
        self.quant = tq.QuantStub()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.relu2 = nn.ReLU()
        self.fc = nn.Linear(512, 10)
        self.dequant = tq.DeQuantStub()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.quant(x)
        x = self.relu1(self.conv1(x))
        x = self.relu2(self.conv2(x))
        return self.dequant(self.fc(torch.flatten(x, 1)))

    LAYERS = ("conv1", "conv2", "fc")

    @classmethod
    def from_float(cls, model: nn.Module) -> TorchTinyCNN:
        """Copy the conv and linear weights of a TinyCNN (in module order) into a TorchTinyCNN."""
        src = [m for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
        net = cls()
        dst = [getattr(net, name) for name in cls.LAYERS]
        if len(src) != len(dst) or any(
            a.weight.shape != b.weight.shape for a, b in zip(src, dst, strict=False)
        ):
            raise ValueError(
                "the model is not a TinyCNN: expected conv(1->16), conv(16->32, stride 2), linear(512->10)"
            )
        with torch.no_grad():
            for a, b in zip(src, dst, strict=True):
                b.weight.copy_(a.weight)
                b.bias.copy_(a.bias)
        return net


def prepare(net: TorchTinyCNN) -> nn.Module:
    """PyTorch's QAT preparation: fuse conv+ReLU, x86 default QAT qconfig, fake quant everywhere."""
    net.train()
    fused = tq.fuse_modules_qat(net, [["conv1", "relu1"], ["conv2", "relu2"]])
    with warnings.catch_warnings():  # "reduce_range will be deprecated": it is still the x86 default
        warnings.simplefilter("ignore", UserWarning)
        fused.qconfig = tq.get_default_qat_qconfig("x86")
        return tq.prepare_qat(fused)


def convert(prepared: nn.Module, engine: str = ENGINE) -> nn.Module:
    """PyTorch's convert to a quantized model, packed for `engine` (fbgemm unless told)."""
    with quant_engine(engine):
        return tq.convert(prepared.eval())


def torch_qparams(qmodel: nn.Module) -> list[dict]:
    """Scale and zero point of the input and of each quantized layer's output (plus weight scales)."""
    out = [{"name": "input", "scale": float(qmodel.quant.scale), "zero_point": int(qmodel.quant.zero_point)}]
    for name in TorchTinyCNN.LAYERS:
        m = getattr(qmodel, name)
        w = m.weight()
        out.append(
            {
                "name": name,
                "scale": float(m.scale),
                "zero_point": int(m.zero_point),
                "w_scale": w.q_per_channel_scales().float(),
                "w_zero_point": w.q_per_channel_zero_points(),
            }
        )
    return out


def pytorch_qat(
    fp32_model: nn.Module,
    train: tuple[torch.Tensor, torch.Tensor],
    epochs: int = 5,
    lr: float = 1e-3,
    batch_size: int = 64,
    freeze_observers_after: int = 3,
    seed: int = 0,
) -> tuple[nn.Module, list[dict], dict]:
    """PyTorch's own eager QAT fine-tuning from the fp32 weights -> (quantized model, qparams, info)."""
    torch.manual_seed(seed)
    prepared = prepare(TorchTinyCNN.from_float(fp32_model))
    opt = torch.optim.Adam(prepared.parameters(), lr=lr)
    x, y = train
    gen = torch.Generator().manual_seed(seed)
    t0 = time.perf_counter()
    with num_threads(1):  # tiny batches: one thread is several times faster on a busy 2-core machine
        for epoch in range(epochs):
            if epoch == freeze_observers_after:
                prepared.apply(tq.disable_observer)
            prepared.train()
            for idx in torch.randperm(len(x), generator=gen).split(batch_size):
                opt.zero_grad()
                nn.functional.cross_entropy(prepared(x[idx]), y[idx]).backward()
                opt.step()
    qmodel = convert(prepared)
    info = {
        "train_seconds": time.perf_counter() - t0,
        "epochs": epochs,
        "engine": ENGINE,
        "qconfig": "get_default_qat_qconfig('x86')",
    }
    return qmodel, torch_qparams(qmodel), info


# ---------------------------------------------------------------------------------------------------------------
# our integer model, loaded into PyTorch's quantized modules


def _qweight(layer) -> torch.Tensor:
    """Our int8 codes as a per-channel qint8 tensor with our scales and zero points 0."""
    zps = torch.zeros(layer.w_q.shape[0], dtype=torch.int64)
    return torch._make_per_channel_quantized_tensor(layer.w_q.to(torch.int8), layer.w_scale.double(), zps, 0)


def to_torch_quantized(model: Int8Model, engine: str = ENGINE) -> nn.Module:
    """A PyTorch quantized TinyCNN with exactly the same integer weights, float bias and activation qparams.

    Built the eager-mode way (fuse, prepare_qat, convert) and then loaded: QuantStub -> Quantize with the
    input scale and zero point; each quantized conv/linear gets our weights, bias, output scale and zero point.
    The x86 qconfig's activations are 7-bit (reduce_range, 0..127); setting .scale/.zero_point replaces them,
    and fbgemm clamps outputs to 0..255, so our 8-bit codes pass unchanged. `engine="x86"` gives PyTorch's
    default instead (oneDNN conv on VNNI CPUs: a few codes per million differ from requant="float").
    """
    kinds = [layer.kind for layer in model.layers]
    if kinds != ["conv", "conv", "linear"]:
        raise ValueError(f"to_torch_quantized needs TinyCNN's layers (conv, conv, linear), got {kinds}")
    if any(layer.qmin != 0 or layer.qmax != 255 for layer in model.layers):
        raise ValueError("PyTorch's quantized kernels compute uint8 activations (0..255): use a_bits=8")
    qmodel = convert(prepare(TorchTinyCNN()), engine)
    first = model.layers[0]
    qmodel.quant.scale = torch.tensor([first.in_scale], dtype=torch.float32)
    qmodel.quant.zero_point = torch.tensor([first.in_zp], dtype=torch.int64)
    with quant_engine(engine):  # prepack under the engine whose kernels we want
        for name, layer in zip(TorchTinyCNN.LAYERS, model.layers, strict=True):
            m = getattr(qmodel, name)
            m.set_weight_bias(_qweight(layer), layer.bias.to(torch.float32).clone())
            m.scale, m.zero_point = float(layer.out_scale), int(layer.out_zp)
    return qmodel.eval()


def torch_int_outputs(qmodel: nn.Module, x: torch.Tensor) -> dict[str, torch.Tensor]:
    """The uint8 codes PyTorch computes at the input and after each layer (int_repr), by forward hooks."""
    codes: dict[str, torch.Tensor] = {}
    hooks = [
        getattr(qmodel, name).register_forward_hook(
            lambda _m, _i, out, name=name: codes.__setitem__(name, out.int_repr().to(torch.int64))
        )
        for name in ("quant", *TorchTinyCNN.LAYERS)
    ]
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            qmodel(x)
    finally:
        for h in hooks:
            h.remove()
    return codes


def check_fused_types(qmodel: nn.Module) -> bool:
    """True if convert produced PyTorch's fused quantized ConvReLU2d twice and a quantized Linear."""
    return (
        isinstance(qmodel.conv1, nniq.ConvReLU2d)
        and isinstance(qmodel.conv2, nniq.ConvReLU2d)
        and isinstance(qmodel.fc, nnq.Linear)
        and isinstance(qmodel.quant, nnq.Quantize)
    )
