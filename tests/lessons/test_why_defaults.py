"""Lesson 8 (why the defaults): its numbers are the library's, its recorded numbers the bench's, the live ones
equal the recorded ones, and every claim it makes agrees with the numbers it is made from."""

from __future__ import annotations

import math

import plotly.graph_objects as go
import pytest
import torch

from lessons.i18n import STRINGS, Translator, placeholders
from lessons.why_defaults import figures, lesson
from qlib import pretrained
from qlib.batchnorm import fold
from qlib.data import load_digits
from tests.lessons import test_japanese as ja_rules
from tests.lessons import test_japanese_pages456 as ja456

NS = "why_defaults"


@pytest.fixture(scope="module")
def fp32():
    return pretrained.load(lesson.FP32)


@pytest.fixture(scope="module")
def splits():
    return load_digits()


def tr(lang):
    return Translator(lang, NS)


def shown(x: float, digits: int = 2) -> str:
    return f"{x:.{digits}f}"


# ---- 1. folding ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("layer", lesson.FOLD_LAYERS)
def test_fold_view_is_the_librarys_fold_and_the_formula(fp32, layer):
    v = lesson.fold_view(fp32, layer, 1)
    f = fold(fp32, layer)
    assert v.gamma == float(f.gamma[1]) and v.mean == float(f.mean[1]) and v.eps == f.eps
    assert v.sigma == pytest.approx(math.sqrt(v.var + v.eps), rel=1e-6)
    assert v.multiplier == pytest.approx(v.gamma / v.sigma, rel=1e-6)
    assert v.wf_max == pytest.approx(v.multiplier * (v.w_max if v.multiplier > 0 else v.w_min), rel=1e-5)
    assert v.b_fold == pytest.approx(v.beta - v.gamma * v.mean / v.sigma, abs=1e-5)
    assert v.absmax_after == tuple(float(a) for a in f.after.absmax)
    assert lesson.fuse_difference(fp32, layer) == 0.0  # bit for bit to torch.ao.quantization.fuse_modules


def test_fold_spreads_equal_the_recorded_bench(fp32):
    rec = {r["layer"]: r for r in lesson.mobile_json()["folding"]}
    for layer in lesson.FOLD_LAYERS:
        v = lesson.fold_view(fp32, layer, 0)
        assert v.spread_before == pytest.approx(rec[layer]["spread_before"], rel=1e-6)
        assert v.spread_after == pytest.approx(rec[layer]["spread_after"], rel=1e-6)
        c = v.claim
        assert (c.key == "fold.claim_wider") == (v.spread_after > v.spread_before)
        text = c.text(tr("en"))
        assert shown(v.spread_before) in text and shown(v.spread_after) in text


def test_fold_view_rejects_a_channel_out_of_range(fp32):
    with pytest.raises(ValueError, match="channel"):
        lesson.fold_view(fp32, "conv1", 16)
    with pytest.raises(ValueError, match="layer"):
        lesson.fold_view(fp32, "fc", 0)


def test_freeze_study_is_the_recorded_one_and_its_claim_fits():
    f = lesson.freeze_study()
    rec = lesson.mobile_json()["freeze"]
    assert f.frozen_test == rec["frozen_test_acc"] and f.unfrozen_test == rec["unfrozen_test_acc"]
    d = round((f.frozen_test - f.unfrozen_test) * 360)
    want = "freeze.claim_same" if abs(d) <= 1 else "freeze.claim_better" if d > 0 else "freeze.claim_worse"
    assert f.claim.key == want
    text = f.claim.text(tr("en"))
    assert shown(100 * f.frozen_test) in text and shown(100 * f.unfrozen_test) in text


# ---- 2. granularity and CLE (live == recorded) --------------------------------------------------------------


