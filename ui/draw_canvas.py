"""A drawing canvas for one digit: an HTML canvas on Pointer Events (mouse, pen and touch alike), as a Streamlit
components-v2 element; each finished stroke sends the canvas as a PNG.

Why not streamlit-drawable-canvas: its 0.13.0 (the maintained release, on components v2, for Streamlit >= 1.53)
renders and returns image data with Streamlit 1.67, but in chromium it drops the first stroke on every new
canvas when that stroke starts without the pointer having hovered over the canvas first, which is every touch:
on a phone, the first stroke after opening the page and after each clear vanished (tests/browser/
test_predict_draw.py drew it with CDP touch events). A digit needs none of its shapes, transforms or JSON, only
strokes, so this is 50 lines of script with no dependency.
"""

from __future__ import annotations

import base64
import io

import numpy as np
import streamlit as st
from PIL import Image

_HTML = '<div class="ql-draw"><canvas class="ql-draw-canvas" aria-label=""></canvas></div>'
_CSS = """
.ql-draw-canvas { touch-action: none; border: 1px solid #bbb; border-radius: 4px; background: #fff;
                  cursor: crosshair; display: block; }
"""
_JS = """
export default function ({ parentElement, data, setStateValue }) {
  const canvas = parentElement.querySelector("canvas.ql-draw-canvas");
  const side = data.side, width = data.stroke;
  if (canvas.width !== side) {                      // first mount of this key: a white page
    canvas.width = side; canvas.height = side;
    canvas.style.width = side + "px"; canvas.style.height = side + "px";
    const c = canvas.getContext("2d");
    c.fillStyle = "#ffffff"; c.fillRect(0, 0, side, side);
  }
  canvas.setAttribute("aria-label", data.label || "");
  if (canvas.__ql) return canvas.__ql;              // called again on a rerun: the listeners are in place
  const ctx = canvas.getContext("2d");
  let last = null, id = null;
  const at = (e) => {
    const r = canvas.getBoundingClientRect();
    return [(e.clientX - r.left) * side / r.width, (e.clientY - r.top) * side / r.height];
  };
  const dot = ([x, y]) => {
    ctx.fillStyle = "#000000"; ctx.beginPath(); ctx.arc(x, y, width / 2, 0, 2 * Math.PI); ctx.fill();
  };
  const down = (e) => {
    if (id !== null) return;
    id = e.pointerId; canvas.setPointerCapture(id); last = at(e); dot(last); e.preventDefault();
  };
  const move = (e) => {
    if (e.pointerId !== id) return;
    const p = at(e);
    ctx.strokeStyle = "#000000"; ctx.lineWidth = width; ctx.lineCap = "round"; ctx.lineJoin = "round";
    ctx.beginPath(); ctx.moveTo(last[0], last[1]); ctx.lineTo(p[0], p[1]); ctx.stroke();
    last = p; e.preventDefault();
  };
  const up = (e) => {
    if (e.pointerId !== id) return;
    id = null; last = null;
    setStateValue("png", canvas.toDataURL("image/png"));
  };
  canvas.addEventListener("pointerdown", down);
  canvas.addEventListener("pointermove", move);
  canvas.addEventListener("pointerup", up);
  canvas.addEventListener("pointercancel", up);
  canvas.__ql = () => {
    delete canvas.__ql;
    canvas.removeEventListener("pointerdown", down);
    canvas.removeEventListener("pointermove", move);
    canvas.removeEventListener("pointerup", up);
    canvas.removeEventListener("pointercancel", up);
  };
  return canvas.__ql;
}
"""

_component = st.components.v2.component("quantization_lab_draw", html=_HTML, css=_CSS, js=_JS)


def _pixels(url: object) -> np.ndarray | None:
    """A canvas's PNG data URL -> RGBA uint8 pixels (None for anything else)."""
    if not isinstance(url, str) or ";base64," not in url:
        return None
    try:
        img = Image.open(io.BytesIO(base64.b64decode(url.split(";base64,", 1)[1])))
        return np.asarray(img.convert("RGBA"))
    except Exception:  # a broken message from the browser is no drawing
        return None


def draw_canvas(key: str, side: int = 280, stroke: int = 18, label: str = "") -> np.ndarray | None:
    """The canvas (side x side px, black strokes `stroke` px wide on white); its RGBA pixels after the last
    stroke, or None before the first. A new `key` is a new, empty canvas."""
    result = _component(
        data={"side": side, "stroke": stroke, "label": label},
        key=key,
        default={"png": None},
        on_png_change=lambda: None,
        width="content",
        height="content",
    )
    return _pixels(result.get("png") if result is not None else None)
