"""Quantization Lab: the home page. Run with `streamlit run app.py`."""

import streamlit as st

from qlib import viz
from ui.shell import lesson_map, setup_page, warm_up

T = setup_page("home")

st.title(T("home.title"))
st.markdown(T("home.tagline"))

st.header(T("home.what_h"))
st.markdown(T("home.what"))
st.latex(viz.QUANT_FORMULA)
st.caption(T("home.formula_caption"))

st.header(T("home.why_h"))
for col, k in zip(st.columns(3), ("size", "hw", "cost"), strict=True):
    col.metric(T(f"home.metric_{k}"), T(f"home.metric_{k}_value"), border=True)
    col.caption(T(f"home.metric_{k}_help"))

st.header(T("home.map_h"))
lesson_map(T)

st.header(T("home.flow_h"))
st.markdown(T("home.flow_intro"))
st.graphviz_chart(viz.qat_flow_dot(T), width="stretch")
st.caption(T("home.flow_summary"))
st.markdown(T("home.start"))
warm_up()  # last: torch loads in the background while the class reads this page, not while it is drawn
