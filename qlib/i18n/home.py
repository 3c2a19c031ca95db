"""Strings of the home page (app.py)."""

STRINGS = {
    "en": {
        "home.title": "Quantization Lab",
        "home.tagline": "How a neural network goes from float32 to int8: move the controls, watch the numbers.",
        "home.what_h": "What is quantization?",
        "home.what": "A trained network stores every weight and every activation as a 32-bit float. "
        "**Quantization** stores them as small integers instead, usually 8-bit, plus two numbers per tensor "
        "that say how to read them back: the **scale** $s$ (the real size of one integer step) and the "
        "**zero point** $z$ (the integer that stands for the real value 0.0).",
        "home.formula_caption": "Quantize: round, shift, clamp. Dequantize: undo the shift and the scale.",
        "home.why_h": "Why bother?",
        "home.metric_size": "Model size",
        "home.metric_size_value": "4× smaller",
        "home.metric_size_help": "float32 takes 4 bytes per value, int8 takes 1.",
        "home.metric_hw": "Hardware",
        "home.metric_hw_value": "integer units",
        "home.metric_hw_help": "Phones, microcontrollers and NPUs multiply 8-bit integers far faster and with far "
        "less energy than floats; some can only do integers.",
        "home.metric_cost": "The price",
        "home.metric_cost_value": "rounding error",
        "home.metric_cost_help": "Every value moves to the nearest point of a grid of 256. The lessons show "
        "how to choose the grid so that it hurts least.",
        "home.map_h": "The lessons",
        "home.map.preprocess": "uint8 pixels become floats in [−1, 1]: the first affine map of the model.",
        "home.map.explorer": "The heart: choose a range, get a scale and a zero point, see every value land on the grid.",
        "home.map.ste": "Rounding has no useful gradient. The straight-through estimator lets training go on anyway.",
        "home.map.qat": "Train a tiny CNN with fake quantization in the loop.",
        "home.map.predict": "Draw or upload a digit and compare the float and the quantized model.",
        "home.map.int8": "Run the network with integers only, layer by layer.",
        "home.map.pytorch": "The same steps in PyTorch and TensorFlow.",
        "home.map.soon": "(coming soon)",
        "home.flow_h": "Quantization-aware training (QAT) in one picture",
        "home.flow_intro": "During QAT the forward pass already rounds, so the network learns to live with the "
        "grid; the backward pass pretends the rounding is not there (the STE), and the float weights keep "
        "receiving small updates.",
        "home.flow.input": "input image\\n(uint8 0…255)",
        "home.flow.pre": "preprocess_input\\nx / 127.5 − 1",
        "home.flow.fq_in": "fake-quant input\\n(round to the grid)",
        "home.flow.fq_w": "layers with\\nfake-quantized weights",
        "home.flow.out": "output\\n(logits)",
        "home.flow.loss": "loss",
        "home.flow.ste": "backward through the STE\\n(rounding treated as identity)",
        "home.flow.update": "update the float weights\\n(w ← w − η·∂L/∂w)",
        "home.flow_summary": "Diagram: input image → preprocess_input (x/127.5 − 1) → fake-quantized input → "
        "layers with fake-quantized weights → output → loss; then, dashed, the gradient goes back through the "
        "straight-through estimator to update the float weights, which are quantized again on the next step.",
        "home.start": "Start with lesson 1, or jump straight to the scale & zero point explorer.",
    },
    "ja": {
        "home.title": "量子化ラボ",
        "home.tagline": "ニューラルネットワークが float32 から int8 になるまで。つまみを動かして、数値の変化を見てみましょう。",
        "home.what_h": "量子化とは？",
        "home.what": "学習済みのネットワークは、重みも活性化もすべて 32 ビットの浮動小数点数で持っています。"
        "**量子化**は、これを小さな整数（ふつうは 8 ビット）で持ち直すことです。"
        "整数を実数に読み戻すために、テンソルごとに 2 つの数を添えます。1 目盛りの実際の大きさを表す"
        "**スケール** $s$ と、実数の 0.0 に対応する整数である**ゼロポイント** $z$ です。",
        "home.formula_caption": "量子化：割って丸め、ずらしてクランプ。逆量子化：ずらしを戻してスケールを掛ける。",
        "home.why_h": "なぜ量子化するのか",
        "home.metric_size": "モデルのサイズ",
        "home.metric_size_value": "1/4 に",
        "home.metric_size_help": "float32 は 1 つの値に 4 バイト、int8 は 1 バイトです。",
        "home.metric_hw": "ハードウェア",
        "home.metric_hw_value": "整数演算器",
        "home.metric_hw_help": "スマートフォンやマイコン、NPU は 8 ビット整数の掛け算を浮動小数点よりずっと速く、"
        "少ない電力で行えます。整数しか扱えない装置もあります。",
        "home.metric_cost": "その代償",
        "home.metric_cost_value": "丸め誤差",
        "home.metric_cost_help": "どの値も 256 個の目盛りのうち一番近いものに寄せられます。"
        "誤差が最も小さくなる目盛りの選び方を、各レッスンで見ていきます。",
        "home.map_h": "レッスン一覧",
        "home.map.preprocess": "uint8 の画素値が [−1, 1] の浮動小数点数になる。モデルの最初のアフィン変換です。",
        "home.map.explorer": "このアプリの中心。範囲を決めるとスケールとゼロポイントが決まり、すべての値が目盛りに乗る様子が見えます。",
        "home.map.ste": "丸めには役に立つ勾配がありません。ストレート・スルー推定器（STE）で学習を続けられる理由を見ます。",
        "home.map.qat": "偽量子化を組み込んだまま小さな CNN を学習します。",
        "home.map.predict": "数字を描くかアップロードして、float モデルと量子化モデルを比べます。",
        "home.map.int8": "整数演算だけでネットワークを 1 層ずつ動かします。",
        "home.map.pytorch": "同じ手順を PyTorch と TensorFlow で。",
        "home.map.soon": "（準備中）",
        "home.flow_h": "量子化対応学習（QAT）を 1 枚の図で",
        "home.flow_intro": "QAT では順伝播の時点ですでに丸めを行うので、ネットワークは目盛りに合わせて学習します。"
        "逆伝播では丸めがなかったことにして（STE）勾配を通し、float の重みを少しずつ更新し続けます。",
        "home.flow.input": "入力画像\\n(uint8 0…255)",
        "home.flow.pre": "preprocess_input\\nx / 127.5 − 1",
        "home.flow.fq_in": "入力を偽量子化\\n（目盛りに丸める）",
        "home.flow.fq_w": "重みを偽量子化した層",
        "home.flow.out": "出力\\n（ロジット）",
        "home.flow.loss": "損失",
        "home.flow.ste": "STE で逆伝播\\n（丸めを恒等写像とみなす）",
        "home.flow.update": "float の重みを更新\\n(w ← w − η·∂L/∂w)",
        "home.flow_summary": "図：入力画像 → preprocess_input（x/127.5 − 1）→ 偽量子化した入力 → 重みを偽量子化した層 → "
        "出力 → 損失。そこから破線で、勾配がストレート・スルー推定器を通って戻り、float の重みを更新します。"
        "更新された重みは次のステップで再び量子化されます。",
        "home.start": "レッスン 1 から始めるか、いきなりスケールとゼロポイントのページに進んでみてください。",
    },
}