@pytest.mark.parametrize("bits", [8, 3])
def test_live_granularity_equals_the_recorded_bench(fp32, splits, bits):
    g = lesson.granularity(fp32, bits, splits)
    rec = lesson.recorded_granularity("PTQ", bits)
    assert g.per_channel.test_acc == rec.per_channel and g.per_tensor.test_acc == rec.per_tensor
    # float sums in another order (threads, machine) move the last digits: the page shows 0.1 dB
    assert g.per_tensor.own_db == pytest.approx(rec.own_pt, abs=0.05)
    assert g.per_channel.own_db == pytest.approx(rec.own_pc, abs=0.05)
    assert g.per_tensor.breaks_first == rec.breaks_pt
    assert lesson.granularity(fp32, bits, splits) is g  # memoised: a slider move back costs nothing


@pytest.mark.parametrize("bits", [8, 3])
def test_granularity_claim_fits_its_numbers(fp32, splits, bits):
    g = lesson.granularity(fp32, bits, splits)
    d = round((g.per_channel.test_acc - g.per_tensor.test_acc) * 360)
    c = g.claim
    assert c.key == ("gran.claim_same" if abs(d) <= 1 else "gran.claim_pc" if d > 0 else "gran.claim_pt")
    worst = min(g.per_tensor.sensitivity.layers, key=lambda s: s.own_db)
    assert c.values["layer"] == worst.name and c.values["db_pt"] == worst.own_db
    for lang in ("en", "ja"):
        text = c.text(tr(lang))
        assert shown(100 * g.per_channel.test_acc) in text and shown(100 * g.per_tensor.test_acc) in text
        assert worst.name in text and shown(worst.own_db, 1) in text


def test_recorded_claims_at_every_width_fit():
    for method in ("PTQ", "QAT"):
        for bits in lesson.BITS:
            r = lesson.recorded_granularity(method, bits)
            d = round((r.per_channel - r.per_tensor) * 360)
            assert r.claim.key.endswith("same" if abs(d) <= 1 else "pc" if d > 0 else "pt")


def test_granularity_rejects_an_unknown_width(fp32, splits):
    with pytest.raises(ValueError, match="w_bits"):
        lesson.granularity(fp32, 5, splits)


@pytest.mark.parametrize("bits", [8, 3])
def test_live_cle_equals_the_recorded_bench_and_its_claim_fits(fp32, splits, bits):
    c = lesson.cle(fp32, bits, splits)
    rec = next(r for r in lesson.mobile_json()["cle"]["rows"] if r["w_bits"] == bits)
    assert c.relu.test_acc == rec["per_tensor_relu"] and c.equalized.test_acc == rec["per_tensor_equalized"]
    assert c.iterations == lesson.mobile_json()["cle"]["iterations"]
    spreads = lesson.mobile_json()["cle"]["spreads"]
    assert c.spread_after == pytest.approx(tuple(spreads[n][1] for n in lesson.LAYERS), rel=1e-5)
    g = lesson.granularity(fp32, bits, splits)
    claim = c.claim(g)
    up = round((c.equalized.test_acc - c.relu.test_acc) * 360)
    to_pc = round((g.per_channel.test_acc - c.equalized.test_acc) * 360)
    want = (
        "cle.claim_none"
        if abs(up) <= 1
        else "cle.claim_worse"
        if up < 0
        else "cle.claim_recovered"
        if to_pc <= 1
        else "cle.claim_partly"
    )
    assert claim.key == want
    assert claim.values["sa"] < claim.values["sb"]  # equalising narrowed the weakest layer's spread
    text = claim.text(tr("en"))
    assert shown(100 * c.relu.test_acc) in text and shown(100 * c.equalized.test_acc) in text


# ---- 3.-5. recorded bake-off, ladder, and the papers -----------------------------------------------------------


