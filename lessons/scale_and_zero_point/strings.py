"""Strings of lesson 2, the scale and zero point explorer."""

STRINGS = {
    "en": {
        "title": "Scale & zero point",
        "intro": "Quantization lays a grid of evenly spaced integers over a stretch of the real line. "
        "Two numbers fix the grid: the **scale** $s$, the real distance between two neighbouring codes, and "
        "the **zero point** $z$, the code that stands for 0.0. Choose a range and a code below and watch "
        "which code every value gets. The address bar always holds the current view: copy it to share it.",
        "presets_h": "Start from an example",
        "preset.seed": "−2…6 (8 bits)",
        "preset.seed_help": "The worked example: −2…6 at 8 bits gives scale 8/255 ≈ 0.0314 and zero point "
        "63.75 → 64.",
        "preset.relu": "ReLU 0…6",
        "preset.relu_help": "A ReLU6 output: nothing below 0. One-tailed data takes the asymmetric scheme "
        "with min = 0, as PyTorch and TFLite quantize ReLU outputs: zero point 0, every code on 0…6. "
        "Switch to symmetric to see half of the codes go to negative values that never occur.",
        "preset.weights": "weights ±1",
        "preset.weights_help": "Weights use a symmetric signed code: zero point 0, codes −127…127 (narrow "
        "range).",
        "preset.positive": "1…5, no zero",
        "preset.positive_help": "A range that excludes 0 with 'include zero' off: the zero point has "
        "to clamp, and the grid no longer covers the range you asked for.",
        "preset.outliers": "outliers (4 bits)",
        "preset.outliers_help": "0.2 % of the values lie far out (6…12); the rest stays within about ±2. "
        "At 4 bits a min-max range makes the steps coarse, and clipping the outliers pays: try percentile "
        "99.9 and MSE-optimal. Then set 8 bits and try again: the steps are fine already, and percentile 99.9 "
        "makes the error larger, not smaller.",
        "controls_h": "The code and the range",
        "bits": "Bit width",
        "bits_help": "How many bits $b$ per value: $2^b$ codes. 8 is the usual choice; 4 is used for weights of "
        "large models.",
        "mode": "Scheme",
        "mode.asym": "asymmetric (affine)",
        "mode.sym": "symmetric",
        "mode_help": "Asymmetric fits the grid to [min, max] and needs a zero point. Symmetric centres the "
        "grid on 0: it covers ±max(|min|, |max|), and 0.0 is the middle code, zero point 0 for signed codes "
        "and $2^{b-1}$ at $b$ bits for unsigned ones (PyTorch's quint8 with per_tensor_symmetric: 128). Symmetric "
        "weights make integer matrix products cheaper.",
        "signed": "signed",
        "signed_help": "At $b$ bits, signed codes run from $-2^{b-1}$ to $2^{b-1}-1$ (int8: −128…127); unsigned from 0 "
        "to $2^b-1$ (uint8: 0…255).",
        "narrow": "narrow range",
        "narrow_help": "Drop the lowest signed code (int8: −127…127), so the grid is exactly symmetric. "
        "TFLite does this for weights. Only for signed codes: switching signed off switches it off too.",
        "zero": "include zero",
        "zero_help": "Widen the range so that it contains 0.0, as PyTorch's observers always do: then 0.0 "
        "(zero padding, ReLU's output) is represented exactly.",
        "range": "Range [min, max]",
        "range_help": "Drag either end. The number inputs below take exact values, also beyond the slider.",
        "min": "min",
        "max": "max",
        "min_above_max": "min ({lo}) is larger than max ({hi}): a range needs min ≤ max, so there is no "
        "scale for it. The numbers below still show the last valid range; change min or max.",
        "dist": "Data",
        "dist_help": "The values to quantize: 20,000 samples with a fixed seed.",
        "dist.normal": "normal (mean 0.5, sd 1.2)",
        "dist.uniform": "uniform, positive only (1…5)",
        "dist.relu": "ReLU-like (many exact zeros)",
        "dist.laplace": "Laplace (like trained weights)",
        "dist.bimodal": "bimodal (two clusters)",
        "dist.outliers": "with outliers (0.2 % huge values)",
        "dist.cnn_conv1_w": "tiny CNN: conv1 weights",
        "dist.cnn_conv2_w": "tiny CNN: conv2 weights",
        "dist.cnn_fc_w": "tiny CNN: fc weights",
        "dist.cnn_conv1_a": "tiny CNN: conv1 activations (after ReLU)",
        "dist.cnn_conv2_a": "tiny CNN: conv2 activations (after ReLU)",
        "cnn_source": "The real tensors of the shipped float32 model (activations on 256 "
        "validation digits). Choosing one sets min / max to its range.",
        "calibrate": "**Calibrate**: let an observer choose min and max from the data",
        "cal.minmax": "min-max",
        "cal.minmax_help": "The smallest and largest value seen: nothing clips, but one outlier stretches the "
        "grid.",
        "cal.percentile": "percentile 99.9",
        "cal.percentile_help": "The 0.1th and 99.9th percentiles: the rarest values clip, the rest gets a "
        "finer grid.",
        "cal.mse": "MSE-optimal",
        "cal.mse_help": "Tries the min-max range shrunk by factors from 1 down to 0.05 and keeps the one with "
        "the least mean squared error for this code. Only ranges of that shape are searched.",
        "calibrated": "{method}: min = {lo}, max = {hi}.",
        "cal.pays_clip": "Rounding error {round_b} → {round_a}, clipping error {clip_b} → {clip_a}: the MSE "
        "went from {mse_b} to {mse_a}, {ratio}× smaller. {pct} % of the values clip now, but the finer grid "
        "saves more rounding error than that costs: here clipping pays.",
        "cal.pays_fit": "Rounding error {round_b} → {round_a}, clipping error {clip_b} → {clip_a}: the MSE "
        "went from {mse_b} to {mse_a}, {ratio}× smaller, without clipping more: the grid fits the data "
        "better.",
        "cal.costs_clip": "Rounding error {round_b} → {round_a}, clipping error {clip_b} → {clip_a}: the MSE "
        "went from {mse_b} to {mse_a}, {ratio}× larger. Clipping {pct} % of the values cost more than the "
        "finer grid saved: here clipping does not pay.",
        "cal.costs_round": "Rounding error {round_b} → {round_a}, clipping error {clip_b} → {clip_a}: the "
        "MSE went from {mse_b} to {mse_a}, {ratio}× larger: the wider grid's rounding costs more than the "
        "clipping it removed.",
        "cal.same": "Rounding error {round_b} → {round_a}, clipping error {clip_b} → {clip_a}: the MSE "
        "stays about the same ({mse_b} → {mse_a}).",
        "url.invalid": "The link's value {name}={value} can't be used; using {name}={used} instead.",
        "url.clamped": "The link's value {name}={value} is out of range; using {name}={used}.",
        "url.repeated": "The link gives {name} more than once; using the last value, {value}.",
        "url.swapped": "In the link min was larger than max; they were swapped: {lo} … {hi}.",
        "url.narrow_unsigned": "The link asks for a narrow range with unsigned codes; a narrow range exists "
        "only for signed codes, so it is off.",
        "result_h": "Scale and zero point",
        "m.scale": "scale s",
        "m.zp": "zero point z",
        "m.zp_help": "Before rounding: {raw}. The zero point must be an integer, so it rounds.",
        "m.zp_help_sym": "Symmetric: the zero point is fixed by the code, not computed from the range: 0 for "
        "signed codes, the middle code (qmin + qmax + 1) // 2 for unsigned ones.",
        "m.codes": "codes",
        "m.codes_help": "{n} integer levels.",
        "m.zero": "0.0 → code",
        "m.zero_exact": "0.0 is represented exactly: dequantizing this code gives 0.0 again.",
        "m.zero_not_exact": "0.0 is NOT represented exactly: this code reads back as a different value.",
        "zp_clamped": "The zero point would be {raw}, which rounds to {rounded}: outside the codes "
        "{qmin} … {qmax}, so it clamps to {zp}. The grid now covers {lo} … {hi} instead of the range you "
        "chose: the part of your range beyond it clips, and codes are spent on values the data never takes.",
        "grid_shift": "The zero point {raw} rounds to {zp}, and the whole grid moves by {shift}: it now runs "
        "from {lo} to {hi}, not exactly over your range. A value up to half a step beyond an end code still "
        "rounds to that code; only beyond {clip_lo} and {clip_hi} does it clip.",
        "zero_off": "'include zero' is off: 0.0 gets code {code}, which reads back as {back}.",
        "clips_much": "This code clips {pct} % of the data ({below} % below {lo}, {above} % above {hi}): for "
        "those values the error grows with their distance from the grid. Widen the range, choose another "
        "scheme, or let an observer calibrate it.",
        "one_tailed": "The data has no negative values, yet {pct} % of the codes ({n} of them) stand for "
        "values below 0. One-tailed data (ReLU outputs) takes the asymmetric scheme with min = 0, as PyTorch "
        "and TFLite do: then every code is on the data's side.",
        "line_h": "The grid on the real line",
        "line_summary": "Number line: {n} codes cover {lo} … {hi}; the real value 0.0 gets code {code}. "
        "The shaded zones start half a step beyond the end codes: values there clip to the end codes.",
        "stair_h": "The staircase: x → fake_quant(x)",
        "stair_summary": "Each step is {step} wide; until the shaded zones the error stays within ±{half} "
        "(half a step); in them the output is flat and the error grows without bound.",
        "stair_fine": "At {bits} bits the steps are too fine to see: try 2 to 4 bits.",
        "hist_h": "The data, before and after",
        "hist_summary": "The data: {dist}. Its histogram before (blue bars) and after (orange line) "
        "quantization, on bins aligned with the grid; after it, values pile up on the grid points (clearly visible at low bit "
        "widths). Clipped: {clip} % of the values.",
        "trade_off": "Two errors add up to the MSE. **Rounding**: every value inside the grid moves to its "
        "nearest code, at most half a step; it shrinks fourfold with each extra bit. **Clipping**: a value "
        "beyond the grid's ends goes to the end code, and its error grows with the distance; more bits do "
        "not help. A narrower range trades the one for the other.",
        "m.mse": "MSE",
        "m.mse_help": "Mean squared error, the mean of (x̂ − x)² over the 20,000 values, in the data's units "
        "squared. It is the sum of the two parts beside it.",
        "m.round": "rounding part",
        "m.round_help": "The squared errors of the values inside the grid, summed and divided by all 20,000 "
        "values.",
        "m.clip_part": "clipping part",
        "m.clip_part_help": "The squared errors of the clipped values, summed and divided by all 20,000 "
        "values.",
        "m.sqnr": "SQNR",
        "m.sqnr_help": "Signal-to-quantization-noise ratio, 10·log10(mean x² / MSE), in decibels: higher is "
        "better. While rounding dominates, each extra bit adds about 6 dB; clipping error does not shrink "
        "with bits.",
        "m.maxerr": "max error",
        "m.clip": "clipped",
        "centre": "The data's mean is **{mean}** and its median **{median}**, while the zero point {zp} "
        "stands for **0.0** and the middle of the grid is {mid}. The zero point is not the centre of the data: "
        "it is simply the code of the real number 0.",
        "value_h": "One value, its code",
        "value": "value x",
        "m.code_dec": "code (decimal)",
        "m.code_bin": "code (binary)",
        "m.code_bin_help": "{bits} bits; signed codes are stored in two's complement.",
        "m.back": "read back x̂",
        "m.value_err": "error x̂ − x",
        "fig.grid": "the {n} codes",
        "fig.grid_every": "{n} codes (every {k}th drawn)",
        "fig.zero": "0.0 and its code",
        "fig.range": "your min / max",
        "fig.clip": "clip zone",
        "fig.real_axis": "real value",
        "fig.identity": "identity y = x",
        "fig.fq": "fake_quant(x)",
        "fig.err": "error fake_quant(x) − x",
        "fig.x": "x",
        "fig.fq_axis": "output",
        "fig.err_axis": "error",
        "fig.before": "before (float32)",
        "fig.after": "after (quantized)",
        "fig.clipped_mass": "clip zone: {pct} % of the values",
        "fig.mean": "mean",
        "fig.median": "median",
        "fig.zp_line": "0.0 (code {zp})",
        "fig.value": "value",
        "fig.count": "count",
        "note.observer": "**PyTorch's observers** (`MinMaxObserver` and friends) always widen the range to "
        "include 0, and round −min/scale half to even in float32 arithmetic. That is why −1…1 at 8 bits "
        "gives zero point 127, not 128: in float32, 1/(2/255) is 127.49999…",
        "note.pytorch_zp": "**PyTorch's fake quant** (`torch.fake_quantize_per_tensor_affine`) rounds x·(1/s) "
        "first, adds the zero point after rounding, then clamps. With 'include zero' on, this page's scale, "
        "zero point and codes equal `MinMaxObserver`'s and PyTorch's fake quant's to the last bit for every "
        "code PyTorch's observers support, symmetric unsigned at 8 bits included (`quint8` with "
        "`per_tensor_symmetric`: zero point 128). At other widths PyTorch needs a custom quant_min/quant_max, "
        "and then takes the rounded-down midpoint (qmin + qmax) // 2 (7 at 4 bits): one code below this page's "
        "$2^{b-1}$ ($b$ bits), with the same scale (observer.py, `_calculate_qparams`). With 'include zero' off the page "
        "leaves PyTorch: its observers always include 0.",
        "note.share": "**Sharing**: the address bar holds the language and every setting that differs from its "
        "default (bits, mode, signed, narrow, zero, min, max, dist, x). A hand-edited link with impossible values is "
        "clamped or replaced by the default, with a note. `lock=bits,presets` (or `lock=all`) in a link hides those "
        "controls, for a class that should look at one view.",
        "q.zero_code.prompt": "Before you move the bit slider: keep the range {lo}…{hi} (asymmetric), but with **{bits} "
        "bits**, codes 0…{qmax}. Which code will **0.0** land on?",
        "q.zero_code.opt.zero": "code 0",
        "q.zero_code.opt.middle": "code {middle}",
        "q.zero_code.opt.zp": "code {code}",
        "q.zero_code.opt.mean": "code {mean_code}",
        "q.zero_code.why": "$s = ({hi} - ({lo_tex})) / {qmax} = {scale}$, and the zero point is $z = 0 - \\mathrm{{round}}({lo_tex} "
        "/ {scale}) = 0 - \\mathrm{{round}}({ratio}) = {zp}$. 0.0 lands exactly on the zero point, "
        "code **{code}**, and reads back as exactly 0. Code 0 holds the lowest value ({grid_lo}); "
        "{middle} is the middle of the codes; {mean_code} is the code of the data's mean ({mean}). "
        "The zero point is neither the middle nor the mean: it is the code the range puts 0.0 on.",
        "q.zero_code.show": "Show me: {bits} bits on the explorer",
        "q.clip.prompt": "The data **with outliers** at {bits} bits: 0.2 % of the values lie far out, the rest within "
        "about ±2. Which range gives the smaller total error (MSE)?",
        "q.clip.opt.cover": "min-max, {full_lo}…{full_hi}: nothing is clipped, so nothing is lost",
        "q.clip.opt.clip": "a narrower range, {clipped_lo}…{clipped_hi}, that clips the outliers",
        "q.clip.opt.same": "Both the same: at {bits} bits the error depends only on the bit width",
        "q.clip.why": "The MSE is {mse_full} with min-max and **{mse_clipped}** with the narrower range. Covering "
        "the outliers makes the step {step_full}, and every ordinary value is rounded that coarsely. "
        "The narrower range has the step {step_clipped}: it clips {clip_pct} % of the values, and "
        "the rounding error it saves on all the others outweighs the few large clipping errors. The "
        "MSE-optimal calibration searches for exactly this balance.",
        "q.clip.show": "Show me: the outliers at {bits} bits, MSE-optimal range",
        "q.no_zero.prompt": "Switch **include zero** off and take the range {lo}…{hi} ({bits} bits). Its zero point would "
        "be 0 − round({lo} / s) = {raw}, outside the codes 0…{qmax}. What happens?",
        "q.no_zero.opt.exact": "Nothing you can see: the grid still covers {lo}…{hi}; only 0.0 has no code",
        "q.no_zero.opt.outside": "The zero point stays {raw}: a zero point may lie outside the codes",
        "q.no_zero.opt.shift": "The zero point is clamped to {zp}: the grid slides to {grid_lo}…{grid_hi}, and every value "
        "above {grid_hi} clips",
        "q.no_zero.why": "A zero point must be one of the codes, so {raw} is clamped to **{zp}**. The scale stays "
        "the same, so the grid now runs from {grid_lo} to {grid_hi}, not from {lo} to {hi}: about "
        "**{clip_pct} %** of the values (those above {grid_hi}) clip. With include zero on, as PyTorch's "
        "observers always do, the range widens to {on_lo}…{on_hi} and {on_clip} % clip.",
        "q.no_zero.show": "Show me: {lo}…{hi} without zero",
    },
    "ja": {
        "title": "スケールとゼロポイント",
        "intro": "量子化では、実数直線の一区間に等間隔の整数の目盛りをかぶせます。"
        "目盛りを決めるのは 2 つの数です。隣り合う 2 つの整数コードの実際の間隔である**スケール** $s$ と、"
        "実数の 0.0 を表すコードである**ゼロポイント** $z$ です。下で範囲とコードの形式を選び、"
        "それぞれの値がどのコードに対応するかを見てみましょう。アドレスバーには常にいまの設定が入っているので、"
        "コピーすればそのまま共有できます。",
        "presets_h": "例から始める",
        "preset.seed": "−2〜6（8 ビット）",
        "preset.seed_help": "基本の例：−2〜6 を 8 ビットで表すと、スケールは 8/255 ≈ 0.0314、ゼロポイントは "
        "63.75 → 64。",
        "preset.relu": "ReLU 0〜6",
        "preset.relu_help": "ReLU6 の出力：0 未満の値がありません。片側だけのデータには、PyTorch や TFLite が "
        "ReLU の出力にするのと同じく、min = 0 の非対称方式を使います。ゼロポイントは 0 で、すべてのコードが "
        "0〜6 に割り当てられます。対称方式に切り替えると、決して現れない負の値にコードの半分が使われる様子が"
        "見えます。",
        "preset.weights": "重み ±1（対称）",
        "preset.weights_help": "重みには符号付きの対称量子化を使います。ゼロポイントは 0、コードは "
        "−127〜127（ナローレンジ）。",
        "preset.positive": "1〜5（0 なし）",
        "preset.positive_help": "「0 を含める」をオフにして 0 を含まない範囲を選ぶと、ゼロポイントがクランプされ、"
        "目盛りが指定した範囲を覆わなくなります。",
        "preset.outliers": "外れ値（4 ビット）",
        "preset.outliers_help": "値の 0.2 % が遠く（6〜12）にあり、残りはおよそ ±2 に収まります。4 ビットでは "
        "min-max の範囲だと段が粗くなり、外れ値をクリップしたほうが得になります。99.9 パーセンタイルと MSE 最小を"
        "試してください。次に 8 ビットにしてもう一度試すと、段はもう十分に細かく、99.9 パーセンタイルでは誤差が"
        "小さくなるどころか大きくなります。",
        "controls_h": "コードの形式と範囲",
        "bits": "ビット幅",
        "bits_help": "1 つの値に使うビット数 $b$。コードは $2^b$ 個。ふつうは 8 ビット、大きなモデルの重みには "
        "4 ビットも使われます。",
        "mode": "方式",
        "mode.asym": "非対称（アフィン）",
        "mode.sym": "対称",
        "mode_help": "非対称は目盛りを [min, max] に合わせ、ゼロポイントが必要です。対称は目盛りの中心を 0 に"
        "置きます。覆う範囲は ±max(|min|, |max|) で、0.0 は真ん中のコードになります。ゼロポイントは符号付きなら "
        "0、符号なしなら $b$ ビットで $2^{b-1}$（PyTorch の quint8 と per_tensor_symmetric：128）。重みを対称にすると、"
        "整数の行列積が安く済みます。",
        "signed": "符号付き",
        "signed_help": "$b$ ビットの符号付きのコードは $-2^{b-1}$ から $2^{b-1}-1$（int8 なら −128〜127）、符号なしは 0 "
        "から $2^b-1$（uint8 なら 0〜255）。",
        "narrow": "ナローレンジ",
        "narrow_help": "符号付きの最小コードを使わず（int8 なら −127〜127）、目盛りを完全に対称にします。"
        "TFLite は重みでこうしています。符号付きのときだけの設定で、「符号付き」をオフにするとこれもオフになります。",
        "zero": "0 を含める",
        "zero_help": "PyTorch のオブザーバと同じく、範囲を 0.0 を含むように広げます。"
        "こうすると 0.0（ゼロパディングや ReLU の出力）が誤差なく表せます。",
        "range": "範囲 [min, max]",
        "range_help": "両端をドラッグします。下の数値欄ではスライダーの外も含め、正確な値を入力できます。",
        "min": "min",
        "max": "max",
        "min_above_max": "min（{lo}）が max（{hi}）より大きくなっています。範囲には min ≤ max が必要なので、"
        "このままではスケールが決まりません。下の数値は、最後に有効だった範囲のままです。min か max を直して"
        "ください。",
        "dist": "データ",
        "dist_help": "量子化する値：シードを固定した 20,000 個のサンプル。",
        "dist.normal": "正規分布（平均 0.5、標準偏差 1.2）",
        "dist.uniform": "一様分布・正の値のみ（1〜5）",
        "dist.relu": "ReLU の出力風（ちょうど 0 が多い）",
        "dist.laplace": "ラプラス分布（学習済みの重みに近い）",
        "dist.bimodal": "二峰性（2 つのかたまり）",
        "dist.outliers": "外れ値あり（0.2 % が巨大な値）",
        "dist.cnn_conv1_w": "小さな CNN：conv1 の重み",
        "dist.cnn_conv2_w": "小さな CNN：conv2 の重み",
        "dist.cnn_fc_w": "小さな CNN：fc の重み",
        "dist.cnn_conv1_a": "小さな CNN：conv1 の活性化（ReLU の後）",
        "dist.cnn_conv2_a": "小さな CNN：conv2 の活性化（ReLU の後）",
        "cnn_source": "同梱の float32 モデルの実際のテンソルです（活性化は検証用の数字 256 枚で計算）。"
        "選ぶと min / max がその範囲に設定されます。",
        "calibrate": "**キャリブレーション**：オブザーバにデータから min と max を選ばせる",
        "cal.minmax": "min-max",
        "cal.minmax_help": "観測した最小値と最大値。クリップは起きませんが、外れ値が 1 つあるだけで目盛りが粗く"
        "なります。",
        "cal.percentile": "99.9 パーセンタイル",
        "cal.percentile_help": "0.1 パーセンタイルと 99.9 パーセンタイル。ごくまれな値はクリップされ、残りの値の"
        "目盛りが細かくなります。",
        "cal.mse": "MSE 最小",
        "cal.mse_help": "min-max の範囲を 1 倍から 0.05 倍まで縮めて試し、このコードで平均二乗誤差が最も小さく"
        "なる範囲を選びます。探すのはこの形の範囲だけです。",
        "calibrated": "{method}：min = {lo}、max = {hi}。",
        "cal.pays_clip": "丸め誤差 {round_b} → {round_a}、クリップ誤差 {clip_b} → {clip_a}：MSE は {mse_b} から "
        "{mse_a} へ、{ratio} 分の 1 になりました。いまは値の {pct} % がクリップされますが、細かくなった目盛りで"
        "減った丸め誤差のほうが大きいのです。ここではクリップが得になります。",
        "cal.pays_fit": "丸め誤差 {round_b} → {round_a}、クリップ誤差 {clip_b} → {clip_a}：MSE は {mse_b} から "
        "{mse_a} へ、{ratio} 分の 1 になりました。クリップは増えておらず、目盛りがデータによく合うようになった"
        "からです。",
        "cal.costs_clip": "丸め誤差 {round_b} → {round_a}、クリップ誤差 {clip_b} → {clip_a}：MSE は {mse_b} から "
        "{mse_a} へ、{ratio} 倍になりました。値の {pct} % をクリップした損失が、細かくなった目盛りで得た分より"
        "大きいのです。ここではクリップは得になりません。",
        "cal.costs_round": "丸め誤差 {round_b} → {round_a}、クリップ誤差 {clip_b} → {clip_a}：MSE は {mse_b} "
        "から {mse_a} へ、{ratio} 倍になりました。目盛りが広がって増えた丸め誤差が、なくなったクリップ誤差より"
        "大きいのです。",
        "cal.same": "丸め誤差 {round_b} → {round_a}、クリップ誤差 {clip_b} → {clip_a}：MSE はほぼ変わりません"
        "（{mse_b} → {mse_a}）。",
        "url.invalid": "リンクの値 {name}={value} は使えないため、代わりに {name}={used} を使います。",
        "url.clamped": "リンクの値 {name}={value} は範囲外のため、{name}={used} を使います。",
        "url.repeated": "リンクに {name} が複数回あります。最後の値 {value} を使います。",
        "url.swapped": "リンクの min が max より大きかったので入れ替えました：{lo}〜{hi}。",
        "url.narrow_unsigned": "リンクは符号なしのコードにナローレンジを指定しています。ナローレンジは符号付きの"
        "コードにしかないので、オフにしました。",
        "result_h": "スケールとゼロポイント",
        "m.scale": "スケール s",
        "m.zp": "ゼロポイント z",
        "m.zp_help": "丸める前の値：{raw}。ゼロポイントは整数でなければならないので丸められます。",
        "m.zp_help_sym": "対称方式：ゼロポイントは範囲から計算せず、コードの形式で決まります。符号付きなら 0、"
        "符号なしなら真ん中のコード (qmin + qmax + 1) // 2 です。",
        "m.codes": "コード",
        "m.codes_help": "整数の目盛りは {n} 個。",
        "m.zero": "0.0 → コード",
        "m.zero_exact": "0.0 は誤差なく表せます。このコードを逆量子化すると、ちょうど 0.0 に戻ります。",
        "m.zero_not_exact": "0.0 は正確には表せません。このコードを読み戻すと別の値になります。",
        "zp_clamped": "ゼロポイントは本来 {raw} で、丸めると {rounded} です。これはコードの範囲 {qmin}〜{qmax} "
        "の外なので、{zp} にクランプされます。その結果、目盛りが覆うのは指定した範囲ではなく {lo}〜{hi} に"
        "なります。範囲のはみ出した部分はクリップされ、データが取らない値にコードが割かれます。",
        "grid_shift": "ゼロポイント {raw} は {zp} に丸められ、目盛り全体が {shift} だけずれます。目盛りは {lo} "
        "から {hi} までになり、指定した範囲とぴったりは重なりません。端のコードから半段以内の値はまだそのコードに"
        "丸められ、{clip_lo} より下と {clip_hi} より上の値だけがクリップされます。",
        "zero_off": "「0 を含める」がオフです。0.0 はコード {code} に割り当てられ、読み戻すと {back} になります。",
        "clips_much": "このコードではデータの {pct} % がクリップされます（{lo} より下が {below} %、{hi} より上が "
        "{above} %）。これらの値の誤差は、目盛りから離れるほど大きくなります。範囲を広げるか、方式を変えるか、"
        "オブザーバにキャリブレーションさせてください。",
        "one_tailed": "データに負の値はないのに、コードの {pct} %（{n} 個）が 0 より小さい値に使われています。"
        "片側だけのデータ（ReLU の出力）には、PyTorch や TFLite と同じく min = 0 の非対称方式を使います。"
        "そうすればすべてのコードがデータの側に来ます。",
        "line_h": "実数直線の上の目盛り",
        "line_summary": "数直線：{n} 個のコードが {lo}〜{hi} を覆います。実数の 0.0 はコード {code} に割り当て"
        "られます。色付きの領域は端のコードから半段外側で始まり、そこの値は端のコードにクリップされます。",
        "stair_h": "階段関数：x → fake_quant(x)",
        "stair_summary": "1 段の幅は {step}。色付きの領域に入るまでは、誤差は ±{half}（半段分）に収まります。"
        "色付きの領域では出力が平らになり、誤差はいくらでも大きくなります。",
        "stair_fine": "{bits} ビットでは段が細かすぎて見えないので、2〜4 ビットにしてみてください。",
        "hist_h": "量子化の前と後のデータ",
        "hist_summary": "データ：{dist}。量子化の前（青の棒）と後（オレンジの線）のヒストグラムを、目盛りに"
        "そろえたビンで描いています。量子化の後は、値が目盛りの位置に集まります（ビット数が少ないとよく"
        "分かります）。クリップされた値：{clip} %。",
        "trade_off": "MSE は 2 つの誤差の和です。**丸め**：目盛りの内側の値は一番近いコードに移り、誤差は最大で"
        "半段です。ビットが 1 つ増えるごとに 4 分の 1 になります。**クリップ**：目盛りの端より外の値は端の"
        "コードになり、誤差は離れるほど大きくなります。ビットを増やしても減りません。範囲を狭めると、"
        "一方が減って他方が増えます。",
        "m.mse": "MSE（平均二乗誤差）",
        "m.mse_help": "20,000 個の値での (x̂ − x)² の平均で、単位はデータの単位の 2 乗です。"
        "横に並ぶ 2 つの部分の和になります。",
        "m.round": "うち丸め",
        "m.round_help": "目盛りの内側の値の二乗誤差を合計し、20,000 個すべての値の数で割ったもの。",
        "m.clip_part": "うちクリップ",
        "m.clip_part_help": "クリップされた値の二乗誤差を合計し、20,000 個すべての値の数で割ったもの。",
        "m.sqnr": "SQNR",
        "m.sqnr_help": "信号対量子化雑音比 10·log10(x² の平均 / MSE)。単位はデシベルで、大きいほど良い値です。"
        "丸め誤差が主なうちは、ビットが 1 つ増えるごとに約 6 dB 上がります。クリップ誤差はビットを増やしても"
        "減りません。",
        "m.maxerr": "最大誤差",
        "m.clip": "クリップ率",
        "centre": "データの平均は **{mean}**、中央値は **{median}** です。一方、ゼロポイント {zp} が表すのは "
        "**0.0** で、目盛りの中央は {mid} です。ゼロポイントはデータの中心ではなく、"
        "あくまで実数 0 に対応するコードです。",
        "value_h": "1 つの値とそのコード",
        "value": "値 x",
        "m.code_dec": "コード（10 進）",
        "m.code_bin": "コード（2 進）",
        "m.code_bin_help": "{bits} ビット。符号付きのコードは 2 の補数で格納されます。",
        "m.back": "読み戻した値 x̂",
        "m.value_err": "誤差 x̂ − x",
        "fig.grid": "{n} 個のコード",
        "fig.grid_every": "{n} 個のコード（{k} 個ごとに表示）",
        "fig.zero": "0.0 とそのコード",
        "fig.range": "指定した min / max",
        "fig.clip": "クリップされる領域",
        "fig.real_axis": "実数の値",
        "fig.identity": "恒等写像 y = x",
        "fig.fq": "fake_quant(x)",
        "fig.err": "誤差 fake_quant(x) − x",
        "fig.x": "x",
        "fig.fq_axis": "出力",
        "fig.err_axis": "誤差",
        "fig.before": "量子化前（float32）",
        "fig.after": "量子化後",
        "fig.clipped_mass": "クリップされる領域：値の {pct} %",
        "fig.mean": "平均",
        "fig.median": "中央値",
        "fig.zp_line": "0.0（コード {zp}）",
        "fig.value": "値",
        "fig.count": "個数",
        "note.observer": "**PyTorch のオブザーバ**（`MinMaxObserver` など）は、範囲を必ず 0 を含むように広げ、"
        "−min/scale を float32 の計算で偶数丸めします。そのため −1〜1 を 8 ビットにすると、ゼロポイントは "
        "128 ではなく 127 になります。float32 では 1/(2/255) が 127.49999… になるからです。",
        "note.pytorch_zp": "**PyTorch の偽量子化**（`torch.fake_quantize_per_tensor_affine`）は、まず x·(1/s) を"
        "丸め、丸めた後でゼロポイントを足し、最後にクランプします。「0 を含める」がオンなら、このページのスケール、"
        "ゼロポイント、コードは、PyTorch のオブザーバが扱えるすべての形式で `MinMaxObserver` と PyTorch の偽量子化"
        "に最後のビットまで一致します。8 ビットの符号なし対称方式（`quint8` と `per_tensor_symmetric`："
        "ゼロポイント 128）も同じです。ほかのビット数では PyTorch に quant_min／quant_max を指定する必要があり、"
        "そのときゼロポイントは中央を切り捨てた (qmin + qmax) // 2（4 ビットなら 7）になります。このページの "
        "$2^{b-1}$（$b$ ビット）より 1 小さく、スケールは同じです（observer.py の `_calculate_qparams`）。"
        "「0 を含める」をオフにすると PyTorch の範囲を外れます。PyTorch のオブザーバは必ず 0 を含めるからです。",
        "note.share": "**共有**：アドレスバーには、言語と、既定値から変えたすべての設定（bits、mode、signed、narrow、"
        "zero、min、max、dist、x）が入っています。手で書き換えたリンクにありえない値があれば、クランプするか既定値に戻し、"
        "その旨を表示します。リンクに `lock=bits,presets`（または `lock=all`）を付けると、その操作部品を隠せます。"
        "クラス全員で 1 つの画面を見るときに使います。",
        "q.zero_code.prompt": "ビット幅のスライダーを動かす前に考えてみましょう。範囲は {lo}〜{hi}（非対称）のまま、**{bits} ビット**（コード 0〜{qmax}）にします。**0.0** "
        "はどのコードになるでしょう？",
        "q.zero_code.opt.zero": "コード 0",
        "q.zero_code.opt.middle": "コード {middle}",
        "q.zero_code.opt.zp": "コード {code}",
        "q.zero_code.opt.mean": "コード {mean_code}",
        "q.zero_code.why": "$s = ({hi} - ({lo_tex})) / {qmax} = {scale}$、ゼロポイントは $z = 0 - \\mathrm{{round}}({lo_tex} "
        "/ {scale}) = 0 - \\mathrm{{round}}({ratio}) = {zp}$ です。0.0 はちょうどゼロポイントのコード **{code}** に乗り、"
        "読み戻すとぴったり 0 になります。コード 0 は一番小さい値（{grid_lo}）、{middle} はコードの真ん中、{mean_code} はデータの平均（{mean}）のコードです。"
        "ゼロポイントはコードの真ん中でもデータの平均でもなく、範囲が 0.0 を置いたコードそのものです。",
        "q.zero_code.show": "エクスプローラを {bits} ビットにして確かめる",
        "q.clip.prompt": "**外れ値あり**のデータを {bits} ビットで量子化します。値の 0.2 % が遠くにあり、残りはおよそ ±2 に収まります。全体の誤差（MSE）が小さくなるのはどちらの範囲でしょう？",
        "q.clip.opt.cover": "min-max の {full_lo}〜{full_hi}：何もクリップしないので、何も失わない",
        "q.clip.opt.clip": "外れ値をクリップする、絞った範囲 {clipped_lo}〜{clipped_hi}",
        "q.clip.opt.same": "どちらも同じ：{bits} ビットなら誤差はビット幅だけで決まる",
        "q.clip.why": "MSE は min-max で {mse_full}、絞った範囲で **{mse_clipped}** です。外れ値まで覆うとステップが {step_full} になり、ふつうの値もすべてその粗さで丸められます。"
        "絞った範囲のステップは {step_clipped} です。値の {clip_pct} % をクリップしますが、残りすべての値で減る丸め誤差のほうが、少数の大きなクリップ誤差よりも大きいのです。"
        "「MSE 最小」のキャリブレーションが探しているのは、まさにこのバランスです。",
        "q.clip.show": "外れ値を {bits} ビット、MSE 最小の範囲で見る",
        "q.no_zero.prompt": "「0 を含める」をオフにして、範囲 {lo}〜{hi}（{bits} ビット）を選びます。ゼロポイントは 0 − round({lo} / s) = {raw} となり、コード "
        "0〜{qmax} の外に出てしまいます。どうなるでしょう？",
        "q.no_zero.opt.exact": "見た目は変わらない：目盛りは {lo}〜{hi} を覆ったままで、0.0 にコードがないだけ",
        "q.no_zero.opt.outside": "ゼロポイントは {raw} のまま：ゼロポイントはコードの外にあってもよい",
        "q.no_zero.opt.shift": "ゼロポイントが {zp} にクランプされ、目盛りが {grid_lo}〜{grid_hi} にずれて、{grid_hi} より上の値はすべてクリップされる",
        "q.no_zero.why": "ゼロポイントはコードのどれか 1 つでなければならないので、{raw} は **{zp}** にクランプされます。スケールは変わらないため、目盛りは {lo}〜{hi} ではなく "
        "{grid_lo}〜{grid_hi} になり、値の **{clip_pct} %**（{grid_hi} より上）がクリップされます。PyTorch のオブザーバと同じく「0 "
        "を含める」をオンにすると、範囲は {on_lo}〜{on_hi} に広がり、クリップされるのは {on_clip} % です。",
        "q.no_zero.show": "0 を含めない {lo}〜{hi} を見る",
    },
}
