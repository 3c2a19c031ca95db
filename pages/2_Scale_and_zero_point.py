"""Lesson 2, the heart of the app: choose a range, get a scale and a zero point, watch every value land on the grid."""

import streamlit as st

from qlib import explorer as ex
from qlib import viz
from qlib.distributions import CNN, DISTRIBUTIONS, cnn_model
from ui import explorer_state as state
from ui.shell import figure, note, safe, setup_page

T = setup_page("explorer")
K = state.KEYS


messages = state.load()
st.title(T("explorer.title"))
st.markdown(T("explorer.intro"))
for key, fmt in messages:
    st.warning(T(key, **fmt), icon=":material/link:")

# ---- presets
st.subheader(T("explorer.presets_h"))
for col, name in zip(st.columns(len(ex.PRESETS)), ex.PRESETS, strict=True):
    col.button(T(f"explorer.preset.{name}"), key=f"ex_preset_{name}", on_click=state.apply_preset, args=(name,),
               help=T(f"explorer.preset.{name}_help"), width="stretch")

# ---- controls
st.subheader(T("explorer.controls_h"))
c1, c2 = st.columns(2, gap="large")
with c1:
    st.slider(T("explorer.bits"), ex.BITS[0], ex.BITS[1], key=K["bits"], help=T("explorer.bits_help"))
    st.radio(T("explorer.mode"), ex.MODES, key=K["mode"], horizontal=True, on_change=state.on_mode,
             format_func=lambda m: T(f"explorer.mode.{m}"), help=T("explorer.mode_help"))
    st.toggle(T("explorer.signed"), key=K["signed"], help=T("explorer.signed_help"))
    st.toggle(T("explorer.narrow"), key=K["narrow"], help=T("explorer.narrow_help"),
              disabled=not st.session_state[K["signed"]])
    st.toggle(T("explorer.zero"), key=K["zero"], help=T("explorer.zero_help"))
with c2:
    st.slider(T("explorer.range"), ex.SLIDER[0], ex.SLIDER[1], step=0.05, key=state.RANGE,
              on_change=state.on_range, help=T("explorer.range_help"))
    n1, n2 = st.columns(2)
    n1.number_input(T("explorer.min"), -ex.LIMIT, ex.LIMIT, step=0.1, format="%.4f", key=K["lo"],
                    on_change=state.on_bounds)
    n2.number_input(T("explorer.max"), -ex.LIMIT, ex.LIMIT, step=0.1, format="%.4f", key=K["hi"],
                    on_change=state.on_bounds)
    st.selectbox(T("explorer.dist"), DISTRIBUTIONS, key=K["dist"], format_func=lambda d: T(f"explorer.dist.{d}"),
                 help=T("explorer.dist_help"), on_change=state.on_dist)
    if st.session_state[K["dist"]] in CNN:
        st.caption(T(f"explorer.cnn_source.{cnn_model()[1]}"))
    st.markdown(T("explorer.calibrate"))
    for col, m in zip(st.columns(3), ("minmax", "percentile", "mse"), strict=True):
        col.button(T(f"explorer.cal.{m}"), key=f"ex_cal_{m}", on_click=state.apply_calibration, args=(m,),
                   help=T(f"explorer.cal.{m}_help"), width="stretch")

if st.session_state.pop("_ex_swapped", False):
    st.info(T("explorer.swapped"), icon=":material/swap_horiz:")
if cal := st.session_state.pop("_ex_calibrated", None):
    st.success(T("explorer.calibrated", method=T(f"explorer.cal.{cal[0]}"), lo=f"{cal[1]:.4f}", hi=f"{cal[2]:.4f}"))

s = state.read()
state.save(s)
r = state.analyze(s)


