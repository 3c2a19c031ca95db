"""Lesson 2, the heart of the app: choose a range, get a scale and a zero point, watch every value land on the grid."""

import streamlit as st

from lessons.common.text import real, signed
from lessons.scale_and_zero_point import questions as q
from lessons.scale_and_zero_point.distributions import CNN, DISTRIBUTIONS
from lessons.scale_and_zero_point.lesson import View, fmt_scale, probe
from lessons.scale_and_zero_point.settings import BITS, LIMIT, MODES, PRESETS, SLIDER
from ui import explorer_state as state
from ui.questions import ask
from ui.shell import figure, metrics_row, note, page_end, safe, setup_page

T = setup_page("scale_and_zero_point", url=state.CODEC)  # the link's settings, and what was wrong with them
K = state.KEYS

st.title(T("title"))
st.markdown(T("intro"))

st.subheader(T("presets_h"))
with st.container(horizontal=True):  # each button as wide as its label, wrapping to a second row when it must
    for name in PRESETS:
        st.button(
            T(f"preset.{name}"),
            key=f"ex_preset_{name}",
            on_click=state.apply_preset,
            args=(name,),
            help=T(f"preset.{name}_help"),
            width="content",
        )

ask(T, q.ZERO_CODE)


@safe(T)
def number_line(v: View) -> None:
    """The grid on the real line, and the four numbers that fix it."""
    st.markdown(f"**{T('line_h')}**")
    figure(
        state.figure("line", v.settings, T),
        T("line_summary", n=v.levels, lo=real(v.grid_lo), hi=real(v.grid_hi), code=v.zero_code),
        key="ex_fig_line",
    )
    zp_help = T("m.zp_help_sym") if v.zp_raw is None else T("m.zp_help", raw=f"{v.zp_raw:.4f}")
    with metrics_row("ex_numbers", gap="small"):  # all four in one row of the projector's column
        st.metric(T("m.scale"), fmt_scale(v.scale), help=f"{v.scale:.8g}", width="content")
        st.metric(T("m.zp"), signed(v.zero_point), help=zp_help, width="content")
        st.metric(
            T("m.codes"),
            f"{signed(v.qmin)} … {signed(v.qmax)}",
            help=T("m.codes_help", n=v.levels),
            width="content",
        )
        zero_help = T("m.zero_exact" if v.zero_exact else "m.zero_not_exact")
        st.metric(T("m.zero"), signed(v.zero_code), help=zero_help, width="content")


@safe(T)
def scale_and_zero_point(v: View) -> None:
    """The code's formulas with this view's numbers, and the sentences this view needs."""
    st.subheader(T("result_h"))
    st.markdown(T("common.formula"))
    st.latex(v.scale_tex)
    st.latex(v.zero_point_tex)
    for n in v.notes:
        (st.warning if n.kind == "warning" else st.info)(T(n.key, **n.fmt))


@safe(T)
def pictures(v: View) -> None:
    """The staircase."""
    st.subheader(T("stair_h"))
    summary = T("stair_summary", step=f"{v.scale:.4g}", half=f"{v.half_step:.4g}")
    fine = T("stair_fine", bits=v.settings.bits) if v.fine_steps else ""
    figure(state.figure("stair", v.settings, T), T.join(summary, fine), key="ex_fig_stair")


@safe(T)
def data(v: View) -> None:
    """The data before and after, and what quantizing it costs: rounding against clipping."""
    st.subheader(T("hist_h"))
    st.markdown(T("trade_off"))
    e, d = v.error, v.data
    figure(
        state.figure("hist", v.settings, T),
        T("hist_summary", dist=T(f"dist.{v.settings.dist}"), clip=f"{e.clip_pct:.2f}"),
        key="ex_fig_hist",
    )
    with metrics_row("ex_error_parts"):  # the error and its two parts (mse = rounding + clipping)
        st.metric(T("m.mse"), f"{e.mse:.3g}", help=T("m.mse_help"), width="content")
        st.metric(T("m.round"), f"{e.mse_round:.3g}", help=T("m.round_help"), width="content")
        st.metric(T("m.clip_part"), f"{e.mse_clip:.3g}", help=T("m.clip_part_help"), width="content")
    with metrics_row("ex_error_sizes"):
        st.metric(T("m.sqnr"), f"{real(e.sqnr_db, '.1f')} dB", help=T("m.sqnr_help"), width="content")
        st.metric(T("m.maxerr"), f"{e.max_abs_err:.3g}", width="content")
        st.metric(T("m.clip"), f"{e.clip_pct:.2f} %", width="content")
    st.markdown(
        T(
            "centre",
            mean=real(d.mean, ".3f"),
            median=real(d.median, ".3f"),
            zp=signed(v.zero_point),
            mid=real(v.grid_mid, ".3f"),
        )
    )


