"""qlib.data: the digit splits, preprocess_input, safe uploads, and the photo -> 8x8 path."""

import io

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFile, ImageFilter

from qlib.data import (
    IMAGE_ERROR_KEYS,
    IMAGE_ERROR_MESSAGES,
    MAX_BYTES,
    ImageError,
    digit_to_image,
    load_digits,
    load_image,
    preprocess_input,
    to_model_input,
)
from tests.data import make_corpus as mc

# ---------------------------------------------------------------------------------------------------------------
# the splits


def test_split_sizes_and_shapes():
    s = load_digits()
    assert [len(x) for x, _ in s] == [1077, 360, 360]  # 60 / 20 / 20 of 1,797
    for x, y in s:
        assert x.dtype == torch.float32 and x.shape[1:] == (1, 8, 8)
        assert y.dtype == torch.int64 and len(y) == len(x) and set(y.tolist()) == set(range(10))


def test_pixels_are_the_17_levels_mapped_to_minus_one_one():
    for x, _ in load_digits():
        levels = x * 8 + 8  # x = level / 8 - 1
        assert torch.equal(levels, levels.round()) and levels.min() == 0 and levels.max() == 16
        assert x.min() == -1 and x.max() == 1


def test_splits_are_a_partition_of_the_data_set():
    from sklearn.datasets import load_digits as sk_digits

    d = sk_digits()
    full = sorted(map(tuple, np.column_stack([d.images.reshape(-1, 64), d.target]).tolist()))
    parts = [np.column_stack([((x.reshape(-1, 64) + 1) * 8).numpy(), y.numpy()]) for x, y in load_digits()]
    assert (
        sorted(map(tuple, np.concatenate(parts).tolist())) == full
    )  # every sample once: disjoint and complete


def test_splits_are_stratified():
    overall = np.bincount(np.concatenate([y.numpy() for _, y in load_digits()])) / 1797
    for _, y in load_digits():
        share = np.bincount(y.numpy(), minlength=10) / len(y)
        assert np.abs(share - overall).max() < 0.005  # each class within half a point of its overall share


def test_splits_are_deterministic_and_callers_get_their_own_copies():
    a, b = load_digits(), load_digits()
    for (xa, ya), (xb, yb) in zip(a, b, strict=True):
        assert torch.equal(xa, xb) and torch.equal(ya, yb)
    a.train[0].fill_(0.5)  # a careless caller...
    assert torch.equal(load_digits().train[0], b.train[0])  # ...changes nothing for anyone else


# ---------------------------------------------------------------------------------------------------------------
# preprocess_input


def test_preprocess_input_example():
    x = preprocess_input(np.array([124, 198, 244], dtype=np.uint8))
    assert x.dtype == np.float32
    np.testing.assert_allclose(x, [-0.02745, 0.55294, 0.91373], atol=5e-6)
    np.testing.assert_array_equal(preprocess_input([0, 255]), np.float32([-1, 1]))


def test_preprocess_input_layouts():
    hwc = np.random.default_rng(0).integers(0, 256, (5, 7, 3), dtype=np.uint8)
    assert preprocess_input(hwc).shape == (5, 7, 3)
    chw = preprocess_input(hwc, channels_first=True)
    assert chw.shape == (3, 5, 7) and np.array_equal(chw[1], preprocess_input(hwc)[..., 1])
    assert preprocess_input(hwc[..., 0], channels_first=True).shape == (5, 7)  # greyscale keeps its shape
    assert preprocess_input(hwc[None], channels_first=True).shape == (1, 3, 5, 7)  # NHWC -> NCHW
    np.testing.assert_array_equal(preprocess_input(Image.fromarray(hwc)), preprocess_input(hwc))


@given(st.lists(st.integers(0, 255), min_size=1, max_size=50))
def test_preprocess_input_formula(values):
    x = preprocess_input(np.array(values, dtype=np.uint8))
    assert x.dtype == np.float32 and (x >= -1).all() and (x <= 1).all()
    np.testing.assert_allclose(x, np.array(values) / 127.5 - 1, atol=1e-7)


# ---------------------------------------------------------------------------------------------------------------
# load_image: good files of every kind come out as 'L' or 'RGB' with the right pixels


@pytest.mark.parametrize(
    ("fmt", "mode"),
    [
        ("PNG", "L"),
        ("PNG", "RGB"),
        ("JPEG", "RGB"),
        ("WEBP", "RGB"),
        ("BMP", "RGB"),
        ("GIF", "L"),
        ("JPEG", "L"),
    ],
)
def test_load_image_formats(fmt, mode):
    im = load_image(mc.encode(mc.drawing(64, mode), fmt))
    assert im.mode in ("L", "RGB") and im.size == (64, 64)
    g = np.asarray(im.convert("L"), dtype=float)
    ink = mc.digit_ink(64)
    assert g[~ink].mean() > 230 and g[ink].mean() < 50  # white paper, dark ink, as drawn