@pytest.mark.parametrize("net", lesson.NETS)
@pytest.mark.parametrize("a_bits", lesson.A_BITS)
def test_bakeoff_is_the_recorded_one_and_its_claim_fits(net, a_bits):
    b = lesson.bakeoff(net, a_bits)
    block = next(x for x in lesson.lowbit_json()["bakeoff"][net] if x["a_bits"] == a_bits)
    for cell in block["cells"]:
        i = b.n_images.index(cell["n_images"])
        assert b.acc[cell["observer"]][i] == cell["mean_acc"]
    spread = max(b.spread_at(i) for i in range(len(b.n_images)))
    assert b.claim.key == ("cal.claim_close" if spread <= 0.5 else "cal.claim_apart")
    last = [b.acc[o][-1] for o in lesson.OBSERVERS]
    assert b.claim.values["best_acc"] == 100 * max(last) and b.claim.values["worst_acc"] == 100 * min(last)


def test_bakeoff_says_what_the_readme_says():
    """At 8 bits the observers are within 0.3 points on both nets; at 4 bits MSE wins and entropy collapses."""
    for net in lesson.NETS:
        assert lesson.bakeoff(net, 8).claim.key == "cal.claim_close"
        c = lesson.bakeoff(net, 4).claim
        assert (c.key, c.values["best"], c.values["worst"]) == ("cal.claim_apart", "mse", "entropy")


@pytest.mark.parametrize("net", lesson.NETS)
def test_ladder_is_the_recorded_one_and_its_claims_fit(net):
    lad = lesson.ladder(net)
    rungs = lesson.lowbit_json()["ladder"][net]
    assert len(rungs) == len(lesson.CONFIGS) * len(lesson.METHODS)
    for r in rungs:
        assert lad.acc[r["w_bits"], r["a_bits"], r["method"]] == r["test_acc"]
    mild, w3, w2 = lad.claims
    dev = max(abs(lad.fp32 - lad.acc[w, a, m]) for w, a in lesson.MILD for m in lesson.METHODS)
    assert mild.values["dev"] == pytest.approx(100 * dev)
    assert mild.key == ("ladder.claim_mild" if dev <= 0.02 else "ladder.claim_mild_drop")
    assert w3.values["lo"] == 100 * min(lad.acc[3, 3, m] for m in lesson.METHODS)
    best = max(lesson.METHODS, key=lambda m: lad.acc[2, 2, m])
    assert w2.values["best"] == best and w2.key.endswith("_qat") == (best == "qat")


def test_scale_claims_fit_this_nets_numbers(fp32):
    folds = [lesson.fold_view(fp32, n, 0) for n in lesson.FOLD_LAYERS]
    s = lesson.scale(folds)
    assert s.fp32 == pytest.approx(0.9722, abs=1e-4)
    c8, low, cle = s.claims
    d8 = round((s.pc8 - s.pt8) * 360)
    assert c8.key == (
        "scale.claim8_none" if abs(d8) <= 1 else "scale.claim8_some" if d8 > 0 else "scale.claim8_pt"
    )
    d = round((s.pc_low - s.pt_low) * 360)
    assert low.key == (
        "scale.claim_low_none" if abs(d) <= 1 else "scale.claim_low_pc" if d > 0 else "scale.claim_low_pt"
    )
    assert s.spread_max == max(v.spread_after for v in folds)
    assert cle.key == ("scale.claim_cle" if abs(d8) <= 1 else "scale.claim_cle_plain")
    lc = lesson.ladder_scale_claim(lesson.ladder("mobile_cnn"))
    assert lc.key == ("scale.ladder_mild" if lc.values["dev"] <= 2.0 else "scale.ladder_drop")
    for lang in ("en", "ja"):
        text = c8.text(tr(lang))
        assert shown(100 * s.pt8) in text and shown(100 * s.pc8) in text


def test_papers_numbers_are_the_issues():
    assert STRINGS["en"][f"{NS}.paper.krishnamoorthi"].count("0.1\u00a0%") == 1
    for key, nums in (
        ("paper.krishnamoorthi", ("0.1", "69.8", "71.9")),
        ("paper.tutorial", ("71.9", "56.7", "67.3", "71.5")),
        ("paper.dfq", ("0.1", "69.9")),
    ):
        for lang in ("en", "ja"):
            assert all(n in STRINGS[lang][f"{NS}.{key}"] for n in nums), (key, lang)


