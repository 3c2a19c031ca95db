"""Page 8: why the libraries fold BatchNorm, quantize weights per channel, calibrate as they do, and go low-bit."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lessons.common.text import real
from lessons.why_defaults import figures, lesson
from lessons.why_defaults.questions import BREAKS, CALIB, FOLD
from ui.questions import ask
from ui.shell import figure, metrics_row, note, page_end, safe, setup_page, table
from ui.url_state import Bool, Choice, Fields, Int
from ui.widgets import digit_splits, shipped_model

URL = Fields(
    Choice("layer", "why_fold_layer", "dw3", lesson.FOLD_LAYERS),  # the widest spread of channel ranges
    Int("channel", "why_fold_channel", 0, 0, lesson.MAX_FOLD_CHANNEL),  # and clamped to the layer's below
    Choice("bits", "why_bits", 8, lesson.BITS),
    Bool("cle", "why_cle", False),
    Choice("cal_net", "why_cal_net", lesson.NETS[0], lesson.NETS),
    Choice("cal_bits", "why_cal_bits", 8, lesson.A_BITS),
    Choice("ladder_net", "why_ladder_net", lesson.NETS[0], lesson.NETS),
)
T = setup_page("why_defaults", url=URL)
FP32 = shipped_model(lesson.FP32)
SPLITS = digit_splits()
lesson.warm_in_background(FP32, SPLITS)  # every live study, once per server, the first width first


@st.cache_data(show_spinner=False, max_entries=64)
def fold_view(layer: str, channel: int) -> lesson.FoldView:
    """One layer's fold with one channel's numbers."""
    return lesson.fold_view(FP32, layer, channel)


@st.cache_data(show_spinner=False)
def fuse_difference(layer: str) -> float:
    """qlib's fold against torch.ao.quantization.fuse_modules on that layer."""
    return lesson.fuse_difference(FP32, layer)


@st.cache_data(show_spinner=False)
def all_folds() -> list[lesson.FoldView]:
    """Every folded layer (channel 0), for the spreads section 5 quotes."""
    return [lesson.fold_view(FP32, name, 0) for name in lesson.FOLD_LAYERS]


def claim(c: lesson.Claim) -> None:
    """A sentence chosen from the numbers."""
    st.markdown(c.text(T))


def clamp_state(key: str, hi: int) -> None:
    """Keep a remembered number inside its widget's range (the range changes with the layer)."""
    if int(st.session_state.get(key, 0)) > hi:
        st.session_state[key] = hi


@safe(T)
def show_fold() -> None:
    """W' = γ·W/σ, b' = β − γ·μ/σ on a real layer, and the channel ranges before and after."""
    st.header(T("fold_h"))
    st.markdown(T("fold_intro"))
    st.latex(r"W' = \frac{\gamma}{\sigma}\,W,\qquad b' = \beta - \frac{\gamma\,\mu}{\sigma}")
    st.latex(r"\sigma = \sqrt{\mathrm{var} + \varepsilon}")
    ask(T, FOLD)
    c1, c2 = st.columns(2)
    layer = c1.selectbox(T("fold_layer"), lesson.FOLD_LAYERS, key="why_fold_layer")  # switch re-sets choices
    n = lesson.MOBILE_CNN.layer(layer).out_channels
    clamp_state("why_fold_channel", n - 1)
    ch = int(c2.number_input(T("fold_channel", n=n - 1), 0, n - 1, 0, step=1, key="why_fold_channel"))
    v = fold_view(layer, ch)
    figure(figures.fold_ranges(v, T), T("fig.fold_summary", layer=layer, c=ch), key="why_fig_fold")
    with metrics_row("why_fold_bn"):  # each metric as wide as its number: no label squeezed onto two lines
        st.metric(T("m.gamma"), real(v.gamma, ".4f"), width="content")
        st.metric(T("m.beta"), real(v.beta, ".4f"), width="content")
        st.metric(T("m.mean"), real(v.mean, ".4f"), width="content")
        st.metric(T("m.sigma"), f"{v.sigma:.4f}", width="content")
    with metrics_row("why_fold_weights"):
        st.metric(T("m.mult"), real(v.multiplier, ".4f"), width="content")
        st.metric(T("m.w_range"), f"[{real(v.w_min, '.3f')}, {real(v.w_max, '.3f')}]", width="content")
        st.metric(T("m.wf_range"), f"[{real(v.wf_min, '.3f')}, {real(v.wf_max, '.3f')}]", width="content")
        st.metric(T("m.b_fold"), real(v.b_fold, ".4f"), width="content")
    st.latex(rf"\gamma/\sigma = {v.gamma:.4f} / {v.sigma:.4f} = {v.multiplier:.4f}")
    st.latex(
        rf"W' \in [{v.w_min:.3f}, {v.w_max:.3f}] \times {v.multiplier:.4f} = [{v.wf_min:.3f}, {v.wf_max:.3f}]"
    )
    st.latex(rf"b' = {v.beta:.4f} - {v.multiplier:.4f} \times {v.mean:.4f} = {v.b_fold:.4f}")
    claim(v.claim)
    st.caption(T.join(T("fuse_same", d=fuse_difference(layer)), T("live")))
    note(T, "note.fold")