def test_exif_orientation_is_applied():
    raw = Image.open(io.BytesIO(mc.exif_rotated_jpeg(48, 32)))
    assert raw.size == (48, 32)
    assert load_image(mc.exif_rotated_jpeg(48, 32)).size == (32, 48)  # rotated upright: width and height swap


@pytest.mark.parametrize("mode", ["L", "RGB", "CMYK"])
def test_exif_rotation_turns_the_right_way(mode):
    """Orientation 6 means 'turn 90 degrees clockwise to view': the stored top-left corner ends top-right."""
    a = np.full((40, 60), 255, np.uint8)
    a[:10, :10] = 0
    exif = Image.Exif()
    exif[mc.EXIF_ORIENTATION] = 6
    stored = Image.fromarray(a).convert(mode)
    g = np.asarray(load_image(mc.encode(stored, "JPEG", exif=exif.tobytes())).convert("L"), dtype=float)
    assert g.shape == (60, 40) and g[:10, -10:].mean() < 40 and g[:10, :10].mean() > 200


def test_rgba_is_composited_on_white():
    rgba = np.zeros((8, 8, 4), np.uint8)  # transparent *black*
    rgba[2:6, 3, 3] = 255  # an opaque black stroke
    im = load_image(mc.encode(Image.fromarray(rgba, "RGBA"), "PNG"))
    a = np.asarray(im)
    assert im.mode == "RGB" and (a[0, 0] == 255).all() and (a[3, 3] == 0).all()


@pytest.mark.parametrize(("make", "mode"), [(mc.la_png, "L"), (mc.palette_transparent_png, "RGB")])
def test_transparent_background_becomes_white_paper(make, mode):
    im = load_image(make())
    g = np.asarray(im.convert("L"), dtype=float)
    ink = mc.digit_ink(64)
    assert im.mode == mode and g[~ink].min() == 255 and g[ink].max() <= 30


def test_sixteen_bit_png_is_scaled_to_eight_bits():
    assert Image.open(io.BytesIO(mc.sixteen_bit_png())).mode.startswith("I")
    g = np.asarray(load_image(mc.sixteen_bit_png()))
    ink = mc.digit_ink(64)
    assert set(np.unique(g[~ink])) == {round(60000 / 257)} and set(np.unique(g[ink])) == {round(5000 / 257)}


def test_cmyk_jpeg_is_converted():
    im = load_image(mc.cmyk_jpeg())
    g = np.asarray(im.convert("L"), dtype=float)
    ink = mc.digit_ink(64)
    assert im.mode == "RGB" and g[~ink].mean() > 230 and g[ink].mean() < 60


def test_one_bit_image():
    bits = Image.fromarray(~mc.digit_ink(64))  # mode '1': paper True (white)
    im = load_image(mc.encode(bits, "PNG"))
    assert im.mode == "L" and set(np.unique(np.asarray(im))) == {0, 255}


def test_animated_gif_gives_its_first_frame():
    assert Image.open(io.BytesIO(mc.animated_gif())).n_frames == 2
    g = np.asarray(load_image(mc.animated_gif()).convert("L"))
    assert g.mean() > 150  # the white page of frame 1, not the black frame 2


@pytest.mark.parametrize("size", [(1, 1), (10_000, 1), (1, 10_000), (2, 3)])
def test_tiny_and_extreme_aspect_images_are_accepted(size):
    im = load_image(mc.encode(Image.new("L", size, 200), "PNG"))
    assert im.mode == "L" and max(im.size) <= 1024
    x = to_model_input(im)
    assert x.shape == (1, 1, 8, 8) and (x == -1).all()  # nothing drawn: the empty background


def test_big_pictures_are_shrunk_and_max_side_none_keeps_them():
    data = mc.encode(mc.drawing(1500, "RGB"), "JPEG")
    assert max(load_image(data).size) == 1024
    assert load_image(data, max_side=None).size == (1500, 1500)


def test_file_like_inputs():
    data = mc.encode(mc.drawing(16), "PNG")
    assert load_image(io.BytesIO(data)).size == load_image(bytearray(data)).size == (16, 16)


# ---------------------------------------------------------------------------------------------------------------
# load_image: anything else is an ImageError with a key the app can translate


