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
        "{raw} in float32, not an integer.",
        "grid_round.tie": "That is an exact tie, and round() goes half to even: {zp}. The whole grid moves with "
        "it; PyTorch's observers compute it the same way.",
        "grid_round.below": "In float32 the scale is a hair above 2/{steps}, so this lies just below the tie "
        "{tie} and rounds down to {zp}. The whole grid moves with it; PyTorch's observers compute it the same way.",
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
        "fit_loss_summary": "The loss over 60 steps (log scale), with the STE and with the true gradient.",
        "fit_summary": "The float weight w over the same steps. With the STE "
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
        "q.true_grad.prompt": "Before you look at the backward chart: rounding turns $u$ into a staircase. What is the "
        "true derivative of $\\mathrm{{round}}(u)$?",
        "q.true_grad.opt.one": "1: rounding keeps every value roughly where it was",
        "q.true_grad.opt.scale": "$1/s$: one step up per step of the grid",
        "q.true_grad.opt.zero": "0 wherever it is defined: the steps are flat",
        "q.true_grad.why": "Between its jumps the staircase is flat, so its slope is 0; at the jumps it has no slope "
        "at all. The chart's true gradient is {g} at all {n} points it plots. No gradient reaches "
        "the weights, and gradient descent cannot move them. The STE replaces this derivative on "
        "the way back; the rounding on the way forward stays.",
        "q.true_grad.show": "Show me: {bits} bits, the coarsest staircase",
        "q.fit.prompt": "The fit below starts at $w = {w0}$ and aims for {target} ({bits} bits). **Without** the "
        "STE, where will $w$ be after {steps} steps?",
        "q.fit.opt.slow": "close to {target}, only more slowly than with the STE",
        "q.fit.opt.code": "on the code nearest {target}, like with the STE",
        "q.fit.opt.stuck": "still at {w0}: it never moves",
        "q.fit.why": "Without the STE the gradient that reaches $w$ is rounding's: 0 at every step. So $w$ stays "
        "at {w_no} and the loss at {loss_no}. With the STE, $w$ moves to {w_ste} and its quantized "
        "value $\\hat{{w}}$ to {wq_ste}, the code nearest the target. The STE doesn't make rounding "
        "differentiable; it passes the gradient on as if rounding were not there.",
        "q.fit.show": "Show me: the fit at {bits} bits, target {target}",
        "q.cnn.prompt": "Below, every weight of the tiny CNN is fake-quantized, even at {bits} bits. **With** the "
        "STE, what gradients will the weights get?",
        "q.cnn.opt.zero": "none: the STE is only a trick for the forward pass, and rounding's gradient is still 0",
        "q.cnn.opt.passes": "real, non-zero gradients in every layer",
        "q.cnn.opt.tiny": "non-zero, but far too small to learn from",
        "q.cnn.why": "At {bits} bits the STE passes gradient norms from {smallest} to {biggest} to the layers; "
        "the true gradient gives {none} everywhere. The STE's gradient is not zero: inside the range "
        "it is the float gradient, passed straight through the rounding. That is what lets quantization-aware "
        "training learn.",
        "q.cnn.show": "Show me: {bits}-bit weights",
    },
    "ja": {
        "title": "ストレートスルー\u200b推定器（STE）",  # a break between the two words on a phone
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
        "float32 で {raw} となり、整数ではありません。",
        "grid_round.tie": "これはちょうど中間の値で、round() は偶数丸めなので {zp} になります。目盛り全体が一緒に"
        "ずれます。PyTorch のオブザーバも同じ計算をします。",
        "grid_round.below": "float32 のスケールは 2/{steps} よりわずかに大きいので、この値は中間の {tie} より"
        "わずかに小さく、{zp} に丸められます。目盛り全体が一緒にずれます。PyTorch のオブザーバも同じ計算をします。",
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
        "STE があると浮動小数点の重み $w$ は目標に向かって動き、$\\hat{w}$ は一番近い目盛りに飛び移ります。"
        "本当の勾配を使うと $w$ はまったく動きません。",
        "fit_bits": "w のビット数",
        "fit_target": "目標の重み",
        "fit_lr": "学習率",
        "fit_loss_summary": "60 ステップの損失（対数目盛り）です。STE ありと、本当の勾配（STE なし）の 2 本です。",
        "fit_summary": "同じステップでの浮動小数点の重み w です。STE ありでは w は最終的に {w_ste}、"
        "なしでは {w_no} のままです。目標は {target}。"
        "STE ありでは、w が 2 つの目盛りの境目を行ったり来たりし続けることがあります（損失が上下に跳ねる）。"
        "QAT の論文で報告されている「重みの振動」で、学習の終わりに学習率を下げたり、重みを固定したりする理由の "
        "1 つです。",
        "fig.loss": "損失（MSE）",
        "fig.weight": "浮動小数点の重み w",
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
        "why.dynamics": "- **学習の進み方**：半段より小さい更新は何も変えません。浮動小数点の重みを持ち続け、"
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
        "q.true_grad.prompt": "逆伝播のグラフを見る前に考えてみましょう。丸めは $u$ を階段に変えます。$\\mathrm{{round}}(u)$ の本当の微分はいくつでしょう？",
        "q.true_grad.opt.one": "1：丸めても値はほぼ元の場所にあるから",
        "q.true_grad.opt.scale": "$1/s$：目盛り 1 つごとに 1 段上がるから",
        "q.true_grad.opt.zero": "定義できるところではどこでも 0：段は平らだから",
        "q.true_grad.why": "階段は段と段のあいだでは平らなので傾きは 0、段の境目では傾きそのものがありません。グラフの本当の勾配は、描いた {n} 点すべてで {g} です。重みには勾配が届かず、勾配降下法では重みが動きません。"
        "STE が置き換えるのは逆伝播でのこの微分で、順伝播の丸めはそのまま残ります。",
        "q.true_grad.show": "一番粗い階段（{bits} ビット）で見る",
        "q.fit.prompt": "下のフィットは $w = {w0}$ から始めて {target} を目指します（{bits} ビット）。STE を**使わない**と、{steps} ステップ後の $w$ "
        "はどこにあるでしょう？",
        "q.fit.opt.slow": "{target} の近く。STE ありより遅いだけ",
        "q.fit.opt.code": "STE ありと同じく、{target} に一番近いコード",
        "q.fit.opt.stuck": "{w0} のまま。まったく動かない",
        "q.fit.why": "STE がないと、$w$ に届く勾配は丸めの勾配、つまり毎ステップ 0 です。そのため $w$ は {w_no}、損失は {loss_no} のままです。STE があると $w$ "
        "は {w_ste} に、量子化した値 $\\hat{{w}}$ は目標に一番近いコード {wq_ste} に動きます。STE は丸めを微分可能にするのではなく、丸めがないものとして勾配をそのまま通します。",
        "q.fit.show": "{bits} ビット、目標 {target} のフィットを見る",
        "q.cnn.prompt": "下では、小さな CNN のすべての重みを偽量子化します。{bits} ビットでもです。STE を**使う**と、重みにはどんな勾配が届くでしょう？",
        "q.cnn.opt.zero": "届かない：STE は順伝播のための工夫にすぎず、丸めの勾配は 0 のまま",
        "q.cnn.opt.passes": "どの層にも、0 でないふつうの勾配が届く",
        "q.cnn.opt.tiny": "0 ではないが、小さすぎて学習に使えない",
        "q.cnn.why": "{bits} ビットでも、STE は各層に {smallest}〜{biggest} の大きさの勾配を届けます。本当の勾配では、どの層も {none} です。STE の勾配は "
        "0 ではありません。範囲の内側では、浮動小数点の勾配が丸めをそのまま素通りします。これがあるから量子化対応学習は学習できるのです。",
        "q.cnn.show": "{bits} ビットの重みで見る",
    },
}
