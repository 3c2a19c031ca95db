"""The same network in PyTorch's own eager-mode quantization, to check qlib code for code.

Two uses:
- `pytorch_qat(fp32_model, train)`: PyTorch's standard recipe (QuantStub/DeQuantStub, fuse conv+ReLU,
  `prepare_qat` with `get_default_qat_qconfig("x86")`, train, `convert`) from the TinyCNN's fp32 weights:
  the benchmark's reference row and the app's "same in PyTorch" page.
- `to_torch_quantized(int8_model)`: a PyTorch quantized model holding exactly our integer weights, float
  bias and activation qparams, so its outputs can be compared with `Int8Model` code for code.

Engine: on an AVX512-VNNI CPU PyTorch 2.x's default "x86" engine sends conv to oneDNN, whose requantization
(float bias added after scaling, output zero point added before rounding) differs from fbgemm's in about 1
output per million; linear always runs fbgemm. We pin "fbgemm" (`ENGINE`): its requantization is what
`Int8Model(requant="float")` reproduces bit for bit. Its sums are the exact ones with VNNI; without it (AVX2
only: many laptops) fbgemm adds uint8 × int8 products in saturating int16 pairs, and with 8-bit activations
some sums saturate: `Int8Model(requant="float", accumulate=fbgemm_accumulate)` is then PyTorch's computation,
code for code, on either kind of CPU. The packed weights remember the engine they were built under, so the
model keeps using fbgemm whatever the global engine is afterwards.

BatchNorm and ReLU6 (the MobileNet-style spec): each BatchNorm is its own module "<layer>_bn" and each
activation "<layer>_relu" (nn.ReLU or nn.ReLU6). Eager mode fuses conv+bn+relu and conv+bn (`fuse_modules` in
eval mode folds BatchNorm into the conv; `fuse_modules_qat` makes a QAT ConvBn2d / ConvBnReLU2d that simulates
the fold while training, see qlib.batchnorm); it has no conv+bn+relu6 pattern, so a ReLU6 stays a module of its
own (quantized: `nnq.ReLU6`, which clamps its input's codes at quantize(6.0) and keeps their scale). That is
why torchvision's quantizable MobileNetV2 swaps ReLU6 for ReLU before fusing. Our integer model, whose fused
ReLU6 output has zero point 0, maps onto nnq.Conv2d (its 0..255 clamp is the ReLU) then nnq.ReLU6, code for code.
"""

from __future__ import annotations

import contextlib
import functools
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import torch
import torch.ao.nn.intrinsic.qat as nniqat
import torch.ao.nn.intrinsic.quantized as nniq
import torch.ao.nn.quantized as nnq
import torch.ao.quantization as tq
from torch import nn

from qlib.int8 import Int8Model, exact_acc, pair_saturated_acc
from qlib.model import Net, bn_name, make_module, num_threads
from qlib.spec import TINY_CNN, Layer, NetSpec

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


class TorchNet(nn.Module):
    """A spec'd network for torch.ao eager mode: QuantStub, each layer (with its own ReLU module), DeQuantStub."""

    def __init__(self, spec: NetSpec = TINY_CNN) -> None:
        super().__init__()
        self.spec = spec
        self.quant = tq.QuantStub()
        for layer in spec.layers:
            self.add_module(layer.name, make_module(layer))
            if layer.bn:
                self.add_module(bn_name(layer), nn.BatchNorm2d(layer.out_channels))
            if layer.relu:
                self.add_module(f"{layer.name}_relu", nn.ReLU6() if layer.relu6 else nn.ReLU())
        self.dequant = tq.DeQuantStub()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.quant(x)
        for layer in self.spec.layers:
            if layer.flatten_before:
                x = torch.flatten(x, 1)
            x = getattr(self, layer.name)(x)
            if layer.bn:
                x = getattr(self, bn_name(layer))(x)
            if layer.relu:
                x = getattr(self, f"{layer.name}_relu")(x)
        return self.dequant(x)

    def fuse_list(self) -> list[list[str]]:
        """What fuse_modules(_qat) merges: conv+bn+relu, conv+bn (a ReLU6 stays apart), conv+relu."""
        return [group for layer in self.spec.layers if len(group := _fusable(layer)) > 1]

    @classmethod
    def from_float(cls, model: Net) -> TorchNet:
        """The same network with a float model's weights and biases copied in."""
        if not isinstance(model, Net):
            raise ValueError(f"expected a qlib.model.Net (such as TinyCNN), got {type(model).__name__}")
        net = cls(model.spec)
        net.load_state_dict(model.state_dict())  # the layers share their names; the stubs and ReLUs hold none
        return net


