"""The float networks, built from their spec (qlib.spec), and how to run them: predict, evaluate, thread count.

TinyCNN: conv1 (1→16, 3×3, pad 1) + ReLU → conv2 (16→32, 3×3, stride 2, pad 1) + ReLU → flatten (32·4·4 = 512)
→ fc (512→10) logits. 9,930 parameters, no BatchNorm (nothing to fold before quantization).
Net(MOBILE_CNN): the MobileNet-style net of qlib.spec, each conv followed by BatchNorm (module "<layer>_bn")
and ReLU6. Training is qlib.train's.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator

import torch
import torch.nn.functional as F
from torch import nn

from qlib.spec import TINY_CNN, Layer, NetSpec


class Net(nn.Module):
    """A float network built from its spec: one nn.Conv2d / nn.Linear per layer, named as the spec names it.

    The weights are a pure function of `seed` (PyTorch's default init drawn from a private generator).
    """

    def __init__(self, spec: NetSpec, seed: int = 0) -> None:
        super().__init__()
        self.spec = spec
        with torch.random.fork_rng(devices=[]):  # the layers' own default init must not move the global RNG
            for layer in spec.layers:
                self.add_module(layer.name, make_module(layer))
                if layer.bn:
                    self.add_module(bn_name(layer), nn.BatchNorm2d(layer.out_channels))
        reset_parameters(self, seed)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for layer in self.spec.layers:
            if layer.flatten_before:
                x = torch.flatten(x, 1)
            x = getattr(self, layer.name)(x)
            if layer.bn:
                x = getattr(self, bn_name(layer))(x)
            x = activation(layer, x)
        return x

    def bn(self, name: str) -> nn.BatchNorm2d | None:
        """The BatchNorm after a layer, or None."""
        return getattr(self, bn_name(self.spec.layer(name))) if self.spec.layer(name).bn else None


class TinyCNN(Net):
    """The tiny CNN of the lessons (qlib.spec.TINY_CNN): two conv + ReLU layers and a linear head."""

    def __init__(self, seed: int = 0) -> None:
        super().__init__(TINY_CNN, seed)


def make_module(layer: Layer) -> nn.Module:
    """The float module of one spec layer (a conv followed by BatchNorm has no bias: β is its bias)."""
    if layer.kind == "conv":
        return nn.Conv2d(
            layer.in_channels,
            layer.out_channels,
            layer.kernel,
            layer.stride,
            layer.padding,
            groups=layer.groups,
            bias=not layer.bn,
        )
    return nn.Linear(layer.in_channels, layer.out_channels)


def bn_name(layer: Layer) -> str:
    """The attribute name of the BatchNorm after a layer: "<layer>_bn"."""
    return f"{layer.name}_bn"


def activation(layer: Layer, x: torch.Tensor) -> torch.Tensor:
    """The layer's activation: ReLU, ReLU6 = min(max(0, x), 6), or none."""
    if layer.relu6:
        return F.relu6(x)
    return F.relu(x) if layer.relu else x


def reset_parameters(model: Net, seed: int) -> None:
    """PyTorch's default init (kaiming uniform, a=√5, bias from fan_in) drawn from a private seeded generator."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name in model.spec.names:
            layer = getattr(model, name)
            nn.init.kaiming_uniform_(layer.weight, a=math.sqrt(5), generator=g)
            if layer.bias is not None:  # a conv before BatchNorm has none (BatchNorm starts at γ=1, β=0)
                bound = 1.0 / math.sqrt(layer.weight[0].numel())
                layer.bias.uniform_(-bound, bound, generator=g)


def n_params(model: nn.Module) -> int:
    """Number of trainable float parameters."""
    return sum(p.numel() for p in model.parameters())


def fp32_nbytes(model: nn.Module) -> int:
    """Bytes of the float32 parameters: what the int8 model is compared against."""
    return 4 * n_params(model)


@contextlib.contextmanager
def num_threads(n: int = 1) -> Iterator[None]:
    """Run a block on n intra-op threads, then restore: tiny tensors gain nothing from more, and on a busy
    machine extra threads spin and wait (40x slower measured with 2 threads on 2 loaded cores)."""
    old = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(old)


@torch.no_grad()
def predict(model: Callable, x: torch.Tensor, batch_size: int = 1024) -> torch.Tensor:
    """Logits of a model (float, fake-quantized or integer) in eval mode, batch by batch."""
    was_training = isinstance(model, nn.Module) and model.training
    if isinstance(model, nn.Module):
        model.eval()
    try:
        with num_threads(1):
            return torch.cat([model(x[i : i + batch_size]) for i in range(0, len(x), batch_size)])
    finally:
        if was_training:
            model.train()


def evaluate(model: Callable, x: torch.Tensor, y: torch.Tensor) -> float:
    """Top-1 accuracy in [0, 1]; ties go to the lowest class index, as argmax does."""
    return float((predict(model, x).argmax(1) == y).double().mean())
