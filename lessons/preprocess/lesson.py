"""The preprocessing lesson's numbers: a sample picture, one pixel's path to the model, histograms, layouts."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image

from lessons.common.tflite import TOCO_2018_SCALE, TOCO_2018_ZERO_POINT, UINT8_SHIFT, converter_qparams
from qlib.data import ImageError, load_image, preprocess_input
from qlib.decode import decode_predictions
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


@dataclass(frozen=True)
class Pixel:
    """One pixel on its way to the model: uint8, x/127.5 − 1, ImageNet-normalised, and its int8 input codes."""

    row: int
    col: int
    uint8: tuple[int, ...]
    tf: tuple[float, ...]  # x / 127.5 - 1
    torch: tuple[float, ...]  # (x/255 - mean) / std
    code_observer: tuple[int, ...]  # uint8, PyTorch's min-max observer on [-1, 1]
    code_tflite: tuple[int, ...]  # int8, today's TFLite converter
    code_toco: tuple[int, ...]  # uint8, TF1's TOCO with mean 128, std 128

    def path_args(self) -> dict[str, object]:
        """The numbers of the pixel's path, written as the page shows them."""
        return {
            "r": self.row,
            "c": self.col,
            "u8": list(self.uint8),
            "f32": ", ".join(f"{float(v):.1f}" for v in self.uint8),
            "tf": ", ".join(f"{v:.4f}" for v in self.tf),
            "torch": ", ".join(f"{v:.4f}" for v in self.torch),
        }

    def codes_args(self) -> dict[str, object]:
        """The pixel's bytes and its input codes, written as the page shows them."""
        codes = {"obs": self.code_observer, "tfl": self.code_tflite, "toco": self.code_toco}
        return {"u8": list(self.uint8), **{k: list(v) for k, v in codes.items()}}

    @property
    def formula(self) -> str:
        """x / 127.5 − 1 for this pixel, each channel with its numbers put in (LaTeX)."""
        rows = [
            rf"x_{c} &= \frac{{{u}}}{{127.5}} - 1 = {v:.4f}"
            for c, u, v in zip("RGB", self.uint8, self.tf, strict=True)
        ]
        return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"


def pixel(img: np.ndarray, row: int, col: int) -> Pixel:
    """The pixel at (row, col), clamped into the picture, on its way to the model."""
    row, col = min(max(row, 0), img.shape[0] - 1), min(max(col, 0), img.shape[1] - 1)
    u8 = img[row, col].astype(np.uint8)
    tf = preprocess_input(u8)
    return Pixel(
        row=row,
        col=col,
        uint8=tuple(int(v) for v in u8),
        tf=tuple(float(v) for v in tf),
        torch=tuple(float(v) for v in normalize(u8[None, None], "torch")[0, 0]),
        code_observer=tuple(int(v) for v in quantize(tf, observer_qparams())),
        code_tflite=tuple(int(v) for v in tflite_quantize(tf, tflite_qparams())),
        code_toco=tuple(int(v) for v in quantize(tf, TOCO_INPUT)),
    )


def observer_qparams() -> QParams:
    """What a min-max observer picks for inputs in [-1, 1]: scale 2/255; the zero point is computed in float32."""
    return calc_qparams(-1.0, 1.0, 8)


def tflite_quantize(x: np.ndarray, q: QParams) -> np.ndarray:
    """TFLite's QUANTIZE op (reference/quantize.h, AffineQuantize): TfLiteRound(x / scale) + zero point, clamped.

    In float32, with std::round: half away from zero, where PyTorch (qlib.quant.quantize) rounds half to even.
    The pixel 198 is 70.5 steps above 0.0: TFLite takes 71 (code 71 - 1 = 70), PyTorch 70 (code 70 + 127 = 197).
    """
    v = np.asarray(x, np.float32) / np.float32(q.scale.item())  # the division in float32, as TFLite does it
    v = v.astype(np.float64)  # then |v| + 0.5 exactly
    r = np.sign(v) * np.floor(np.abs(v) + 0.5)
    return np.clip(r + int(q.zero_point), q.qmin, q.qmax).astype(np.int64)


def tflite_qparams() -> QParams:
    """The int8 input code today's TFLite converter gives an input calibrated to [-1, 1]: 2/255 and -1."""
    scale, zp = converter_qparams(-1.0, 1.0)
    return QParams(torch.tensor(scale, dtype=torch.float32), torch.tensor(zp), -128, 127)


