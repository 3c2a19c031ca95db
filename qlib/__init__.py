"""qlib: the core of Quantization Lab. Pure numpy / torch / plotly / pillow; imports no streamlit."""
