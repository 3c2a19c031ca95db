"""The preprocessing lesson's numbers: a sample picture, one pixel's path to the model, histograms, layouts."""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image

from qlib.data import ImageError, load_image, preprocess_input
from qlib.quant import QParams, calc_qparams, quantize

IMAGENET_MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)  # of x / 255, per RGB channel
IMAGENET_STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)
SKY = (124, 198, 244)  # the pixel of the lesson's example
MODES = (
    "tf",
    "torch",
    "raw",
)  # x/127.5-1 (Keras 'tf', MobileNetV2), ImageNet mean/std (Keras 'torch'), x/255


def sample_image(w: int = 192, h: int = 128) -> np.ndarray:
    """A drawn landscape (sky, sun, hills, a lake) as HWC uint8: varied colours, no file needed."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    img = np.zeros((h, w, 3), np.float32)
    t = yy / h
    img[:] = np.array(SKY) * (1 - 0.5 * t[..., None]) + np.array([255, 240, 200]) * 0.5 * t[..., None]
    img[:8, :8] = SKY  # the corner pixel is exactly the example
    sun = (xx - 0.78 * w) ** 2 + (yy - 0.25 * h) ** 2 < (0.09 * h) ** 2
    img[sun] = (250, 210, 60)
    hill = yy > 0.62 * h + 0.12 * h * np.sin(xx / w * 2 * np.pi * 1.3)
    shade = (1.0 - 0.5 * (yy - 0.55 * h) / (0.45 * h))[..., None]
    img = np.where(hill[..., None], np.array([40, 150, 70]) * shade, img)
    lake = ((xx - 0.3 * w) / (0.2 * w)) ** 2 + ((yy - 0.88 * h) / (0.08 * h)) ** 2 < 1
    img[lake] = (30, 90, 170)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def open_upload(data: bytes) -> tuple[np.ndarray | None, str | None]:
    """Uploaded bytes -> (HWC uint8 RGB array, None), or (None, ImageError key) for anything we can't take."""
    try:
        img = load_image(data, max_side=512)
    except ImageError as err:
        return None, err.key
    return np.asarray(img.convert("RGB"), dtype=np.uint8), None


def normalize(img: np.ndarray, mode: str) -> np.ndarray:
    """uint8 HWC -> float32 HWC by one of the conventions models use."""
    if mode == "torch":
        return ((img.astype(np.float32) / 255.0 - IMAGENET_MEAN) / IMAGENET_STD).astype(np.float32)
    if mode == "raw":
        return (img.astype(np.float32) / 255.0).astype(np.float32)
    return preprocess_input(img)


def pixel(img: np.ndarray, row: int, col: int) -> dict:
    """One pixel on its way to the model: uint8, float32, x/127.5-1, ImageNet-normalised, and its int8 input code."""
    row, col = min(max(row, 0), img.shape[0] - 1), min(max(col, 0), img.shape[1] - 1)
    u8 = img[row, col].astype(np.uint8)
    tf = preprocess_input(u8)
    return {
        "row": row,
        "col": col,
        "uint8": [int(v) for v in u8],
        "float": [float(v) for v in u8.astype(np.float32)],
        "tf": [float(v) for v in tf],
        "torch": [float(v) for v in normalize(u8[None, None], "torch")[0, 0]],
        "code_observer": [int(v) for v in quantize(tf, observer_qparams())],
        "code_tflite": [int(v) for v in quantize(tf, TFLITE_INPUT)],
    }


def observer_qparams():
    """What a min-max observer picks for inputs in [-1, 1]: scale 2/255; the zero point is computed in float32."""
    return calc_qparams(-1.0, 1.0, 8)


# the uint8 input code of TFLite's quantized MobileNets: scale 1/128, zero point 128 (an integer, unlike 127.5)
TFLITE_INPUT = QParams(torch.tensor(1 / 128, dtype=torch.float32), torch.tensor(128), 0, 255)


def input_codes() -> list[dict]:
    """The input codes side by side: the affine map x/127.5-1 itself, a min-max observer, TFLite's MobileNet."""
    obs = observer_qparams()
    raw = 1.0 / float(obs.scale)  # -xmin / scale, 127.5 in exact arithmetic
    return [
        {
            "name": "exact",
            "scale": 1 / 127.5,
            "zero_point": 127.5,
            "scale_text": f"1/127.5 = {1 / 127.5:.9f}",
        },
        {
            "name": "observer",
            "scale": float(obs.scale),
            "zero_point": int(obs.zero_point),
            "raw": raw,
            "scale_text": f"2/255 → {float(obs.scale):.9f}",
        },
        {
            "name": "tflite",
            "scale": float(TFLITE_INPUT.scale),
            "zero_point": int(TFLITE_INPUT.zero_point),
            "scale_text": f"1/128 = {float(TFLITE_INPUT.scale):.9f}",
        },
    ]


def layouts(img: np.ndarray, n: int = 6) -> dict:
    """HWC and CHW shapes and the first n values each layout stores in memory."""
    hwc = preprocess_input(img)
    chw = preprocess_input(img, channels_first=True)
    return {
        "hwc_shape": tuple(hwc.shape),
        "chw_shape": tuple(chw.shape),
        "hwc_first": [round(float(v), 4) for v in hwc.reshape(-1)[:n]],
        "chw_first": [round(float(v), 4) for v in chw.reshape(-1)[:n]],
    }


def hist_edges(mode: str | None) -> np.ndarray:
    """Bin edges: 0..255 for raw pixels, the output range of each convention after it."""
    if mode is None:
        return np.linspace(-0.5, 255.5, 65)
    lo, hi = {
        "tf": (-1.0, 1.0),
        "raw": (0.0, 1.0),
        "torch": (
            float(((0 - IMAGENET_MEAN) / IMAGENET_STD).min()),
            float(((1 - IMAGENET_MEAN) / IMAGENET_STD).max()),
        ),
    }[mode]
    return np.linspace(lo, hi, 65)


def thumbnail(img: np.ndarray, side: int = 480) -> Image.Image:
    """The picture to show on the page, no larger than side×side."""
    im = Image.fromarray(img)
    im.thumbnail((side, side))
    return im


def pixel_formula(p: dict) -> str:
    """x / 127.5 − 1 for the chosen pixel, each channel with its numbers put in (LaTeX)."""
    rows = [
        rf"x_{c} &= \frac{{{u}}}{{127.5}} - 1 = {v:.4f}"
        for c, u, v in zip("RGB", p["uint8"], p["tf"], strict=True)
    ]
    return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"


def example_logits() -> np.ndarray:
    """One row of made-up logits for the ten digit classes (a confident '3'), to show decode_predictions' format."""
    return np.array([[-1.2, 0.3, 1.1, 4.2, -0.5, 2.0, -2.1, 0.4, 1.6, 0.9]], dtype=np.float32)


def softmax(z: np.ndarray) -> np.ndarray:
    """exp(z) / sum(exp(z)), stable: what from_logits=True applies before sorting."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def as_code(z: np.ndarray) -> str:
    """The example logits as the line of Python that makes them."""
    rows = [[round(float(v), 2) for v in row] for row in z]
    return f"preds = np.array({rows})  # shape {tuple(z.shape)}"


def show_decoded(rows: list) -> str:
    """decode_predictions' output as Python would print it, with the scores rounded to 4 decimals."""
    lines = [",\n  ".join(repr((int(i), name, round(float(p), 4))) for i, name, p in row) for row in rows]
    return "[[" + "],\n [".join(lines) + "]]"
