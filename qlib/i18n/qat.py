"""Strings of page 4, QAT training: fp32, PTQ and QAT trained live, the bit-width sweep, histograms, qparams."""

STRINGS = {
    "en": {
        "qat.title": "Quantization-aware training (QAT)",
        "qat.intro": "**Post-training quantization (PTQ)** takes a trained float model, watches a few batches to "
        "choose each tensor's scale and zero point, and rounds. **Quantization-aware training (QAT)** goes one "
        "step further: it puts *fake quantization* (quantize, then dequantize straight away) into the forward "
        "pass and keeps training, so the weights learn to live on the integer grid. The rounding has no useful "
        "gradient, so the backward pass uses the straight-through estimator (page 3). At 8 bits both work; "
        "at 4 bits and below, QAT is what keeps the model usable.",
        "qat.formula_h": "Fake quantization in the forward pass, with the current settings",
        "qat.formula_caption": "Weights: {wscheme}, {wbits} bits, codes {wqmin}…{wqmax}. Activations: {ascheme}, "
        "{abits} bits, codes {aqmin}…{aqmax}. Backward: the gradient passes where the value was not clamped.",
        "qat.formula_caption_trained": "With the numbers of the last QAT run, layer {layer}: weight scale "
        "{wscale:.5f} (channel 0), activation scale {ascale:.5f}, zero point {azp}.",
        "qat.sym_note": "Symmetric applies to the activations after each ReLU, which are never negative: their "
        "zero point is 0 and all the codes cover [0, max]. The input and the logits have negative values and stay "
        "asymmetric. Weights are always symmetric and signed, as the integer engine expects.",
        "qat.settings_h": "Settings",
        "qat.wbits": "Weight bits",
        "qat.abits": "Activation bits",
        "qat.scheme": "Scheme",
        "qat.scheme.asym": "Asymmetric (affine)",
        "qat.scheme.sym": "Symmetric",
        "qat.scheme_help": "Asymmetric uses a zero point so the whole range of codes covers [min, max]. "
        "Symmetric fixes the zero point at 0: simpler integer maths, one code range wasted on one-sided data.",
        "qat.per_channel": "Per-channel weights",
        "qat.per_channel_help": "One scale per output channel of a layer instead of one for the whole tensor: "
        "a channel with small weights is not rounded on the coarse grid of the largest channel.",
        "qat.observer": "Observer (how the range is chosen)",
        "qat.observer_help": "What watches the values and sets min and max, and so the scale and zero point.",
        "qat.observer.minmax": "Min–max",
        "qat.observer.moving_average": "Moving-average min–max",
        "qat.observer.percentile": "Percentile",
        "qat.observer.mse": "MSE-optimal",
        "qat.fp32_epochs": "fp32 epochs",
        "qat.qat_epochs": "QAT epochs",
        "qat.epochs_help": "Kept small so that a run takes a few seconds.",
        "qat.run_h": "Train",
        "qat.run_caption": "Everything trains on this session's own copies; the shipped models are never changed. "
        "PTQ and QAT start from your fp32 model if you trained one, otherwise from the shipped fp32 model.",
        "qat.btn.fp32": "1 · Train fp32",
        "qat.btn.ptq": "2 · PTQ (calibrate and round)",
        "qat.btn.qat": "3 · QAT (fine-tune with fake quant)",
        "qat.btn.all": "Run all three",
        "qat.progress.fp32": "fp32: epoch {epoch} of {epochs} · loss {loss:.3f} · validation {acc:.1f} %",
        "qat.progress.ptq": "PTQ: calibrating and rounding…",
        "qat.progress.qat": "QAT: epoch {epoch} of {epochs} · loss {loss:.3f} · validation {acc:.1f} %",
        "qat.progress.done": "Done in {seconds:.1f} s.",
        "qat.start.session": "starting from your fp32 model",
        "qat.start.shipped": "starting from the shipped fp32 model",
        "qat.results_h": "Results",
        "qat.no_results": "Nothing trained in this session yet. Press a button above; a run takes a few seconds.",
        "qat.metric.fp32": "fp32 test accuracy",
        "qat.metric.ptq": "PTQ test accuracy",
        "qat.metric.qat": "QAT test accuracy",
        "qat.metric.help": "{config}; trained in {seconds:.1f} s.",
        "qat.metric.delta": "{delta:+.1f} pt vs fp32",
        "qat.metric.caption": "{config} · {what} · {seconds:.1f} s",
        "qat.metric.epochs": "epochs: {n}",
        "qat.metric.calibrated": "calibration only",
        "qat.config": "W{w}A{a} · {scheme} · {granularity} · {observer}",
        "qat.granularity.per_channel": "per-channel",
        "qat.granularity.per_tensor": "per-tensor",
        "qat.stale": "The settings have changed since the last run (that run used {config}). Press a button to "
        "train with the new settings.",
        "qat.curves_summary": "Training loss and validation accuracy per epoch. {summary}",
        "qat.curves_run": "{run}: final loss {loss:.3f}, validation {acc:.1f} %.",
        "qat.run.fp32": "fp32",
        "qat.run.ptq": "PTQ",
        "qat.run.qat": "QAT",
        "qat.sweep_h": "Bit-width sweep: PTQ against QAT, 8 bits down to 2",
        "qat.sweep_intro": "For each bit width (weights and activations alike), the same fp32 model is quantized "
        "once with PTQ and once fine-tuned with QAT. Fewer bits mean a coarser grid: watch where PTQ falls apart "
        "and QAT holds on. Each width uses the training recipe of `qlib.train` (at 4 bits and below the "
        "activation ranges come from the MSE search); the accuracies are those of the integer engine.",
        "qat.sweep_epochs": "QAT epochs per bit width",
        "qat.btn.sweep": "Run the sweep",
        "qat.progress.sweep": "{bits} bits: PTQ, then QAT…",
        "qat.sweep_none": "Press “Run the sweep”; it trains a few epochs at each bit width.",
        "qat.sweep_summary": "Test accuracy by bit width. {rows}",
        "qat.sweep_row": "{bits} bits: PTQ {ptq:.1f} %, QAT {qat:.1f} %",
        "qat.hist_h": "Inside the model: float against quantized, layer by layer",
        "qat.hist_intro": "The weights and the activations of one layer of the QAT model, before and after "
        "fake quantization. The quantized values sit on the grid's levels; values beyond the dotted lines "
        "are clamped.",
        "qat.hist_source.qat": "Showing your QAT model ({config}).",
        "qat.hist_source.ptq": "Showing your PTQ model ({config}); run QAT above to see the fine-tuned weights.",
        "qat.hist_source.shipped": "Showing the shipped QAT model ({name}); train above to see your own model here.",
        "qat.layer": "Layer",
        "qat.kind": "Tensor",
        "qat.kind.weight": "Weights",
        "qat.kind.activation": "Activations (layer output)",
        "qat.scale_range": "{lo:.5f} to {hi:.5f} (one per channel)",
        "qat.hist_summary": "{n} values; {levels} distinct quantized levels used; scale {scale}, "
        "zero point {zp}; {clip:.2f} % clamped; mean squared error {mse:.2e}.",
        "qat.trace_h": "How scale and zero point move during QAT",
        "qat.trace_intro": "During QAT the observers keep watching: the activation ranges (and so the scales and "
        "zero points) follow the changing weights. Half way through, the observers are frozen, so the last "
        "epochs fit the final grids; from then on the lines stay flat.",
        "qat.trace_none": "Run QAT above to see its scales and zero points epoch by epoch.",
        "qat.trace_summary": "Each quantizer's scale (as a change since calibration; dotted: weights) and zero point after every epoch. {summary}",
        "qat.trace_row": "{name}: scale {first:.4g} → {last:.4g}",
        "qat.fig.loss": "Training loss",
        "qat.fig.val_acc": "Validation accuracy",
        "qat.fig.epoch": "epoch",
        "qat.fig.loss_axis": "cross-entropy",
        "qat.fig.acc_axis": "accuracy",
        "qat.fig.fp32_line": "fp32: {acc:.1f} %",
        "qat.fig.bits_axis": "bits (weights and activations)",
        "qat.fig.test_acc_axis": "test accuracy",
        "qat.fig.float": "float",
        "qat.fig.quantized": "quantized",
        "qat.fig.grid_range": "representable range",
        "qat.fig.value": "value",
        "qat.fig.count": "count",
        "qat.fig.count_log": "count (log scale)",
        "qat.fig.scale_change": "scale: change since calibration",
        "qat.fig.frozen": "observers frozen",
        "qat.fig.zero_point": "zero point",
        "qat.fig.step": "epoch (0 = after calibration)",
        "qat.note": "**What the libraries really do.** PyTorch's default QAT (`get_default_qat_qconfig`) keeps "
        "updating scale and zero point with moving-average observers during training, until you call "
        "`torch.ao.quantization.disable_observer` (commonly after a few epochs); its fake quant passes no "
        "gradient where a value clips. TensorFlow Model Optimization's `quantize_model` does the same with "
        "moving-average ranges for activations and per-channel symmetric weights.",
    },
    "ja": {
        "qat.title": "量子化対応学習（QAT）",
        "qat.intro": "**学習後量子化（PTQ）** は、学習済みの浮動小数点モデルにいくつかのバッチを流して各テンソルの"
        "スケールとゼロポイントを決め、丸めるだけです。**量子化対応学習（QAT）** はもう一歩進んで、順伝播に"
        "*偽量子化*（量子化してすぐ逆量子化する操作）を入れたまま学習を続けます。こうして重みは整数の格子の上で"
        "うまく働くように学習します。丸めには役に立つ勾配がないので、逆伝播ではストレート・スルー推定器（STE、"
        "3 ページ目）を使います。8 ビットならどちらも十分ですが、4 ビット以下では QAT がモデルを救います。",
        "qat.formula_h": "順伝播での偽量子化（いまの設定の値）",
        "qat.formula_caption": "重み：{wscheme}、{wbits} ビット、整数値 {wqmin}〜{wqmax}。活性化：{ascheme}、"
        "{abits} ビット、整数値 {aqmin}〜{aqmax}。逆伝播：クランプされなかった値にだけ勾配が流れます。",
        "qat.formula_caption_trained": "直前の QAT の値（{layer} 層）：重みのスケール {wscale:.5f}（チャネル 0）、"
        "活性化のスケール {ascale:.5f}、ゼロポイント {azp}。",
        "qat.sym_note": "対称量子化は、各 ReLU の後の活性化（負にならない値）に使います。ゼロポイントは 0 で、"
        "すべての整数値が [0, 最大] を覆います。入力とロジットは負の値を持つので非対称のままです。重みは整数エンジンに"
        "合わせて、常に符号付きの対称量子化です。",
        "qat.settings_h": "設定",
        "qat.wbits": "重みのビット数",
        "qat.abits": "活性化のビット数",
        "qat.scheme": "方式",
        "qat.scheme.asym": "非対称（アフィン）",
        "qat.scheme.sym": "対称",
        "qat.scheme_help": "非対称はゼロポイントを使い、整数値の範囲全体で [最小, 最大] を覆います。対称はゼロポイントを "
        "0 に固定します。整数演算は簡単になりますが、片側だけのデータでは整数値の半分が無駄になります。",
        "qat.per_channel": "重みをチャネルごとに量子化",
        "qat.per_channel_help": "テンソル全体で 1 つではなく、出力チャネルごとに 1 つのスケールを使います。"
        "重みの小さいチャネルが、最も大きいチャネルに合わせた粗い格子で丸められずに済みます。",
        "qat.observer": "オブザーバ（範囲の決め方）",
        "qat.observer_help": "値を観測して最小値と最大値を決め、それによってスケールとゼロポイントを決めるもの。",
        "qat.observer.minmax": "最小・最大",
        "qat.observer.moving_average": "移動平均の最小・最大",
        "qat.observer.percentile": "パーセンタイル",
        "qat.observer.mse": "MSE 最小化",
        "qat.fp32_epochs": "fp32 のエポック数",
        "qat.qat_epochs": "QAT のエポック数",
        "qat.epochs_help": "1 回の実行が数秒で終わるよう、少なめにしています。",
        "qat.run_h": "学習",
        "qat.run_caption": "学習はすべてこのセッション専用のコピーで行い、配布済みのモデルは変わりません。PTQ と QAT は、"
        "fp32 を学習済みならそのモデルから、まだなら配布済みの fp32 モデルから始めます。",
        "qat.btn.fp32": "1 · fp32 を学習",
        "qat.btn.ptq": "2 · PTQ（キャリブレーション）",
        "qat.btn.qat": "3 · QAT（偽量子化で追加学習）",
        "qat.btn.all": "3 つまとめて実行",
        "qat.progress.fp32": "fp32：エポック {epoch}/{epochs} · 損失 {loss:.3f} · 検証 {acc:.1f} %",
        "qat.progress.ptq": "PTQ：キャリブレーションと丸めを実行中…",
        "qat.progress.qat": "QAT：エポック {epoch}/{epochs} · 損失 {loss:.3f} · 検証 {acc:.1f} %",
        "qat.progress.done": "{seconds:.1f} 秒で完了しました。",
        "qat.start.session": "あなたが学習した fp32 モデルから開始",
        "qat.start.shipped": "配布済みの fp32 モデルから開始",
        "qat.results_h": "結果",
        "qat.no_results": "このセッションではまだ何も学習していません。上のボタンを押してください。数秒で終わります。",
        "qat.metric.fp32": "fp32 のテスト正解率",
        "qat.metric.ptq": "PTQ のテスト正解率",
        "qat.metric.qat": "QAT のテスト正解率",
        "qat.metric.help": "{config}。学習時間 {seconds:.1f} 秒。",
        "qat.metric.delta": "fp32 比 {delta:+.1f} ポイント",
        "qat.metric.caption": "{config}・{what}・{seconds:.1f} 秒",
        "qat.metric.epochs": "{n} エポック",
        "qat.metric.calibrated": "キャリブレーションのみ",
        "qat.config": "W{w}A{a}・{scheme}・{granularity}・{observer}",
        "qat.granularity.per_channel": "チャネルごと",
        "qat.granularity.per_tensor": "テンソルごと",
        "qat.stale": "前回の実行（{config}）から設定が変わっています。新しい設定で学習するにはボタンを押してください。",
        "qat.curves_summary": "エポックごとの学習損失と検証正解率。{summary}",
        "qat.curves_run": "{run}：最終損失 {loss:.3f}、検証 {acc:.1f} %。",
        "qat.run.fp32": "fp32",
        "qat.run.ptq": "PTQ",
        "qat.run.qat": "QAT",
        "qat.sweep_h": "ビット幅を変えてみる：PTQ と QAT、8 ビットから 2 ビットまで",
        "qat.sweep_intro": "ビット幅ごとに（重みも活性化も同じビット数）、同じ fp32 モデルを PTQ で量子化し、"
        "また QAT で追加学習します。ビット数が減るほど格子は粗くなります。PTQ が崩れ、QAT が持ちこたえる"
        "ところに注目してください。各ビット幅では `qlib.train` の学習レシピを使います（4 ビット以下では活性化の範囲を"
        "MSE 最小化で探します）。正解率は整数エンジンで計算した値です。",
        "qat.sweep_epochs": "ビット幅ごとの QAT エポック数",
        "qat.btn.sweep": "一括で比較する",
        "qat.progress.sweep": "{bits} ビット：PTQ と QAT を実行中…",
        "qat.sweep_none": "「一括で比較する」を押してください。ビット幅ごとに数エポックずつ学習します。",
        "qat.sweep_summary": "ビット幅ごとのテスト正解率。{rows}",
        "qat.sweep_row": "{bits} ビット：PTQ {ptq:.1f} %、QAT {qat:.1f} %",
        "qat.hist_h": "モデルの中身：層ごとの浮動小数点値と量子化後の値",
        "qat.hist_intro": "QAT モデルのある層の重みと活性化を、偽量子化の前と後で比べます。量子化後の値は格子の"
        "各段に集まり、点線の外側の値はクランプされます。",
        "qat.hist_source.qat": "あなたの QAT モデル（{config}）を表示しています。",
        "qat.hist_source.ptq": "あなたの PTQ モデル（{config}）を表示しています。上で QAT を実行すると、追加学習後の重みが表示されます。",
        "qat.hist_source.shipped": "配布済みの QAT モデル（{name}）を表示しています。上で学習すると、あなたのモデルが表示されます。",
        "qat.layer": "層",
        "qat.kind": "テンソル",
        "qat.kind.weight": "重み",
        "qat.kind.activation": "活性化（層の出力）",
        "qat.scale_range": "{lo:.5f}〜{hi:.5f}（チャネルごとに 1 つ）",
        "qat.hist_summary": "値の数 {n}、使われた量子化レベル {levels} 個、スケール {scale}、ゼロポイント {zp}、"
        "クランプされた割合 {clip:.2f} %、平均二乗誤差 {mse:.2e}。",
        "qat.trace_h": "QAT 中のスケールとゼロポイントの動き",
        "qat.trace_intro": "QAT の間もオブザーバは観測を続けます。重みが変わると活性化の範囲も変わり、それに"
        "合わせてスケールとゼロポイントも動きます。学習の途中でオブザーバを固定し、残りのエポックでは最終的な"
        "格子に合わせて学習します。固定した後は線が平らになります。",
        "qat.trace_none": "上で QAT を実行すると、エポックごとのスケールとゼロポイントが表示されます。",
        "qat.trace_summary": "各量子化器のスケール（キャリブレーション直後からの変化。点線は重み）とゼロポイントのエポックごとの値。{summary}",
        "qat.trace_row": "{name}：スケール {first:.4g} → {last:.4g}",
        "qat.fig.loss": "学習損失",
        "qat.fig.val_acc": "検証正解率",
        "qat.fig.epoch": "エポック",
        "qat.fig.loss_axis": "交差エントロピー",
        "qat.fig.acc_axis": "正解率",
        "qat.fig.fp32_line": "fp32：{acc:.1f} %",
        "qat.fig.bits_axis": "ビット数（重みと活性化）",
        "qat.fig.test_acc_axis": "テスト正解率",
        "qat.fig.float": "浮動小数点",
        "qat.fig.quantized": "量子化後",
        "qat.fig.grid_range": "表現できる範囲",
        "qat.fig.value": "値",
        "qat.fig.count": "個数",
        "qat.fig.count_log": "個数（対数目盛）",
        "qat.fig.scale_change": "スケール：キャリブレーション直後からの変化",
        "qat.fig.frozen": "オブザーバを固定",
        "qat.fig.zero_point": "ゼロポイント",
        "qat.fig.step": "エポック（0 = キャリブレーション直後）",
        "qat.note": "**ライブラリが実際にしていること。** PyTorch の標準の QAT 設定（`get_default_qat_qconfig`）は、"
        "学習中も移動平均オブザーバでスケールとゼロポイントを更新し続けます。止めるには "
        "`torch.ao.quantization.disable_observer` を呼びます（数エポック後に呼ぶのが一般的です）。その偽量子化は、"
        "クランプされた値には勾配を流しません。TensorFlow Model Optimization の `quantize_model` も同様で、"
        "活性化には移動平均の範囲を、重みにはチャネルごとの対称量子化を使います。",
    },
}
