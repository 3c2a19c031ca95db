"""Data for the tiny digit model: the 8x8 handwritten digits, safe image uploads, and the path from a photo to 8x8.

Pixel convention everywhere: the data set's 17 grey levels 0..16 (ink bright on dark) map to [-1, 1] by
`x = level / 8 - 1`, so 0 -> -1 (background), 8 -> 0, 16 -> 1 (full ink).
"""

from __future__ import annotations

import io
import warnings
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import torch
from PIL import Image, ImageOps, UnidentifiedImageError

LEVELS = (
    16  # the data set's grey levels are 0..16: the count of inked pixels in a 4x4 block of a 32x32 bitmap
)
SEED = 0  # fixes the train/val/test split

MAX_BYTES = (
    10 * 1024 * 1024
)  # 10 MB, Streamlit's server.maxUploadSize = 10 (it counts MB as 1024 * 1024 bytes)
MAX_PIXELS = 50_000_000  # width * height, checked from the header before any pixel is decoded (a 50 MP photo)
MAX_SIDE = 1024  # load_image shrinks larger pictures: bounded memory per user; the model sees 8x8 anyway
ALLOWED_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP")  # what a browser or a phone gives (JPEG includes MPO)
UPLOAD_TYPES = ("png", "jpg", "jpeg", "gif", "bmp", "webp")  # for st.file_uploader(type=...)

# ImageError.key -> English message. The app shows its own translation of the key; these are the fallback.
IMAGE_ERROR_MESSAGES = {
    "empty": "The file is empty (0 bytes). Please choose an image file.",
    "too_large_file": f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB. Please upload a smaller image.",
    "not_an_image": "This file is not an image. Please upload a PNG, JPEG, GIF, WebP or BMP picture.",
    "unsupported": "This kind of image is not supported. Please upload a PNG, JPEG, GIF, WebP or BMP picture.",
    "truncated": "The image file is damaged or incomplete and cannot be read. Please try another file.",
    "too_many_pixels": f"The image has too many pixels (the limit is {MAX_PIXELS // 1_000_000} million). "
    "Please upload a smaller picture.",
}
IMAGE_ERROR_KEYS = tuple(IMAGE_ERROR_MESSAGES)


class ImageError(Exception):
    """An upload we can't take; `.key` (one of IMAGE_ERROR_KEYS) lets the app say why in the user's language."""

    def __init__(self, key: str, detail: str = ""):
        assert key in IMAGE_ERROR_MESSAGES, key
        self.key, self.detail = key, detail
        super().__init__(IMAGE_ERROR_MESSAGES[key])


# ---------------------------------------------------------------------------------------------------------------
# the data set


class Splits(NamedTuple):
    """Train / validation / test sets, each `(x, y)`: x float32 Nx1x8x8 in [-1, 1], y int64 labels 0..9."""

    train: tuple[torch.Tensor, torch.Tensor]
    val: tuple[torch.Tensor, torch.Tensor]
    test: tuple[torch.Tensor, torch.Tensor]


@lru_cache(maxsize=1)
def _digit_arrays() -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """The three splits as read-only numpy arrays, computed once: stratified 60/20/20 with a fixed seed."""
    from sklearn.datasets import load_digits as sk_load_digits
    from sklearn.model_selection import train_test_split

    d = sk_load_digits()  # ships inside scikit-learn: no download
    x = (d.images.astype(np.float32) / 8 - 1)[:, None]  # levels 0..16 -> [-1, 1], shape N x 1 x 8 x 8
    y = d.target.astype(np.int64)
    x_rest, x_te, y_rest, y_te = train_test_split(x, y, test_size=0.2, stratify=y, random_state=SEED)
    x_tr, x_va, y_tr, y_va = train_test_split(
        x_rest, y_rest, test_size=0.25, stratify=y_rest, random_state=SEED
    )
    splits = ((x_tr, y_tr), (x_va, y_va), (x_te, y_te))
    for a in (a for s in splits for a in s):
        a.flags.writeable = False
    return splits


