"""Does a picture look like one digit? A short, explainable rule on qlib.photo's stages, with a reason code.

The rule, on the thresholds below (the figures quoted are from the photo benchmark, bench/photos.py, whose
420 digit photos all pass it). The first that fails gives the reason:
    no_ink          nothing stands out from the paper (a blank page, a wall, a smooth texture)
    ink_everywhere  more than 30 % of the picture is ink (a texture, a dark scene); digit photos: at most 18 %
    cluttered       the digit would be more than 6 separate pieces (gravel, leaves); digit photos: at most 3
    several_marks   the marks are much wider than tall (more than 1.25 : 1; a digit is at most about 1 : 1,
                    its photos at most 1.05), or a second mark is at least 40 % of the digit's size, or two
                    large pieces stand side by side (a number of several digits, a line of text)
    cluttered       the ink outside the digit is more than half the digit's own (a scene, a page of writing)
A picture that passes is "digit". The models still answer for the others; the app marks that as a guess.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qlib.photo import PhotoSteps

REASONS = ("digit", "no_ink", "ink_everywhere", "cluttered", "several_marks")
MAX_INK = 0.30  # share of the picture
MAX_STRAY = 0.5  # ink outside the digit, relative to the digit's own
MAX_WIDTH = 1.25  # width : height of the digit's marks
MAX_OTHER = 0.4  # a second mark's size relative to the digit's
MAX_PIECES = 6  # a digit is one stroke or a few: more pieces are scattered marks
PIECE = 0.2  # a piece of the digit counts as large from this share of the digit's ink

# English fallbacks; the app shows its own translation of each reason (a key like IMAGE_ERROR_MESSAGES').
REASON_MESSAGES = {
    "digit": "This looks like one digit.",
    "no_ink": "No writing stands out from the background: this does not look like a digit.",
    "ink_everywhere": f"More than {MAX_INK:.0%} of the picture is dark marks: this does not look like one digit.",
    "cluttered": "The marks are scattered, or there is more around the mark than in it: this looks like a scene, "
    "a texture or a page, not one digit.",
    "several_marks": "There are several marks side by side: this looks like several characters, not one digit.",
}


@dataclass(frozen=True)
class Verdict:
    """Whether the picture looks like one digit, why (a reason code of REASONS), and the figures behind it."""

    is_digit: bool
    reason: str
    ink_share: float  # share of the picture taken for ink
    stray: float  # ink outside the digit / the digit's ink
    width_ratio: float  # the digit's box: width / height
    other: float  # the largest other mark / the digit (marks spanning the frame are edges, not counted)
    pieces: int  # how many separate pieces the digit is made of
    side_by_side: bool  # two large pieces of the digit with no column in common

    @property
    def message(self) -> str:
        """The English explanation (the app translates the reason code instead)."""
        return REASON_MESSAGES[self.reason]


def _side_by_side(steps: PhotoSteps) -> bool:
    """Do two of the digit's large pieces stand next to each other, with no column in common?"""
    parts = [p for p in steps.pieces if p.in_digit]
    total = sum(p.area for p in parts)
    big = sorted((p.box[1], p.box[3]) for p in parts if p.area >= PIECE * total)
    return any(b[0] >= a[1] for a, b in zip(big, big[1:], strict=False))


def judge(steps: PhotoSteps) -> Verdict:
    """Apply the rule (see the module) to a picture's stages."""
    if steps.box is None:  # no digit found: a blank picture, or marks so even they are the background
        share = float(steps.ink.mean())
        return Verdict(
            False, "ink_everywhere" if share > MAX_INK else "no_ink", share, 0.0, 0.0, 0.0, 0, False
        )
    top, left, bottom, right = steps.box
    digit = int(steps.digit.sum())
    ink_share = float(steps.ink.mean())
    stray = float((steps.ink & ~steps.digit).sum() / max(digit, 1))
    width = (right - left) / max(bottom - top, 1)
    others = [p.area for p in steps.pieces if not p.in_digit and not p.spans_frame]
    other = max(others) / max(digit, 1) if others else 0.0
    side = _side_by_side(steps)
    pieces = sum(p.in_digit for p in steps.pieces)
    if ink_share > MAX_INK:
        reason = "ink_everywhere"
    elif pieces > MAX_PIECES:
        reason = "cluttered"
    elif width > MAX_WIDTH or other >= MAX_OTHER or side:
        reason = "several_marks"
    elif stray > MAX_STRAY:
        reason = "cluttered"
    else:
        reason = "digit"
    return Verdict(reason == "digit", reason, ink_share, stray, float(width), float(other), pieces, side)


def rejection_rate(verdicts: list[Verdict]) -> float:
    """Share of verdicts that are not "digit"."""
    return float(np.mean([not v.is_digit for v in verdicts])) if verdicts else 0.0
