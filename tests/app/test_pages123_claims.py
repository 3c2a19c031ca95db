"""Issue 11 B5 and B6 on the pages themselves: the preprocessing table and the STE formula and captions."""

from __future__ import annotations

import pytest

from lessons.i18n import t
from lessons.preprocess import lesson as preprocess
from lessons.ste import lesson as ste
from tests.app.apptest import keyed_table, no_errors, run_page


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_preprocess_page_shows_todays_tflite_code_beside_tocos_128(lang):
    at = run_page("pages/1_Preprocess.py", lang)
    no_errors(at)
    table = keyed_table(at, "preprocess_codes")
    names = [t(f"preprocess.scheme.{c.name}", lang) for c in preprocess.input_codes()]
    zps = dict(zip(table.index, table.iloc[:, 1], strict=True))
    assert [zps[n] for n in names] == ["127.5", "127", "-1", "127", "128"]
    assert any("TOCO" in m.value and "**−1**" in m.value for m in at.markdown)


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("bits", [2, 3])
def test_the_ste_page_shows_one_mask_and_says_why_the_grid_moved(lang, bits):
    at = run_page("pages/3_STE.py", lang, ste_bits=bits)
    no_errors(at)
    c = ste.curves(bits)
    args = c.text_args()
    lo, hi = c.mask
    assert f"{lo:.4g} \\le x \\le {hi:.4g}" in at.latex[2].value
    shown = [m.value for m in at.markdown] + [cap.value for cap in at.caption]
    rounding = t("ste.grid_note", lang, **args), t(f"ste.{c.rounding_key}", lang, **args)
    assert any(all(part in m for part in rounding) for m in shown)
    assert c.rounding_key == ("grid_round.tie" if bits == 2 else "grid_round.below")  # 1.5 exact; 3.4999998
    assert (
        t("ste.forward_summary", lang, **args) in shown and t("ste.backward_summary", lang, **args) in shown
    )