def load_digits() -> Splits:
    """scikit-learn's 1,797 handwritten 8x8 digits in fixed splits (1077 / 360 / 360), pixels `level / 8 - 1`.

    Every call returns fresh tensor copies of a cached array (about 0.5 MB, microseconds), so a caller may
    change its tensors without touching anyone else's.
    """
    return Splits(*((torch.tensor(x), torch.tensor(y)) for x, y in _digit_arrays()))


def preprocess_input(img, channels_first: bool = False) -> np.ndarray:
    """uint8 pixels 0..255 -> float32 in [-1, 1] by `x / 127.5 - 1` (the Keras 'tf' mode); HWC kept or made CHW.

    Takes numpy arrays, lists and PIL images; a 2-D (greyscale) image keeps its shape.
    """
    x = (np.asarray(img, dtype=np.float64) / 127.5 - 1.0).astype(np.float32)
    if channels_first and x.ndim >= 3:
        x = np.moveaxis(x, -1, -3)  # HWC -> CHW (NHWC -> NCHW)
    return x


# ---------------------------------------------------------------------------------------------------------------
# opening an upload safely


def _as_bytes(data) -> bytes:
    """bytes from bytes, bytearray, memoryview or a file-like object (such as Streamlit's UploadedFile)."""
    if hasattr(data, "getvalue"):
        return data.getvalue()
    if hasattr(data, "read"):
        return data.read()
    return bytes(data)


def _recognised(prefix: bytes, formats) -> bool:
    """Does one of Pillow's format sniffers (a prefix check, no parsing) claim these bytes?"""
    Image.init()
    for fmt in formats:
        accept = Image.OPEN.get(fmt, (None, None))[1]
        try:
            if accept is not None and accept(prefix) is True:
                return True
        except Exception:
            pass
    return False