@safe(T)
def show_freeze() -> None:
    """QAT with BatchNorm frozen late, or not (recorded)."""
    st.subheader(T("freeze_h"))
    f = lesson.freeze_study()
    st.markdown(T("freeze_intro", bits=f.w_bits, epochs=f.epochs, after=f.freeze_after))
    figure(
        figures.freeze_curves(f, T),
        T("fig.freeze_summary", bits=f.w_bits, after=f.freeze_after),
        key="why_fig_freeze",
    )
    c1, c2 = st.columns(2)
    c1.metric(T("fig.frozen"), f"{100 * f.frozen_test:.2f} %")
    c2.metric(T("fig.unfrozen"), f"{100 * f.unfrozen_test:.2f} %")
    claim(f.claim)
    st.caption(T("recorded_mobile"))
    note(T, "note.freeze")


@safe(T)
def show_granularity() -> int:
    """Per-tensor against per-channel PTQ at the chosen width (live), QAT (recorded), and CLE on request."""
    st.header(T("gran_h"))
    st.markdown(T("gran_intro"))
    ask(T, BREAKS)
    bits = st.select_slider(T("gran_bits"), options=lesson.BITS, value=8, key="why_bits")
    with st.spinner(T("wait")):
        g = lesson.granularity(FP32, bits, SPLITS)
    layer = g.per_tensor.breaks_first
    series = [(T("fig.pc"), g.per_channel.own_db), (T("fig.pt"), g.per_tensor.own_db)]
    figure(
        figures.layer_sqnr(lesson.LAYERS, series, layer, T),
        T("fig.sqnr_summary", bits=bits, layer=layer),
        key="why_fig_sqnr",
    )
    with metrics_row("why_granularity_numbers"):
        st.metric(T("m.pc"), f"{100 * g.per_channel.test_acc:.2f} %", width="content")
        st.metric(T("m.pt"), f"{100 * g.per_tensor.test_acc:.2f} %", width="content")
        st.metric(T("m.breaks"), f"{layer} · {real(g.per_tensor.own(layer), '.1f')} dB", width="content")
    claim(g.claim)
    st.caption(T("live"))

    st.subheader(T("gran_qat_h"))
    q = lesson.recorded_granularity("QAT", bits)
    figure(
        figures.layer_sqnr(
            lesson.LAYERS, [(T("fig.pc"), q.own_pc), (T("fig.pt"), q.own_pt)], q.breaks_pt, T, height=300
        ),
        T("fig.qat_summary", bits=bits, layer=q.breaks_pt),
        key="why_fig_qat",
    )
    claim(q.claim)
    st.caption(T("recorded_mobile"))
    note(T, "note.granularity")
    return bits


@safe(T)
def show_cle(bits: int) -> None:
    """Cross-layer equalisation, on request: per-tensor before and after, and why."""
    st.subheader(T("cle_h"))
    st.markdown(T("cle_intro"))
    if not st.toggle(T("cle_button"), key="why_cle"):
        return
    with st.spinner(T("wait")):
        g = lesson.granularity(FP32, bits, SPLITS)
        c = lesson.cle(FP32, bits, SPLITS)
    figure(figures.cle_spreads(c, lesson.LAYERS, T), T("fig.cle_summary", it=c.iterations), key="why_fig_cle")
    layer = g.per_tensor.breaks_first
    series = [
        (T("fig.pt_relu"), c.relu.own_db),
        (T("fig.pt_eq"), c.equalized.own_db),
        (T("fig.pc"), g.per_channel.own_db),
    ]
    figure(
        figures.layer_sqnr(lesson.LAYERS, series, layer, T, height=300),
        T("fig.cle_sqnr_summary", layer=layer),
        key="why_fig_cle_sqnr",
    )
    with metrics_row("why_cle_numbers"):
        st.metric(T("m.relu"), f"{100 * c.relu.test_acc:.2f} %", width="content")
        st.metric(T("m.eq"), f"{100 * c.equalized.test_acc:.2f} %", width="content")
        st.metric(T("m.pc"), f"{100 * g.per_channel.test_acc:.2f} %", width="content")
    claim(c.claim(g))
    st.caption(T("live"))
    note(T, "note.cle")


