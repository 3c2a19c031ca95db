"""LSQ: qlib's learnable fake quantization against PyTorch's `_fake_quantize_learnable_per_tensor_affine` /
`_per_channel_affine` and `_LearnableFakeQuantize`: the forward and the gradients to x, scale and zero point,
grad_factor included, bit for bit on CPUs whose PyTorch kernels use fused multiply-adds (AVX2, AVX512), else
within a relative 1e-5 (the last bits of x̂ − x, a cancellation)."""

import pytest
import torch
from torch.ao.quantization import MovingAverageMinMaxObserver, MovingAveragePerChannelMinMaxObserver
from torch.ao.quantization._learnable_fake_quantize import _LearnableFakeQuantize

from qlib.lsq import LSQActQuantizer, LSQNet, LSQWeightQuantizer, grad_factor, lsq_fake_quant, prepare_lsq
from qlib.qat import QConfig, calibrate, convert

FMA = torch.backends.cpu.get_cpu_capability() in ("AVX2", "AVX512")


def agree(a, b):
    """Bit for bit where PyTorch's kernels are the FMA builds, else within 1e-5 relative."""
    if FMA:
        return torch.equal(a.contiguous().view(torch.int32), b.contiguous().view(torch.int32))
    return torch.allclose(a, b, rtol=1e-5, atol=1e-7)


def both(x, scale, zp, qmin, qmax, g, dy, axis=None):
    out = []
    for ours in (False, True):
        xx, ss, zz = (t.clone().requires_grad_() for t in (x, scale, zp))
        if ours:
            y = lsq_fake_quant(xx, ss, zz, qmin, qmax, g, axis)
        elif axis is None:
            y = torch._fake_quantize_learnable_per_tensor_affine(xx, ss, zz, qmin, qmax, g)
        else:
            y = torch._fake_quantize_learnable_per_channel_affine(xx, ss, zz, axis, qmin, qmax, g)
        y.backward(dy)
        out.append((y.detach(), xx.grad, ss.grad, zz.grad))
    return out


RANGES = [(0, 255), (-128, 127), (0, 15), (-8, 7), (-2, 1), (0, 3)]


@pytest.mark.parametrize("trial", range(60))
def test_per_tensor_forward_and_gradients_are_pytorchs(trial):
    g = torch.Generator().manual_seed(trial)
    n = int(torch.randint(1, 3000, (1,), generator=g))
    qmin, qmax = RANGES[trial % len(RANGES)]
    x = torch.randn(n, generator=g) * float(1 + 9 * torch.rand(1, generator=g))
    scale = torch.rand(1, generator=g) * 0.2 + 1e-3
    zp = torch.rand(1, generator=g) * (qmax - qmin + 0.8) + qmin - 0.4  # fractional, some beyond the ends
    dy = torch.randn(n, generator=g)
    theirs, ours = both(x, scale, zp, qmin, qmax, grad_factor(n, qmax), dy)
    assert torch.equal(theirs[0], ours[0]) and torch.equal(
        theirs[1], ours[1]
    )  # forward, dx: exact everywhere
    assert agree(theirs[2], ours[2]) and agree(theirs[3], ours[3])
    assert ours[2].shape == scale.shape and ours[3].shape == zp.shape


@pytest.mark.parametrize("trial", range(30))
def test_per_channel_forward_and_gradients_are_pytorchs(trial):
    g = torch.Generator().manual_seed(100 + trial)
    shape = tuple(int(v) for v in torch.randint(1, 9, (2,), generator=g)) + (3, 3)
    axis = trial % 2
    qmin, qmax = RANGES[trial % len(RANGES)]
    c = shape[axis]
    x = torch.randn(shape, generator=g) * 3
    scale = torch.rand(c, generator=g) * 0.2 + 1e-3
    zp = torch.rand(c, generator=g) * (qmax - qmin) + qmin
    dy = torch.randn(shape, generator=g)
    theirs, ours = both(x, scale, zp, qmin, qmax, 0.37, dy, axis)
    assert torch.equal(theirs[0], ours[0]) and torch.equal(theirs[1], ours[1])
    assert agree(theirs[2], ours[2]) and agree(theirs[3], ours[3])


def test_ties_where_pytorchs_forward_and_backward_round_differently():
    """x/s = k + ½ exactly: the forward rounds x/s then adds z, the backward rounds x/s + z; with z odd they land
    on different sides (63.125 / 0.25 = 252.5: forward 252 + 3 = 255 in range, backward 255.5 → 256 out). The
    backward's per-tensor zero point is int(z + 0.5): 2.5 → 3, the forward's round_half_even(2.5) = 2."""
    x = torch.tensor([0.125, 0.375, -0.125, 1.125, 63.0, 63.125, 63.25, -0.875, -0.75, -0.8125])
    for z in (3.0, 2.5):
        theirs, ours = both(x, torch.tensor([0.25]), torch.tensor([z]), 0, 255, 1.0, torch.ones(10))
        for a, b in zip(theirs, ours, strict=True):
            assert torch.equal(a, b)
    _, ours = both(x, torch.tensor([0.25]), torch.tensor([3.0]), 0, 255, 1.0, torch.ones(10))
    assert float(ours[0][5]) == 63.0 and float(ours[1][5]) == 0.0  # in range forward, clipped backward