# TF1's TOCO (2018): uint8 codes with mean 128 and std 128 (lessons.common.tflite)
TOCO_INPUT = QParams(
    torch.tensor(TOCO_2018_SCALE, dtype=torch.float32), torch.tensor(TOCO_2018_ZERO_POINT), 0, 255
)


@dataclass(frozen=True)
class InputCode:
    """One way to read x / 127.5 − 1 as an integer code: its name (a string key), scale and zero point."""

    name: str
    scale_text: str
    zero_point: str


def input_codes() -> tuple[InputCode, ...]:
    """The input codes side by side: the map x/127.5-1 itself, PyTorch's observer, TFLite today, TOCO (2018)."""
    obs, tfl = observer_qparams(), tflite_qparams()
    two_255 = f"2/255 → {float(obs.scale):.9f}"
    return (
        InputCode("exact", f"1/127.5 = {1 / 127.5:.9f}", "127.5"),
        InputCode("observer", two_255, str(int(obs.zero_point))),
        InputCode("tflite_int8", f"2/255 → {float(tfl.scale):.9f}", str(int(tfl.zero_point))),
        InputCode("tflite_uint8", f"2/255 → {float(tfl.scale):.9f}", str(int(tfl.zero_point) + UINT8_SHIFT)),
        InputCode("toco", f"1/128 = {float(TOCO_INPUT.scale):.9f}", str(int(TOCO_INPUT.zero_point))),
    )


def observer_raw_zero_point() -> float:
    """−xmin / scale for xmin = −1 with the float32 scale 2/255: the observer's zero point before rounding, 127.49999…"""
    return 1.0 / float(observer_qparams().scale)


@dataclass(frozen=True)
class Layouts:
    """HWC and CHW shapes and the first values each layout stores in memory."""

    hwc_shape: tuple[int, ...]
    chw_shape: tuple[int, ...]
    hwc_first: tuple[float, ...]
    chw_first: tuple[float, ...]

    @staticmethod
    def shape_text(shape: tuple[int, ...]) -> str:
        return " × ".join(map(str, shape))


def layouts(img: np.ndarray, n: int = 6) -> Layouts:
    """HWC and CHW shapes and the first n values each layout stores in memory."""
    hwc = preprocess_input(img)
    chw = preprocess_input(img, channels_first=True)
    first = [tuple(round(float(v), 4) for v in a.reshape(-1)[:n]) for a in (hwc, chw)]
    return Layouts(tuple(hwc.shape), tuple(chw.shape), *first)


@dataclass(frozen=True)
class Histograms:
    """The picture's values before and after a convention, each with its bin edges, and the range after."""

    before: np.ndarray
    before_edges: np.ndarray
    after: np.ndarray
    after_edges: np.ndarray
    lo: float
    hi: float


def histograms(img: np.ndarray, mode: str) -> Histograms:
    """The picture's pixel values before and after the chosen convention."""
    after = normalize(img, mode)
    return Histograms(img, hist_edges(None), after, hist_edges(mode), float(after.min()), float(after.max()))


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


EXAMPLE_LOGITS = np.array([[-1.2, 0.3, 1.1, 4.2, -0.5, 2.0, -2.1, 0.4, 1.6, 0.9]], dtype=np.float32)  # a '3'


@dataclass(frozen=True)
class Decoded:
    """decode_predictions on made-up logits: the line that makes them, and its output with and without softmax."""

    logits_code: str
    from_logits: str
    as_given: str


def decoded(lang: str, z: np.ndarray = EXAMPLE_LOGITS) -> Decoded:
    """What decode_predictions returns for z, with from_logits=True and False, as Python would print it."""
    rows = [[round(float(v), 2) for v in row] for row in z]
    code = f"preds = np.array({rows})  # shape {tuple(z.shape)}"
    out = [show_decoded(decode_predictions(z, top=3, from_logits=f, lang=lang)) for f in (True, False)]
    return Decoded(code, *out)


def show_decoded(rows: list) -> str:
    """decode_predictions' output as Python would print it, with the scores rounded to 4 decimals."""
    lines = [",\n  ".join(repr((int(i), name, round(float(p), 4))) for i, name, p in row) for row in rows]
    return "[[" + "],\n [".join(lines) + "]]"