TorchTinyCNN = TorchNet  # the tiny CNN is TorchNet's default spec


def _fusable(layer: Layer) -> list[str]:
    """The modules of one layer that eager mode can fuse: the conv, its BatchNorm, its ReLU (not a ReLU6)."""
    group = [layer.name]
    if layer.bn:
        group.append(bn_name(layer))
    if layer.relu and not layer.relu6:
        group.append(f"{layer.name}_relu")
    return group


def output_module(layer: Layer) -> str:
    """The module whose output is the layer's output codes: the ReLU6 if it stands apart, else the layer."""
    return f"{layer.name}_relu" if layer.relu6 else layer.name


def prepare(net: TorchNet) -> nn.Module:
    """PyTorch's QAT preparation: fuse conv+ReLU, x86 default QAT qconfig, fake quant everywhere."""
    net.train()
    fused = tq.fuse_modules_qat(net, net.fuse_list())
    with warnings.catch_warnings():  # "reduce_range will be deprecated": it is still the x86 default
        warnings.simplefilter("ignore", UserWarning)
        fused.qconfig = tq.get_default_qat_qconfig("x86")
        return tq.prepare_qat(fused)


def convert(prepared: nn.Module, engine: str = ENGINE) -> nn.Module:
    """PyTorch's convert to a quantized model, packed for `engine` (fbgemm unless told)."""
    with quant_engine(engine):
        return tq.convert(prepared.eval())


@dataclass(frozen=True)
class TensorQParams:
    """PyTorch's scale and zero point of one tensor (the input, or a layer's output and its weight scales)."""

    name: str
    scale: float
    zero_point: int
    w_scale: torch.Tensor | None = None  # float32, per output channel
    w_zero_point: torch.Tensor | None = None


def torch_qparams(qmodel: nn.Module) -> list[TensorQParams]:
    """Scale and zero point of the input and of each quantized layer's output (plus weight scales)."""
    out = [TensorQParams("input", float(qmodel.quant.scale), int(qmodel.quant.zero_point))]
    for name in qmodel.spec.names:
        m = getattr(qmodel, name)
        w = m.weight()
        out.append(
            TensorQParams(
                name,
                float(m.scale),
                int(m.zero_point),
                w.q_per_channel_scales().float(),
                w.q_per_channel_zero_points(),
            )
        )
    return out


@dataclass(frozen=True)
class TorchQAT:
    """PyTorch's own QAT run: the converted model, its qparams, and how it was trained."""

    model: nn.Module
    qparams: list[TensorQParams]
    seconds: float
    epochs: int
    engine: str = ENGINE
    qconfig: str = "get_default_qat_qconfig('x86')"


