"""The image inputs of pages 1 and 5 in the page's language: Streamlit's uploader and camera, their own English
words replaced (ui/layout.py, WIDGET_TEXT). Apart from ui/shell.py, which the home page imports without torch."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from lessons.i18n import Translator
from qlib.data import UPLOAD_TYPES
from ui import layout


def image_uploader(T_: Translator, label: str, help: str, key: str) -> UploadedFile | None:
    """One picture file of the types qlib.data reads."""
    layout.widget_words(T_, UPLOAD_TYPES)
    return st.file_uploader(label, type=list(UPLOAD_TYPES), key=key, help=help)


def camera(T_: Translator, label: str, key: str) -> UploadedFile | None:
    """A photo from the device's camera."""
    layout.widget_words(T_, UPLOAD_TYPES)
    return st.camera_input(label, key=key)
