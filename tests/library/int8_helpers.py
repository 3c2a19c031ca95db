"""Random but realistic Int8Models for the engine's tests: random float weights, activation qparams observed on digits."""

from __future__ import annotations

from functools import lru_cache

import torch
from torch import nn

from qlib.int8 import Int8Model
from qlib.layers import Int8Layer
from qlib.model import Net
from qlib.observers import MinMaxObserver
from qlib.quant import QParams, calc_qparams, fake_quant, quantize
from qlib.spec import TINY_CNN, Layer


@lru_cache(maxsize=4)
def trained_net(seed: int = 0, epochs: int = 2) -> Net:
    """A float_net trained briefly, built once per test session (don't modify it)."""
    return float_net(seed, epochs)


def float_net(seed: int = 0, epochs: int = 0) -> Net:
    """The tiny CNN (qlib.spec.TINY_CNN) with seeded random weights and a bigger bias than the default init
    (so the bias path matters), optionally trained for a few epochs on the digits (a second or so)."""
    net = Net(TINY_CNN, seed)
    torch.manual_seed(seed)
    with torch.no_grad():
        for name in net.spec.names:
            getattr(net, name).bias.uniform_(-0.3, 0.3)
    if epochs:
        from qlib.data import load_digits

        x, y = load_digits().train
        opt = torch.optim.Adam(net.parameters(), lr=3e-3)
        threads = torch.get_num_threads()
        torch.set_num_threads(1)  # tiny batches: one thread is ~30x faster than two fighting for a busy CPU
        for _ in range(epochs):
            for idx in torch.randperm(len(x)).split(64):
                opt.zero_grad()
                nn.functional.cross_entropy(net(x[idx]), y[idx]).backward()
                opt.step()
        torch.set_num_threads(threads)
    return net.eval()


def modules(net: Net) -> list[tuple[Layer, nn.Module]]:
    """Each spec layer with the net's module for it, in order."""
    return [(layer, getattr(net, layer.name)) for layer in net.spec.layers]


def _weights(m: nn.Module, bits: int) -> tuple[torch.Tensor, QParams]:
    """Symmetric per-output-channel weight codes, PyTorch's qint8 scheme (max|w| / 127.5 at 8 bits)."""
    w = m.weight.detach()
    flat = w.flatten(1)
    qp = calc_qparams(flat.min(1).values, flat.max(1).values, bits=bits, symmetric=True, axis=0)
    return quantize(w, qp), qp


def observed_qparams(net: Net, x: torch.Tensor, a_bits: int = 8) -> list[QParams]:
    """Activation qparams (asymmetric uint) of the input and of each conv/linear layer's (ReLU'd) output."""
    obs = [MinMaxObserver()]
    obs[0](x)
    h = x
    with torch.no_grad():
        for layer, m in modules(net):
            h = m(h.flatten(1) if layer.flatten_before else h)
            h = torch.relu(h) if layer.relu else h
            obs.append(MinMaxObserver())
            obs[-1](h)
    return [o.qparams(bits=a_bits) for o in obs]


def int8_layers(net: Net, x: torch.Tensor, w_bits: int = 8, a_bits: int = 8) -> list[Int8Layer]:
    """The Int8Layers of a float net, with weights quantized per channel and activations observed on x."""
    acts = observed_qparams(net, x, a_bits)
    layers = []
    for i, (spec, m) in enumerate(modules(net)):
        w_q, wqp = _weights(m, w_bits)
        in_qp, out_qp = acts[i], acts[i + 1]
        in_scale, out_scale = float(in_qp.scale), float(out_qp.scale)
        b_q = torch.round(m.bias.detach().double() / (in_scale * wqp.scale.double())).to(torch.int32)
        layers.append(
            Int8Layer(
                kind=spec.kind,
                w_q=w_q.to(torch.int8),
                w_scale=wqp.scale,
                bias=m.bias.detach().clone(),
                b_q=b_q,
                in_scale=in_scale,
                in_zp=int(in_qp.zero_point),
                out_scale=out_scale,
                out_zp=int(out_qp.zero_point),
                qmin=out_qp.qmin,
                qmax=out_qp.qmax,
                w_qmin=wqp.qmin,
                w_qmax=wqp.qmax,
                relu=spec.relu,
                stride=spec.stride,
                padding=spec.padding,
                flatten_before=spec.flatten_before,
            )
        )
    return layers


def int8_model(
    seed: int = 0, requant: str = "fixed", x: torch.Tensor | None = None, epochs: int = 0, **bits
) -> Int8Model:
    """An Int8Model of a random TinyCNN-shaped net, calibrated on the digits training split."""
    if x is None:
        from qlib.data import load_digits

        x = load_digits().train[0]
    return Int8Model(int8_layers(float_net(seed, epochs), x, **bits), requant=requant)


def fake_quant_forward(net: Net, layers: list[Int8Layer], x: torch.Tensor) -> torch.Tensor:
    """The same network in fake quantization: input, weights and every output quantized and dequantized."""

    def qp(scale, zp, lo, hi):
        return QParams(torch.tensor(scale, dtype=torch.float32), torch.tensor(zp), lo, hi)

    first = layers[0]
    h = fake_quant(x, qp(first.in_scale, first.in_zp, first.qmin, first.qmax))
    with torch.no_grad():
        for (_, m), layer in zip(modules(net), layers, strict=True):
            w = layer.w_q.float() * layer.w_scale.reshape([-1] + [1] * (layer.w_q.dim() - 1))
            if layer.kind == "conv":
                h = nn.functional.conv2d(h, w, m.bias, stride=layer.stride, padding=layer.padding)
            else:
                h = nn.functional.linear(h.flatten(1), w, m.bias)
            if layer.relu:
                h = torch.relu(h)
            h = fake_quant(h, qp(layer.out_scale, layer.out_zp, layer.qmin, layer.qmax))
    return h
