"""Lesson 2, the heart of the app: choose a range, get a scale and a zero point, watch every value land on the grid."""

import streamlit as st

from lessons.scale_and_zero_point import figures as viz
from lessons.scale_and_zero_point import lesson as ex
from lessons.scale_and_zero_point.distributions import CNN, DISTRIBUTIONS, cnn_model
from ui import explorer_state as state
from ui.shell import figure, note, safe, setup_page

T = setup_page("scale_and_zero_point")
K = state.KEYS


messages = state.load()
st.title(T("title"))
st.markdown(T("intro"))
for key, fmt in messages:
    st.warning(T(key, **fmt), icon=":material/link:")

# ---- presets
st.subheader(T("presets_h"))
for col, name in zip(st.columns(len(ex.PRESETS)), ex.PRESETS, strict=True):
    col.button(
        T(f"preset.{name}"),
        key=f"ex_preset_{name}",
        on_click=state.apply_preset,
        args=(name,),
        help=T(f"preset.{name}_help"),
        width="stretch",
    )

# ---- controls
st.subheader(T("controls_h"))
c1, c2 = st.columns(2, gap="large")
with c1:
    st.slider(T("bits"), ex.BITS[0], ex.BITS[1], key=K["bits"], help=T("bits_help"))
    st.radio(
        T("mode"),
        ex.MODES,
        key=K["mode"],
        horizontal=True,
        on_change=state.on_mode,
        format_func=lambda m: T(f"mode.{m}"),
        help=T("mode_help"),
    )
    st.toggle(T("signed"), key=K["signed"], help=T("signed_help"))
    st.toggle(T("narrow"), key=K["narrow"], help=T("narrow_help"), disabled=not st.session_state[K["signed"]])
    st.toggle(T("zero"), key=K["zero"], help=T("zero_help"))
with c2:
    st.slider(
        T("range"),
        ex.SLIDER[0],
        ex.SLIDER[1],
        step=0.05,
        key=state.RANGE,
        on_change=state.on_range,
        help=T("range_help"),
    )
    n1, n2 = st.columns(2)
    n1.number_input(
        T("min"), -ex.LIMIT, ex.LIMIT, step=0.1, format="%.4f", key=K["lo"], on_change=state.on_bounds
    )
    n2.number_input(
        T("max"), -ex.LIMIT, ex.LIMIT, step=0.1, format="%.4f", key=K["hi"], on_change=state.on_bounds
    )
    st.selectbox(
        T("dist"),
        DISTRIBUTIONS,
        key=K["dist"],
        format_func=lambda d: T(f"dist.{d}"),
        help=T("dist_help"),
        on_change=state.on_dist,
    )
    if st.session_state[K["dist"]] in CNN:
        st.caption(T(f"cnn_source.{cnn_model()[1]}"))
    st.markdown(T("calibrate"))
    for col, m in zip(st.columns(3), ("minmax", "percentile", "mse"), strict=True):
        col.button(
            T(f"cal.{m}"),
            key=f"ex_cal_{m}",
            on_click=state.apply_calibration,
            args=(m,),
            help=T(f"cal.{m}_help"),
            width="stretch",
        )

if st.session_state.pop("_ex_swapped", False):
    st.info(T("swapped"), icon=":material/swap_horiz:")
if cal := st.session_state.pop("_ex_calibrated", None):
    st.success(T("calibrated", method=T(f"cal.{cal[0]}"), lo=f"{cal[1]:.4f}", hi=f"{cal[2]:.4f}"))

s = state.read()
state.save(s)
r = state.analyze(s)


@safe(T)
def results() -> None:
    """The numbers, the formula and the pictures of this view."""
    st.subheader(T("result_h"))
    m = st.columns(4)
    m[0].metric(T("m.scale"), ex.fmt_scale(r["scale"]), help=f"{r['scale']:.8g}")
    m[1].metric(T("m.zp"), f"{r['zero_point']}", help=T("m.zp_help", raw=f"{r['zp_raw']:.4f}"))
    m[2].metric(T("m.codes"), f"{r['qmin']} … {r['qmax']}", help=T("m.codes_help", n=r["levels"]))
    m[3].metric(
        T("m.zero"), f"{r['zero_code']}", help=T("m.zero_exact" if r["zero_exact"] else "m.zero_not_exact")
    )
    st.markdown(T("common.formula"))
    for f in ex.formulas(r)[:2]:
        st.latex(f)
    if not (r["qmin"] <= r["zp_raw"] <= r["qmax"]):
        st.warning(
            T(
                "zp_clamped",
                raw=f"{r['zp_raw']:.2f}",
                zp=r["zero_point"],
                lo=f"{r['grid_lo']:.4g}",
                hi=f"{r['grid_hi']:.4g}",
            ),
            icon=":material/warning:",
        )
    elif not s.zero:
        st.info(T("zero_off", code=r["zero_code"], back=f"{r['zero_back']:.4g}"))

    view = ex.view_range(r)
    sc, h = state.curves(s)
    st.subheader(T("line_h"))
    figure(
        viz.number_line(r, view, T),
        T(
            "line_summary",
            n=r["levels"],
            lo=f"{r['grid_lo']:.4g}",
            hi=f"{r['grid_hi']:.4g}",
            code=r["zero_code"],
        ),
        key="ex_fig_line",
    )
    st.subheader(T("stair_h"))
    figure(
        viz.staircase(sc, r, view, T),
        T("stair_summary", step=f"{r['scale']:.4g}", half=f"{r['scale'] / 2:.4g}"),
        key="ex_fig_stair",
    )
    st.subheader(T("hist_h"))
    e, d = r["error"], r["data"]
    m = st.columns(4)
    m[0].metric(T("m.mse"), f"{e['mse']:.3g}")
    m[1].metric(T("m.sqnr"), f"{e['sqnr_db']:.1f} dB")
    m[2].metric(T("m.maxerr"), f"{e['max_abs_err']:.3g}")
    m[3].metric(T("m.clip"), f"{100 * e['clip_fraction']:.2f} %")
    figure(
        viz.histogram(h, r, T),
        T("hist_summary", dist=T(f"dist.{s.dist}"), clip=f"{100 * e['clip_fraction']:.2f}"),
        key="ex_fig_hist",
    )
    st.markdown(
        T(
            "centre",
            mean=f"{d['mean']:.3f}",
            median=f"{d['median']:.3f}",
            zp=r["zero_point"],
            mid=f"{(r['grid_lo'] + r['grid_hi']) / 2:.3f}",
        )
    )


results()


@st.fragment
@safe(T)
def one_value() -> None:
    """A chosen value's integer code: only this part reruns when the value changes."""
    st.subheader(T("value_h"))
    a, b = st.columns([1, 2], vertical_alignment="center")
    a.number_input(T("value"), -ex.LIMIT, ex.LIMIT, step=0.1, format="%.4f", key=K["x"])
    s2 = state.read()
    state.save(s2)
    v = ex.code_of(s2.x, s2.qparams(), s2.bits)
    with b:
        st.latex(ex.formulas(state.analyze(s2))[2])
    m = st.columns(4)
    m[0].metric(T("m.code_dec"), f"{v['code']}")
    m[1].metric(T("m.code_bin"), v["binary"], help=T("m.code_bin_help", bits=s2.bits))
    m[2].metric(T("m.back"), f"{v['back']:.6g}")
    m[3].metric(T("m.value_err"), f"{v['error']:+.3g}")


one_value()

with st.expander(T("common.libraries_say"), expanded=True):
    note(T, "note.observer")
    note(T, "note.pytorch_zp")
    note(T, "note.share")