def _looks_unsupported(data: bytes) -> bool:
    """SVG, HEIC/HEIF/AVIF or any other file type Pillow knows but we don't accept (TIFF, PSD, ICO, PDF, ...)."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in head or data[4:8] == b"ftyp" or head.startswith(b"%pdf"):
        return True
    return _recognised(data[:16], [f for f in Image.ID if f not in ALLOWED_FORMATS])


def _open_error(data: bytes, err: Exception) -> ImageError:
    """Turn anything Pillow raised into the ImageError a person should see."""
    if isinstance(err, Image.DecompressionBombError | Image.DecompressionBombWarning | MemoryError):
        return ImageError("too_many_pixels", str(err))
    if isinstance(err, UnidentifiedImageError):
        if _looks_unsupported(data):
            return ImageError("unsupported", str(err))
        if _recognised(data[:16], ALLOWED_FORMATS):  # a PNG/JPEG/... signature with a broken header
            return ImageError("truncated", str(err))
        return ImageError("not_an_image", str(err))
    return ImageError("truncated", f"{type(err).__name__}: {err}")


def _on_white(im: Image.Image) -> Image.Image:
    """Composite an image with alpha over white paper (a transparent PNG drawing has no background of its own)."""
    paper = Image.new("RGBA", im.size, (255, 255, 255, 255))
    return Image.alpha_composite(paper, im.convert("RGBA"))


def _flatten(im: Image.Image) -> Image.Image:
    """Any Pillow mode -> 'L' (greyscale sources) or 'RGB': alpha on white, 16-bit scaled to 8, CMYK converted."""
    mode = im.mode
    if mode in ("L", "RGB"):
        return im
    if mode == "1":
        return im.convert("L")
    if mode in ("LA", "La"):
        return _on_white(im).convert("L")
    if (mode == "P" and "transparency" in im.info) or mode in ("PA", "RGBA", "RGBa"):
        return _on_white(im).convert("RGB")
    if mode.startswith("I") or mode == "F":  # I;16 (16-bit PNG), I, F: scale 0..65535 to 0..255
        a = np.asarray(im, dtype=np.float64)
        a = a / 257 if mode.startswith("I") else a * 255 / max(a.max(), 1e-12)
        return Image.fromarray(np.clip(np.rint(a), 0, 255).astype(np.uint8), "L")
    return im.convert("RGB")  # P, CMYK, YCbCr, LAB, HSV


def _upright(im: Image.Image) -> Image.Image:
    """Rotate or flip as the EXIF orientation tag says (phones store photos sideways); a broken tag is ignored."""
    try:
        return ImageOps.exif_transpose(im)
    except Exception:
        return im


def _fit(size: tuple[int, int], side: int) -> tuple[int, int]:
    """The size scaled to fit within side x side."""
    s = side / max(size)
    return max(1, round(size[0] * s)), max(1, round(size[1] * s))


def load_image(
    data: bytes, max_pixels: int = MAX_PIXELS, max_bytes: int = MAX_BYTES, max_side: int | None = MAX_SIDE
) -> Image.Image:
    """Open an uploaded image safely and return it in mode 'L' or 'RGB'; anything else raises ImageError.

    In memory only (never written to disk). The file size, then the pixel count from the header, are checked
    before any pixel is decoded (Pillow opens lazily; its decompression bomb warning counts as an error).
    EXIF orientation is applied, transparency composited on white, an animation gives its first frame, and a
    picture larger than max_side is shrunk to fit (None keeps the full size).
    """
    data = _as_bytes(data)
    if len(data) == 0:
        raise ImageError("empty")
    if len(data) > max_bytes:
        raise ImageError("too_large_file", f"{len(data)} bytes > {max_bytes}")
    try:
        with (
            warnings.catch_warnings()
        ):  # not thread-safe before Python 3.14: at worst this one filter outlives
            warnings.simplefilter(
                "error", Image.DecompressionBombWarning
            )  # the block, and our own check follows
            im = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)  # reads the header only
            w, h = im.size
            if w < 1 or h < 1:
                raise ImageError("truncated", f"{w}x{h} pixels")
            if w * h > max_pixels:
                raise ImageError("too_many_pixels", f"{w}x{h} > {max_pixels} pixels")
            if max_side and im.format in ("JPEG", "MPO"):
                im.draft(None, _fit(im.size, max_side))  # JPEG can decode at 1/2, 1/4, 1/8 scale: cheaper
            im.load()  # the first frame of an animation
            im = _flatten(_upright(im))
    except ImageError:
        raise
    except (
        Exception
    ) as err:  # OSError, ValueError, SyntaxError, struct.error, EOFError, ... : never a traceback
        raise _open_error(data, err) from err
    if max_side and max(im.size) > max_side:
        im = im.resize(_fit(im.size, max_side), Image.Resampling.LANCZOS, reducing_gap=3.0)
    return im


# ---------------------------------------------------------------------------------------------------------------
# a person's picture -> what the model saw in training


def to_model_input(img) -> torch.Tensor:
    """A photo or drawing of one digit -> float32 1x1x8x8 in [-1, 1] that looks like the training data.

    The path is qlib.photo's (lighting removed, ink separated from paper in either polarity, the digit's own
    pieces kept, fitted into the data set's 32x32 and counted in 4x4 blocks); `qlib.photo.photo_steps` keeps
    every stage. A blank picture gives all -1 (the empty background).
    """
    from qlib.photo import photo_to_input  # scikit-image loads on the first photo, not with qlib.data

    return photo_to_input(img)


def digit_to_image(x, size: int = 64, margin: int | None = None) -> Image.Image:
    """A data set sample (8x8 or 1x1x8x8 in [-1, 1]) drawn as dark ink on white paper, size px plus a margin.

    Lets the app and the tests make realistic 'uploads' from test samples (upscaled with nearest neighbour).
    """
    x = x.detach().cpu().numpy() if isinstance(x, torch.Tensor) else np.asarray(x)
    level = np.clip(np.rint((x.reshape(8, 8).astype(np.float64) + 1) * 8), 0, LEVELS)
    grey = np.rint(255 - level * 255 / LEVELS).astype(np.uint8)
    im = Image.fromarray(grey, "L").resize((size, size), Image.Resampling.NEAREST)
    return ImageOps.expand(im, border=size // 4 if margin is None else margin, fill=255)


def display_image(img: Image.Image, side: int = 180) -> Image.Image:
    """The picture padded to a square on white and scaled to side×side, so even a 10000×1 strip can be shown."""
    im = img.convert("RGB")
    n = max(im.size)
    square = Image.new("RGB", (n, n), (255, 255, 255))
    square.paste(im, ((n - im.width) // 2, (n - im.height) // 2))
    return square.resize((side, side), Image.Resampling.BOX if n > side else Image.Resampling.NEAREST)
