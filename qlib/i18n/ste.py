"""Strings of lesson 3, the straight-through estimator."""

STRINGS = {
    "en": {
        "ste.title": "The straight-through estimator (STE)",
        "ste.intro": "Quantization-aware training puts `fake_quant` (quantize, then dequantize) in the forward "
        "pass. Forward, that is a staircase. Backward, it is a problem: the derivative of a staircase is 0 "
        "on every step, so no gradient would reach the weights. The STE passes the gradient through as if "
        "the rounding were the identity, but only inside the range; where a value clips, the gradient is 0.",
        "ste.curves_h": "Forward and backward",
        "ste.bits": "Bit width (range −1…1)",
        "ste.bits_help": "Few bits make the steps big enough to see.",
        "ste.forward_summary": "Forward: fake_quant is a staircase of {n} levels over −1…1, flat beyond; the dashed "
        "line is the identity it approximates.",
        "ste.backward_summary": "Backward: rounding's true derivative is 0 everywhere (dotted); the STE uses 1 "
        "inside the range and 0 where values clip (solid).",
        "ste.fig.identity": "identity y = x",
        "ste.fig.fq": "fake_quant(x)",
        "ste.fig.forward_axis": "forward output",
        "ste.fig.forward_title": "Forward: the staircase",
        "ste.fig.grad_ste": "STE: 1 inside, 0 where clipped",
        "ste.fig.grad_true": "true derivative of rounding: 0",
        "ste.fig.backward_axis": "gradient ∂y/∂x",
        "ste.fig.backward_title": "Backward: the gradient passed on",
        "ste.fit_h": "A 1-D fit: learn one weight",
        "ste.fit_text": "Fit $y = \\hat{w}\\,x$ where $\\hat{w} = \\text{fake\\_quant}(w)$, by gradient descent "
        "from $w = 0.1$. With the STE the float weight $w$ moves toward the target and $\\hat{w}$ jumps to the "
        "nearest grid point; with the true gradient, $w$ never moves.",
        "ste.fit_bits": "bits of w",
        "ste.fit_target": "target weight",
        "ste.fit_lr": "learning rate",
        "ste.fit_summary": "Left: the loss over 60 steps (log scale). Right: the float weight w. With the STE "
        "w ends at {w_ste}; without it w stays at {w_no}. The target is {target}. "
        "With the STE, w may keep hopping across the boundary between two grid points (the loss jumps up and "
        "down): the weight oscillation that QAT papers report, and one reason to freeze or lower the learning "
        "rate at the end.",
        "ste.fig.loss": "loss (MSE)",
        "ste.fig.weight": "float weight w",
        "ste.fig.step": "step",
        "ste.fig.ste": "with the STE",
        "ste.fig.no_ste": "true gradient (no STE)",
        "ste.fig.target": "target {w}",
        "ste.fig.w_q": "quantized ŵ (with the STE)",
        "ste.formula_note": "Rounding is flat between its jumps, so its derivative is 0 everywhere except at "
        "the jumps, where it does not exist. The STE replaces it by 1 inside the range and 0 outside.",
        "ste.m.w_ste": "w with the STE",
        "ste.m.loss_ste": "final loss, STE",
        "ste.m.w_no": "w without the STE",
        "ste.m.loss_no": "final loss, no STE",
        "ste.m.wq": "quantized: ŵ = {wq}",
        "ste.cnn_h": "The tiny CNN: gradient per layer",
        "ste.cnn_text": "One batch of 64 digits through the tiny CNN with every weight fake-quantized. "
        "The bars are the size (L2 norm) of each layer's weight gradient.",
        "ste.cnn_bits": "weight bits",
        "ste.cnn_summary": "Bar chart of weight-gradient norms for layers {layers}: up to {biggest} with the STE, "
        "{none} without it.",
        "ste.cnn_source.pretrained": "Model: the shipped float32 tiny CNN. Loss on this batch: {loss}.",
        "ste.cnn_source.init": "Model: the tiny CNN, freshly initialised (no trained weights shipped yet). Loss: {loss}.",
        "ste.fig.layer": "layer",
        "ste.fig.grad_norm": "‖∂loss/∂W‖",
        "ste.why_h": "Why not train in int8 directly?",
        "ste.why.gradients": "- **Gradients**: they are tiny and span many orders of magnitude; on an int8 grid "
        "most of them round to 0, exactly like the staircase above.",
        "ste.why.dynamics": "- **Learning dynamics**: an update smaller than half a step changes nothing. "
        "Keeping float weights and quantizing them in the forward pass lets many small updates add up.",
        "ste.why.hardware": "- **Hardware**: training runs on GPUs that are fast at float16/bfloat16 anyway; "
        "integer units matter at inference time, on phones and microcontrollers.",
        "ste.why.gain": "- **Small gain**: a model is trained once and run millions of times. QAT gets nearly "
        "all of the int8 benefit while training in float.",
        "ste.note.clip": "**PyTorch's fake quant** (`torch.fake_quantize_per_tensor_affine`) passes the gradient "
        "unchanged where the value is inside the range and passes **no gradient where it clips**: exactly the "
        "STE on this page.",
        "ste.note.observers": "**PyTorch's default QAT** keeps updating scale and zero point during training "
        "(its observers watch every batch) until you freeze them, usually for the last epochs "
        "(`torch.ao.quantization.disable_observer`).",
    },
    "ja": {
        "ste.title": "ストレート・スルー推定器（STE）",
        "ste.intro": "量子化対応学習では、順伝播に `fake_quant`（量子化してすぐ逆量子化する偽量子化）を入れます。"
        "順伝播では、これは階段関数です。問題は逆伝播で、階段の微分はどの段でも 0 なので、"
        "重みまで勾配が届きません。STE は丸めを恒等写像とみなして勾配をそのまま通します。"
        "ただし通すのは範囲の内側だけで、クリップされる値の勾配は 0 です。",
        "ste.curves_h": "順伝播と逆伝播",
        "ste.bits": "ビット幅（範囲 −1…1）",
        "ste.bits_help": "ビット数が少ないほど段が大きくなり、よく見えます。",
        "ste.forward_summary": "順伝播：fake_quant は −1…1 の上で {n} 段の階段になり、その外側では平らです。"
        "破線は、階段が近似している恒等写像です。",
        "ste.backward_summary": "逆伝播：丸めの本当の微分はどこでも 0（点線）。STE は範囲の内側で 1、"
        "クリップされる所で 0 を使います（実線）。",
        "ste.fig.identity": "恒等写像 y = x",
        "ste.fig.fq": "fake_quant(x)",
        "ste.fig.forward_axis": "順伝播の出力",
        "ste.fig.forward_title": "順伝播：階段関数",
        "ste.fig.grad_ste": "STE：内側は 1、クリップ部分は 0",
        "ste.fig.grad_true": "丸めの本当の微分：0",
        "ste.fig.backward_axis": "勾配 ∂y/∂x",
        "ste.fig.backward_title": "逆伝播：伝わる勾配",
        "ste.fit_h": "1 次元のフィット：重みを 1 つだけ学習する",
        "ste.fit_text": "$y = \\hat{w}\\,x$（$\\hat{w} = \\text{fake\\_quant}(w)$）を、$w = 0.1$ から勾配降下法でフィットします。"
        "STE があると float の重み $w$ は目標に向かって動き、$\\hat{w}$ は一番近い目盛りに飛び移ります。"
        "本当の勾配を使うと $w$ はまったく動きません。",
        "ste.fit_bits": "w のビット数",
        "ste.fit_target": "目標の重み",
        "ste.fit_lr": "学習率",
        "ste.fit_summary": "左：60 ステップの損失（対数目盛り）。右：float の重み w。STE ありでは w は最終的に {w_ste}、"
        "なしでは {w_no} のままです。目標は {target}。"
        "STE ありでは、w が 2 つの目盛りの境目を行ったり来たりし続けることがあります（損失が上下に跳ねる）。"
        "QAT の論文で報告されている「重みの振動」で、学習の終わりに学習率を下げたり固定したりする理由の 1 つです。",
        "ste.fig.loss": "損失（MSE）",
        "ste.fig.weight": "float の重み w",
        "ste.fig.step": "ステップ",
        "ste.fig.ste": "STE あり",
        "ste.fig.no_ste": "本当の勾配（STE なし）",
        "ste.fig.target": "目標 {w}",
        "ste.fig.w_q": "量子化した ŵ（STE あり）",
        "ste.formula_note": "丸めは段と段の間で平らなので、その微分は段の境目以外どこでも 0 で、境目では定義されません。"
        "STE はこれを、範囲の内側では 1、外側では 0 に置き換えます。",
        "ste.m.w_ste": "STE ありの w",
        "ste.m.loss_ste": "最終損失（STE あり）",
        "ste.m.w_no": "STE なしの w",
        "ste.m.loss_no": "最終損失（STE なし）",
        "ste.m.wq": "量子化後：ŵ = {wq}",
        "ste.cnn_h": "小さな CNN：層ごとの勾配",
        "ste.cnn_text": "すべての重みを偽量子化した小さな CNN に、64 枚の数字画像を 1 バッチ通します。"
        "棒の高さは、各層の重みの勾配の大きさ（L2 ノルム）です。",
        "ste.cnn_bits": "重みのビット数",
        "ste.cnn_summary": "層 {layers} の重みの勾配ノルムの棒グラフ：STE ありでは最大 {biggest}、なしでは {none}。",
        "ste.cnn_source.pretrained": "モデル：同梱の float32 の小さな CNN。このバッチでの損失：{loss}。",
        "ste.cnn_source.init": "モデル：初期化したばかりの小さな CNN（学習済みの重みはまだ同梱されていません）。損失：{loss}。",
        "ste.fig.layer": "層",
        "ste.fig.grad_norm": "‖∂損失/∂W‖",
        "ste.why_h": "なぜ最初から int8 で学習しないのか",
        "ste.why.gradients": "- **勾配**：勾配はとても小さく、桁も大きくばらつきます。int8 の目盛りに乗せると、"
        "ほとんどが 0 に丸められてしまいます。上の階段とまったく同じです。",
        "ste.why.dynamics": "- **学習の進み方**：半段より小さい更新は何も変えません。float の重みを持ち続け、"
        "順伝播でだけ量子化すれば、小さな更新が積み重なっていきます。",
        "ste.why.hardware": "- **ハードウェア**：学習は、もともと float16/bfloat16 が速い GPU で行います。"
        "整数演算器が効いてくるのは、スマートフォンやマイコンでの推論のときです。",
        "ste.why.gain": "- **得るものが小さい**：モデルの学習は 1 回、実行は何百万回です。QAT なら float で学習しながら、"
        "int8 の利点のほぼすべてを得られます。",
        "ste.note.clip": "**PyTorch の偽量子化**（`torch.fake_quantize_per_tensor_affine`）は、値が範囲の内側なら勾配を"
        "そのまま通し、**クリップされる所では勾配を通しません**。このページの STE そのものです。",
        "ste.note.observers": "**PyTorch の標準的な QAT** は、学習中もスケールとゼロポイントを更新し続けます"
        "（オブザーバが毎バッチ値を観測するため）。止めるにはオブザーバを凍結します。ふつうは最後の数エポックで行います"
        "（`torch.ao.quantization.disable_observer`）。",
    },
}
