"""Streamlit-side helpers shared by every page (the only place besides pages that imports streamlit)."""
