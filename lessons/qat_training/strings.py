"""Strings of page 4, QAT training: fp32, PTQ and QAT trained live, the bit-width sweep, histograms, qparams."""

STRINGS = {
    "en": {
        "title": "Quantization-aware training (QAT)",
        "intro": "**Post-training quantization (PTQ)** takes a trained float model, watches a few batches to "
        "choose each tensor's scale and zero point, and rounds. **Quantization-aware training (QAT)** goes one "
        "step further: it puts *fake quantization* (quantize, then dequantize straight away) into the forward "
        "pass and keeps training, so the weights learn to live on the integer grid. The rounding has no useful "
        "gradient, so the backward pass uses the straight-through estimator (STE, page 3). At 8 bits both work; "
        "at 4 bits and below, QAT is what keeps the model usable.",
        "formula_h": "Fake quantization in the forward pass, with the current settings",
        "formula_caption": "Weights: {wscheme}, {wbits} bits, codes {wqmin}…{wqmax}. Activations: {ascheme}, "
        "{abits} bits, codes {aqmin}…{aqmax}. Backward: the gradient passes where the value was not clamped.",
        "formula_caption_trained": "With the numbers of the last QAT run, layer {layer}: weight scale "
        "{wscale:.5f} (channel 0), activation scale {ascale:.5f}, zero point {azp}.",
        "act_note": "After each ReLU the values lie in [0, max]. With the {scheme} scheme at {abits} bits that "
        "gives the zero point z_a = {zp} and the scale max / {div:g}: 0.0 is code {first}, and the ReLU outputs "
        "use codes {first}…{qmax}, {used} of the {total}.",
        "act_waste": " The codes {qmin}…{below} would hold negative values, which a ReLU never gives. That is why "
        "PyTorch and TFLite quantize ReLU outputs asymmetrically with min = 0: 0.0 then sits on the lowest code "
        "and every code is used.",
        "act_others": " The input and the logits have negative values and stay asymmetric. Weights are always "
        "symmetric and signed, as the integer engine expects.",
        "settings_h": "Settings",
        "more_settings": "More settings (scheme, observer, epochs)",
        "wbits": "Weight bits",
        "abits": "Activation bits",
        "scheme": "Activation scheme",
        "scheme.asym": "Asymmetric (affine)",
        "scheme.sym": "Symmetric",
        "scheme_help": "Asymmetric fits the codes to [min, max] with a zero point. Symmetric fixes the zero "
        "point in advance and scales by max |x| only (PyTorch: code 0 for signed codes, the middle code for "
        "unsigned ones): simpler integer maths, but on one-sided data part of the codes go unused. The formula "
        "below shows what it gives here.",
        "per_channel": "Per-channel weights",
        "per_channel_help": "One scale per output channel of a layer instead of one for the whole tensor: "
        "a channel with small weights is not rounded on the coarse grid of the largest channel.",
        "observer": "Observer (how the range is chosen)",
        "observer_help": "What watches the values and sets min and max, and so the scale and zero point.",
        "observer.minmax": "Min–max",
        "observer.moving_average": "Moving-average min–max",
        "observer.percentile": "Percentile",
        "observer.mse": "MSE-optimal",
        "fp32_epochs": "fp32 epochs",
        "qat_epochs": "QAT epochs",
        "epochs_help": "Kept small so that a run takes a few seconds.",
        "run_h": "Train",
        "run_caption": "Training runs on copies in a worker process; the shipped models are never changed, and a finished run is "
        "shared, read-only, with anyone who asks for exactly the same settings. "
        "PTQ and QAT start from your fp32 model if you trained one, otherwise from the shipped fp32 model. "
        "QAT also trains a float copy of that model for the same epochs, so the two can be compared fairly.",
        "btn.fp32": "1 · Train fp32",
        "btn.ptq": "2 · PTQ (calibrate and round)",
        "btn.qat": "3 · QAT (fine-tune with fake quant)",
        "btn.all": "Run all three",
        "progress.fp32": "fp32: epoch {epoch} of {epochs} · loss {loss:.3f} · validation {acc:.1f} %",
        "progress.ptq": "PTQ: calibrating and rounding…",
        "progress.qat": "QAT: epoch {epoch} of {epochs} · loss {loss:.3f} · validation {acc:.1f} %",
        "progress.fp32_more": "fp32, the same epochs without fake quant: epoch {epoch} of {epochs} · "
        "loss {loss:.3f} · validation {acc:.1f} %",
        "progress.done": "Done in {seconds:.1f} s.",
        "results_h": "Results",
        "runs_detail": "What each run trained",
        "no_results": "Nothing trained in this session yet. Press one of the buttons 1–3 or Run all three; a run "
        "takes a few seconds.",
        "metric.fp32": "fp32 test accuracy",
        "metric.ptq": "PTQ test accuracy",
        "metric.qat": "QAT test accuracy",
        "metric.fp32_more": "fp32, same epochs as QAT",
        "metric.delta": "{delta:+.1f} pt",
        "metric.delta_help.ptq": "The difference from the fp32 model it was calibrated from (left).",
        "metric.delta_help.qat": "The difference from the fp32 model trained the same epochs without fake "
        "quantization (right): the fair comparison.",
        "start.session": "Your fp32 model: {n} epochs from a random start · {seconds:.1f} s",
        "start.shipped": "The shipped fp32 model: {n} epochs",
        "metric.caption.ptq": "{config} · calibration only, no training · {seconds:.1f} s",
        "metric.caption.qat": "{config} · {n} + {m} epochs, the last {m} with fake quantization · {seconds:.1f} s",
        "metric.caption.fp32_more": "{n} + {m} epochs, the last {m} in float with QAT's learning rate and "
        "batches · {seconds:.1f} s",
        "budget_note": "A fair comparison: QAT and the float model beside it both trained {n} + {m} epochs with "
        "the same learning rate, schedule and batches, so only the fake quantization differs. Against the fp32 "
        "model it started from ({n} epochs) QAT would show {delta:+.1f} pt, part of which is the {m} extra "
        "epochs.",
        "config": "W{w}A{a} · {scheme} · {granularity} · {observer}",
        "granularity.per_channel": "per-channel",
        "granularity.per_tensor": "per-tensor",
        "stale": "The settings have changed since the last run (that run used {config}). Press a button to "
        "train with the new settings.",
        "curves_summary": "Training loss and validation accuracy per epoch; QAT's epochs and its float "
        "twin's follow the {n} epochs of the model they started from. {summary}",
        "curves_run": "{run}: final loss {loss:.3f}, validation {acc:.1f} %.",
        "run.fp32": "fp32",
        "run.ptq": "PTQ",
        "run.qat": "QAT",
        "run.fp32_more": "fp32, same epochs as QAT",
        "sweep_h": "Bit-width sweep: PTQ against QAT, 8 bits down to 2",
        "sweep_intro": "For each bit width (weights and activations alike), the same fp32 model is quantized "
        "once with PTQ and once fine-tuned with QAT. Fewer bits mean a coarser grid: watch where PTQ falls apart "
        "and QAT holds on. Each width uses the training recipe of `qlib.train` (at 4 bits and below the "
        "activation ranges come from the MSE search); the accuracies are those of the integer engine.",
        "sweep_epochs": "QAT epochs per bit width",
        "btn.sweep": "Run the sweep",
        "progress.sweep": "{done} of {total} bit widths done · now {bits} bits: PTQ, then QAT…",
        "sweep_none": "Press “Run the sweep”: at each bit width it runs PTQ and trains QAT for the epochs set "
        "here ({epochs}).",
        "sweep_summary": "Test accuracy by bit width; QAT trained {epochs} epoch(s) more than PTQ and the fp32 "
        "line. {rows}",
        "sweep_row": "{bits} bits: PTQ {ptq:.1f} %, QAT {qat:.1f} %",
        "hist_h": "Inside the model: float against quantized, layer by layer",
        "hist_intro": "The weights and the activations of one layer, before and after fake quantization: the "
        "quantized values sit on the grid's levels.",
        "hist_source.qat": "Showing your QAT model ({config}).",
        "hist_source.ptq": "Showing your PTQ model ({config}); run QAT above to see the fine-tuned weights.",
        "hist_source.shipped": "Showing the shipped QAT model ({name}); train above to see your own model here.",
        "layer": "Layer",
        "kind": "Tensor",
        "kind.weight": "Weights",
        "kind.activation": "Activations (layer output)",
        "scale_range": "{lo:.5f} to {hi:.5f} (one per channel)",
        "hist_summary": "{n} values; {levels} distinct quantized levels used; scale {scale}, "
        "zero point {zp}; {clip:.2f} % clamped; mean squared error {mse}.",
        "hist_grid": "The dotted lines mark the representable range, {lo:.4g}…{hi:.4g}; values beyond it are "
        "clamped to its ends.",
        "hist_per_channel": "Each of the {c} channels has its own scale and range, so no single range is drawn.",
        "hist_clamped": " {k} values ({clip:.2f} %) are clamped: {edge} at most half a step past the last code, "
        "{rest} further, up to {worst:.2f} steps.",
        "hist_edge_why": " Why weights clamp at all: the scale is max |w| / {half:g}, so a channel whose "
        "largest weight is positive puts it on {qmax}.5 steps; that rounds (half to even) to {up} and is "
        "clamped to {qmax}, half a step off, no more than rounding. The negative end, −{half:g} steps, rounds "
        "to {qmin}, which exists.",
        "hist_frozen": " The scales stayed fixed from the moment the observers froze, while training kept "
        "moving the weights: some moved past the end.",
        "trace_h": "How scale and zero point move during QAT",
        "trace_intro": "During QAT the observers keep watching: the activation ranges (and so the scales and "
        "zero points) follow the changing weights, and each weight scale follows its weights. Once the "
        "observers freeze, the last epochs train against fixed grids and the lines stay flat.",
        "trace_frozen": "The observers froze after epoch {k} of {n} (grey dashed line).",
        "trace_not_frozen": "With {n} epoch(s) the observers never froze (they freeze half way, from 2 epochs).",
        "trace_none": "Run QAT above to see its scales and zero points epoch by epoch.",
        "trace_summary": "Each quantizer's scale (as a change since calibration; dotted: weights) and zero "
        "point after every epoch. {summary}",
        "trace_row": "{name}: scale {first:.4g} → {last:.4g}",
        "fig.loss": "Training loss",
        "fig.val_acc": "Validation accuracy",
        "fig.epoch": "epoch",
        "fig.loss_axis": "cross-entropy",
        "fig.acc_axis": "accuracy",
        "fig.fp32_line": "fp32: {acc:.1f} %",
        "fig.bits_axis": "bits (weights and activations)",
        "fig.test_acc_axis": "test accuracy",
        "fig.float": "float",
        "fig.quantized": "quantized",
        "fig.grid_range": "representable range",
        "fig.value": "value",
        "fig.count": "count",
        "fig.count_log": "count (log scale)",
        "fig.scale_change": "scale: change since calibration",
        "fig.frozen": "observers frozen from here",
        "fig.zero_point": "zero point",
        "fig.step": "epoch (0 = after calibration)",
        "note": "**What the libraries really do.** PyTorch's default QAT (`get_default_qat_qconfig`) keeps "
        "updating scale and zero point with moving-average observers during training, until you call "
        "`torch.ao.quantization.disable_observer` (commonly after a few epochs); its fake quant passes no "
        "gradient where a value clips. TensorFlow Model Optimization's `quantize_model` does the same with "
        "moving-average ranges for activations; its weights are symmetric with codes −127…127, per channel for "
        "convolutions but per tensor for Dense layers (`default_8bit_quantize_registry.py`).",
        "q.relu.prompt": "Before you choose the activation scheme: ReLU outputs are never negative. With **symmetric** "
        "{bits}-bit activations, how many of the {total} codes can they use?",
        "q.relu.opt.all": "all {total}",
        "q.relu.opt.most": "{most}",
        "q.relu.opt.half": "{used}",
        "q.relu.why": "Symmetric unsigned codes put 0.0 in the middle, at the zero point {zp}, so that negative "
        "values get the codes below it. A ReLU output gets code {first} or above: **{used}** of the "
        "{total} codes, and the other half is never used. That is one bit thrown away, which is why "
        "activations after a ReLU are quantized asymmetrically: with the range starting at 0, they "
        "use {asym_used} codes.",
        "q.relu.show": "Show me: symmetric {bits}-bit activations",
        "q.low_bits.prompt": "Before you run the sweep: at {bits} bits (weights and activations, {codes} codes each), "
        "PTQ of the shipped model gets {ptq} % of the test digits right, against {fp32} % in fp32. "
        "What will a few epochs of QAT at the same {bits} bits give?",
        "q.low_bits.opt.same": "about as little: {codes} codes are too few for any method",
        "q.low_bits.opt.back": "most of the way back to fp32",
        "q.low_bits.opt.better": "more than fp32",
        "q.low_bits.why": "The shipped models: PTQ {ptq} %, QAT **{qat} %**, fp32 {fp32} %. PTQ rounds weights that "
        "were trained without knowing about the grid, and at {codes} codes most of them land far "
        "from where they were. QAT trains with the rounding in the forward pass (and the STE in the "
        "backward pass), so the weights move to where {codes} codes can hold them. More bits help "
        "PTQ, but at low bits, training with the quantizer helps far more.",
        "q.low_bits.show": "Set {bits}-bit weights and activations (then run)",
        # the training pool (ui.training): queue, progress, cache
        "queue.ahead_one": "1 run ahead of yours: yours starts when it is done.",
        "queue.ahead": "{n} runs ahead of yours: yours starts when they are done.",
        "queue.next": "Your run is next: it starts in a moment.",
        "progress.starting": "Training started: the first epoch is on its way…",
        "train.shared": "Someone in this class is training exactly these settings right now: you get the same run.",
        "train.cached": "Someone in this class already trained exactly these settings: shown at once.",
        "progress.done_cached": "That run took {seconds:.1f} s when it was trained; here it took no time.",
        "train.cancelled": "This run was cancelled.",
        "train.failed": "The training run failed: {message}",
        "train.busy": "Too many runs are waiting right now. Please press again in a minute.",
        "sweep.shared": "Someone in this class is running exactly this sweep right now: you get the same one.",
        "sweep.cached": "Someone in this class already ran exactly this sweep: shown at once.",
        "sweep.cancelled": "This sweep was cancelled. Press “Run the sweep” to run it again.",
        "sweep.failed": "The sweep failed: {message}",
        "sweep.busy": "Too many runs are waiting right now. Please press “Run the sweep” again in a minute.",
    },
    "ja": {
        "title": "量子化対応学習（QAT）",
        "intro": "**学習後量子化**（PTQ）は、学習済みの浮動小数点モデルにいくつかのバッチを流して各テンソルの"
        "スケールとゼロポイントを決め、丸めるだけです。**量子化対応学習**（QAT）はもう一歩進んで、順伝播に"
        "偽量子化（量子化してすぐ逆量子化する操作）を入れたまま学習を続けます。こうして重みは整数の目盛りの上で"
        "うまく働くように学習します。丸めには役に立つ勾配がないので、逆伝播ではストレートスルー推定器（STE）"
        "を使います（3 ページ目）。8 ビットならどちらも十分ですが、4 ビット以下では QAT がモデルを救います。",
        "formula_h": "順伝播での偽量子化（いまの設定の値）",
        "formula_caption": "重み：{wscheme}、{wbits} ビット、コード {wqmin}〜{wqmax}。活性化：{ascheme}、"
        "{abits} ビット、コード {aqmin}〜{aqmax}。逆伝播：クランプされなかった値にだけ勾配が流れます。",
        "formula_caption_trained": "直前の QAT の値（{layer} 層）：重みのスケール {wscale:.5f}（チャネル 0）、"
        "活性化のスケール {ascale:.5f}、ゼロポイント {azp}。",
        "act_note": "各 ReLU の後の値は [0, 最大] にあります。{abits} ビットの{scheme}方式では、ゼロポイントは "
        "z_a = {zp}、スケールは 最大 / {div:g} になり、0.0 はコード {first} です。ReLU の出力が使うのはコード "
        "{first}〜{qmax}、{total} 個のうち {used} 個です。",
        "act_waste": "コード {qmin}〜{below} は負の値のためのものですが、ReLU は負の値を出しません。"
        "そのため PyTorch や TFLite は ReLU の出力を、最小値を 0 とする非対称方式で量子化します。"
        "そうすれば 0.0 は一番下のコードになり、すべてのコードが使われます。",
        "act_others": "入力とロジットは負の値を持つので非対称のままです。重みは整数エンジンに合わせて、"
        "常に符号付きの対称量子化です。",
        "settings_h": "設定",
        "more_settings": "その他の設定（方式・オブザーバ・エポック数）",
        "wbits": "重みのビット数",
        "abits": "活性化のビット数",
        "scheme": "活性化の量子化方式",
        "scheme.asym": "非対称（アフィン）",
        "scheme.sym": "対称",
        "scheme_help": "非対称はゼロポイントを使い、コードの範囲を [最小, 最大] に合わせます。対称はゼロポイントを"
        "あらかじめ決め、max |x| だけでスケールを決めます（PyTorch では符号付きのコードなら 0、符号なしなら"
        "真ん中のコード）。整数演算は簡単になりますが、片側だけのデータではコードの一部が使われません。"
        "ここで実際にどうなるかは下の式の説明にあります。",
        "per_channel": "重みをチャネルごとに量子化",
        "per_channel_help": "テンソル全体で 1 つではなく、出力チャネルごとに 1 つのスケールを使います。"
        "重みの小さいチャネルが、最も大きいチャネルに合わせた粗い目盛りで丸められずに済みます。",
        "observer": "オブザーバ（範囲の決め方）",
        "observer_help": "値を観測して最小値と最大値を決め、それによってスケールとゼロポイントを決めるもの。",
        "observer.minmax": "最小・最大",
        "observer.moving_average": "移動平均の最小・最大",
        "observer.percentile": "パーセンタイル",
        "observer.mse": "MSE 最小化",
        "fp32_epochs": "fp32 のエポック数",
        "qat_epochs": "QAT のエポック数",
        "epochs_help": "1 回の実行が数秒で終わるよう、少なめにしています。",
        "run_h": "学習",
        "run_caption": "学習はワーカープロセスの中のコピーで行い、同梱のモデルは変わりません。終わった学習の結果は、"
        "まったく同じ設定を選んだ人にも読み取り専用で共有されます。PTQ と QAT は、"
        "fp32 を学習済みならそのモデルから、まだなら同梱の fp32 モデルから始めます。QAT と公平に比べられるよう、"
        "同じモデルを同じエポック数だけ浮動小数点のままでも学習します。",
        "btn.fp32": "1 · fp32 を学習",
        "btn.ptq": "2 · PTQ（キャリブレーション）",
        "btn.qat": "3 · QAT（偽量子化で追加学習）",
        "btn.all": "3 つまとめて実行",
        "progress.fp32": "fp32：エポック {epoch}/{epochs} · 損失 {loss:.3f} · 検証 {acc:.1f} %",
        "progress.ptq": "PTQ：キャリブレーションと丸めを実行中…",
        "progress.qat": "QAT：エポック {epoch}/{epochs} · 損失 {loss:.3f} · 検証 {acc:.1f} %",
        "progress.fp32_more": "偽量子化なしで同じエポック数の fp32：エポック {epoch}/{epochs} · "
        "損失 {loss:.3f} · 検証 {acc:.1f} %",
        "progress.done": "{seconds:.1f} 秒で完了しました。",
        "results_h": "結果",
        "runs_detail": "それぞれの実行の設定と学習",
        "no_results": "このセッションではまだ何も学習していません。1〜3 のボタンか「3 つまとめて実行」を押してください。"
        "数秒で終わります。",
        "metric.fp32": "fp32 のテスト正解率",
        "metric.ptq": "PTQ のテスト正解率",
        "metric.qat": "QAT のテスト正解率",
        "metric.fp32_more": "QAT と同じエポック数の fp32",
        "metric.delta": "{delta:+.1f} ポイント",
        "metric.delta_help.ptq": "キャリブレーションの元にした fp32 モデル（左）との差です。",
        "metric.delta_help.qat": "偽量子化なしで同じエポック数だけ学習した fp32 モデル（右）との差です。これが公平な比較です。",
        "start.session": "あなたの fp32 モデル：ランダムな初期値から {n} エポック・{seconds:.1f} 秒",
        "start.shipped": "同梱の fp32 モデル：{n} エポック",
        "metric.caption.ptq": "{config}・キャリブレーションのみ（学習なし）・{seconds:.1f} 秒",
        "metric.caption.qat": "{config}・{n} + {m} エポック（最後の {m} エポックは偽量子化あり）・{seconds:.1f} 秒",
        "metric.caption.fp32_more": "{n} + {m} エポック（最後の {m} エポックは浮動小数点のまま、QAT と同じ学習率と"
        "バッチ）・{seconds:.1f} 秒",
        "budget_note": "公平な比較：QAT と隣の浮動小数点モデルは、どちらも {n} + {m} エポックを同じ学習率、"
        "スケジュール、バッチで学習しており、違うのは偽量子化の有無だけです。出発点の fp32 モデル（{n} エポック）"
        "と比べると QAT は {delta:+.1f} ポイントになりますが、その一部は {m} エポック多く学習した分です。",
        "config": "W{w}A{a}・{scheme}・{granularity}・{observer}",
        "granularity.per_channel": "チャネルごと",
        "granularity.per_tensor": "テンソルごと",
        "stale": "前回の実行（{config}）から設定が変わっています。新しい設定で学習するにはボタンを押してください。",
        "curves_summary": "エポックごとの学習損失と検証正解率。QAT とその浮動小数点の比較対象のエポックは、出発点の"
        "モデルの {n} エポックの後に続けて描いています。{summary}",
        "curves_run": "{run}：最終損失 {loss:.3f}、検証 {acc:.1f} %。",
        "run.fp32": "fp32",
        "run.ptq": "PTQ",
        "run.qat": "QAT",
        "run.fp32_more": "QAT と同じエポック数の fp32",
        "sweep_h": "ビット幅を変えてみる：PTQ と QAT、8 ビットから 2 ビットまで",
        "sweep_intro": "ビット幅ごとに（重みも活性化も同じビット数）、同じ fp32 モデルを PTQ で量子化し、"
        "また QAT で追加学習します。ビット数が減るほど目盛りは粗くなります。PTQ が崩れ、QAT が持ちこたえる"
        "ところに注目してください。各ビット幅では `qlib.train` の学習レシピを使います（4 ビット以下では活性化の範囲を "
        "MSE 最小化で探します）。正解率は整数エンジンで計算した値です。",
        "sweep_epochs": "ビット幅ごとの QAT エポック数",
        "btn.sweep": "一括で比較する",
        "progress.sweep": "ビット幅 {done}/{total} 完了 · いまは {bits} ビット：PTQ と QAT を実行中…",
        "sweep_none": "「一括で比較する」を押してください。ビット幅ごとに PTQ を行い、ここで指定したエポック数（{epochs}）だけ"
        "量子化対応学習をします。",
        "sweep_summary": "ビット幅ごとのテスト正解率。QAT は PTQ と fp32 の線より {epochs} エポック多く学習しています。"
        "{rows}",
        "sweep_row": "{bits} ビット：PTQ {ptq:.1f} %、QAT {qat:.1f} %",
        "hist_h": "モデルの中身：層ごとの浮動小数点値と量子化後の値",
        "hist_intro": "ある層の重みと活性化を、偽量子化の前と後で比べます。量子化後の値は目盛りの各段に集まります。",
        "hist_source.qat": "あなたの QAT モデル（{config}）を表示しています。",
        "hist_source.ptq": "あなたの PTQ モデル（{config}）を表示しています。上で QAT を実行すると、追加学習後の重みが表示されます。",
        "hist_source.shipped": "同梱の QAT モデル（{name}）を表示しています。上で学習すると、あなたのモデルが表示されます。",
        "layer": "層",
        "kind": "テンソル",
        "kind.weight": "重み",
        "kind.activation": "活性化（層の出力）",
        "scale_range": "{lo:.5f}〜{hi:.5f}（チャネルごとに 1 つ）",
        "hist_summary": "値の数 {n}、使われた量子化レベル {levels} 個、スケール {scale}、ゼロポイント {zp}、"
        "クランプされた割合 {clip:.2f} %、平均二乗誤差 {mse}。",
        "hist_grid": "点線は表現できる範囲 {lo:.4g}〜{hi:.4g} を示し、その外の値は端にクランプされます。",
        "hist_per_channel": "{c} 個のチャネルがそれぞれ自分のスケールと範囲を持つので、1 つの範囲は描いていません。",
        "hist_clamped": "クランプされた値は {k} 個（{clip:.2f} %）：最後のコードを半刻み以内で超えたものが {edge} 個、"
        "それより外のものが {rest} 個（最大 {worst:.2f} 刻み）です。",
        "hist_edge_why": "そもそも重みがクランプされる理由：スケールは max |w| / {half:g} なので、最大の重みが正の"
        "チャネルでは、それがちょうど {qmax}.5 刻みに来ます。これは（偶数丸めで）{up} に丸められ、{qmax} に"
        "クランプされます。ずれは半刻みで、丸めと変わりません。負の端の −{half:g} 刻みは、存在するコード {qmin} に"
        "丸められます。",
        "hist_frozen": "オブザーバを固定した時点でスケールは決まり、その後も学習で重みは動き続けたので、"
        "端を越えたものがあります。",
        "trace_h": "QAT 中のスケールとゼロポイントの動き",
        "trace_intro": "QAT の間もオブザーバは観測を続けます。重みが変わると活性化の範囲も変わり、それに"
        "合わせてスケールとゼロポイントも動きます。重みのスケールも重みに合わせて動きます。オブザーバを固定すると、"
        "残りのエポックは決まった目盛りに合わせて学習し、線は平らになります。",
        "trace_frozen": "オブザーバは {n} エポック中 {k} エポック目の後に固定しました（灰色の破線）。",
        "trace_not_frozen": "{n} エポックではオブザーバは固定されません（2 エポック以上のとき、途中で固定します）。",
        "trace_none": "上で QAT を実行すると、エポックごとのスケールとゼロポイントが表示されます。",
        "trace_summary": "各量子化器のスケール（キャリブレーション直後からの変化。点線は重み）とゼロポイントの"
        "エポックごとの値。{summary}",
        "trace_row": "{name}：スケール {first:.4g} → {last:.4g}",
        "fig.loss": "学習損失",
        "fig.val_acc": "検証正解率",
        "fig.epoch": "エポック",
        "fig.loss_axis": "交差エントロピー",
        "fig.acc_axis": "正解率",
        "fig.fp32_line": "fp32：{acc:.1f} %",
        "fig.bits_axis": "ビット数（重みと活性化）",
        "fig.test_acc_axis": "テスト正解率",
        "fig.float": "浮動小数点",
        "fig.quantized": "量子化後",
        "fig.grid_range": "表現できる範囲",
        "fig.value": "値",
        "fig.count": "個数",
        "fig.count_log": "個数（対数目盛）",
        "fig.scale_change": "スケール：キャリブレーション直後からの変化",
        "fig.frozen": "ここからオブザーバを固定",
        "fig.zero_point": "ゼロポイント",
        "fig.step": "エポック（0 = キャリブレーション直後）",
        "note": "**ライブラリが実際にしていること**。PyTorch の標準の QAT 設定（`get_default_qat_qconfig`）は、"
        "学習中も移動平均オブザーバでスケールとゼロポイントを更新し続けます。止めるには "
        "`torch.ao.quantization.disable_observer` を呼びます（数エポック後に呼ぶのが一般的です）。その偽量子化は、"
        "クランプされた値には勾配を流しません。TensorFlow Model Optimization の `quantize_model` も同様で、"
        "活性化には移動平均の範囲を使います。重みはコード −127〜127 の対称量子化で、畳み込みはチャネルごと、"
        "Dense 層はテンソルごとです（`default_8bit_quantize_registry.py`）。",
        "q.relu.prompt": "活性化の方式を選ぶ前に考えてみましょう。ReLU の出力は負になりません。**対称**の {bits} ビットの活性化では、{total} 個のコードのうち何個を使えるでしょう？",
        "q.relu.opt.all": "{total} 個すべて",
        "q.relu.opt.most": "{most} 個",
        "q.relu.opt.half": "{used} 個",
        "q.relu.why": "符号なしの対称なコードでは、負の値に下半分のコードを残すため、0.0 を真ん中のゼロポイント {zp} に置きます。ReLU の出力はコード {first} 以上になるので、使えるのは "
        "{total} 個のうち **{used} 個**で、残りの半分は使われません。1 ビット分を捨てているのと同じです。そのため ReLU のあとの活性化は非対称に量子化します。"
        "範囲が 0 から始まれば、{asym_used} 個すべてを使えます。",
        "q.relu.show": "対称な {bits} ビットの活性化で見る",
        "q.low_bits.prompt": "ビット幅の比較を実行する前に考えてみましょう。{bits} ビット（重みも活性化も、コードは {codes} 個）では、同梱モデルの PTQ はテスト画像の {ptq} % しか正解しません（fp32 "
        "は {fp32} %）。同じ {bits} ビットで数エポックの QAT をすると、どうなるでしょう？",
        "q.low_bits.opt.same": "ほとんど変わらない：{codes} 個のコードでは、どんな方法でも足りない",
        "q.low_bits.opt.back": "fp32 にかなり近いところまで戻る",
        "q.low_bits.opt.better": "fp32 より良くなる",
        "q.low_bits.why": "同梱モデルでは PTQ が {ptq} %、QAT が **{qat} %**、fp32 が {fp32} % です。PTQ は、目盛りを知らずに学習した重みを丸めるので、{codes} "
        "個のコードでは多くの重みが元の値から遠くへ動きます。QAT は順伝播に丸めを入れ（逆伝播では STE を使い）ながら学習するので、重みは {codes} 個のコードで表せる場所へ移ります。"
        "ビット数を増やせば PTQ も良くなりますが、低いビット数では量子化を入れて学習するほうがはるかに効きます。",
        "q.low_bits.show": "重みと活性化を {bits} ビットにする（そのあと実行）",
        # 学習プール（ui.training）：待ち行列・進み具合・キャッシュ
        "queue.ahead_one": "あなたの前に 1 件の学習があります。それが終わると、あなたの学習が始まります。",
        "queue.ahead": "あなたの前に {n} 件の学習があります。それらが終わると、あなたの学習が始まります。",
        "queue.next": "次はあなたの学習です。まもなく始まります。",
        "progress.starting": "学習を始めました。最初のエポックを計算中です…",
        "train.shared": "このクラスの誰かが、まったく同じ設定でいま学習しています。その結果をあなたにも表示します。",
        "train.cached": "このクラスの誰かが、まったく同じ設定ですでに学習していました。その結果をすぐに表示しています。",
        "train.cancelled": "この学習は取り消されました。",
        "progress.done_cached": "その学習には {seconds:.1f} 秒かかりました。ここでは待ち時間なしで表示しています。",
        "train.failed": "学習に失敗しました：{message}",
        "train.busy": "いま待っている学習が多すぎます。1 分ほどしてから、もう一度押してください。",
        "sweep.shared": "このクラスの誰かが、まったく同じ設定の比較をいま実行しています。その結果をあなたにも表示します。",
        "sweep.cached": "このクラスの誰かが、まったく同じ設定の比較をすでに実行していました。その結果をすぐに表示しています。",
        "sweep.cancelled": "この比較は取り消されました。もう一度実行するには「一括で比較する」を押してください。",
        "sweep.failed": "比較に失敗しました：{message}",
        "sweep.busy": "いま待っている学習が多すぎます。1 分ほどしてから、もう一度「一括で比較する」を押してください。",
    },
}
