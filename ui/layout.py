"""Layout for a projector and a phone: the CSS every page shares (formulas, buttons, tables), drawn once per run.

Streamlit gives no say over how a formula, a button label or a table behaves on a narrow screen; these rules
do, without changing what is shown (but for the uploader's and camera's words, below):
- a display formula wider than its column wraps after a relation or an operator (`=`, `+`, `\\cdot`: KaTeX
  already splits a formula into unbreakable pieces there, only its `white-space: nowrap` keeps them on one
  line), so the result after the last `=` is never cut off; the lessons write each side of an `=` as one piece
  (lessons/common/tex.py), so a line ends after an `=`; on a phone formulas are drawn a little smaller;
- a heading that wraps is balanced (no word or kana left alone on its last line), and a Japanese one breaks
  between phrases (`word-break: auto-phrase`), never inside a word like ゼロポイント; on a phone headings are
  drawn smaller (Streamlit's 36 px h2 fit 「3 ·」 alone on a line above 「キャリブレーション：」);
- Japanese text never starts a line with a small kana or a long-vowel mark (`line-break: strict`: no 「ョン」
  or 「ー」 at a line's start), and a question's prompt breaks between phrases too (no 「でしょ／う？」); long
  paragraphs keep breaking between characters, which phrase breaks would leave ragged on a phone;
- a label (a button's, a page link's, a metric's label and value) wraps onto a second line instead of ending
  in "…";
- a static table (`st.table`) on a phone is drawn smaller and wraps its cells between words, so every column
  shows (`break-word`, not `anywhere`: a column is never narrower than its longest word, so no word or number is
  split; a table is written with few enough columns to fit 390 px that way);
- code on a phone is drawn smaller and scrolls sideways, never wraps (Python's indentation is its meaning);
- the file uploader's and the camera's own English words are drawn in the page's language (WIDGET_TEXT);
- a formula with no place to wrap (one `aligned` block, one long bracket) that is still too wide is drawn
  smaller until it fits (FIT, a script that watches the page and the window size).
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from lessons.i18n import Translator

PHONE = "(max-width: 640px)"  # where Streamlit stacks columns

CSS = f"""
.katex-display > .katex {{ white-space: normal; }}
.katex-display > .katex .base {{ margin-block: 0.2em; }}
.stMarkdownEllipsis, .stMarkdownEllipsis p,
[data-testid="stPageLink"] a span {{ white-space: normal; overflow: visible; text-overflow: clip; }}
[data-testid="stHeading"] :is(h1, h2, h3) {{ text-wrap: balance; }}
html:lang(ja) [data-testid="stMarkdownContainer"] p {{ line-break: strict; }}
html:lang(ja) [class*="st-key-q_"] [data-testid="stMarkdownContainer"] p {{ word-break: auto-phrase; }}
[class*="st-key-q_"] [role="radiogroup"] {{ gap: 0.45rem; }}  /* a two-line answer apart from the next one */
html:lang(ja) [data-testid="stHeading"] :is(h1, h2, h3) {{ word-break: auto-phrase; }}
.st-key-ex_numbers [data-testid="stMetricValue"] {{ font-size: 1.75rem; }}
@media (hover: none) {{  /* touch: a table's toolbar is always shown, 44 px above it, over its title */
  .stElementContainer:has(> [data-testid="stFullScreenFrame"] [data-testid="stDataFrame"]) {{ margin-top: 1.75rem; }}
}}
@media (max-height: 800px) {{ [data-testid="stMainBlockContainer"] {{ padding-top: 3.5rem; }} }}
@media {PHONE} {{
  [data-testid="stHeading"] h1 {{ font-size: 2.1rem; }}
  [data-testid="stHeading"] h2 {{ font-size: 1.6rem; }}
  [data-testid="stHeading"] h3 {{ font-size: 1.3rem; }}
  .katex-display > .katex {{ font-size: 1.05em; }}
  [data-testid="stCode"] code {{ font-size: 0.75rem; }}
  [data-testid="stTable"] table {{ font-size: 0.8rem; table-layout: auto; }}
  [data-testid="stTable"] th, [data-testid="stTable"] td {{
    padding: 0.25rem 0.3rem; white-space: normal; overflow-wrap: break-word; min-width: 0;
  }}
  [data-testid="stTable"] :is(th, td) p {{ overflow-wrap: break-word !important; }}
  html:lang(ja) [data-testid="stTable"] tbody th :is(p, div) {{ word-break: keep-all; }}
}}
"""


# Once per browser tab: after every change to the page (a rerun draws new formulas) and every resize, each display
# formula wider than its box gets a smaller font size, in proportion, so that it fits.
FIT = """<script>
if (!window.__qlabFit) {
  window.__qlabFit = true;
  let queued = false;
  const fit = () => {
    queued = false;
    for (const d of document.querySelectorAll('.katex-display')) {
      const k = d.querySelector(':scope > .katex');
      if (!k || !d.clientWidth) continue;
      k.style.fontSize = '';
      if (d.scrollWidth <= d.clientWidth + 3) continue;  // KaTeX's .vlist-s adds 2 px nobody sees
      const px = parseFloat(getComputedStyle(k).fontSize);
      k.style.fontSize = (px * 0.97 * d.clientWidth / d.scrollWidth) + 'px';
    }
  };
  const later = () => { if (!queued) { queued = true; requestAnimationFrame(fit); } };
  new MutationObserver(later).observe(document.body, {childList: true, subtree: true, characterData: true});
  window.addEventListener('resize', later);
  later();
}
</script>"""


# Streamlit's file uploader and camera write their own English ("Upload", "10MB per file • PNG, …", "Take Photo",
# "Clear photo"); these rules draw the page's words in their place (the element's own text at size 0). The camera
# shows a <video> before a shot and an <img> after it, which tells its one button's two texts apart ("Clear photo"
# sits in a span beside its icon). The size line may wrap on a phone instead of ending in "…".
WIDGET_TEXT = """
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p,
[data-testid="stFileUploaderDropzoneInstructions"] span,
[data-testid="stCameraInputButton"] {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "{upload}"; font-size: 0.875rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ white-space: normal; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{ content: "{limit}"; font-size: 0.875rem; }}
[data-testid="stCameraInput"]:has(video) [data-testid="stCameraInputButton"]::after {{
  content: "{take}"; font-size: 1rem; }}
[data-testid="stCameraInput"]:has(img) [data-testid="stCameraInputButton"] > span::after {{
  content: "{clear}"; font-size: 1rem; margin-left: 0.25em; }}
"""


def widget_words(T_: Translator, file_types: Sequence[str]) -> None:
    """WIDGET_TEXT in the page's language, for a page with an uploader or a camera (ui/image_input.py); the size
    limit is the server's (`server.maxUploadSize`), the types the uploader's."""
    types = T_.listed(t.upper() for t in file_types if t != "jpeg")  # Streamlit too shows JPEG as JPG
    css = WIDGET_TEXT.format(
        upload=T_("common.widget.upload"),
        limit=T_("common.widget.upload_limit", mb=st.get_option("server.maxUploadSize"), types=types),
        take=T_("common.widget.take_photo"),
        clear=T_("common.widget.clear_photo"),
    )
    st.html(f"<style>{css}</style>")


def style() -> None:
    """The shared layout rules (a style element only: Streamlit draws it without a gap)."""
    st.html(f"<style>{CSS}</style>")


def fit_formulas() -> None:
    """The script that shrinks a formula too wide for its box (call it in the sidebar: its empty slot shows no
    gap there)."""
    st.html(FIT, unsafe_allow_javascript=True)