# ---- figures and strings ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_figure_builds_and_validates(fp32, splits, lang):
    t = tr(lang)
    v = lesson.fold_view(fp32, "dw3", 3)
    g = lesson.granularity(fp32, 8, splits)
    c = lesson.cle(fp32, 8, splits)
    b = lesson.bakeoff("mobile_cnn", 4)
    figs = [
        figures.fold_ranges(v, t),
        figures.freeze_curves(lesson.freeze_study(), t),
        figures.layer_sqnr(
            lesson.LAYERS, [("a", g.per_channel.own_db), ("b", g.per_tensor.own_db)], "dw3", t
        ),
        figures.cle_spreads(c, lesson.LAYERS, t),
        figures.bakeoff_curves(b, lesson.OBSERVERS, t),
        figures.layer_sqnr(b.layers, [(o, b.own_db[o]) for o in lesson.OBSERVERS], b.weakest_layer, t),
        figures.ladder_heatmap(lesson.ladder("tiny_cnn"), lesson.CONFIGS, lesson.METHODS, t),
        figures.scale_bars(lesson.scale([v]), t),
    ]
    for f in figs:
        go.Figure(f.to_dict())  # validates every property


def test_both_languages_have_the_same_keys_and_placeholders():
    from lessons.why_defaults.strings import STRINGS as S

    assert set(S["en"]) == set(S["ja"])
    bad = [k for k in S["en"] if placeholders(S["en"][k]) != placeholders(S["ja"][k])]
    assert not bad, bad


def _ja() -> list[tuple[str, str]]:
    return [(k, v) for k, v in STRINGS["ja"].items() if k.startswith(f"{NS}.")]


def test_japanese_follows_the_apps_rules():
    """The rules of test_japanese.py and test_japanese_pages456.py, on this page's strings."""
    bad = []
    for k, v in _ja():
        bad += [(k, w) for w in {**ja_rules.NOT_THE_TERM, **ja456.NOT_USED} if w in v]
        filled = ja456.japanese(NS)
        bad += [(k, p) for p in ja_rules.bold_problems(v)]
    for k, v in filled:
        bad += [(k, p) for p in ja456.half_width_problems(v)]
        bad += [(k, p) for p in ja456.range_problems(v)]
    assert not bad, bad


def test_claim_texts_render_in_both_languages(fp32, splits):
    claims = [
        lesson.fold_view(fp32, "conv1", 0).claim,
        lesson.freeze_study().claim,
        lesson.granularity(fp32, 8, splits).claim,
        lesson.cle(fp32, 8, splits).claim(lesson.granularity(fp32, 8, splits)),
        *lesson.ladder("mobile_cnn").claims,
    ]
    for c in claims:
        for lang in ("en", "ja"):
            text = c.text(tr(lang))
            assert "{" not in text and c.key not in text


def test_lesson_needs_no_streamlit():
    import sys

    assert "streamlit" not in {m.split(".")[0] for m in vars(lesson).keys()}
    assert torch.get_num_threads() >= 1 and "lessons.why_defaults.lesson" in sys.modules


def test_a_small_difference_is_called_noise_and_a_large_one_is_not():
    t = tr("en")
    values = {
        "bits": 4,
        "pc": 97.5,
        "pt": 96.4,
        "n": 4,
        "layer": "dw3",
        "db_pt": 15.8,
        "db_pc": 21.7,
        "gap": 5.9,
    }
    assert t("noise", n=4) in lesson.Claim("gran.claim_pc", values).text(t)
    assert t("noise", n=6) not in lesson.Claim("gran.claim_pc", {**values, "n": 6}).text(t)
    assert "noise" not in lesson.Claim("gran.claim_pc", {**values, "n": 6}).text(t)
