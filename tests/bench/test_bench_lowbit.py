"""bench.lowbit keeps working, and its recorded results are what qlib computes: the README's tables are rendered
from bench/results/lowbit.json, and the recorded numbers are re-computed here (the fast ones always, training
runs in the slow set) with the same functions, seeds and data, so a change that moves a number fails a test."""

import json

import pytest
import torch

from bench import lowbit
from qlib import calibration, ladder, pretrained
from qlib.qat import ALL_OBSERVERS
from tests import ROOT

pytestmark = pytest.mark.usefixtures("one_thread")


@pytest.fixture(scope="module")
def digits():
    from qlib.data import load_digits

    return load_digits()


@pytest.fixture(scope="module")
def recorded():
    return json.loads((lowbit.RESULTS / "lowbit.json").read_text())


def recorded_here(recorded) -> bool:
    """Whether this machine is the kind the results were recorded on: the same ISA torch dispatches to and the same
    CPU vendor. Both count: an AMD AVX-512 CPU trained W4A4 LSQ to another accuracy than the AVX-512 machine that
    recorded it, and summed the SQNR in another order. A record without a vendor counts as another machine."""
    m = recorded["machine"]
    return (m["cpu_capability"], m.get("cpu_vendor")) == (
        torch.backends.cpu.get_cpu_capability(),
        lowbit.cpu_vendor(),
    )


def rung_of(recorded, net, w, a, method):
    return next(
        r for r in recorded["ladder"][net] if (r["w_bits"], r["a_bits"], r["method"]) == (w, a, method)
    )


def test_the_recorded_results_are_complete_and_render(recorded):
    assert not recorded["quick"]
    for net in lowbit.NETS:
        assert [(r["w_bits"], r["a_bits"]) for r in recorded["ladder"][net]][:: len(ladder.METHODS)] == list(
            ladder.CONFIGS
        )
        assert [s["a_bits"] for s in recorded["bakeoff"][net]] == list(lowbit.A_BITS)
        for s in recorded["bakeoff"][net]:
            assert s["n_images"] == list(calibration.N_IMAGES) and s["seeds"] == list(calibration.SEEDS)
    md = lowbit.to_markdown(recorded)
    assert (lowbit.RESULTS / "lowbit.md").read_text() == md
    for heading in ("The calibration bake-off", "The low-bit ladder", "tiny_cnn, 4-bit activations"):
        assert heading in md


def test_the_readme_shows_the_recorded_tables(recorded):
    readme = (ROOT / "README.md").read_text()
    assert lowbit.readme_table(recorded) in readme
    assert lowbit.readme_bakeoff(recorded) in readme


@pytest.mark.parametrize("net", list(lowbit.NETS))
@pytest.mark.parametrize("method", ["ptq", "ptq+bc"])
@pytest.mark.parametrize("widths", [(2, 8), (2, 2)])
def test_recorded_ptq_rungs_recompute(recorded, digits, net, method, widths):
    r = ladder.rung(pretrained.load(lowbit.NETS[net]), *widths, method, digits)
    assert r.test_acc == rung_of(recorded, net, *widths, method)["test_acc"]


@pytest.mark.slow
@pytest.mark.parametrize("net", list(lowbit.NETS))
@pytest.mark.parametrize("method", ["adaround", "qat", "lsq"])
@pytest.mark.parametrize("widths", [(4, 4), (2, 2)])
def test_recorded_learned_rungs_recompute(recorded, digits, net, method, widths):
    """Exactly on the kind of CPU the results were recorded on (`recorded_here`). Training's float kernels round
    differently with AVX2 and AVX-512, and between two AVX-512 machines (the recorder and an AMD EPYC), and a trained model drifts apart over its epochs
    (seen: the mobile net's W2A2 LSQ at 72.8 % on one machine, 80.8 % on another), so elsewhere W4A4 is held
    within 3 points (seen: 0.3) and W2A2 is not compared."""
    same_cpu = recorded_here(recorded)
    if not same_cpu and widths == (2, 2):
        m = recorded["machine"]
        pytest.skip(
            f"recorded on {m['cpu_capability']} {m.get('cpu_vendor', '(vendor not recorded)')}: W2A2 differs"
        )
    r = ladder.rung(pretrained.load(lowbit.NETS[net]), *widths, method, digits)
    want = rung_of(recorded, net, *widths, method)["test_acc"]
    assert r.test_acc == want if same_cpu else abs(r.test_acc - want) <= 0.03


