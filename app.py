"""Quantization Lab: the home page. Run with `streamlit run app.py`."""

import streamlit as st

from lessons.home import figures as viz
from ui.shell import lesson_map, setup_page, warm_up

T = setup_page("home")

st.title(T("title"))
st.markdown(T("tagline"))

st.header(T("what_h"))
st.markdown(T("what"))
st.latex(viz.QUANT_FORMULA)
st.caption(T("formula_caption"))

st.header(T("why_h"))
for col, k in zip(st.columns(3), ("size", "hw", "cost"), strict=True):
    col.metric(T(f"metric_{k}"), T(f"metric_{k}_value"), border=True)
    col.caption(T(f"metric_{k}_help"))

st.header(T("map_h"))
lesson_map(T)

st.header(T("flow_h"))
st.markdown(T("flow_intro"))
st.graphviz_chart(viz.qat_flow_dot(T), width="stretch")
st.caption(T("flow_summary"))
st.markdown(T("start"))
warm_up()  # last: torch loads in the background while the class reads this page, not while it is drawn