def net_choice(key: str, label: str) -> str:
    """Which network a recorded section shows (a cleared choice falls back to the first)."""
    st.session_state.setdefault(key, lesson.NETS[0])
    return (
        st.segmented_control(T(label), lesson.NETS, key=key, format_func=lambda n: T(f"net.{n}"))
        or lesson.NETS[0]
    )


@safe(T)
def show_calibration() -> None:
    """The calibration bake-off (recorded): observers against the number of calibration images."""
    st.header(T("cal_h"))
    st.markdown(T("cal_intro"))
    ask(T, CALIB)
    c1, c2 = st.columns(2)
    with c1:
        net = net_choice("why_cal_net", "cal_net")
    with c2:
        a_bits = (
            st.segmented_control(T("cal_bits"), lesson.A_BITS, default=8, key="why_cal_bits")
            or lesson.A_BITS[0]
        )
    b = lesson.bakeoff(net, a_bits)
    figure(
        figures.bakeoff_curves(b, lesson.OBSERVERS, T),
        T("fig.cal_summary", net=T(f"net.{net}"), bits=a_bits),
        key="why_fig_cal",
    )
    observers = pd.DataFrame(
        {
            f"{n:,}": [f"{100 * b.acc[o][i]:.1f} % · {b.output_db[o][i]:.1f} dB" for o in lesson.OBSERVERS]
            for i, n in enumerate(b.n_images)
        },
        index=[T(f"obs.{o}") for o in lesson.OBSERVERS],
    )
    table(observers, key="why_cal_table")
    st.caption(T("cal_table_caption"))
    series = [(T(f"obs.{o}"), b.own_db[o]) for o in lesson.OBSERVERS]
    figure(
        figures.layer_sqnr(b.layers, series, b.weakest_layer, T),
        T("fig.cal_layers_summary", n=b.n_images[-1]),
        key="why_fig_cal_layers",
    )
    c = b.claim
    claim(
        lesson.Claim(
            c.key,
            {
                **c.values,
                "bits": a_bits,
                "best": T(f"obs.{c.values['best']}"),
                "worst": T(f"obs.{c.values['worst']}"),
            },
        )
    )
    if c.values["worst"] == "entropy" and a_bits == 4:
        st.markdown(T("cal.entropy_why"))
    st.caption(T("recorded_lowbit"))
    note(T, "note.cal")


@safe(T)
def show_ladder() -> None:
    """The low-bit ladder (recorded): widths × methods."""
    st.header(T("ladder_h"))
    st.markdown(T("ladder_intro"))
    net = net_choice("why_ladder_net", "ladder_net")
    lad = lesson.ladder(net)
    figure(
        figures.ladder_heatmap(lad, lesson.CONFIGS, lesson.METHODS, T),
        T("fig.ladder_summary", net=T(f"net.{net}"), fp32=100 * lad.fp32),
        key="why_fig_ladder",
    )
    for c in lad.claims:
        values = {**c.values, "best": T(f"method.{c.values['best']}")} if "best" in c.values else c.values
        st.markdown("- " + T(c.key, **values))
    times = T.listed(f"{T(f'method.{m}')} {lad.cpu[m]:.2f}" for m in lesson.METHODS)
    st.caption(T.join(T("ladder_times", times=times), T("recorded_lowbit")))
    note(T, "note.ladder")


@safe(T)
def show_scale() -> None:
    """The papers' ImageNet numbers beside this net's, and what this net does and doesn't show."""
    st.header(T("scale_h"))
    st.markdown(T("scale_intro"))
    for key in (
        "paper.krishnamoorthi",
        "paper.tutorial",
        "paper.dfq",
        "paper.krishnamoorthi_low",
        "paper.esser",
    ):
        st.markdown("- " + T(key))
    s = lesson.scale(all_folds())
    figure(
        figures.scale_bars(s, T),
        T("fig.scale_summary", pt=100 * s.pt8, pc=100 * s.pc8, fp32=100 * s.fp32),
        key="why_fig_scale",
    )
    st.markdown(T("scale_here"))
    claims = [
        *s.claims,
        lesson.ladder_scale_claim(lesson.ladder("mobile_cnn")),
        lesson.freeze_scale_claim(lesson.freeze_study()),
    ]
    for c in claims:
        st.markdown("- " + c.text(T))
    st.caption(T("scale_source"))
    note(T, "note.scale")


st.title(T("title"))
st.markdown(T("intro", fp32=100 * lesson.fp32_accuracy()))
show_fold()
show_freeze()
chosen = show_granularity()
show_cle(chosen if chosen in lesson.BITS else lesson.BITS[0])
show_calibration()
show_ladder()
show_scale()

page_end(T)
