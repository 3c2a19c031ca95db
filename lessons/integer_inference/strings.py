"""Strings of page 6, integer inference (整数だけの推論)."""

STRINGS = {
    "en": {
        "title": "Integer inference: one layer, step by step",
        "intro": (
            "The quantized model never multiplies a float. Its input is turned into **uint8** codes once; each layer "
            "then multiplies uint8 activations by **int8** weights, adds them up in an **int32** accumulator, adds an "
            "int32 bias, and *requantizes*: one integer multiply by **M0** and a right shift by **n** bring the sum back "
            "to the output's scale, the output zero point is added, and the result is clamped to 0..255. "
            "Pick one output value below and follow its actual numbers, taken from the engine's own trace."
        ),
        "model": "Quantized model",
        "model_label": "{method} · {w}-bit weights, {a}-bit activations",
        "loading": "Loading the model and the digits…",
        "float_mode": "This model requantizes with a float multiplier (PyTorch's x86 kernel), not M0 · 2⁻ⁿ.",
        "source": "Input",
        "source.sample": "A test sample",
        "source.predict": "The image from the Predict page",
        "no_given": "No image was uploaded or taken on the Predict page yet, so a test sample is used.",
        "sample": "Test sample (0–{n})",
        "input_given": "the image from the Predict page",
        "input_sample": "test sample {i} (a {label})",
        "pick_h": "Choose one output value",
        "layer": "Layer",
        "layer_label": "{name} ({kind})",
        "kind.conv": "convolution + ReLU",
        "kind.linear": "linear, the logits",
        "channel": "Output channel",
        "output": "Output (class)",
        "row": "Row",
        "col": "Column",
        "at": " at row {r}, column {c}",
        "steps_h": "The arithmetic of {name}, channel {c}{where}",
        "step1": (
            "**1 · Multiply and add in integers.** Each of the {k} input codes minus the input zero point "
            "(z_in = {z_in}) times its int8 weight, summed exactly in an int32 accumulator. Padding is the code "
            "z_in, which is real 0."
        ),
        "step2": (
            "**2 · Add the int32 bias.** The float bias was quantized once with scale s_in · s_w, the scale of the "
            "accumulator, so it is simply added."
        ),
        "step3": (
            "**3 · The multiplier.** The accumulator counts in units of s_in · s_w; the output counts in units of "
            "s_out. Converting is a multiply by M, written as an int32 M0 in [2³⁰, 2³¹) times 2⁻ⁿ so that no float "
            "is needed at run time."
        ),
        "step4": (
            "**4 · Requantize.** Multiply by M0 and keep the rounded high 32 bits (÷ 2³¹), then a rounding right "
            "shift by {right} bits: together, round(acc · M0 · 2⁻ⁿ)."
        ),
        "step5": "**5 · Add the output zero point and clamp** to the code range {lo}..{hi}.",
        "step5_relu": (
            "The lower end is the output zero point {z}, the code of 0.0: this clamp **is** the ReLU, no separate "
            "layer is run."
        ),
        "clamped_low": (
            "Before the clamp the value was {v}, below {lo}: the real value was negative and the ReLU set it to 0. "
            "Try another channel or position to see a value that passes."
        ),
        "clamped_min": "Before the clamp the value was {v}, below the lowest code {lo}: it was clipped.",
        "clamped_high": "Before the clamp the value was {v}, above the highest code {hi}: it was clipped.",
        "col.step": "Step",
        "col.formula": "Formula",
        "col.value": "Value",
        "row.z_in": "input zero point",
        "row.acc": "int32 accumulator",
        "row.b_q": "int32 bias",
        "row.acc_bias": "accumulator + bias",
        "row.M": "multiplier M (real)",
        "row.M0": "M0 (int32)",
        "row.n": "shift n",
        "row.high": "× M0, high 32 bits",
        "row.rounded": "rounding right shift",
        "row.z_out": "output zero point",
        "row.pre_clamp": "before the clamp",
        "row.q_out": "output code (uint8)",
        "row.y_int": "output read as a real number",
        "row.y_float": "the same layer in float32",
        "terms_h": "All {k} products of the accumulator",
        "term.k": "input (channel, row, column)",
        "term.q": "q_in",
        "term.qz": "q_in − z_in",
        "term.w": "q_w",
        "term.p": "product",
        "fig.contrib_summary": "What each part adds to the accumulator: {n} bars that sum to {acc}.",
        "fig.code": "code",
        "fig.input_title": "Input codes q_in (uint8)",
        "fig.output_title": "Output codes of {name}, channel {c}",
        "fig.hover_code": "row %{y}, column %{x}: code %{z}",
        "fig.row": "row",
        "fig.col": "column",
        "fig.part": "input (channel, kernel row, column)",
        "fig.contribution": "(q_in − z_in) · q_w",
        "fig.input_summary": (
            "The input as uint8 codes: {caption}, quantized with scale {s:.5f} and zero point {z} "
            "(background −1.0 becomes code 0)."
        ),
        "fig.output_summary": (
            "{name}, channel {c}: every output code; the chosen one (boxed) is {q}. Codes equal to {z} are real 0."
        ),
        "float_h": "Check against float",
        "float_text": (
            "The same layer computed in float32, on the same dequantized input and weights with the float bias, "
            "against the integer result read back as a real number:"
        ),
        "y_int": "Integer result, dequantized",
        "y_float": "Same layer in float32",
        "diff": "Difference",
        "diff_help": "At most half an output step ({half:.6f}), plus the tiny rounding of the int32 bias.",
        "float_caption": (
            "The accumulator itself is exact: read as a real number it is {y_acc:.6f} before the ReLU. The only "
            "rounding is the last one, to the output grid: at most half a step, s_out / 2 = {half:.6f}."
        ),
        "size_h": "Model size: float32 against int8",
        "size.fp32": "float32 model",
        "size.int8": "int8 model",
        "size.bytes": "bytes",
        "size_summary": (
            "The float32 model takes {fp32:,} bytes; the int8 model {int8:,} bytes, {pct:.0f} % of it."
        ),
        "size_parts": "int8: {w:,} B of weights (1 byte each), {b:,} B of int32 biases, {q:,} B of scales and zero points.",
        "note": (
            "**What the libraries really do.** TFLite's integer kernels requantize exactly like this: M0 · 2⁻ⁿ with "
            "gemmlowp's rounding doubling high multiply and a rounding shift. PyTorch's x86 (fbgemm) kernels instead "
            "keep the bias in float and multiply by a float32 M, rounding half to even; on a few percent of the "
            "outputs at most the two differ by one code (the int32 bias and the rounding differ slightly). "
            "Page 7 runs PyTorch's kernels on these very weights."
        ),
    },
    "ja": {
        "title": "整数だけの推論：1 つの層を一歩ずつ",
        "intro": (
            "量子化したモデルは、浮動小数点の掛け算を一度もしません。入力は最初に一度だけ **uint8** の整数コードに"
            "変換されます。各層では uint8 の活性化と **int8** の重みを掛け、**int32** のアキュムレータに足し込み、"
            "int32 のバイアスを加えてから**再量子化**します。整数 **M0** を 1 回掛けて **n** ビット右シフトすると、"
            "和が出力のスケールに戻ります。そこに出力のゼロポイントを足し、0..255 にクランプします。"
            "下で出力値を 1 つ選び、推論エンジン自身のトレースから取った実際の数値で計算を追ってみましょう。"
        ),
        "model": "量子化モデル",
        "model_label": "{method} · 重み {w} ビット、活性化 {a} ビット",
        "loading": "モデルと数字のデータを読み込み中…",
        "float_mode": "このモデルは M0 · 2⁻ⁿ ではなく浮動小数点の乗数で再量子化します (PyTorch の x86 カーネルと同じ)。",
        "source": "入力",
        "source.sample": "テストデータのサンプル",
        "source.predict": "「推論してみる」ページの画像",
        "no_given": "「推論してみる」ページでまだ画像がアップロード・撮影されていないので、テストサンプルを使います。",
        "sample": "テストサンプル (0–{n})",
        "input_given": "「推論してみる」ページの画像",
        "input_sample": "テストサンプル {i} (数字の {label})",
        "pick_h": "出力値を 1 つ選ぶ",
        "layer": "層",
        "layer_label": "{name}（{kind}）",
        "kind.conv": "畳み込み + ReLU",
        "kind.linear": "全結合、ロジット",
        "channel": "出力チャネル",
        "output": "出力 (クラス)",
        "row": "行",
        "col": "列",
        "at": "、{r} 行 {c} 列",
        "steps_h": "{name} のチャネル {c}{where} の計算",
        "step1": (
            "**1 · 整数で掛けて足す。** {k} 個の入力コードそれぞれから入力のゼロポイント (z_in = {z_in}) を引き、"
            "int8 の重みを掛けて、int32 のアキュムレータで誤差なく合計します。パディングはコード z_in、"
            "つまり実数の 0 です。"
        ),
        "step2": (
            "**2 · int32 のバイアスを足す。** 浮動小数点のバイアスは、アキュムレータと同じスケール s_in · s_w で"
            "あらかじめ量子化してあるので、そのまま足すだけです。"
        ),
        "step3": (
            "**3 · 乗数。** アキュムレータは s_in · s_w を単位に数え、出力は s_out を単位に数えます。"
            "単位の変換は M を掛けることですが、実行時に浮動小数点を使わないよう、M を [2³⁰, 2³¹) の int32 の M0 と"
            " 2⁻ⁿ の積で表します。"
        ),
        "step4": (
            "**4 · 再量子化。** M0 を掛けて上位 32 ビットを丸めて取り出し (÷ 2³¹)、さらに {right} ビットの"
            "丸め付き右シフトをします。合わせて round(acc · M0 · 2⁻ⁿ) です。"
        ),
        "step5": "**5 · 出力のゼロポイントを足し、コードの範囲 {lo}..{hi} にクランプ**します。",
        "step5_relu": (
            "下限は出力のゼロポイント {z}、つまり 0.0 のコードです。このクランプ**こそが** ReLU で、"
            "別の層は実行しません。"
        ),
        "clamped_low": (
            "クランプ前の値は {v} で、{lo} より小さい値でした。実数では負の値なので、ReLU で 0 になりました。"
            "別のチャネルや位置を選ぶと、クランプされずに通る値を見られます。"
        ),
        "clamped_min": "クランプ前の値は {v} で、最小のコード {lo} より小さいため切り詰められました。",
        "clamped_high": "クランプ前の値は {v} で、最大のコード {hi} より大きいため切り詰められました。",
        "col.step": "ステップ",
        "col.formula": "式",
        "col.value": "値",
        "row.z_in": "入力のゼロポイント",
        "row.acc": "int32 アキュムレータ",
        "row.b_q": "int32 バイアス",
        "row.acc_bias": "アキュムレータ + バイアス",
        "row.M": "乗数 M (実数)",
        "row.M0": "M0 (int32)",
        "row.n": "シフト量 n",
        "row.high": "× M0 の上位 32 ビット",
        "row.rounded": "丸め付き右シフト",
        "row.z_out": "出力のゼロポイント",
        "row.pre_clamp": "クランプ前",
        "row.q_out": "出力コード (uint8)",
        "row.y_int": "出力を実数に戻した値",
        "row.y_float": "同じ層を float32 で計算した値",
        "terms_h": "アキュムレータの {k} 個の積をすべて表示",
        "term.k": "入力 (チャネル, 行, 列)",
        "term.q": "q_in",
        "term.qz": "q_in − z_in",
        "term.w": "q_w",
        "term.p": "積",
        "fig.contrib_summary": "各部分がアキュムレータに足す量。{n} 本の棒の合計が {acc} です。",
        "fig.code": "コード",
        "fig.input_title": "入力のコード q_in (uint8)",
        "fig.output_title": "{name} のチャネル {c} の出力コード",
        "fig.hover_code": "%{y} 行 %{x} 列: コード %{z}",
        "fig.row": "行",
        "fig.col": "列",
        "fig.part": "入力 (チャネル, カーネルの行, 列)",
        "fig.contribution": "積 (q_in − z_in) · q_w",
        "fig.input_summary": (
            "uint8 コードにした入力: {caption}。スケール {s:.5f}、ゼロポイント {z} で量子化しています"
            " (背景の −1.0 はコード 0 になります)。"
        ),
        "fig.output_summary": (
            "{name} のチャネル {c} の出力コードすべて。選んだ値 (枠で囲んだもの) は {q} です。"
            "{z} のコードは実数の 0 です。"
        ),
        "float_h": "浮動小数点の計算と比べる",
        "float_text": (
            "同じ層を、同じ入力と重みを逆量子化した値と浮動小数点のバイアスを使って float32 で計算した結果と、"
            "整数の結果を実数に戻した値を比べます。"
        ),
        "y_int": "整数の結果 (逆量子化)",
        "y_float": "同じ層を float32 で",
        "diff": "差",
        "diff_help": "最大でも出力の刻みの半分 ({half:.6f}) と、int32 バイアスのごく小さな丸め誤差だけです。",
        "float_caption": (
            "アキュムレータ自体には誤差がありません。実数で読むと ReLU の前で {y_acc:.6f} です。"
            "丸めは最後の 1 回、出力の格子への丸めだけなので、誤差は最大でも刻みの半分 s_out / 2 = {half:.6f} です。"
        ),
        "size_h": "モデルのサイズ：float32 と int8",
        "size.fp32": "float32 モデル",
        "size.int8": "int8 モデル",
        "size.bytes": "バイト",
        "size_summary": "float32 モデルは {fp32:,} バイト、int8 モデルは {int8:,} バイトで、その {pct:.0f} % です。",
        "size_parts": (
            "int8 の内訳: 重み {w:,} B (1 個 1 バイト)、int32 バイアス {b:,} B、スケールとゼロポイント {q:,} B。"
        ),
        "note": (
            "**ライブラリが実際にしていること。** TFLite の整数カーネルは、ここと同じく M0 · 2⁻ⁿ と gemmlowp の"
            "丸め付き倍化上位乗算 (SaturatingRoundingDoublingHighMul)、丸め付きシフトで再量子化します。"
            "PyTorch の x86 (fbgemm) カーネルは、バイアスを浮動小数点のまま持ち、float32 の M を掛けて偶数丸めを"
            "します。int32 バイアスと丸め方がわずかに違うため、出力の数 % 以下で 1 コードずれることがあります。"
            "7 ページでは、この重みそのものを PyTorch のカーネルで動かします。"
        ),
    },
}