def key_of(data: bytes, **kw) -> str:
    with pytest.raises(ImageError) as info:
        load_image(data, **kw)
    assert str(info.value) == IMAGE_ERROR_MESSAGES[info.value.key]
    return info.value.key


def test_every_key_has_an_english_message():
    assert set(IMAGE_ERROR_KEYS) == {
        "empty",
        "too_large_file",
        "not_an_image",
        "unsupported",
        "truncated",
        "too_many_pixels",
    }
    assert all(m.endswith(".") and len(m) > 20 for m in IMAGE_ERROR_MESSAGES.values())


def test_bad_files():
    png, jpg = mc.encode(mc.photo_of_digit(), "PNG"), mc.encode(mc.photo_of_digit(), "JPEG")
    assert key_of(b"") == "empty"
    assert key_of(png[: len(png) // 2]) == "truncated"
    assert key_of(jpg[: len(jpg) // 2]) == "truncated"
    assert key_of(png[:30]) == "truncated"  # a PNG signature with a cut header
    assert key_of(b"\x00" * 100) == "not_an_image"
    assert key_of(b"<!doctype html><html><body>7</body></html>") == "not_an_image"
    assert key_of(b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>') == "unsupported"
    assert key_of(mc.tiff()) == "unsupported"
    assert key_of(b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64) == "unsupported"  # an iPhone HEIC photo
    assert key_of(png, max_bytes=len(png) - 1) == "too_large_file"
    assert key_of(b"x" * (MAX_BYTES + 1)) == "too_large_file"


def test_pixel_limit_is_checked_before_any_pixel_is_decoded(monkeypatch):
    decoded = []
    real_load = ImageFile.ImageFile.load
    monkeypatch.setattr(
        ImageFile.ImageFile, "load", lambda self: decoded.append(self.size) or real_load(self)
    )
    bomb = mc.png_bomb(10_000, 10_000)
    assert len(bomb) < 20_000  # 100 million pixels in a few KB
    assert key_of(bomb) == "too_many_pixels"  # PIL's bomb warning, raised as an error
    assert key_of(mc.png_bomb(5000, 5000), max_pixels=1_000_000) == "too_many_pixels"  # our own, lower limit
    assert key_of(mc.png_claiming(100_000, 100_000)) == "too_many_pixels"  # PIL's bomb error
    assert key_of(mc.png_claiming(0, 5)) == "truncated"
    assert decoded == []
    assert load_image(mc.png_bomb(2000, 2000)).size == (1024, 1024)  # under the limit: decoded and shrunk


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes_give_an_image_or_an_image_error(data):
    try:
        im = load_image(data)
    except ImageError as err:
        assert err.key in IMAGE_ERROR_KEYS
    else:
        assert im.mode in ("L", "RGB")


GOOD = [mc.encode(mc.drawing(24, "RGB"), fmt) for fmt in ("PNG", "JPEG", "GIF", "BMP", "WEBP")]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(GOOD), st.data())
def test_damaged_good_files_never_raise_anything_else(good, data):
    """Cut, overwrite and flip bytes of real files: the parsers' every error path must end as an ImageError."""
    b = bytearray(good)
    for _ in range(data.draw(st.integers(1, 8))):
        i = data.draw(st.integers(0, len(b) - 1))
        b[i] = data.draw(st.integers(0, 255))
    b = b[: data.draw(st.integers(1, len(b)))]
    try:
        im = load_image(bytes(b))
        assert to_model_input(im).shape == (1, 1, 8, 8)
    except ImageError as err:
        assert err.key in IMAGE_ERROR_KEYS


# ---------------------------------------------------------------------------------------------------------------
# to_model_input and digit_to_image


def test_digit_to_image_is_dark_ink_on_white_paper():
    x = load_digits().test[0][0]
    im = digit_to_image(x, size=64, margin=10)
    a = np.asarray(im)
    assert im.mode == "L" and im.size == (84, 84) and (a[:10] == 255).all()
    level = np.rint((x[0].numpy() + 1) * 8)
    np.testing.assert_array_equal(a[10 + 4 : 74 : 8, 10 + 4 : 74 : 8], np.rint(255 - level * 255 / 16))
    assert digit_to_image(x.numpy()[0]).size == digit_to_image(x).size == (96, 96)


def recentred(level: np.ndarray) -> np.ndarray:
    """The oracle: an 8x8 sample moved sideways so its ink (levels >= 3) is centred, as to_model_input centres.

    An odd-width digit moves by half a pixel (the mean of two neighbours): the data set put it on the 32x32
    grid, which an 8x8 picture no longer shows, so no method can recover its exact place.
    """
    cols = np.nonzero((level >= 3).any(axis=0))[0]
    shift = (7 - cols.max() - cols.min()) / 2
    a = np.roll(np.pad(level, ((0, 0), (2, 2))), int(np.floor(shift)), axis=1)
    if shift % 1:
        a = (a + np.roll(a, 1, axis=1)) / 2
    a = a[:, 2:-2]
    return np.rint(a / a.max() * 16)


def test_round_trip_from_a_drawn_sample():
    """A test sample drawn as ink on paper comes back as the same 8x8 levels, up to re-centring.

    Tolerance: every pixel within 2 levels (1/4 in [-1, 1] units) of the recentred sample, and within 1 level
    for at least 95 % of the samples. One level is the data set's own resolution; rounding a half-pixel
    average (x.5) can go either way, and a faint pixel (level 1-2) outside the ink's box is cropped.
    """
    x, _ = load_digits().test
    out = torch.cat([to_model_input(digit_to_image(xi)) for xi in x])
    assert out.shape == x.shape and out.dtype == torch.float32
    got = (out[:, 0].numpy() + 1) * 8
    want = np.stack([recentred(lv) for lv in (x[:, 0].numpy() + 1) * 8])
    err = np.abs(got - want).max(axis=(1, 2))
    assert err.max() <= 2 and (err <= 1).mean() >= 0.95
    assert (err == 0).mean() >= 0.5  # most samples come back exactly


def test_levels_and_range():
    out = to_model_input(mc.drawing(200))
    levels = (out + 1) * 8
    assert torch.equal(levels, levels.round()) and levels.min() == 0 and levels.max() == 16


def test_arrays_must_be_uint8():
    with pytest.raises(ValueError, match="uint8"):
        to_model_input(np.zeros((8, 8)))


def test_dark_on_light_and_light_on_dark_agree():
    paper = np.asarray(mc.drawing(120))
    assert torch.equal(to_model_input(paper), to_model_input(255 - paper))  # ink on paper, chalk on board
    assert torch.equal(to_model_input(paper), to_model_input(Image.fromarray(paper).convert("RGB")))
    rgba = np.dstack([paper] * 3 + [np.full_like(paper, 255)])
    assert torch.equal(to_model_input(paper), to_model_input(rgba))


@pytest.mark.parametrize("value", [0, 128, 255])
def test_blank_pictures_give_the_empty_background(value):
    assert torch.equal(to_model_input(np.full((50, 40), value, np.uint8)), torch.full((1, 1, 8, 8), -1.0))


def test_thin_pen_strokes_are_thickened_like_the_data_set():
    """Every data set sample has >= 20 % of its pixels at level >= 8; a 2-px line on a 400-px page too, after."""
    thin = np.full((400, 400), 255, np.uint8)
    thin[60:340, 199:201] = 0  # a '1' drawn with a fine pen
    thin[60:62, 150:250] = 0
    x = to_model_input(thin)
    assert ((x + 1) * 8 >= 8).float().mean() >= 0.2


@pytest.fixture(scope="module")
def digit_classifier():
    """A small SVM on the training split: it stands in for the model, which is not this file's concern."""
    from sklearn.svm import SVC

    (x, y), _, (xt, yt) = load_digits()
    clf = SVC().fit(x.reshape(len(x), -1).numpy(), y.numpy())
    return lambda xs: (clf.predict(xs.reshape(len(xs), -1).numpy()) == yt[: len(xs)].numpy()).mean()


def photo(x, rng) -> bytes:
    """A test sample as a phone might see it: any size, off-centre, blurred, unevenly lit, noisy, JPEG."""
    size = int(rng.integers(40, 200))
    im = digit_to_image(x, size=size, margin=int(rng.integers(3, size // 2)))
    im = im.filter(ImageFilter.GaussianBlur(rng.uniform(0, size / 60)))
    a = np.asarray(im, float) * rng.uniform(0.6, 1)  # dimmer paper
    a -= np.linspace(0, rng.uniform(0, 60), a.shape[1])[None, :]  # a shadow across the page
    a += rng.normal(0, 5, a.shape)
    return mc.encode(
        Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).convert("RGB"),
        "JPEG",
        quality=int(rng.integers(40, 95)),
    )


def test_photos_of_test_digits_are_read_almost_as_well_as_the_data(digit_classifier):
    x, _ = load_digits().test
    rng = np.random.default_rng(0)
    photos = torch.cat([to_model_input(load_image(photo(xi, rng))) for xi in x[:150]])
    clean = digit_classifier(x[:150])
    assert clean > 0.97 and digit_classifier(photos) >= clean - 0.04
