"""Strings of the home page (app.py)."""

STRINGS = {
    "en": {
        "title": "Quantization Lab",
        "tagline": "How a neural network goes from float32 to int8: move the controls, watch the numbers.",
        "what_h": "What is quantization?",
        "what": "A trained network stores every weight and every activation as a 32-bit float. "
        "**Quantization** stores them as small integers instead, usually 8-bit, plus two numbers per tensor "
        "that say how to read them back: the **scale** $s$ (the real size of one integer step) and the "
        "**zero point** $z$ (the integer that stands for the real value 0.0).",
        "formula_caption": "Quantize: round, shift, clamp. Dequantize: undo the shift and the scale.",
        "why_h": "Why bother?",
        "metric_size": "Model size",
        "metric_size_value": "4× smaller",
        "metric_size_help": "float32 takes 4 bytes per value, int8 takes 1.",
        "metric_hw": "Hardware",
        "metric_hw_value": "integer units",
        "metric_hw_help": "Phones, microcontrollers and NPUs multiply 8-bit integers far faster and with far "
        "less energy than floats; some can only do integers.",
        "metric_cost": "The price",
        "metric_cost_value": "rounding error",
        "metric_cost_help": "Every value moves to the nearest point of a grid of 256. The lessons show "
        "how to choose the grid so that it hurts least.",
        "map_h": "The lessons",
        "map.preprocess": "uint8 pixels become floats in [−1, 1]: the first affine map of the model.",
        "map.scale_and_zero_point": "The heart: choose a range, get a scale and a zero point, see every value land on the grid.",
        "map.ste": "Rounding has no useful gradient. The straight-through estimator lets training go on anyway.",
        "map.qat_training": "Train a tiny CNN with fake quantization in the loop.",
        "map.predict": "Give the tiny CNN your own digit (draw it, upload a picture, take a photo, or pick a test "
        "sample) "
        "and compare the float and the int8 model side by side.",
        "map.integer_inference": "Run the network with integers only, layer by layer.",
        "map.pytorch_and_tensorflow": "The same steps in PyTorch and TensorFlow, and the model in ONNX Runtime and LiteRT.",
        "map.why_defaults": "Why the libraries do what they do: BatchNorm folding, per-channel weights, calibration, low bits.",
        "flow_h": "Quantization-aware training (QAT) in one picture",
        "flow_intro": "During QAT the forward pass already rounds, so the network learns to live with the "
        "grid; the backward pass pretends the rounding is not there (the STE), and the float weights keep "
        "receiving small updates.",
        "flow.input": "input image\\n(uint8 0…255)",
        "flow.pre": "preprocess_input\\nx / 127.5 − 1",
        "flow.fq_in": "fake-quant input\\n(round to the grid)",
        "flow.fq_w": "layers with\\nfake-quantized weights",
        "flow.out": "output\\n(logits)",
        "flow.loss": "loss",
        "flow.ste": "backward through the STE\\n(rounding treated as identity)",
        "flow.update": "update the float weights\\n(w ← w − η·∂L/∂w)",
        "flow_summary": "Diagram: input image → preprocess_input (x/127.5 − 1) → fake-quantized input → "
        "layers with fake-quantized weights → output → loss; then, dashed, the gradient goes back through the "
        "straight-through estimator to update the float weights, which are quantized again on the next step.",
        "start.preprocess": "Start with lesson 1: preprocessing",
        "start.scale_and_zero_point": "Or jump straight to the scale & zero point explorer",
    },
    "ja": {
        "title": "量子化ラボ",
        "tagline": "ニューラルネットワークが float32 から int8 になるまで。つまみを動かして、数値の変化を見てみましょう。",
        "what_h": "量子化とは？",
        "what": "学習済みのネットワークは、重みも活性化もすべて 32 ビットの浮動小数点数で持っています。"
        "**量子化**は、これを小さな整数（ふつうは 8 ビット）で持ち直すことです。"
        "整数を実数に読み戻すために、テンソルごとに 2 つの数を添えます。1 目盛りの実際の大きさを表す"
        "**スケール** $s$ と、実数の 0.0 に対応する整数である**ゼロポイント** $z$ です。",
        "formula_caption": "量子化：割って丸め、ずらしてクランプ。逆量子化：ずらしを戻してスケールを掛ける。",
        "why_h": "なぜ量子化するのか",
        "metric_size": "モデルのサイズ",
        "metric_size_value": "1/4 に",
        "metric_size_help": "float32 は 1 つの値に 4 バイト、int8 は 1 バイトです。",
        "metric_hw": "ハードウェア",
        "metric_hw_value": "整数演算器",
        "metric_hw_help": "スマートフォンやマイコン、NPU は 8 ビット整数の掛け算を浮動小数点よりずっと速く、"
        "少ない電力で行えます。整数しか扱えない装置もあります。",
        "metric_cost": "その代償",
        "metric_cost_value": "丸め誤差",
        "metric_cost_help": "どの値も 256 個の目盛りのうち一番近いものに寄せられます。"
        "誤差が最も小さくなる目盛りの選び方を、各レッスンで見ていきます。",
        "map_h": "レッスン一覧",
        "map.preprocess": "uint8 の画素値を [−1, 1] の浮動小数点数にします。これがモデルの最初のアフィン変換です。",
        "map.scale_and_zero_point": "このアプリの中心。範囲を決めるとスケールとゼロポイントが決まり、すべての値が目盛りに乗る様子が見えます。",
        "map.ste": "丸めには役に立つ勾配がありません。ストレートスルー推定器（STE）で学習を続けられる理由を見ます。",
        "map.qat_training": "偽量子化を組み込んだまま小さな CNN を学習します。",
        "map.predict": "自分の数字（手で描く、画像のアップロード、カメラでの撮影、テストサンプルから選ぶ）を小さな CNN に"
        "渡し、"
        "float のモデルと int8 のモデルを並べて比べます。",
        "map.integer_inference": "整数演算だけでネットワークを 1 層ずつ動かします。",
        "map.pytorch_and_tensorflow": "同じ手順を PyTorch と TensorFlow で。モデルを ONNX Runtime と LiteRT でも動かします。",
        "map.why_defaults": "ライブラリの既定値の理由：BatchNorm の折り込み、チャネルごとの重み、キャリブレーション、低ビット。",
        "flow_h": "量子化対応学習（QAT）を 1 枚の図で",
        "flow_intro": "QAT では順伝播の時点ですでに丸めを行うので、ネットワークは目盛りに合わせて学習します。"
        "逆伝播では丸めがなかったことにして（STE）勾配を通し、float の重みを少しずつ更新し続けます。",
        "flow.input": "入力画像\\n（uint8、0〜255）",
        "flow.pre": "preprocess_input\\nx / 127.5 − 1",
        "flow.fq_in": "入力を偽量子化\\n（目盛りに丸める）",
        "flow.fq_w": "重みを偽量子化した層",
        "flow.out": "出力\\n（ロジット）",
        "flow.loss": "損失",
        "flow.ste": "STE で逆伝播\\n（丸めを恒等写像とみなす）",
        "flow.update": "float の重みを更新\\n（w ← w − η·∂L/∂w）",
        "flow_summary": "図：入力画像 → preprocess_input（x/127.5 − 1）→ 偽量子化した入力 → 重みを偽量子化した層 → "
        "出力 → 損失。そこから破線で、勾配がストレートスルー推定器を通って戻り、float の重みを更新します。"
        "更新された重みは次のステップで再び量子化されます。",
        "start.preprocess": "レッスン 1（前処理）から始める",
        "start.scale_and_zero_point": "または、いきなりスケールとゼロポイントのページへ",
    },
}
