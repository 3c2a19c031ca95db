"""Strings every page shares: the app's name, the sidebar, page names, shared messages."""

STRINGS = {
    "en": {
        "common.app_name": "Quantization Lab",
        "common.language": "Language",
        "common.lessons": "Lessons",
        "common.sidebar_note": "From float32 to int8, one idea per page. Every setting survives a language switch.",
        "common.page.home": "Home",
        "common.page.preprocess": "1 · Preprocessing",
        "common.page.explorer": "2 · Scale & zero point",
        "common.page.ste": "3 · STE & gradients",
        "common.page.qat": "4 · QAT training",
        "common.page.predict": "5 · Predict",
        "common.page.int8": "6 · Integer inference",
        "common.page.pytorch": "7 · PyTorch & TensorFlow",
        "common.unexpected_error": "Something went wrong in this part of the page ({name}). "
        "The rest of the page still works; try another setting or reload the page.",
        "common.libraries_say": "What the libraries really do",
        "common.formula": "The formula, with the current numbers",
        "common.image_error.empty": "The file is empty (0 bytes). Please choose an image file.",
        "common.image_error.not_an_image": "This file is not an image. Please upload a PNG, JPEG, GIF, WebP or BMP picture.",
        "common.image_error.too_many_pixels": "The image has too many pixels. Please upload a smaller picture.",
        "common.image_error.truncated": "The image file is damaged or incomplete and cannot be read. Please try another file.",
        "common.image_error.too_large_file": "The file is too large (the limit is 10 MB). Please upload a smaller image.",
        "common.image_error.unsupported": "This kind of image is not supported. "
        "Please upload a PNG, JPEG, GIF, WebP or BMP picture.",
    },
    "ja": {
        "common.app_name": "量子化ラボ",
        "common.language": "言語",
        "common.lessons": "レッスン",
        "common.sidebar_note": "float32 から int8 へ、1 ページに 1 つのアイデア。言語を切り替えても設定はそのまま残ります。",
        "common.page.home": "ホーム",
        "common.page.preprocess": "1 · 前処理",
        "common.page.explorer": "2 · スケールとゼロポイント",
        "common.page.ste": "3 · STE と勾配",
        "common.page.qat": "4 · 量子化対応学習 (QAT)",
        "common.page.predict": "5 · 推論してみる",
        "common.page.int8": "6 · 整数だけの推論",
        "common.page.pytorch": "7 · PyTorch と TensorFlow",
        "common.unexpected_error": "このパートで問題が起きました（{name}）。"
        "ページの他の部分はそのまま使えます。設定を変えるか、ページを再読み込みしてください。",
        "common.libraries_say": "ライブラリが実際にしていること",
        "common.formula": "いまの数値を入れた式",
        "common.image_error.empty": "ファイルが空です（0 バイト）。画像ファイルを選んでください。",
        "common.image_error.not_an_image": "このファイルは画像ではありません。PNG・JPEG・GIF・WebP・BMP の画像をアップロードしてください。",
        "common.image_error.too_many_pixels": "画像の画素数が多すぎます。もっと小さい画像をアップロードしてください。",
        "common.image_error.truncated": "画像ファイルが壊れているか途中で切れているため、読み込めません。別のファイルを試してください。",
        "common.image_error.too_large_file": "ファイルが大きすぎます（上限は 10 MB）。もっと小さい画像をアップロードしてください。",
        "common.image_error.unsupported": "この形式の画像には対応していません。"
        "PNG・JPEG・GIF・WebP・BMP の画像をアップロードしてください。",
    },
}
