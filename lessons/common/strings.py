"""Strings every page shares: the app's name, the sidebar, page names, shared messages."""

STRINGS = {
    "en": {
        "app_name": "Quantization Lab",
        "language": "Language",
        "lessons": "Lessons",
        "sidebar_note": "From float32 to int8, one idea per page. Every setting survives a language switch.",
        "page.home": "Home",
        "page.preprocess": "1 · Preprocessing",
        "page.scale_and_zero_point": "2 · Scale & zero point",
        "page.ste": "3 · STE & gradients",
        "page.qat_training": "4 · QAT training",
        "page.predict": "5 · Predict",
        "page.integer_inference": "6 · Integer inference",
        "page.pytorch_and_tensorflow": "7 · PyTorch & TensorFlow",
        "unexpected_error": "Something went wrong in this part of the page ({name}). "
        "The rest of the page still works; try another setting or reload the page.",
        "libraries_say": "What the libraries really do",
        "formula": "The formula, with the current numbers",
        "image_error.empty": "The file is empty (0 bytes). Please choose an image file.",
        "image_error.not_an_image": "This file is not an image. Please upload a PNG, JPEG, GIF, WebP or BMP picture.",
        "image_error.too_many_pixels": "The image has too many pixels. Please upload a smaller picture.",
        "image_error.truncated": "The image file is damaged or incomplete and cannot be read. Please try another file.",
        "image_error.too_large_file": "The file is too large (the limit is 10 MB). Please upload a smaller image.",
        "image_error.unsupported": "This kind of image is not supported. "
        "Please upload a PNG, JPEG, GIF, WebP or BMP picture.",
    },
    "ja": {
        "app_name": "量子化ラボ",
        "language": "言語",
        "lessons": "レッスン",
        "sidebar_note": "float32 から int8 へ、1 ページに 1 つのアイデア。言語を切り替えても設定はそのまま残ります。",
        "page.home": "ホーム",
        "page.preprocess": "1 · 前処理",
        "page.scale_and_zero_point": "2 · スケールとゼロポイント",
        "page.ste": "3 · STE と勾配",
        "page.qat_training": "4 · 量子化対応学習（QAT）",
        "page.predict": "5 · 推論してみる",
        "page.integer_inference": "6 · 整数だけの推論",
        "page.pytorch_and_tensorflow": "7 · PyTorch と TensorFlow",
        "unexpected_error": "ページのこの部分で問題が起きました（{name}）。"
        "ページの他の部分はそのまま使えます。設定を変えるか、ページを再読み込みしてください。",
        "libraries_say": "ライブラリが実際にしていること",
        "formula": "いまの数値を入れた式",
        "image_error.empty": "ファイルが空です（0 バイト）。画像ファイルを選んでください。",
        "image_error.not_an_image": "このファイルは画像ではありません。PNG・JPEG・GIF・WebP・BMP の画像をアップロードしてください。",
        "image_error.too_many_pixels": "画像の画素数が多すぎます。もっと小さい画像をアップロードしてください。",
        "image_error.truncated": "画像ファイルが壊れているか途中で切れているため、読み込めません。別のファイルを試してください。",
        "image_error.too_large_file": "ファイルが大きすぎます（上限は 10 MB）。もっと小さい画像をアップロードしてください。",
        "image_error.unsupported": "この形式の画像には対応していません。"
        "PNG・JPEG・GIF・WebP・BMP の画像をアップロードしてください。",
    },
}
