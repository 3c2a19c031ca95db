"""Numbers in running text: a real minus sign, and powers of ten as a reader writes them."""

import pytest

from lessons.common.text import real, sci, signed


def test_negative_numbers_get_a_real_minus():
    assert (signed(-128), signed(127), real(-2.00784), real(0.5, ".2f")) == ("−128", "127", "−2.008", "0.50")


@pytest.mark.parametrize(
    ("v", "text"),
    [
        (0.00107, "1.07\u00a0×\u00a010⁻³"),
        (2.31e-6, "2.31\u00a0×\u00a010⁻⁶"),
        (-0.00107, "−1.07\u00a0×\u00a010⁻³"),
        (1234567, "1.23\u00a0×\u00a010⁶"),
        (0.209, "0.209"),
        (0.0, "0"),
        (12.5, "12.5"),
    ],
)
def test_sci_writes_small_and_large_numbers_with_a_power_of_ten(v, text):
    assert sci(v) == text
