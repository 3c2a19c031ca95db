"""The hostile-upload corpus of issue 6, made in memory by code: nothing large is committed.

    python tests/data/make_corpus.py [outdir]     writes every file (default tests/data/generated/, git-ignored)

`build_corpus()` gives {file name: bytes}; `EXPECTED` gives, for each name, "ok" or the ImageError key.
"""

from __future__ import annotations

import io
import struct
import sys
import zlib
from pathlib import Path

import numpy as np
from PIL import Image

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
EXIF_ORIENTATION = 0x0112

EXPECTED = {
    "digit.png": "ok",
    "truncated.png": "truncated",
    "truncated.jpg": "truncated",
    "empty.png": "empty",
    "random.png": "not_an_image",
    "page.html.png": "not_an_image",
    "drawing.svg.png": "unsupported",
    "scan.tif.png": "unsupported",
    "bomb.png": "too_many_pixels",
    "huge_header.png": "too_many_pixels",
    "1x1.png": "ok",
    "10000x1.png": "ok",
    "16bit.png": "ok",
    "cmyk.jpg": "ok",
    "palette_transparency.png": "ok",
    "la.png": "ok",
    "animated.gif": "ok",
    "exif_rotated.jpg": "ok",
    "too_large.png": "too_large_file",
}


def encode(im: Image.Image, fmt: str, **kw) -> bytes:
    """Save an image to bytes in memory."""
    buf = io.BytesIO()
    im.save(buf, format=fmt, **kw)
    return buf.getvalue()


def digit_ink(size: int = 64) -> np.ndarray:
    """A hand-made '7': True where the ink is, on a size x size page."""
    yy, xx = np.mgrid[0:size, 0:size] / size
    top_bar = (yy > 0.15) & (yy < 0.27) & (xx > 0.25) & (xx < 0.75)
    stem = np.abs(xx - (0.75 - 0.35 * (yy - 0.15) / 0.7)) < 0.07
    return top_bar | (stem & (yy > 0.15) & (yy < 0.85))