def pytorch_qat(
    fp32_model: nn.Module,
    train: tuple[torch.Tensor, torch.Tensor],
    epochs: int = 5,
    lr: float = 1e-3,
    batch_size: int = 64,
    freeze_observers_after: int = 3,
    seed: int = 0,
    freeze_bn_after: int | None = None,
) -> TorchQAT:
    """PyTorch's own eager QAT fine-tuning from the fp32 weights, then convert (fbgemm).

    The weights train against the fused C++ fake quant's per-channel scale max(|min| / 128, |max| / 127) and
    are converted with the observer's max|w| / 127.5, so the converted weight scales differ from the trained
    ones in every channel, by a factor between 127.5/128 and 127.5/127 (see qlib.qat's module docstring).
    With BatchNorm, `freeze_bn_after` applies torch.ao.nn.intrinsic.qat.freeze_bn_stats from that epoch on.
    """
    torch.manual_seed(seed)
    prepared = prepare(TorchNet.from_float(fp32_model))
    opt = torch.optim.Adam(prepared.parameters(), lr=lr)
    x, y = train
    gen = torch.Generator().manual_seed(seed)
    t0 = time.perf_counter()
    with num_threads(1):  # tiny batches: one thread is several times faster on a busy 2-core machine
        for epoch in range(epochs):
            if epoch == freeze_bn_after:
                prepared.apply(nniqat.freeze_bn_stats)
            if epoch == freeze_observers_after:
                prepared.apply(tq.disable_observer)
            prepared.train()
            for idx in torch.randperm(len(x), generator=gen).split(batch_size):
                opt.zero_grad()
                nn.functional.cross_entropy(prepared(x[idx]), y[idx]).backward()
                opt.step()
    seconds = time.perf_counter() - t0
    qmodel = convert(prepared)
    return TorchQAT(qmodel, torch_qparams(qmodel), seconds, epochs)


# ---------------------------------------------------------------------------------------------------------------
# our integer model, loaded into PyTorch's quantized modules


def _qweight(layer) -> torch.Tensor:
    """Our int8 codes as a per-channel qint8 tensor with our scales and zero points 0."""
    zps = torch.zeros(layer.w_q.shape[0], dtype=torch.int64)
    return torch._make_per_channel_quantized_tensor(layer.w_q.to(torch.int8), layer.w_scale.double(), zps, 0)


def to_torch_quantized(model: Int8Model, engine: str = ENGINE, spec: NetSpec = TINY_CNN) -> nn.Module:
    """A PyTorch quantized network with exactly the same integer weights, float bias and activation qparams.

    Built the eager-mode way (fuse, prepare_qat, convert) and then loaded: QuantStub -> Quantize with the
    input scale and zero point; each quantized conv/linear gets our weights, bias, output scale and zero point.
    The x86 qconfig's activations are 7-bit (reduce_range, 0..127); setting .scale/.zero_point replaces them,
    and fbgemm clamps outputs to 0..255, so our 8-bit codes pass unchanged. `engine="x86"` gives PyTorch's
    default instead (oneDNN conv on VNNI CPUs: a few codes per million differ from requant="float").
    """
    kinds, want = [layer.kind for layer in model.layers], [layer.kind for layer in spec.layers]
    if kinds != want:
        raise ValueError(f"to_torch_quantized needs {spec.name}'s layers ({', '.join(want)}), got {kinds}")
    if any(layer.qmin != 0 or layer.qmax != 255 for layer in model.layers):
        raise ValueError("PyTorch's quantized kernels compute uint8 activations (0..255): use a_bits=8")
    if any(layer.relu6 and layer.out_zp != 0 for layer in model.layers):  # nnq.Conv2d's clamp is the ReLU
        raise ValueError("a ReLU6 layer maps onto nnq.Conv2d + nnq.ReLU6 only with output zero point 0")
    qmodel = convert(prepare(TorchNet(spec)), engine)
    first = model.layers[0]
    qmodel.quant.scale = torch.tensor([first.in_scale], dtype=torch.float32)
    qmodel.quant.zero_point = torch.tensor([first.in_zp], dtype=torch.int64)
    with quant_engine(engine):  # prepack under the engine whose kernels we want
        for name, layer in zip(spec.names, model.layers, strict=True):
            m = getattr(qmodel, name)
            m.set_weight_bias(_qweight(layer), layer.bias.to(torch.float32).clone())
            m.scale, m.zero_point = float(layer.out_scale), int(layer.out_zp)
    return qmodel.eval()


PAIR_WEIGHT, PAIR_STEP = (
    127,
    256,
)  # the probe: two weights of 127, output codes read the sum to the nearest 256


