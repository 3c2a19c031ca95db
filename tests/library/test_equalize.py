"""Cross-layer equalisation (Nagel et al. 2019): the function is kept, the ranges meet at √(r₁·r₂), ReLU6 is
replaced and said so, and what it does for per-tensor weights on the MobileNet-style net."""

import copy

import pytest
import torch

from qlib.batchnorm import folded_net
from qlib.equalize import _scale_pair, equalize, input_absmax, output_absmax, pairs, relu_spec
from qlib.model import Net, evaluate, predict
from qlib.spec import MOBILE_CNN, Layer, NetSpec

pytestmark = pytest.mark.usefixtures("one_thread")  # tests/conftest.py


@pytest.fixture(scope="module")
def eq(fp32):
    return equalize(fp32)


def test_relu6_is_replaced_and_batchnorm_folded_first(eq):
    assert eq.replaced_relu6 == ("conv1", "dw2", "pw2", "dw3", "pw3")
    for net in (eq.model, eq.unequalized):
        assert not any(layer.bn or layer.relu6 for layer in net.spec.layers)
        assert [layer.relu for layer in net.spec.layers] == [layer.relu for layer in MOBILE_CNN.layers]


def test_equalisation_keeps_the_function(eq, digits):
    x = digits.test[0]
    a, b = predict(eq.model, x), predict(eq.unequalized, x)
    assert (a - b).abs().max() <= 1e-4 * b.abs().max()  # float rounding only: ReLU(s·z) = s·ReLU(z), s > 0
    assert torch.equal(a.argmax(1), b.argmax(1))


def test_relu6_to_relu_is_where_the_function_changes(fp32, eq, digits):
    """Measured on this net: pre-activations pass 6 rarely (at most 0.03 % of pw3's), which changes the logits
    of 15 % of the test images (by 0.2 in the median, 2.2 at most) and no prediction."""
    x = digits.test[0]
    ref, relu = predict(folded_net(fp32), x), predict(eq.unequalized, x)
    changed = (ref - relu).abs().amax(1) > 0
    assert 0.05 < changed.float().mean() < 0.3 and (ref - relu).abs().max() < 0.15 * ref.abs().max()
    assert torch.equal(ref.argmax(1), relu.argmax(1))
    assert evaluate(eq.unequalized, *digits.test) == evaluate(fp32, *digits.test)


def test_one_pair_meets_at_the_geometric_mean(eq):
    """sᵢ = √(r₁ᵢ·r₂ᵢ)/r₂ᵢ: afterwards both ranges are √(r₁ᵢ·r₂ᵢ) (the paper's optimum, its eq. 10)."""
    net = copy.deepcopy(eq.unequalized)
    for a, b in pairs(net.spec):
        r1 = output_absmax(getattr(net, a.name).weight)
        r2 = input_absmax(getattr(net, b.name).weight, b, a.out_channels)
        s = _scale_pair(net, a, b)
        assert torch.allclose(s, torch.sqrt(r1 / r2), rtol=1e-6)
        after1 = output_absmax(getattr(net, a.name).weight)
        after2 = input_absmax(getattr(net, b.name).weight, b, a.out_channels)
        assert torch.allclose(after1, torch.sqrt(r1 * r2), rtol=1e-5) and torch.allclose(
            after1, after2, rtol=1e-5
        )


def test_converged_ranges_are_equal_across_every_pair_and_spreads_shrink(eq):
    assert 1 < eq.iterations < 100
    for a, b in pairs(eq.model.spec):
        r1 = output_absmax(getattr(eq.model, a.name).weight)
        r2 = input_absmax(getattr(eq.model, b.name).weight, b, a.out_channels)
        assert torch.allclose(r1, r2, rtol=1e-4), (a.name, b.name)
        assert bool((eq.pairs[[p.first for p in eq.pairs].index(a.name)].scales > 0).all())
    for name in ("dw2", "dw3"):  # measured: 2.6 → 1.4 and 2.9 → 1.3
        before, after = eq.spread(name)
        assert after < 0.6 * before and after < 1.6


def test_input_ranges_of_grouped_and_linear_layers():
    g = torch.Generator().manual_seed(0)
    w = torch.randn(6, 2, 3, 3, generator=g)  # 6 outputs, 3 groups of 2 inputs
    layer = Layer("g", "conv", 6, 6, kernel=3, padding=1, groups=3)
    brute = [max(float(w[o, i % 2].abs().max()) for o in range(6) if o // 2 == i // 2) for i in range(6)]
    assert input_absmax(w, layer, 6).tolist() == pytest.approx(brute)
    fc = torch.randn(10, 3 * 4, generator=g)  # 3 channels × 2×2 pixels, flattened
    lin = Layer("fc", "linear", 12, 10, flatten_before=True)
    assert input_absmax(fc, lin, 3).tolist() == pytest.approx(
        [float(fc[:, 4 * c : 4 * c + 4].abs().max()) for c in range(3)]
    )


def test_a_dead_channel_keeps_scale_one():
    spec = NetSpec(
        "two",
        (2, 4, 4),
        (Layer("a", "conv", 2, 3, kernel=1, relu=True), Layer("b", "conv", 3, 2, kernel=1)),
    )
    net = Net(spec)
    with torch.no_grad():
        net.a.weight[1] = 0.0
    s = _scale_pair(net, *spec.layers)
    assert s[1] == 1.0 and torch.isfinite(net.b.weight).all()
    assert relu_spec(spec).layers == spec.layers  # nothing to replace
