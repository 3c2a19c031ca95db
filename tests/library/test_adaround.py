"""AdaRound-style rounding: h(V) starts at the fractional part, every learned code is the floor or the ceiling,
`convert` quantizes to exactly the learned codes, and the layers' output error goes down."""

import pytest
import torch

from qlib import pretrained
from qlib.adaround import GAMMA, ZETA, AdaRoundQuantizer, adaround, rectified_sigmoid
from qlib.batchnorm import folded_net
from qlib.qat import QConfig, calibrate, convert, prepare_qat
from qlib.quant import calc_qparams

pytestmark = pytest.mark.usefixtures("one_thread")


def test_the_rectified_sigmoid_and_the_start():
    v = torch.linspace(-20, 20, 101)
    h = rectified_sigmoid(v)
    assert float(h.min()) == 0.0 and float(h.max()) == 1.0 and (ZETA, GAMMA) == (1.1, -0.1)
    w = torch.randn(8, 3, generator=torch.Generator().manual_seed(0))
    lo, hi = torch.aminmax(w.flatten(1), dim=1)
    qp = calc_qparams(lo, hi, bits=4, symmetric=True, axis=0)
    q = AdaRoundQuantizer(w, qp)
    inside = (w / q.scale).abs() < qp.qmax  # the largest weight sits at 7.5 steps: clamped to 7
    start = q(w).detach()
    assert torch.allclose(start[inside], w[inside], atol=2e-4 * float(qp.scale.max()))  # soft start: W̃ = W
    q.hard = True
    assert torch.equal(torch.round(q(w).detach() / q.scale), q.codes())


@pytest.mark.slow
def test_the_learned_codes_are_what_convert_stores(digits):
    x = digits.train[0]
    model = calibrate(prepare_qat(pretrained.load("fp32"), QConfig(2, 8)), x).eval()
    nearest = {n: model.w_fq[n].qparams(getattr(model, n).weight.detach()) for n in model.spec.names}
    floats = {n: getattr(model, n).weight.detach().clone() for n in model.spec.names}
    r = adaround(model, x, steps=200)
    int8 = convert(model)
    for layer, name, info in zip(int8.layers, model.spec.names, r.layers, strict=True):
        qp = nearest[name]
        ratio = floats[name] / qp.scale.reshape(-1, *[1] * (floats[name].dim() - 1))
        codes = layer.w_q.to(torch.float32)
        assert torch.equal(layer.w_scale, qp.scale)  # the same grid: only the rounding changed
        inside = (ratio > qp.qmin) & (ratio < qp.qmax)
        assert bool(((codes == torch.floor(ratio)) | (codes == torch.ceil(ratio)))[inside].all()), name
        assert 0 < info.flipped < 0.5
    assert sum(i.learned_error for i in r.layers) < sum(i.nearest_error for i in r.layers)
    assert r.layers[-1].learned_error < r.layers[-1].nearest_error


def test_adaround_needs_batchnorm_folded_and_is_deterministic(digits):
    x = digits.train[0][:256]
    fp32 = pretrained.load("mobile/fp32")
    with pytest.raises(ValueError, match="fold BatchNorm first"):
        adaround(calibrate(prepare_qat(fp32, QConfig(3, 8)), x), x, steps=5)
    runs = []
    for _ in range(2):
        model = calibrate(prepare_qat(folded_net(fp32), QConfig(3, 8)), x).eval()
        floats = {n: getattr(model, n).weight.detach().clone() for n in model.spec.names}
        scales = {n: model.w_fq[n].qparams(floats[n]).scale for n in model.spec.names}
        adaround(model, x, steps=20, seed=1)
        runs.append(convert(model))
    assert all(torch.equal(a.w_q, b.w_q) for a, b in zip(runs[0].layers, runs[1].layers, strict=True))
    for layer, n in zip(runs[0].layers, model.spec.names, strict=True):  # each code the floor or the ceiling
        ratio = floats[n] / scales[n].reshape(-1, *[1] * (floats[n].dim() - 1))
        codes = layer.w_q.to(torch.float32)
        assert torch.equal(layer.w_scale, scales[n])
        assert bool(
            ((codes == torch.floor(ratio)) | (codes == torch.ceil(ratio)) | (codes == layer.w_qmax)).all()
        )