@safe(T)
def results() -> None:
    """The numbers, the formula and the pictures of this view."""
    st.subheader(T("explorer.result_h"))
    m = st.columns(4)
    m[0].metric(T("explorer.m.scale"), ex.fmt_scale(r["scale"]), help=f"{r['scale']:.8g}")
    m[1].metric(T("explorer.m.zp"), f"{r['zero_point']}", help=T("explorer.m.zp_help", raw=f"{r['zp_raw']:.4f}"))
    m[2].metric(T("explorer.m.codes"), f"{r['qmin']} … {r['qmax']}", help=T("explorer.m.codes_help", n=r["levels"]))
    m[3].metric(T("explorer.m.zero"), f"{r['zero_code']}",
                help=T("explorer.m.zero_exact" if r["zero_exact"] else "explorer.m.zero_not_exact"))
    st.markdown(T("common.formula"))
    for f in ex.formulas(r)[:2]:
        st.latex(f)
    if not (r["qmin"] <= r["zp_raw"] <= r["qmax"]):
        st.warning(T("explorer.zp_clamped", raw=f"{r['zp_raw']:.2f}", zp=r["zero_point"],
                     lo=f"{r['grid_lo']:.4g}", hi=f"{r['grid_hi']:.4g}"), icon=":material/warning:")
    elif not s.zero:
        st.info(T("explorer.zero_off", code=r["zero_code"], back=f"{r['zero_back']:.4g}"))

    view = ex.view_range(r)
    sc, h = state.curves(s)
    st.subheader(T("explorer.line_h"))
    figure(viz.number_line(r, view, T), T("explorer.line_summary", n=r["levels"], lo=f"{r['grid_lo']:.4g}",
                                          hi=f"{r['grid_hi']:.4g}", code=r["zero_code"]), key="ex_fig_line")
    st.subheader(T("explorer.stair_h"))
    figure(viz.staircase(sc, r, view, T), T("explorer.stair_summary", step=f"{r['scale']:.4g}",
                                           half=f"{r['scale'] / 2:.4g}"), key="ex_fig_stair")
    st.subheader(T("explorer.hist_h"))
    e, d = r["error"], r["data"]
    m = st.columns(4)
    m[0].metric(T("explorer.m.mse"), f"{e['mse']:.3g}")
    m[1].metric(T("explorer.m.sqnr"), f"{e['sqnr_db']:.1f} dB")
    m[2].metric(T("explorer.m.maxerr"), f"{e['max_abs_err']:.3g}")
    m[3].metric(T("explorer.m.clip"), f"{100 * e['clip_fraction']:.2f} %")
    figure(viz.histogram(h, r, T), T("explorer.hist_summary", dist=T(f"explorer.dist.{s.dist}"),
                                    clip=f"{100 * e['clip_fraction']:.2f}"), key="ex_fig_hist")
    st.markdown(T("explorer.centre", mean=f"{d['mean']:.3f}", median=f"{d['median']:.3f}", zp=r["zero_point"],
                  mid=f"{(r['grid_lo'] + r['grid_hi']) / 2:.3f}"))


results()


@st.fragment
@safe(T)
def one_value() -> None:
    """A chosen value's integer code: only this part reruns when the value changes."""
    st.subheader(T("explorer.value_h"))
    a, b = st.columns([1, 2], vertical_alignment="center")
    a.number_input(T("explorer.value"), -ex.LIMIT, ex.LIMIT, step=0.1, format="%.4f", key=K["x"])
    s2 = state.read()
    state.save(s2)
    v = ex.code_of(s2.x, s2.qparams(), s2.bits)
    with b:
        st.latex(ex.formulas(state.analyze(s2))[2])
    m = st.columns(4)
    m[0].metric(T("explorer.m.code_dec"), f"{v['code']}")
    m[1].metric(T("explorer.m.code_bin"), v["binary"], help=T("explorer.m.code_bin_help", bits=s2.bits))
    m[2].metric(T("explorer.m.back"), f"{v['back']:.6g}")
    m[3].metric(T("explorer.m.value_err"), f"{v['error']:+.3g}")


one_value()

with st.expander(T("common.libraries_say"), expanded=True):
    note(T, "explorer.note.observer")
    note(T, "explorer.note.pytorch_zp")
    note(T, "explorer.note.share")