@functools.cache
def fbgemm_pair_sum(code: int) -> int:
    """fbgemm's sum of two products code × 127: a 2-input quantized Linear (weights 127, input codes `code`,
    scales 1, output scale 256) read back as its output code × 256. Exact up to that rounding when the pair fits
    int16 (code 127: 32,258 -> 32,256); 32,768 when vpmaddubsw saturated it (code 200: 50,800)."""
    with quant_engine(), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        lin = nnq.Linear(2, 1)
        w = torch._make_per_tensor_quantized_tensor(torch.full((1, 2), PAIR_WEIGHT, dtype=torch.int8), 1.0, 0)
        lin.set_weight_bias(w, torch.zeros(1))
        lin.scale, lin.zero_point = float(PAIR_STEP), 0
        x = torch._make_per_tensor_quantized_tensor(torch.full((1, 2), code, dtype=torch.uint8), 1.0, 0)
        return int(lin(x).int_repr()) * PAIR_STEP


def fbgemm_pairs_saturate() -> bool:
    """Does this CPU's fbgemm add a conv's or a linear layer's products in saturating int16 pairs? Measured,
    not looked up (`fbgemm_pair_sum(200)`, exact sum 50,800, beyond int16): without AVX512-VNNI fbgemm multiplies
    with vpmaddubsw and gets 32,767; with VNNI (vpdpbusd, int32 sums) the exact sum. Its depthwise kernel pairs
    products on every CPU."""
    return abs(fbgemm_pair_sum(200) - 2 * 200 * PAIR_WEIGHT) > PAIR_STEP // 2


def fbgemm_accumulate(q_in: torch.Tensor, layer) -> torch.Tensor:
    """The accumulator PyTorch's fbgemm computes for `layer` on this CPU, for `Int8Model(accumulate=...)`:
    int16 pairs with saturation (`qlib.int8.pair_saturated_acc`) in its depthwise kernel, and in every conv and
    linear where `fbgemm_pairs_saturate()`; else the exact sum. Measured here to the bit on the shipped models
    and at random settings (tests/library/test_torch_ref.py, test_int8_mobile.py)."""
    depthwise = layer.kind == "conv" and layer.groups > 1 and layer.groups == layer.w_q.shape[0]
    if depthwise or fbgemm_pairs_saturate():
        return pair_saturated_acc(q_in, layer)
    return exact_acc(q_in, layer)


def torch_int_outputs(qmodel: nn.Module, x: torch.Tensor) -> dict[str, torch.Tensor]:
    """The uint8 codes PyTorch computes at the input and after each layer (int_repr), by forward hooks."""
    codes: dict[str, torch.Tensor] = {}
    modules = {"quant": "quant", **{layer.name: output_module(layer) for layer in qmodel.spec.layers}}
    hooks = [
        getattr(qmodel, module).register_forward_hook(
            lambda _m, _i, out, name=name: codes.__setitem__(name, out.int_repr().to(torch.int64))
        )
        for name, module in modules.items()
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
    """True if convert produced PyTorch's fused quantized ConvReLU2d for every conv + ReLU (BatchNorm folded
    in), a quantized Conv2d and a quantized ReLU6 for every conv + ReLU6, quantized Linears."""
    ok = isinstance(qmodel.quant, nnq.Quantize)
    for layer in qmodel.spec.layers:
        fused_relu = layer.relu and not layer.relu6
        want = (
            nniq.ConvReLU2d
            if layer.kind == "conv" and fused_relu
            else nnq.Conv2d
            if layer.kind == "conv"
            else nnq.Linear
        )
        ok = ok and type(getattr(qmodel, layer.name)) is want
        if layer.bn:  # folded: the BatchNorm module is left as an Identity
            ok = ok and type(getattr(qmodel, bn_name(layer))) is nn.Identity
        if layer.relu6:
            ok = ok and type(getattr(qmodel, f"{layer.name}_relu")) is nnq.ReLU6
    return ok