def drawing(size: int = 64, mode: str = "L") -> Image.Image:
    """A dark '7' on white paper, in mode 'L' or 'RGB'."""
    return Image.fromarray(np.where(digit_ink(size), 20, 245).astype(np.uint8), "L").convert(mode)


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    """One PNG chunk: length, type, data, CRC-32 of type + data."""
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def png_bomb(width: int = 10_000, height: int = 10_000) -> bytes:
    """A true decompression bomb: a valid 1-bit PNG of width x height zeros, which deflate packs ~1000:1."""
    row = b"\0" * (1 + (width + 7) // 8)  # filter byte + packed bits
    z = zlib.compressobj(9)
    idat = b"".join(z.compress(row) for _ in range(height)) + z.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return PNG_SIGNATURE + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


def png_claiming(width: int, height: int) -> bytes:
    """A small valid PNG whose header (IHDR, with a correct CRC) is patched to claim width x height."""
    data = bytearray(encode(drawing(16), "PNG"))
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def exif_rotated_jpeg(width: int = 48, height: int = 32, orientation: int = 6) -> bytes:
    """A width x height JPEG whose EXIF says 'rotate 90 degrees to view' (orientation 6), as phones write."""
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = orientation
    return encode(drawing(64).resize((width, height)), "JPEG", exif=exif.tobytes())


def sixteen_bit_png(size: int = 64) -> bytes:
    """A 16-bit greyscale PNG (mode I;16): paper 60000, ink 5000."""
    a = np.where(digit_ink(size), 5000, 60000).astype(np.uint16)
    return encode(Image.fromarray(a), "PNG")


def cmyk_jpeg(size: int = 64) -> bytes:
    """A CMYK JPEG (print workflows): black ink K=255 on white paper."""
    k = np.where(digit_ink(size), 255, 0).astype(np.uint8)
    cmyk = np.stack([np.zeros_like(k)] * 3 + [k], axis=-1)
    return encode(Image.fromarray(cmyk, "CMYK"), "JPEG", quality=95)


def palette_transparent_png(size: int = 64) -> bytes:
    """A palette PNG whose background index 0 (black in the palette) is fully transparent: must become white."""
    im = Image.fromarray(digit_ink(size).astype(np.uint8), "P")
    im.putpalette([0, 0, 0, 30, 30, 30] + [0] * 762)
    return encode(im, "PNG", transparency=0)


def la_png(size: int = 64) -> bytes:
    """Greyscale + alpha: transparent black paper, opaque dark ink (a drawing app's export)."""
    ink = digit_ink(size)
    la = np.stack([np.where(ink, 30, 0), np.where(ink, 255, 0)], axis=-1).astype(np.uint8)
    return encode(Image.fromarray(la, "LA"), "PNG")


def animated_gif(size: int = 64) -> bytes:
    """Two frames: the first is the '7' drawing, the second all black."""
    first, second = drawing(size), Image.new("L", (size, size), 0)
    return encode(first, "GIF", save_all=True, append_images=[second], duration=100, loop=0)


def tiff(size: int = 32) -> bytes:
    """A valid TIFF: an image, but not a format the app takes."""
    return encode(drawing(size), "TIFF")


def noise_png(nbytes: int) -> bytes:
    """A valid RGB PNG of random noise (incompressible) of at least nbytes."""
    side = int(np.ceil(np.sqrt(nbytes / 3)))
    rgb = np.random.default_rng(0).integers(0, 256, (side, side, 3), dtype=np.uint8)
    return encode(Image.fromarray(rgb, "RGB"), "PNG", compress_level=0)


def photo_of_digit(size: int = 256) -> Image.Image:
    """The '7' as a grainy photo, so its PNG and JPEG are big enough to cut in the middle of the pixel data."""
    rng = np.random.default_rng(1)
    return Image.fromarray(
        np.clip(np.asarray(drawing(size), float) + rng.normal(0, 12, (size, size)), 0, 255).astype(np.uint8),
        "L",
    ).convert("RGB")


def centred_test_digit():
    """The first test sample whose ink is centred left to right (so to_model_input gives it back exactly)."""
    from qlib.data import load_digits

    for x in load_digits().test[0]:
        cols = np.nonzero(((x[0].numpy() + 1) * 8 >= 3).any(axis=0))[0]
        if cols.min() + cols.max() == 7:
            return x
    raise AssertionError("no centred digit in the test split")


def build_corpus() -> dict[str, bytes]:
    """Every file of the corpus, by name (the names say what each file pretends to be)."""
    from qlib.data import MAX_BYTES, digit_to_image

    png, jpg = encode(photo_of_digit(), "PNG"), encode(photo_of_digit(), "JPEG", quality=90)
    corpus = {
        "digit.png": encode(digit_to_image(centred_test_digit(), size=96), "PNG"),
        "truncated.png": png[: len(png) * 6 // 10],
        "truncated.jpg": jpg[: len(jpg) * 6 // 10],
        "empty.png": b"",
        "random.png": np.random.default_rng(2).integers(0, 256, 4096, dtype=np.uint8).tobytes(),
        "page.html.png": b"<!DOCTYPE html>\n<html><head><title>digit</title></head><body><p>7</p></body></html>\n",
        "drawing.svg.png": b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">'
        b'<path d="M16 10 H48 L24 56" stroke="black" stroke-width="6" fill="none"/></svg>\n',
        "scan.tif.png": tiff(),
        "bomb.png": png_bomb(),
        "huge_header.png": png_claiming(100_000, 100_000),
        "1x1.png": encode(Image.new("L", (1, 1), 255), "PNG"),
        "10000x1.png": encode(
            Image.fromarray(np.tile(np.uint8([255, 255, 0]), 3334)[None, :10_000], "L"), "PNG"
        ),
        "16bit.png": sixteen_bit_png(),
        "cmyk.jpg": cmyk_jpeg(),
        "palette_transparency.png": palette_transparent_png(),
        "la.png": la_png(),
        "animated.gif": animated_gif(),
        "exif_rotated.jpg": exif_rotated_jpeg(),
        "too_large.png": noise_png(MAX_BYTES + 1),
    }
    assert corpus.keys() == EXPECTED.keys()
    return corpus


def main(outdir: str = str(Path(__file__).parent / "generated")) -> None:
    """Write the corpus to outdir (for trying the files by hand in the app)."""
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    for name, data in build_corpus().items():
        (out / name).write_bytes(data)
        print(f"{name:28s} {len(data):>10,d} bytes  expect {EXPECTED[name]}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root, for qlib
    main(*sys.argv[1:2])
