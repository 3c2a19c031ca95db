"""bench.photo_corpus: the photo corpus is deterministic, labelled and realistic enough to need work."""

import numpy as np

from bench import photo_corpus as corpus


def test_the_same_seed_gives_the_same_pixels_and_another_seed_others():
    a, b = corpus.digit_photo("phone", 3), corpus.digit_photo("phone", 3)
    assert (
        np.array_equal(np.asarray(a.image), np.asarray(b.image)) and a.label == 3 and a.condition == "phone"
    )
    c = corpus.digit_photo("phone", 3, seed=corpus.SEED + 1)
    assert not np.array_equal(np.asarray(a.image), np.asarray(c.image))
    assert corpus.fingerprint([a]) == corpus.fingerprint([b]) != corpus.fingerprint([c])


def test_labels_and_styles_are_spread():
    photos = [corpus.digit_photo("clean", i) for i in range(10)]
    assert [p.label for p in photos] == list(range(10))
    styles = {p.style for p in photos}
    assert "hand" in styles and len(styles) >= 4  # handwriting-like and several fonts
    assert all(p.image.mode == "RGB" and min(p.image.size) >= 480 for p in photos)


def test_conditions_change_the_picture():
    inv = np.asarray(corpus.digit_photo("inverted", 0).image.convert("L"), dtype=float)
    assert np.median(inv) < 100  # a dark board
    small = corpus.digit_photo("small", 0).image
    ink = np.asarray(small.convert("L")) < 120
    rows = np.nonzero(ink.any(axis=1))[0]
    assert rows.max() - rows.min() < 0.2 * small.height  # a small digit in a large frame
    blank = corpus.non_digit_photo("blank", 0)
    assert blank.label == -1 and blank.condition == "blank"
