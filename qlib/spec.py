"""A network stated once: the layer spec that the float model, the fake-quant model, the converter, the integer
engine, the PyTorch twin and the tests all read.

A spec is a tuple of `Layer`s run in order. A conv layer maps N×C×H×W to N×C'×H'×W' with
H' = (H + 2·padding − kernel) // stride + 1; a linear layer maps N×F to N×F' (`flatten_before` turns the
previous N×C×H×W into N×(C·H·W)); `relu` applies max(0, ·) after the layer, which the quantized forms fuse
into the layer's output clamp. A second architecture is a second spec, not edits in five files.

Three fields serve MobileNet-style networks: `groups` splits a conv's channels into independent groups
(groups = channels is a depthwise conv: one k×k filter per channel); `bn` puts a BatchNorm after the conv
(which then has no bias of its own: BatchNorm's β is the bias, and folding makes it the conv's); `relu6`
turns the ReLU into min(max(0, ·), 6), MobileNet's ReLU6 (a ReLU with a second clamp, so `relu` stays True).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

KINDS = ("conv", "linear")


@dataclass(frozen=True)
class Layer:
    """One conv or linear layer: its name (the module's attribute), shape, stride, padding and activation."""

    name: str
    kind: str  # "conv" or "linear"
    in_channels: int  # linear: in_features
    out_channels: int  # linear: out_features
    kernel: int = 1
    stride: int = 1
    padding: int = 0
    relu: bool = False
    flatten_before: bool = False  # N×C×H×W -> N×(C·H·W) before this (linear) layer
    groups: int = 1  # conv: channel groups; in_channels = out_channels = groups is a depthwise conv
    bn: bool = False  # conv: a BatchNorm2d after it (and no conv bias)
    relu6: bool = False  # with relu: clamp at 6 as well, min(max(0, x), 6)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"a layer's kind must be one of {KINDS}, got {self.kind!r}")
        if self.kind == "linear" and (self.kernel, self.stride, self.padding, self.groups) != (1, 1, 0, 1):
            raise ValueError(f"{self.name}: a linear layer has no kernel, stride, padding or groups")
        if self.kind == "linear" and self.bn:
            raise ValueError(f"{self.name}: BatchNorm is for conv layers here")
        if self.groups < 1 or self.in_channels % self.groups or self.out_channels % self.groups:
            raise ValueError(
                f"{self.name}: groups={self.groups} must divide in_channels={self.in_channels} "
                f"and out_channels={self.out_channels}"
            )
        if self.relu6 and not self.relu:
            raise ValueError(f"{self.name}: relu6 is a ReLU with a clamp at 6: set relu=True too")

    @property
    def depthwise(self) -> bool:
        """One filter per channel: groups = in_channels = out_channels (> 1)."""
        return self.kind == "conv" and 1 < self.groups == self.in_channels == self.out_channels

    def out_size(self, size: int) -> int:
        """The output height (or width) of a conv layer for an input of this height: (H + 2p − k) // s + 1."""
        return (size + 2 * self.padding - self.kernel) // self.stride + 1

    @property
    def weight_shape(self) -> tuple[int, ...]:
        """(C_out, C_in / groups, k, k) for a conv, (F_out, F_in) for a linear layer."""
        if self.kind == "conv":
            return (self.out_channels, self.in_channels // self.groups, self.kernel, self.kernel)
        return (self.out_channels, self.in_channels)

    @property
    def n_params(self) -> int:
        """Trainable numbers: weights and the bias, or with BatchNorm its γ and β (the running mean and
        variance are buffers, not parameters)."""
        return math.prod(self.weight_shape) + (2 if self.bn else 1) * self.out_channels


@dataclass(frozen=True)
class NetSpec:
    """A network: its input shape (C, H, W) and its layers in order; checked to fit together when made."""

    name: str
    input_shape: tuple[int, int, int]
    layers: tuple[Layer, ...]

    def __post_init__(self) -> None:
        names = [layer.name for layer in self.layers]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.name}: layer names must be unique, got {names}")
        self.shapes()  # raises if the layers do not fit together

    def shapes(self) -> list[tuple[int, ...]]:
        """The activation shape after each layer (without the batch), checking every layer's input fits."""
        shape: tuple[int, ...] = self.input_shape
        out = []
        for layer in self.layers:
            if layer.flatten_before:
                shape = (math.prod(shape),)
            if shape[0] != layer.in_channels or (layer.kind == "conv") != (len(shape) == 3):
                raise ValueError(
                    f"{self.name}: {layer.name} takes {layer.in_channels} channels, gets {shape}"
                )
            if layer.kind == "conv":
                shape = (layer.out_channels, layer.out_size(shape[1]), layer.out_size(shape[2]))
            else:
                shape = (layer.out_channels,)
            out.append(shape)
        return out

    @property
    def names(self) -> tuple[str, ...]:
        """The layers' names, in order."""
        return tuple(layer.name for layer in self.layers)

    def layer(self, name: str) -> Layer:
        """The layer of this name."""
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise KeyError(f"{self.name} has no layer {name!r}; it has {', '.join(self.names)}")

    @property
    def n_params(self) -> int:
        """Weights and biases of every layer."""
        return sum(layer.n_params for layer in self.layers)


# conv1 (1→16, 3×3, pad 1) + ReLU → conv2 (16→32, 3×3, stride 2, pad 1) + ReLU → flatten 32·4·4 → fc (512→10)
TINY_CNN = NetSpec(
    "tiny_cnn",
    (1, 8, 8),
    (
        Layer("conv1", "conv", 1, 16, kernel=3, padding=1, relu=True),
        Layer("conv2", "conv", 16, 32, kernel=3, stride=2, padding=1, relu=True),
        Layer("fc", "linear", 512, 10, flatten_before=True),
    ),
)


# A MobileNet-style net (Howard et al. 2017): a full conv, then two depthwise-separable blocks (a depthwise 3×3
# conv, then a pointwise 1×1 conv that mixes the channels), each conv followed by BatchNorm and ReLU6;
# flatten 32·4·4 → fc (512→10).
#   conv1 1→16 3×3 · dw2 16 3×3 (groups 16) · pw2 16→32 1×1 · dw3 32 3×3 stride 2 (groups 32) · pw3 32→32 1×1
MOBILE_CNN = NetSpec(
    "mobile_cnn",
    (1, 8, 8),
    (
        Layer("conv1", "conv", 1, 16, kernel=3, padding=1, relu=True, bn=True, relu6=True),
        Layer("dw2", "conv", 16, 16, kernel=3, padding=1, groups=16, relu=True, bn=True, relu6=True),
        Layer("pw2", "conv", 16, 32, relu=True, bn=True, relu6=True),
        Layer(
            "dw3", "conv", 32, 32, kernel=3, stride=2, padding=1, groups=32, relu=True, bn=True, relu6=True
        ),
        Layer("pw3", "conv", 32, 32, relu=True, bn=True, relu6=True),
        Layer("fc", "linear", 512, 10, flatten_before=True),
    ),
)


SPECS = {spec.name: spec for spec in (TINY_CNN, MOBILE_CNN)}  # every network the library knows, by name
