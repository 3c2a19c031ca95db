"""Strings of page 6, integer inference (整数だけの推論)."""

STRINGS = {
    "en": {
        "title": "Integer inference: one layer, step by step",
        "intro": (
            "The quantized model never multiplies a float. Its input is turned into integer codes once; each layer "
            "then multiplies the activation codes by the weight codes, adds them up in an **int32** accumulator, "
            "adds an int32 bias, and *requantizes*: one integer multiply by **M0** and a right shift by **n** bring "
            "the sum back to the output's scale, the output zero point is added, and the result is clamped to the "
            "output's code range. Pick one output value below and follow its actual numbers, taken from the "
            "engine's own trace."
        ),
        "model": "Quantized model",
        "model_codes": (
            "Weights: {w}-bit codes {wmin}…{wmax}. Activations: {a}-bit codes {amin}…{amax}. The engine keeps "
            "every code in one byte (int8 for weights, uint8 for activations)."
        ),
        "model_codes_sub": (
            " A {w}-bit weight code uses {w} of its byte's 8 bits: the model size at the end shows what packing "
            "the codes would save."
        ),
        "loading": "Loading the model and the digits…",
        "float_mode": "This model requantizes with a float multiplier (PyTorch's x86 kernel), not M0 · 2⁻ⁿ.",
        "source": "Input",
        "source.sample": "A test sample",
        "source.predict": "The digit from the Predict page",
        "no_given": "No digit was drawn, uploaded or taken on the Predict page yet, so a test sample is used.",
        "sample": "Test sample (0…{n})",
        "input_given": "the digit from the Predict page",
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
        "steps_h": "The arithmetic of {name}, channel {c}",
        "steps_h_at": "The arithmetic of {name}, channel {c} at row {r}, column {c2}",
        "step1": (
            "**1 · Multiply and add in integers.** Each of the {k} input codes minus the input zero point "
            "(z_in = {z_in}) times its weight code, summed exactly in an int32 accumulator. Padding is the code "
            "z_in, which is real 0."
        ),
        "step2": (
            "**2 · Add the int32 bias.** The float bias was quantized once with scale s_in · s_w, the scale of the "
            "accumulator, so it is simply added."
        ),
        "step3": (
            "**3 · The multiplier.** The accumulator counts in units of s_in · s_w; the output counts in steps of "
            "s_out. Converting is a multiply by M, written as an int32 M0 in [2³⁰, 2³¹) times 2⁻ⁿ so that no float "
            "is needed at run time."
        ),
        "step4": (
            "**4 · Requantize, rounding twice.** Multiply by M0 and keep the high 32 bits, rounded (÷ 2³¹): the "
            "first rounding, to a multiple of 1/{den} of an output step. Then a rounding right shift by {right} "
            "bits: the second rounding, to a whole step. Together they come close to rounding (acc + b_q) · M once, "
            "but are not always equal to it."
        ),
        "step4_one": (
            "**4 · Requantize.** Multiply by M0 and keep the high 32 bits, rounded (÷ 2³¹); with n = {n} no shift "
            "follows, so this is the only rounding."
        ),
        "exact": "Exact: (acc + b_q) · M",
        "once": "Rounded once",
        "engine": "The engine (two roundings)",
        "steps_unit": "{v:.4f} steps",
        "twice_caption": (
            "The exact value is {exact:.4f} output steps; rounding it once would give {once}. The engine first "
            "rounds to {high} units of 1/{den} step ({high_steps:.4f} steps), then rounds that to {rounded}. Each "
            "rounding can be off by half of its own unit, so the engine's code can lie up to "
            "½ · (1 + 1/{den}) = {bound:.4f} steps from the exact value, not just half a step; here it lies "
            "{err:.4f} steps away."
        ),
        "twice_differs": " Here the two roundings give another code than one rounding would.",
        "census": " Over this input, {k} of the {n} unclamped outputs of all layers ({pct:.1f} %) land on another "
        "code than one rounding would give.",
        "twice_caption_one": (
            "The exact value is {exact:.4f} output steps; the engine rounds it once, to {rounded}: at most half a "
            "step away."
        ),
        "step5": "**5 · Add the output zero point and clamp** to the code range {lo}…{hi}.",
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
        "row.high": "× M0, high 32 bits (1st rounding)",
        "row.rounded": "rounding right shift (2nd rounding)",
        "row.z_out": "output zero point",
        "row.pre_clamp": "before the clamp",
        "row.q_out": "output code ({a}-bit)",
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
        "fig.input_title": "Input codes q_in ({a}-bit, {amin}…{amax})",
        "fig.output_title": "Output codes of {name}, channel {c}",
        "fig.hover_code": "row %{y}, column %{x}: code %{z}",
        "fig.row": "row",
        "fig.col": "column",
        "fig.part": "input (channel, kernel row, column)",
        "fig.contribution": "(q_in − z_in) · q_w",
        "fig.input_summary": (
            "The input as {a}-bit codes: {caption}, quantized with scale {s:.5f} and zero point {z} "
            "(the background, −1.0, becomes code {bg})."
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
        "diff_help": (
            "The two roundings (at most {bound:.4f} output steps) plus the rounding of the int32 bias (at most half "
            "an accumulator unit, {bias:.2g} output steps): at most {total:.6f} in all, unless the clamp cut the "
            "value."
        ),
        "float_caption": (
            "The accumulator itself is exact: read as a real number it is {y_acc:.6f} (before the ReLU). The "
            "integer result differs from float only by roundings: the int32 bias's and the two of step 4, at most "
            "{total:.6f} here ({steps:.4f} output steps of s_out = {s_out:.6f})."
        ),
        "size_h": "Model size: float32 against the integer model",
        "size.fp32": "float32 model",
        "size.stored": "As stored, one code a byte",
        "fig.size_stored": "As stored,<br>one code a byte",  # the chart's bar label: two lines, never sideways
        "size.packed": "{w}-bit codes packed",
        "fig.size_packed": "{w}-bit codes<br>packed",
        "size.bytes": "bytes",
        "size_summary": (
            "The float32 model takes {fp32:,} bytes; the integer model as stored {int8:,} bytes, {pct:.0f} % of it."
        ),
        "size_summary_packed": " With its {w}-bit weight codes packed it would take {packed:,} bytes, {ppct:.0f} %.",
        "size_parts": (
            "As stored: {w:,} B of weight codes (one byte each, at {bits} bits too), {b:,} B of int32 biases, "
            "{q:,} B of scales and zero points: {bpw:.2f} bits per weight with its channel's scale."
        ),
        "size_parts_packed": (
            " Packed: {pw:,} B of weight codes, {pbpw:.2f} bits per weight with its channel's scale; the biases "
            "and scales stay as they are. This engine keeps one code per byte: packed codes need a kernel that "
            "unpacks them."
        ),
        "size_parts_8": " 8-bit codes fill their byte: packing would save nothing.",
        "note": (
            "**What the libraries really do.** TFLite's integer kernels requantize exactly like this: M0 · 2⁻ⁿ with "
            "gemmlowp's rounding doubling high multiply and a rounding shift, two roundings. PyTorch's x86 "
            "(fbgemm) kernels instead keep the bias in float and multiply by a float32 M, rounding once, half to "
            "even; so the two can differ by one code on some outputs (the int32 bias and the rounding differ), the "
            "more often the fewer the bits. On CPUs without VNNI fbgemm also adds the products two at a time in 16 "
            "bits, which 8-bit activations can overflow: then the sums themselves differ. Page 7 runs PyTorch's "
            "kernels on these very weights, on this server's CPU."
        ),
        "q.acc.prompt": "Before you take a value apart: one output of **{layer}** sums {k} products $(q_{{in}} - "
        "z_{{in}}) \\cdot w$ of {a}-bit codes. Why does the engine add them in an **int32** accumulator?",
        "q.acc.opt.clamp": "It needn't: int8 would do if every partial sum were clamped to −128…127",
        "q.acc.opt.int16": "int16 would be enough; int32 is just what the hardware prefers",
        "q.acc.opt.fits": "one product alone can need 16 bits, and {k} of them add up to far more",
        "q.acc.why": "A product is up to {product} in size (255 · 128), already beyond int8, and {k} of them can "
        "reach {bound}: far beyond int16's {int16}, well inside int32's {int32}. This very value "
        "of {layer} sums to **{acc}**, outside int16 already. Clamping the partial sums would make "
        "the result depend on the order of the additions and lose real information; the int32 sum "
        "is exact.",
        "q.acc.show": "Show me: a value of {layer}",
        "q.multiplier.prompt": "Step 3 multiplies the accumulator by $M = s_{{in}} s_w / s_{{out}}$, which is {m} for {layer}, "
        "channel 0: a real number. How does the integer engine multiply by it?",
        "q.multiplier.opt.float": "It converts the accumulator to float for this one multiplication",
        "q.multiplier.opt.round": "It rounds M to the nearest integer, {rounded}",
        "q.multiplier.opt.fixed": "As an integer times a power of two: $M_0 \\cdot 2^{{-n}}$, a multiply and a shift",
        "q.multiplier.why": "$M \\approx M_0 \\cdot 2^{{-n}}$ with the int32 $M_0$ = {m0} and $n$ = {n}: {m0} / 2^{n} = "
        "{approx}, off by a relative {rel}. The engine multiplies the int32 accumulator by $M_0$ "
        "(a 64-bit product), then shifts it right by $n$ with rounding: no float anywhere, as on "
        "a microcontroller or a phone's DSP. Rounding M itself would give {rounded} and erase every "
        "output.",
        "q.multiplier.show": "Show me: {layer}, channel 0",
    },
    "ja": {
        "title": "整数だけの推論：1\u00a0つの層を一歩ずつ",  # "1 つ" never split
        "intro": (
            "量子化したモデルは、浮動小数点の掛け算を一度もしません。入力は最初に一度だけ整数のコードに変換されます。"
            "各層では活性化のコードと重みのコードを掛け、**int32** のアキュムレータに足し込み、int32 のバイアスを"
            "加えてから**再量子化**します。整数 **M0** を 1 回掛けて **n** ビット右シフトすると、和が出力のスケールに"
            "戻ります。そこに出力のゼロポイントを足し、出力のコードの範囲にクランプします。"
            "下で出力値を 1 つ選び、推論エンジン自身のトレースから取った実際の数値で計算を追ってみましょう。"
        ),
        "model": "量子化モデル",
        "model_codes": (
            "重み：{w} ビットのコード（{wmin}〜{wmax}）。活性化：{a} ビットのコード（{amin}〜{amax}）。"
            "推論エンジンはどのコードも 1 バイトに入れて持ちます（重みは int8、活性化は uint8）。"
        ),
        "model_codes_sub": (
            "{w} ビットの重みのコードは、1 バイト 8 ビットのうち {w} ビットしか使いません。"
            "詰めて格納するとどれだけ小さくなるかは、最後のモデルのサイズで示します。"
        ),
        "loading": "モデルと数字のデータを読み込み中…",
        "float_mode": "このモデルは M0 · 2⁻ⁿ ではなく浮動小数点の乗数で再量子化します（PyTorch の x86 カーネルと同じ）。",
        "source": "入力",
        "source.sample": "テストサンプル",
        "source.predict": "「推論してみる」ページの数字",
        "no_given": "「推論してみる」ページでまだ数字が描かれておらず、画像のアップロードや撮影もされていないので、"
        "テストサンプルを使います。",
        "sample": "テストサンプル（0〜{n}）",
        "input_given": "「推論してみる」ページの数字",
        "input_sample": "テストサンプル {i}（数字の {label}）",
        "pick_h": "出力値を 1 つ選ぶ",
        "layer": "層",
        "layer_label": "{name}（{kind}）",
        "kind.conv": "畳み込み + ReLU",
        "kind.linear": "全結合、ロジット",
        "channel": "出力チャネル",
        "output": "出力（クラス）",
        "row": "行",
        "col": "列",
        "steps_h": "{name} のチャネル {c} の計算",
        "steps_h_at": "{name} のチャネル {c}、{r} 行 {c2} 列の計算",
        "step1": (
            "**1 · 整数で掛けて足す**。{k} 個の入力コードそれぞれから入力のゼロポイント（z_in = {z_in}）を引き、"
            "重みのコードを掛けて、int32 のアキュムレータで誤差なく合計します。パディングはコード z_in、"
            "つまり実数の 0 です。"
        ),
        "step2": (
            "**2 · int32 のバイアスを足す**。浮動小数点のバイアスは、アキュムレータと同じスケール s_in · s_w で"
            "あらかじめ量子化してあるので、そのまま足すだけです。"
        ),
        "step3": (
            "**3 · 乗数**。アキュムレータは s_in · s_w を単位に数え、出力は s_out の刻み（目盛りの間隔）で数えます。"
            "単位の変換は M を掛けることですが、実行時に浮動小数点を使わないよう、M を [2³⁰, 2³¹) の int32 の M0 と"
            " 2⁻ⁿ の積で表します。"
        ),
        "step4": (
            "**4 · 再量子化：丸めは 2 回**。M0 を掛けて上位 32 ビットを丸めて取り出します（÷ 2³¹）。これが 1 回目の"
            "丸めで、出力の刻みの 1/{den} を単位に丸めます。続いて {right} ビットの丸め付き右シフトで、刻みの整数倍に"
            "丸めます（2 回目）。2 回合わせると (acc + b_q) · M を 1 回で丸めた値に近くなりますが、いつも同じとは"
            "限りません。"
        ),
        "step4_one": (
            "**4 · 再量子化**。M0 を掛けて上位 32 ビットを丸めて取り出します（÷ 2³¹）。n = {n} なのでシフトは"
            "続かず、丸めはこの 1 回だけです。"
        ),
        "exact": "正確な値：(acc + b_q) · M",
        "once": "1 回だけ丸めた値",
        "engine": "エンジンの値（2 回の丸め）",
        "steps_unit": "{v:.4f} 刻み",
        "twice_caption": (
            "正確な値は出力の刻みで {exact:.4f} 個分で、1 回だけ丸めれば {once} です。エンジンはまず 1/{den} 刻みを"
            "単位に {high}（{high_steps:.4f} 刻み）へ丸め、それをさらに {rounded} へ丸めます。丸めはそれぞれ自分の"
            "単位の半分までずれるので、エンジンのコードは正確な値から最大 ½ ·（1 + 1/{den}）= {bound:.4f} 刻みまで"
            "離れます。刻みの半分に収まるとは限りません。ここでの差は {err:.4f} 刻みです。"
        ),
        "twice_differs": "ここでは 2 回の丸めで、1 回の丸めとは違うコードになっています。",
        "census": "この入力では、全層のクランプされていない出力 {n} 個のうち {k} 個（{pct:.1f} %）が、1 回の丸めとは"
        "違うコードになっています。",
        "twice_caption_one": (
            "正確な値は出力の刻みで {exact:.4f} 個分です。エンジンはこれを 1 回だけ丸めて {rounded} にします"
            "（差は最大でも刻みの半分）。"
        ),
        "step5": "**5 · 出力のゼロポイントを足し、コードの範囲 {lo}〜{hi} にクランプ**します。",
        "step5_relu": (
            "下限は出力のゼロポイント {z}、つまり 0.0 のコードです。このクランプ**こそが** ReLU で、"
            "別の層は実行しません。"
        ),
        "clamped_low": (
            "クランプ前の値は {v} で、{lo} より小さい値でした。実数では負の値なので、ReLU で 0 になりました。"
            "別のチャネルや位置を選ぶと、クランプされずに通る値を見られます。"
        ),
        "clamped_min": "クランプ前の値は {v} で、最小のコード {lo} より小さいためクランプされました。",
        "clamped_high": "クランプ前の値は {v} で、最大のコード {hi} より大きいためクランプされました。",
        "col.step": "ステップ",
        "col.formula": "式",
        "col.value": "値",
        "row.z_in": "入力のゼロポイント",
        "row.acc": "int32 アキュムレータ",
        "row.b_q": "int32 バイアス",
        "row.acc_bias": "アキュムレータ + バイアス",
        "row.M": "乗数 M（実数）",
        "row.M0": "M0（int32）",
        "row.n": "シフト量 n",
        "row.high": "× M0 の上位 32 ビット（1 回目の丸め）",
        "row.rounded": "丸め付き右シフト（2 回目の丸め）",
        "row.z_out": "出力のゼロポイント",
        "row.pre_clamp": "クランプ前",
        "row.q_out": "出力コード（{a} ビット）",
        "row.y_int": "出力を実数に戻した値",
        "row.y_float": "同じ層を float32 で計算した値",
        "terms_h": "アキュムレータの {k} 個の積をすべて表示",
        "term.k": "入力（チャネル, 行, 列）",
        "term.q": "q_in",
        "term.qz": "q_in − z_in",
        "term.w": "q_w",
        "term.p": "積",
        "fig.contrib_summary": "各部分がアキュムレータに足す量。{n} 本の棒の合計が {acc} です。",
        "fig.code": "コード",
        "fig.input_title": "入力のコード q_in（{a} ビット、{amin}〜{amax}）",
        "fig.output_title": "{name} のチャネル {c} の出力コード",
        "fig.hover_code": "%{y} 行 %{x} 列：コード %{z}",
        "fig.row": "行",
        "fig.col": "列",
        "fig.part": "入力（チャネル, カーネルの行, 列）",
        "fig.contribution": "積 (q_in − z_in) · q_w",
        "fig.input_summary": (
            "{a} ビットのコードにした入力：{caption}。スケール {s:.5f}、ゼロポイント {z} で量子化しています"
            "（背景の −1.0 はコード {bg} になります）。"
        ),
        "fig.output_summary": (
            "{name} のチャネル {c} の出力コードすべて。選んだ値（枠で囲んだもの）は {q} です。"
            "{z} のコードは実数の 0 です。"
        ),
        "float_h": "浮動小数点の計算と比べる",
        "float_text": (
            "同じ層を、同じ入力と重みを逆量子化した値と浮動小数点のバイアスを使って float32 で計算した結果と、"
            "整数の結果を実数に戻した値を比べます。"
        ),
        "y_int": "整数の結果（逆量子化）",
        "y_float": "同じ層を float32 で",
        "diff": "差",
        "diff_help": (
            "2 回の丸め（最大で出力の {bound:.4f} 刻み）と int32 バイアスの丸め（最大でアキュムレータの単位の半分、"
            "出力の {bias:.2g} 刻み）を合わせて、最大 {total:.6f} です（クランプで値が切られた場合を除く）。"
        ),
        "float_caption": (
            "アキュムレータ自体には誤差がありません。実数で読むと {y_acc:.6f} です（ReLU の前）。整数の結果が"
            "浮動小数点とずれるのは丸めだけで、int32 バイアスの丸めとステップ 4 の 2 回の丸めを合わせて、ここでは"
            "最大 {total:.6f}（s_out = {s_out:.6f} の刻みで {steps:.4f} 個分）です。"
        ),
        "size_h": "モデルのサイズ：float32 と整数のモデル",
        "size.fp32": "float32 モデル",
        "size.stored": "格納したまま（1 コード 1 バイト）",
        "fig.size_stored": "格納したまま<br>（1 コード 1 バイト）",
        "size.packed": "{w} ビットのコードを詰めた場合",
        "fig.size_packed": "{w} ビットのコードを<br>詰めた場合",
        "size.bytes": "バイト",
        "size_summary": (
            "float32 モデルは {fp32:,} バイト、整数のモデルは格納したままで {int8:,} バイトで、その {pct:.0f} % です。"
        ),
        "size_summary_packed": "{w} ビットの重みのコードを詰めて格納すれば {packed:,} バイト、{ppct:.0f} % になります。",
        "size_parts": (
            "格納したままの内訳：重みのコード {w:,} B（{bits} ビットでも 1 個 1 バイト）、int32 バイアス {b:,} B、"
            "スケールとゼロポイント {q:,} B。チャネルのスケールを含めて重み 1 個あたり {bpw:.2f} ビットです。"
        ),
        "size_parts_packed": (
            "詰めた場合：重みのコード {pw:,} B、スケールを含めて重み 1 個あたり {pbpw:.2f} ビット。バイアスと"
            "スケールはそのままです。この推論エンジンは 1 コードを 1 バイトで持つので、詰めたコードには、"
            "取り出して使うカーネルが必要です。"
        ),
        "size_parts_8": "8 ビットのコードは 1 バイトをちょうど使い切るので、詰めても小さくなりません。",
        "note": (
            "**ライブラリが実際にしていること**。TFLite の整数カーネルは、ここと同じく M0 · 2⁻ⁿ と gemmlowp の"
            "丸め付き倍化上位乗算（SaturatingRoundingDoublingHighMul）、丸め付きシフトの 2 回の丸めで再量子化します。"
            "PyTorch の x86（fbgemm）カーネルは、バイアスを浮動小数点のまま持ち、float32 の M を掛けて 1 回だけ"
            "偶数丸めをします。int32 バイアスと丸め方が違うため、出力によっては 1 コードずれることがあり、ビット数が少ないほど"
            "多くなります。"
            "VNNI のない CPU では、fbgemm は積を 2 つずつ 16 ビットで足すので、活性化が 8 ビットだとあふれることがあり、"
            "そのときは和そのものが違ってきます。7 ページでは、この重みそのものをこのサーバの CPU で PyTorch の"
            "カーネルで動かします。"
        ),
        "q.acc.prompt": "値を分解する前に考えてみましょう。**{layer}** の出力 1 つは、{a} ビットのコードの積 $(q_{{in}} - z_{{in}}) \\cdot w$ を {k} "
        "個足したものです。エンジンはなぜ **int32** のアキュムレータで足すのでしょう？",
        "q.acc.opt.clamp": "その必要はない：途中の和を毎回 −128〜127 にクランプすれば int8 で足りる",
        "q.acc.opt.int16": "int16 で足りる。int32 はハードウェアの好みにすぎない",
        "q.acc.opt.fits": "積 1 つだけで 16 ビット必要になることがあり、{k} 個足すとはるかに大きくなる",
        "q.acc.why": "積 1 つの大きさは最大 {product}（255 · 128）で、すでに int8 を超えます。{k} 個足すと {bound} に達し、int16 の {int16} をはるかに超えますが、"
        "int32 の {int32} には余裕で収まります。{layer} のこの値の和は **{acc}** で、すでに int16 の外です。途中の和をクランプすると、結果が足す順番で変わり、"
        "本当の情報も失われます。int32 の和は誤差なく正確です。",
        "q.acc.show": "{layer} の値で見る",
        "q.multiplier.prompt": "ステップ 3 では、アキュムレータに $M = s_{{in}} s_w / s_{{out}}$ を掛けます。{layer} のチャネル 0 では {m} で、実数です。整数エンジンはこれをどうやって掛けるのでしょう？",
        "q.multiplier.opt.float": "この掛け算のときだけ、アキュムレータを浮動小数点数に変換する",
        "q.multiplier.opt.round": "M を一番近い整数 {rounded} に丸める",
        "q.multiplier.opt.fixed": "整数と 2 のべき乗の積 $M_0 \\cdot 2^{{-n}}$ として：掛け算 1 回とシフト",
        "q.multiplier.why": "int32 の $M_0$ = {m0}、$n$ = {n} として $M \\approx M_0 \\cdot 2^{{-n}}$ です。{m0} / 2^{n} = {approx} "
        "で、相対誤差は {rel} です。エンジンは int32 のアキュムレータに $M_0$ を掛け（64 ビットの積）、丸めながら $n$ ビット右にシフトします。マイコンやスマートフォンの "
        "DSP と同じく、浮動小数点数はどこにも出てきません。M そのものを丸めると {rounded} になり、出力がすべて消えてしまいます。",
        "q.multiplier.show": "{layer} のチャネル 0 で見る",
    },
}