def test_the_lsq_gradient_of_the_scale():
    """Esser et al. 2019, eq. 3: ∂x̂/∂s = round(x/s) − x/s inside, −Qn / Qp below / above (times g)."""
    s, g = torch.tensor([0.5], requires_grad=True), 0.25
    x = torch.tensor([0.3, 0.1, 10.0, -10.0])  # x/s = 0.6 → 1, 0.2 → 0, far above, far below
    lsq_fake_quant(x, s, torch.zeros(1), -8, 7, g).sum().backward()
    expect = torch.tensor([1 - 0.6, 0 - 0.2, 7.0, -8.0]) * g
    assert torch.allclose(s.grad, expect.sum().reshape(1))


def test_the_modules_match_learnable_fake_quantize_with_grad_scaling():
    """qlib's LSQ weight (per channel, symmetric) and activation (per tensor, affine) quantizers against
    `_LearnableFakeQuantize(use_grad_scaling=True)` in param-learning mode, from the same scale and zero point."""
    g = torch.Generator().manual_seed(5)
    w = torch.randn(6, 4, 3, 3, generator=g)
    qc = QConfig(4, 4)
    ours = LSQWeightQuantizer(qc, 6)
    ours.start_learning(w)
    theirs = _LearnableFakeQuantize(
        MovingAveragePerChannelMinMaxObserver,
        quant_min=-8,
        quant_max=7,
        channel_len=6,
        use_grad_scaling=True,
        dtype=torch.qint8,
        qscheme=torch.per_channel_symmetric,
        ch_axis=0,
    )
    theirs.scale.data.copy_(ours.scale.detach())
    theirs.zero_point.data.zero_()
    theirs.enable_param_learning()
    dy = torch.randn(w.shape, generator=g)
    w1, w2 = w.clone().requires_grad_(), w.clone().requires_grad_()
    ours(w1).backward(dy)
    theirs(w2).backward(dy)
    assert torch.equal(ours(w).detach(), theirs(w).detach()) and torch.equal(w1.grad, w2.grad)
    assert agree(ours.scale.grad, theirs.scale.grad)

    x = torch.randn(8, 6, 4, 4, generator=g) * 2
    act = LSQActQuantizer(qc, learn_zero_point=True)
    act.calibrating = True
    act(x)
    act.calibrating = False
    act.start_learning()
    act.train()
    theirs = _LearnableFakeQuantize(
        MovingAverageMinMaxObserver, quant_min=0, quant_max=15, use_grad_scaling=True, dtype=torch.quint8
    )
    theirs.scale.data.copy_(act.scale.detach())
    theirs.zero_point.data.copy_(act.zero_point.detach())
    theirs.enable_param_learning()
    dy = torch.randn(x.shape, generator=g)
    x1, x2 = x.clone().requires_grad_(), x.clone().requires_grad_()
    act(x1).backward(dy)
    theirs(x2).backward(dy)
    assert torch.equal(x1.grad, x2.grad)
    assert agree(act.scale.grad, theirs.scale.grad) and agree(act.zero_point.grad, theirs.zero_point.grad)
    assert grad_factor(x.numel(), 15) == 1.0 / (x.numel() * 15) ** 0.5


def test_an_lsq_net_learns_its_step_sizes_and_converts_with_them(one_thread):
    from qlib import pretrained
    from qlib.data import load_digits
    from qlib.train import fit

    digits = load_digits()
    model = calibrate(prepare_lsq(pretrained.load("fp32"), QConfig(4, 4)), digits.train[0][:256])
    assert isinstance(model, LSQNet)
    model.start_learning()
    before = {k: v.scale.detach().clone() for k, v in model.w_fq.items()}
    fit(model, digits, epochs=1, lr=1e-3)
    model.freeze()
    moved = [not torch.equal(before[k], v.scale.detach()) for k, v in model.w_fq.items()]
    assert all(moved)
    int8 = convert(model)
    for layer, (name, fq) in zip(int8.layers, model.w_fq.items(), strict=True):
        assert torch.equal(layer.w_scale, fq.scale.detach()), name  # the learned step sizes, not min-max
    assert int(model.act_fq["conv1"].qp.zero_point) == 0  # after a ReLU the zero point stays 0
    assert model.act_fq["fc"].zero_point.requires_grad  # the logits' zero point is learned