@pytest.mark.parametrize("net", ["tiny_cnn", pytest.param("mobile_cnn", marks=pytest.mark.slow)])
def test_recorded_bakeoff_cells_recompute(recorded, digits, net):
    """Two sizes, one seed, every observer, both activation widths: the recorded runs exactly, on the kind of CPU
    they were recorded on. Elsewhere the accuracy still exactly, the SQNR (a float32 sum over the split, which
    AVX2 and AVX-512 kernels, and two AVX-512 machines, add in other orders) to 1e-5 dB relative: seen 26.634652
    and 26.634753 against 26.634746."""
    same_cpu = recorded_here(recorded)
    fp32 = pretrained.load(lowbit.NETS[net])
    for section in recorded["bakeoff"][net]:
        runs = calibration.bakeoff(fp32, digits, n_images=(10,), seeds=(2,), a_bits=section["a_bits"])
        for r in runs:
            rec = next(
                x
                for x in section["runs"]
                if (x["observer"], x["n_images"], x["seed"]) == (r.observer, r.n_images, r.seed)
            )
            db = rec["sensitivity"]["layers"][-1]["cumulative_db"]
            assert r.test_acc == rec["test_acc"]
            assert r.output_sqnr_db == (db if same_cpu else pytest.approx(db, rel=1e-5))


@pytest.mark.slow
def test_a_whole_recorded_bakeoff_section_recomputes(recorded, digits):
    section = recorded["bakeoff"]["tiny_cnn"][1]
    runs = calibration.bakeoff(pretrained.load("fp32"), digits, a_bits=section["a_bits"])
    assert [r.test_acc for r in runs] == [r["test_acc"] for r in section["runs"]]


def test_what_the_readme_says_about_them(recorded):
    """The README's sentences, checked against the recorded numbers."""
    fp32 = recorded["fp32"]
    for net, rungs in recorded["ladder"].items():
        for r in rungs:
            if (r["w_bits"], r["a_bits"]) in ((4, 8), (8, 4), (4, 4), (3, 8)):
                assert fp32[net] - r["test_acc"] <= 0.0139 + 1e-9, (net, r)  # 'within 1.4 points'
        w3a3 = {r["method"]: r["test_acc"] for r in rungs if (r["w_bits"], r["a_bits"]) == (3, 3)}
        assert w3a3["ptq"] < min(w3a3[m] for m in ("adaround", "qat", "lsq"))
    tiny = {(r["w_bits"], r["a_bits"], r["method"]): r["test_acc"] for r in recorded["ladder"]["tiny_cnn"]}
    mobile = {
        (r["w_bits"], r["a_bits"], r["method"]): r["test_acc"] for r in recorded["ladder"]["mobile_cnn"]
    }
    assert max(tiny[(2, 2, m)] for m in ladder.PTQ_METHODS) < min(tiny[(2, 2, "qat")], tiny[(2, 2, "lsq")])
    assert tiny[(3, 3, "ptq+bc")] < tiny[(3, 3, "ptq")]  # 'bias correction is the one that loses'
    assert mobile[(3, 3, "ptq")] < mobile[(3, 3, "ptq+bc")]
    for w, a in (
        (4, 4),
        (3, 8),
        (3, 3),
        (2, 8),
        (2, 2),
    ):  # 'LSQ is the best method at every width from W4A4 down'
        assert tiny[(w, a, "lsq")] == max(tiny[(w, a, m)] for m in ladder.METHODS), (w, a)
    assert abs(mobile[(2, 2, "qat")] - mobile[(2, 2, "adaround")]) < 0.02  # 'within 2 points of QAT'
    for net, sections in recorded["bakeoff"].items():
        a8, a4 = sections
        for n in a8["n_images"]:
            accs = [c["mean_acc"] for c in a8["cells"] if c["n_images"] == n]
            assert max(accs) - min(accs) <= 0.003 + 1e-9, (net, n)
        cells = {(c["observer"], c["n_images"]): c for c in a8["cells"]}
        for n in (100, 1000):
            gap = cells[("minmax", n)]["output_sqnr_db"] - cells[("moving_average", n)]["output_sqnr_db"]
            assert 3.0 <= gap <= 9.3, (net, n, gap)
        assert all(
            12 <= cells[(o, 1)]["output_sqnr_db"] <= 16.5 for o in ALL_OBSERVERS
        )  # '12-16 dB with one'
        assert all(
            37.6 <= cells[(o, 1000)]["output_sqnr_db"] <= 41.85
            for o in ALL_OBSERVERS
            if o != "moving_average"
        )
        last = {c["observer"]: c for c in a4["cells"] if c["n_images"] == 1000}
        assert max(last, key=lambda o: last[o]["mean_acc"]) == "mse" and last["entropy"]["mean_acc"] < 0.4
        assert all(0.003 < c["cpu_seconds"] < 1.75 for s in sections for c in s["cells"])  # '0.004-1.7'
    minmax_tiny = {
        c["n_images"]: c["mean_acc"]
        for c in recorded["bakeoff"]["tiny_cnn"][1]["cells"]
        if c["observer"] == "minmax"
    }
    assert minmax_tiny[1] > minmax_tiny[10] > max(minmax_tiny[100], minmax_tiny[1000])
