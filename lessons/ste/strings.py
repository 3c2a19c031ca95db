"""Strings of lesson 3, the straight-through estimator."""

STRINGS = {
    "en": {
        "title": "The straight-through estimator (STE)",
        "intro": "Quantization-aware training puts `fake_quant` (quantize, then dequantize) in the forward "
        "pass. Forward, that is a staircase. Backward, it is a problem: the derivative of a staircase is 0 "
        "on every step, so no gradient would reach the weights. The STE passes the gradient through as if "
        "the rounding were the identity, but only inside the range; where a value clips, the gradient is 0.",
        "curves_h": "Forward and backward",
        "bits": "Bit width (range asked for: −1…1)",
        "bits_help": "Few bits make the steps big enough to see.",
        "forward_summary": "Forward: fake_quant is a staircase of {n} levels from {glo} to {ghi}, flat beyond; "
        "the dashed line is the identity it approximates. Shaded: where the value clips (below {mlo}, above "
        "{mhi}).",
        "backward_summary": "Backward: rounding's true derivative is 0 everywhere (dotted); the STE uses 1 "
        "where {qmin} ≤ round(x/s) + {z} ≤ {qmax}, that is from {mlo} to {mhi}, half a step beyond the end "
        "codes, and 0 where the value clips (shaded): the same mask as in the formula and the forward chart.",
        "grid_note": "Why does the grid run from {glo} to {ghi}, not from −1 to 1? {n} codes make {steps} "
        "steps, an odd number, so s = 2/{steps} and 0 falls between two codes: the zero point −x_min/s is "
        "{raw} in float32, not an integer. It rounds (half to even) to {zp}, and the whole grid moves with "
        "it. PyTorch's observers compute it the same way.",
        "fig.clips": "the value clips: no gradient",
        "fig.identity": "identity y = x",
        "fig.fq": "fake_quant(x)",
        "fig.forward_axis": "forward output",
        "fig.forward_title": "Forward: the staircase",
        "fig.grad_ste": "STE: 1 inside, 0 where clipped",
        "fig.grad_true": "true derivative of rounding: 0",
        "fig.backward_axis": "gradient ∂y/∂x",
        "fig.backward_title": "Backward: the gradient passed on",
        "fit_h": "A 1-D fit: learn one weight",
        "fit_text": "Fit $y = \\hat{w}\\,x$ where $\\hat{w} = \\text{fake\\_quant}(w)$, by gradient descent "
        "from $w = 0.1$. With the STE the float weight $w$ moves toward the target and $\\hat{w}$ jumps to the "
        "nearest grid point; with the true gradient, $w$ never moves.",
        "fit_bits": "bits of w",
        "fit_target": "target weight",
        "fit_lr": "learning rate",
        "fit_summary": "Left: the loss over 60 steps (log scale). Right: the float weight w. With the STE "
        "w ends at {w_ste}; without it w stays at {w_no}. The target is {target}. "
        "With the STE, w may keep hopping across the boundary between two grid points (the loss jumps up and "
        "down): the weight oscillation that QAT papers report, and one reason to lower the learning rate or "
        "freeze the weights at the end.",
        "fig.loss": "loss (MSE)",
        "fig.weight": "float weight w",
        "fig.step": "step",
        "fig.ste": "with the STE",
        "fig.no_ste": "true gradient (no STE)",
        "fig.target": "target {w}",
        "fig.w_q": "quantized ŵ (with the STE)",
        "formula_note": "Rounding is flat between its jumps, so its derivative is 0 everywhere except at "
        "the jumps, where it does not exist. The STE replaces it by 1 where the code before the clamp, "
        "round(x/s) + z, lies within the codes, and by 0 where the value clips: PyTorch's rule.",
        "m.w_ste": "w with the STE",
        "m.loss_ste": "final loss, STE",
        "m.w_no": "w without the STE",
        "m.loss_no": "final loss, no STE",
        "m.wq": "quantized: ŵ = {wq}",
        "cnn_h": "The tiny CNN: gradient per layer",
        "cnn_text": "One batch of 64 digits through the tiny CNN with every weight fake-quantized. "
        "The bars are the size (L2 norm) of each layer's weight gradient.",
        "cnn_bits": "weight bits",
        "cnn_summary": "Bar chart of weight-gradient norms for layers {layers}: up to {biggest} with the STE, "
        "{none} without it.",
        "cnn_source": "Model: the shipped float32 tiny CNN. Loss on this batch: {loss}.",
        "fig.layer": "layer",
        "fig.grad_norm": "‖∂loss/∂W‖",
        "why_h": "Why not train in int8 directly?",
        "why.gradients": "- **Gradients**: they are tiny and span many orders of magnitude; on an int8 grid "
        "most of them round to 0, exactly like the staircase above.",
        "why.dynamics": "- **Learning dynamics**: an update smaller than half a step changes nothing. "
        "Keeping float weights and quantizing them in the forward pass lets many small updates add up.",
        "why.hardware": "- **Hardware**: training runs on GPUs that are fast at float16/bfloat16 anyway; "
        "integer units matter at inference time, on phones and microcontrollers.",
        "why.gain": "- **Small gain**: a model is trained once and run millions of times. QAT gets nearly "
        "all of the int8 benefit while training in float.",
        "note.clip": "**PyTorch's fake quant** (`torch.fake_quantize_per_tensor_affine`) passes the gradient "
        "unchanged where the value is inside the range and passes **no gradient where it clips**: exactly the "
        "STE on this page.",
        "note.observers": "**PyTorch's default QAT** keeps updating scale and zero point during training "
        "(its observers watch every batch) until you freeze them, usually for the last epochs "
        "(`torch.ao.quantization.disable_observer`).",
    },
    "ja": {
        "title": "ストレートスルー推定器（STE）",
        "intro": "量子化対応学習では、順伝播に `fake_quant`（量子化してすぐ逆量子化する偽量子化。疑似量子化とも"
        "呼ばれますが、同じものです）を入れます。"
        "順伝播では、これは階段関数です。問題は逆伝播で、階段の微分はどの段でも 0 なので、"
        "重みまで勾配が届きません。STE は丸めを恒等写像とみなして勾配をそのまま通します。"
        "ただし通すのは範囲の内側だけで、クリップされる値の勾配は 0 です。",
        "curves_h": "順伝播と逆伝播",
        "bits": "ビット幅（指定する範囲：−1〜1）",
        "bits_help": "ビット数が少ないほど段が大きくなり、よく見えます。",
        "forward_summary": "順伝播：fake_quant は {glo} から {ghi} までの {n} 段の階段になり、その外側では"
        "平らです。破線は、階段が近似している恒等写像です。色付きの部分（{mlo} より下、{mhi} より上）では値が"
        "クリップされます。",
        "backward_summary": "逆伝播：丸めの本当の微分はどこでも 0（点線）。STE は {qmin} ≤ round(x/s) + {z} ≤ "
        "{qmax} の所、つまり端のコードから半段外側までの {mlo}〜{mhi} で 1、値がクリップされる所（色付き）で "
        "0 を使います。式とも順伝播のグラフとも同じ範囲です。",
        "grid_note": "目盛りが −1〜1 ではなく {glo}〜{ghi} になるのはなぜでしょう。{n} 個のコードの間の段は "
        "{steps} 個で奇数なので、s = 2/{steps} とすると 0 は 2 つのコードの間に来ます。ゼロポイント −x_min/s は "
        "float32 で {raw} となり、整数ではありません。これが（偶数丸めで）{zp} に丸められ、目盛り全体が一緒に"
        "ずれます。PyTorch のオブザーバも同じ計算をします。",
        "fig.clips": "値がクリップされる所：勾配なし",
        "fig.identity": "恒等写像 y = x",
        "fig.fq": "fake_quant(x)",
        "fig.forward_axis": "順伝播の出力",
        "fig.forward_title": "順伝播：階段関数",
        "fig.grad_ste": "STE：内側は 1、クリップ部分は 0",
        "fig.grad_true": "丸めの本当の微分：0",
        "fig.backward_axis": "勾配 ∂y/∂x",
        "fig.backward_title": "逆伝播：伝わる勾配",
        "fit_h": "1 次元のフィット：重みを 1 つだけ学習する",
        "fit_text": "$y = \\hat{w}\\,x$（$\\hat{w} = \\text{fake\\_quant}(w)$）を、$w = 0.1$ から勾配降下法でフィットします。"
        "STE があると float の重み $w$ は目標に向かって動き、$\\hat{w}$ は一番近い目盛りに飛び移ります。"
        "本当の勾配を使うと $w$ はまったく動きません。",
        "fit_bits": "w のビット数",
        "fit_target": "目標の重み",
        "fit_lr": "学習率",
        "fit_summary": "左：60 ステップの損失（対数目盛り）。右：float の重み w。STE ありでは w は最終的に {w_ste}、"
        "なしでは {w_no} のままです。目標は {target}。"
        "STE ありでは、w が 2 つの目盛りの境目を行ったり来たりし続けることがあります（損失が上下に跳ねる）。"
        "QAT の論文で報告されている「重みの振動」で、学習の終わりに学習率を下げたり、重みを固定したりする理由の "
        "1 つです。",
        "fig.loss": "損失（MSE）",
        "fig.weight": "float の重み w",
        "fig.step": "ステップ",
        "fig.ste": "STE あり",
        "fig.no_ste": "本当の勾配（STE なし）",
        "fig.target": "目標 {w}",
        "fig.w_q": "量子化した ŵ（STE あり）",
        "formula_note": "丸めは段と段の間で平らなので、その微分は段の境目以外どこでも 0 で、境目では定義されません。"
        "STE はこれを、クランプ前のコード round(x/s) + z がコードの範囲に入る所では 1、値がクリップされる所では "
        "0 に置き換えます。PyTorch と同じ規則です。",
        "m.w_ste": "STE ありの w",
        "m.loss_ste": "最終損失（STE あり）",
        "m.w_no": "STE なしの w",
        "m.loss_no": "最終損失（STE なし）",
        "m.wq": "量子化後：ŵ = {wq}",
        "cnn_h": "小さな CNN：層ごとの勾配",
        "cnn_text": "すべての重みを偽量子化した小さな CNN に、64 枚の数字画像を 1 バッチ通します。"
        "棒の高さは、各層の重みの勾配の大きさ（L2 ノルム）です。",
        "cnn_bits": "重みのビット数",
        "cnn_summary": "層 {layers} の重みの勾配ノルムの棒グラフ：STE ありでは最大 {biggest}、なしでは {none}。",
        "cnn_source": "モデル：同梱の float32 の小さな CNN。このバッチでの損失：{loss}。",
        "fig.layer": "層",
        "fig.grad_norm": "‖∂損失/∂W‖",
        "why_h": "なぜ最初から int8 で学習しないのか",
        "why.gradients": "- **勾配**：勾配はとても小さく、桁も大きくばらつきます。int8 の目盛りに乗せると、"
        "ほとんどが 0 に丸められてしまいます。上の階段とまったく同じです。",
        "why.dynamics": "- **学習の進み方**：半段より小さい更新は何も変えません。float の重みを持ち続け、"
        "順伝播でだけ量子化すれば、小さな更新が積み重なっていきます。",
        "why.hardware": "- **ハードウェア**：学習は、もともと float16/bfloat16 が速い GPU で行います。"
        "整数演算器が効いてくるのは、スマートフォンやマイコンでの推論のときです。",
        "why.gain": "- **得るものが小さい**：モデルの学習は 1 回、実行は何百万回です。QAT なら float で学習しながら、"
        "int8 の利点のほぼすべてを得られます。",
        "note.clip": "**PyTorch の偽量子化**（`torch.fake_quantize_per_tensor_affine`）は、値が範囲の内側なら勾配を"
        "そのまま通し、**クリップされる所では勾配を通しません**。このページの STE そのものです。",
        "note.observers": "**PyTorch の標準的な QAT** は、学習中もスケールとゼロポイントを更新し続けます"
        "（オブザーバが毎バッチ値を観測するため）。止めるにはオブザーバを凍結します。ふつうは最後の数エポックで行います"
        "（`torch.ao.quantization.disable_observer`）。",
    },
}
