"""The second network as a spec: Layer's groups / bn / relu6 fields, MOBILE_CNN, and the float net built from it."""

import pytest
import torch
from torch import nn

from qlib.model import Net, TinyCNN, activation, n_params
from qlib.spec import MOBILE_CNN, SPECS, TINY_CNN, Layer, NetSpec
from tests import digest

TINY_INIT_DIGEST = (
    "9acc9a0c5ad559affb59ca58ad4a346fb85d3bfd06bc940bedb024efed734612"  # TinyCNN(0) before the change
)


def test_the_tiny_cnn_is_unchanged_by_the_new_fields():
    assert digest(TinyCNN(0)) == TINY_INIT_DIGEST  # same seeded init, bit for bit
    assert all(layer.groups == 1 and not layer.bn and not layer.relu6 for layer in TINY_CNN.layers)
    assert TINY_CNN.n_params == n_params(TinyCNN()) == 9930


def test_mobile_spec_shapes_and_parameters():
    assert SPECS["mobile_cnn"] is MOBILE_CNN
    assert MOBILE_CNN.names == ("conv1", "dw2", "pw2", "dw3", "pw3", "fc")
    assert MOBILE_CNN.shapes() == [(16, 8, 8), (16, 8, 8), (32, 8, 8), (32, 4, 4), (32, 4, 4), (10,)]
    assert [layer.depthwise for layer in MOBILE_CNN.layers] == [False, True, False, True, False, False]
    assert MOBILE_CNN.layer("dw2").weight_shape == (16, 1, 3, 3)
    net = Net(MOBILE_CNN)
    assert MOBILE_CNN.n_params == n_params(net) == 7498  # weights + BatchNorm γ, β + the fc bias
    assert net(torch.zeros(3, 1, 8, 8)).shape == (3, 10)


def test_layers_are_built_as_the_spec_says():
    net = Net(MOBILE_CNN)
    for layer in MOBILE_CNN.layers[:-1]:
        conv, bn = getattr(net, layer.name), net.bn(layer.name)
        assert conv.groups == layer.groups and conv.bias is None  # BatchNorm's β is the bias
        assert isinstance(bn, nn.BatchNorm2d) and bn.num_features == layer.out_channels
        assert torch.equal(bn.weight, torch.ones_like(bn.weight)) and torch.equal(
            bn.bias, torch.zeros_like(bn.bias)
        )
    assert net.bn("fc") is None and net.fc.bias is not None


def test_relu6_clamps_at_6_and_relu_does_not():
    x = torch.tensor([-1.0, 0.5, 6.0, 7.5])
    assert activation(MOBILE_CNN.layer("dw2"), x).tolist() == [0.0, 0.5, 6.0, 6.0]
    assert activation(TINY_CNN.layer("conv1"), x).tolist() == [0.0, 0.5, 6.0, 7.5]
    assert activation(TINY_CNN.layer("fc"), x).tolist() == x.tolist()


def test_mobile_init_is_seeded_and_leaves_the_global_rng_alone():
    state = torch.random.get_rng_state()
    a, b, c = Net(MOBILE_CNN, 0), Net(MOBILE_CNN, 0), Net(MOBILE_CNN, 1)
    assert torch.equal(torch.random.get_rng_state(), state)
    assert digest(a) == digest(b) != digest(c)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "conv", "in_channels": 6, "out_channels": 4, "groups": 4}, "must divide"),
        ({"kind": "conv", "in_channels": 4, "out_channels": 4, "groups": 0}, "must divide"),
        ({"kind": "linear", "in_channels": 4, "out_channels": 4, "groups": 2}, "no kernel"),
        ({"kind": "linear", "in_channels": 4, "out_channels": 4, "bn": True}, "BatchNorm"),
        ({"kind": "conv", "in_channels": 4, "out_channels": 4, "relu6": True}, "relu=True"),
    ],
)
def test_bad_layers_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Layer("x", **kwargs)


def test_a_grouped_conv_must_fit_its_input():
    with pytest.raises(ValueError, match="takes 8 channels"):
        NetSpec("bad", (1, 8, 8), (Layer("dw", "conv", 8, 8, kernel=3, padding=1, groups=8),))