@st.fragment
@safe(T)
def one_value() -> None:
    """A chosen value's integer code: only this part reruns when the value changes, and it recomputes nothing
    but that value's code (the view comes from the cache, whose key leaves x out)."""
    st.subheader(T("value_h"))
    a, b = st.columns([1, 2], vertical_alignment="center")
    a.number_input(T("value"), -LIMIT, LIMIT, step=0.1, format="%.4f", key=K["x"])
    now, _ = state.read()
    state.save(now)
    p = probe(state.analyze(now), now.x)
    b.latex(p.tex)
    with metrics_row("ex_value_numbers"):
        st.metric(T("m.code_dec"), signed(p.code), width="content")
        st.metric(T("m.code_bin"), p.binary, help=T("m.code_bin_help", bits=now.bits), width="content")
        st.metric(T("m.back"), real(p.back, ".6g"), width="content")
        st.metric(T("m.value_err"), real(p.error, "+.3g"), width="content")


@st.fragment
@safe(T)
def explorer() -> None:
    """The controls and everything they change: a move reruns this part alone (the title, the presets, the
    first question and the links stay as drawn), and the value's code below it is a fragment of its own."""
    s, problem = state.read()  # the view to show, and what is wrong with the typed range, if anything
    # A projector shows the controls and the grid they move together: the scheme and the data on the left, the bit
    # width and the range right above the number line and the numbers on the right (on a phone, stacked: the bit
    # slider stays next to the line).
    st.subheader(T("controls_h"))
    c1, c2 = st.columns([2, 3], gap="medium")
    with c1:
        st.radio(
            T("mode"),
            MODES,
            key=K["mode"],
            horizontal=True,
            on_change=state.on_mode,
            format_func=lambda m: T(f"mode.{m}"),
            help=T("mode_help"),
        )
        st.toggle(T("signed"), key=K["signed"], help=T("signed_help"), on_change=state.on_signed)
        st.toggle(T("narrow"), key=K["narrow"], help=T("narrow_help"), disabled=not s.signed)
        st.toggle(T("zero"), key=K["zero"], help=T("zero_help"))
        st.selectbox(
            T("dist"),
            DISTRIBUTIONS,
            key=K["dist"],
            format_func=lambda d: T(f"dist.{d}"),
            help=T("dist_help"),
            on_change=state.on_dist,
        )
        if s.dist in CNN:
            st.caption(T("cnn_source"))
        st.markdown(T("calibrate"))
        with st.container(horizontal=True):  # the buttons as wide as their labels, wrapping when they must
            for m in ("minmax", "percentile", "mse"):
                st.button(
                    T(f"cal.{m}"),
                    key=f"ex_cal_{m}",
                    on_click=state.apply_calibration,
                    args=(m,),
                    help=T(f"cal.{m}_help"),
                    width="content",
                )
        if cal := state.calibrated():
            method, (verdict, fmt) = cal
            st.success(T.join(T("calibrated", method=T(f"cal.{method}"), **fmt), T(verdict, **fmt)))
    with c2:
        b1, b2 = st.columns(2)
        b1.slider(T("bits"), BITS[0], BITS[1], key=K["bits"], help=T("bits_help"))
        b2.slider(
            T("range"),
            SLIDER[0],
            SLIDER[1],
            step=0.05,
            key=state.RANGE,
            on_change=state.on_range,
            help=T("range_help"),
        )
        n1, n2 = st.columns(2)
        n1.number_input(
            T("min"), -LIMIT, LIMIT, step=0.1, format="%.4f", key=K["lo"], on_change=state.on_bounds
        )
        n2.number_input(
            T("max"), -LIMIT, LIMIT, step=0.1, format="%.4f", key=K["hi"], on_change=state.on_bounds
        )
        if problem:
            st.warning(T(problem[0], **problem[1]), icon=":material/error:")

    state.save(s)
    v = state.analyze(s)
    with c2:
        number_line(v)
    scale_and_zero_point(v)
    ask(T, q.NO_ZERO)
    pictures(v)
    ask(T, q.CLIP)
    data(v)
    one_value()


explorer()

with st.expander(T("common.libraries_say"), expanded=True):
    note(T, "note.observer")
    note(T, "note.pytorch_zp")
    note(T, "note.share")

page_end(T)
