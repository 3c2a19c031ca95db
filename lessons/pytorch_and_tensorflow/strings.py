"""Strings of page 7, the same in PyTorch and TensorFlow (PyTorch と TensorFlow で同じことをする)."""

STRINGS = {
    "en": {
        "title": "The same in PyTorch and TensorFlow",
        "intro": (
            "Everything this app does by hand, the big frameworks do with a few calls. This page runs PyTorch's "
            "eager-mode quantization API live on the same tiny CNN and puts its scale, zero point and outputs beside "
            "qlib's, then shows the TensorFlow Model Optimization (TF-MOT) and TFLite code that does the same."
        ),
        "eager_h": "PyTorch's eager-mode recipe",
        "eager_intro": (
            "Six steps: mark where the model turns quantized (stubs), fuse each conv with its ReLU, choose a "
            "qconfig, insert fake quantization (prepare_qat), train, and convert to real int8 modules."
        ),
        "eager.note.stubs": (
            "**QuantStub / DeQuantStub** mark the border: inputs become quint8 codes at `quant`, the logits turn "
            "back into floats at `dequant`. After `convert` they are real Quantize / DeQuantize modules."
        ),
        "eager.note.fuse": (
            "**fuse_modules_qat** joins each conv with its ReLU into one `ConvReLU2d`: the output is quantized "
            "*after* the ReLU, so the ReLU becomes the lower clamp at the zero point (page 6)."
        ),
        "eager.note.qconfig": (
            "**qconfig** says how to quantize: the x86 default uses moving-average min/max for activations "
            "(quint8, but `reduce_range`: only 0..127) and symmetric per-channel qint8 weights (−128..127)."
        ),
        "eager.note.prepare": (
            "**prepare_qat** swaps in QAT modules whose weights pass through fake quantization and puts an "
            "observer + fake quantizer after every activation."
        ),
        "eager.note.train": (
            "**Training** is an ordinary loop; the straight-through estimator carries the gradient through the "
            "rounding. `disable_observer` freezes scale and zero point for the last epochs."
        ),
        "eager.note.convert": (
            "**convert** replaces every module by its integer version: int8 weights packed for the engine "
            "(fbgemm here), and each layer's output scale and zero point read from its observer."
        ),
        "source_h": "The code that runs on this page (qlib/torch_ref.py)",
        "calib_h": "Same float model, same data: scale and zero point",
        "calib_intro": (
            "The shipped float32 model is calibrated on the training images twice: by qlib (`prepare_qat`, "
            "`calibrate`, `convert`) and by PyTorch's eager API (observers only, then `convert`). Both use the "
            "same min/max formula, so they must agree. Each cell is *scale / zero point*."
        ),
        "calib_wait": "Calibrating in qlib and in PyTorch…",
        "col.tensor": "Tensor",
        "same": "= same",
        "differs": "≠ differs",
        "col.qlib": "qlib (0..255)",
        "col.full": "PyTorch, quant_max=255",
        "col.same_full": "Same?",
        "col.x86": "PyTorch, x86 default ({lo}..{hi})",
        "col.same_x86": "Same as x86?",
        "tensor.act": "{name} (activation)",
        "tensor.weight": "{name} weights ({n} channels)",
        "calib_caption": (
            "Weights: each cell shows the largest of the layer's per-channel scales; the scales are compared "
            "channel by channel (same = every channel equal, and every weight zero point 0)."
        ),
        "fig.ratio": "scale ratio (PyTorch ÷ qlib)",
        "fig.full": "PyTorch, quant_max=255",
        "fig.x86": "PyTorch, x86 default",
        "fig.tensor": "activation",
        "fig.calib_summary": (
            "Activation scales as a ratio to qlib's: exactly 1 with quant_max=255; about {ratio:.2f} with the x86 "
            "default, because reduce_range leaves only 128 codes for the same range (255 / 127 ≈ 2.008)."
        ),
        "why_differ": (
            "**Why the x86 column differs.** With `reduce_range=True`, the x86 qconfig quantizes activations to "
            "7 bits (0..127): on CPUs without VNNI, fbgemm multiplies uint8 × int8 pairs and adds them in 16-bit "
            "registers, and full 8-bit activations could overflow them. Half the codes means twice the scale, and "
            "the zero point halves too. Set `quant_max=255` and PyTorch gives qlib's numbers exactly.\n\n"
            "**During QAT the weights differ too, in every channel.** PyTorch's fused weight fake quantizer "
            "(`fused_moving_avg_obs_fake_quant`, in C++) trains against `s = max(|min| / 128, |max| / 127)` per "
            "channel, while `convert` quantizes with the observer's Python formula `s = max|w| / 127.5`. Measured "
            "on the shipped float weights after one QAT step: the training scale divided by the converted one "
            "is {lo:.4f} to {hi:.4f}, and {differ} of {channels} channels differ, so a PyTorch QAT model ends up on "
            "weight grids up to {percent:.1f} % finer or coarser than those it was trained on. For the activations, "
            "{acts_same} of {acts} quantizers end up with the same scale and zero point in both computations. "
            "qlib uses max|w| / 127.5 for both."
        ),
        "engine_h": "Our integer weights in PyTorch's kernels",
        "engine_intro": (
            "qlib's QAT w8a8 model (the one on page 6) loaded into PyTorch's quantized modules: the same int8 "
            "weights, bias, scales and zero points, run over the whole test split by PyTorch's fbgemm kernels and "
            "by qlib's two requantization modes."
        ),
        "same_float": "Codes equal to qlib (float requant)",
        "same_fixed": "Codes equal to qlib (M0 · 2⁻ⁿ)",
        "same_fixed_help": (
            "The fixed-point engine rounds in integers, PyTorch in float32: they differ at ties, by at most {d} code."
        ),
        "top1_same": "Same top-1 class",
        "acc_qlib": "Accuracy, qlib int8",
        "acc_torch_same": "Accuracy, PyTorch int8 (same weights)",
        "sample": "Test sample (0–{n})",
        "fig.class": "class",
        "fig.logit": "logit (dequantized)",
        "fig.logits_summary": (
            "Test sample {i}: qlib predicts {q}, PyTorch predicts {t}; the largest difference between the two "
            "models' logits is {d:.4f}."
        ),
        "live_h": "PyTorch's own QAT, run live",
        "live_intro": (
            "Now PyTorch trains by itself: QAT from the shipped float32 weights with the x86 qconfig, then "
            "`convert`. An epoch takes a second or so; the result is kept, so each setting trains only once."
        ),
        "epochs": "Epochs",
        "epochs_help": "More epochs: usually a better model, and a longer wait.",
        "run": "Run PyTorch's QAT",
        "not_run": "Press the button to train and convert the model with PyTorch.",
        "running": "PyTorch is training ({e} epochs) and converting…",
        "acc_torch_qat": "PyTorch QAT ({e} epochs), test accuracy",
        "acc_qlib_qat": "qlib QAT w8a8, test accuracy",
        "train_time": "PyTorch training time",
        "fused_types": "convert made two fused quantized ConvReLU2d layers and a quantized Linear, as expected.",
        "col.qlib_qat": "qlib QAT (scale / zero point)",
        "col.torch_qat": "PyTorch QAT (scale / zero point)",
        "col.ratio": "PyTorch scale ÷ qlib scale",
        "qat_differ": (
            "These two are **not** expected to be equal: they are separate training runs (different epochs, "
            "batches and learning rates), so the weights and activation ranges drift apart, and PyTorch's "
            "activations are 7-bit (a ratio near 2). The table above shows that on the same model and data "
            "the formulas agree exactly."
        ),
        "tf_h": "TensorFlow: TF-MOT and the TFLite converter",
        "tf_intro": (
            "The same flow in TensorFlow, shown as code (this app does not install TensorFlow): "
            "`quantize_model` inserts fake quantization for QAT, and the TFLite converter writes a fully "
            "int8 model."
        ),
        "tf.note.import": "TensorFlow and the Model Optimization Toolkit (`pip install tensorflow-model-optimization`).",
        "tf.note.model": (
            'The same tiny CNN in Keras, with the same geometry. Keras\'s `padding="same"` follows '
            "TensorFlow's rule and puts an odd padding pixel after (`kernel_shape_util.cc`): with stride 2 on "
            "8×8 it pads only the bottom and right, where PyTorch's `padding=1` pads both sides. So the stride-2 "
            'conv gets `ZeroPadding2D(1)` and `padding="valid"`. Keras is channels-last (NHWC), so `Flatten` '
            "orders h, w, c instead of c, h, w (it matters only when copying PyTorch's fc weights); "
            '`activation="relu"` inside Conv2D lets TFLite fuse the ReLU into the output clamp.'
        ),
        "tf.note.quantize_model": (
            "**quantize_model** wraps every layer with fake quantization, TF-MOT's default 8-bit scheme "
            "(`default_8bit_quantize_registry.py`): activations asymmetric, with moving-average ranges; weights "
            "symmetric, narrow range, from their current min/max, **per channel for Conv2D** "
            "(`Default8BitConvWeightsQuantizer`) but **per tensor for Dense** (`LastValueQuantizer`, "
            "`per_axis=False`). ZeroPadding2D and Flatten stay unquantized. This is TF-MOT's `prepare_qat`."
        ),
        "tf.note.fit": "QAT is an ordinary `fit`; the fake-quant ops pass the gradient straight through.",
        "tf.note.converter": (
            "The TFLite converter with `Optimize.DEFAULT` turns on quantization; the ranges learned during QAT "
            "become the int8 scales and zero points."
        ),
        "tf.note.representative": (
            "**representative_dataset**: a hundred or so real inputs. It calibrates any tensor without a recorded "
            "range (and is all that post-training quantization uses)."
        ),
        "tf.note.int8_only": (
            "Integer-only: conversion fails rather than leave a float op, and the model's input and output are "
            "int8 too (otherwise float in and out, with quantize / dequantize at the ends)."
        ),
        "tf.note.convert": "Convert and save the flatbuffer: this file is what runs on a phone or a microcontroller.",
        "tf.note.run": (
            "Running it: quantize the input yourself with the input tensor's scale and zero point, invoke, "
            "dequantize the output, the same steps as qlib's `Int8Model`."
        ),
        "tf_script": "The whole script in one block",
        "scheme_h": "How TFLite's int8 scheme differs",
        "col.aspect": "Aspect",
        "col.torch_qlib": "PyTorch x86 / qlib",
        "col.tflite": "TFLite int8",
        "scheme.input": "input x / 127.5 − 1, in [−1, 1]",
        "scheme.input.torch": "uint8, scale 2/255, zero point {torch_zp} (min-max observer, in float32)",
        "scheme.input.tflite": (
            "int8, scale 2/255, zero point {tfl_zp} (uint8: {tfl_u8}): today's converter. Zero point "
            "{old_zp} with scale {old_scale} is the uint8 quantized MobileNets of 2018 (TF 1.x's TOCO with "
            "mean_values={old_zp}, std_dev_values={old_zp})"
        ),
        "scheme.act_dtype": "activation codes",
        "scheme.act_dtype.torch": (
            "uint8 (quint8): {x86_lo}..{x86_hi} with the x86 qconfig (reduce_range); 0..255 in qlib and with "
            "quant_max=255"
        ),
        "scheme.act_dtype.tflite": "int8 −128..127",
        "scheme.act_scheme": "activation scheme",
        "scheme.act_scheme.torch": "asymmetric (affine), per tensor",
        "scheme.act_scheme.tflite": "asymmetric (affine), per tensor",
        "scheme.w_dtype": "weight codes",
        "scheme.w_dtype.torch": "int8 (qint8) −128..127",
        "scheme.w_dtype.tflite": "int8 −127..127 (narrow range)",
        "scheme.w_scheme": "weight scheme",
        "scheme.w_scheme.torch": "symmetric per output channel, max|w| / 127.5",
        "scheme.w_scheme.tflite": (
            "symmetric, max|w| / 127; per channel for Conv2D, per tensor for Dense (TF-MOT's default 8-bit scheme)"
        ),
        "scheme.bias": "bias",
        "scheme.bias.torch": "float (x86 kernel) / int32 (qlib)",
        "scheme.bias.tflite": "int32, scale s_in · s_w",
        "scheme.requant": "requantization",
        "scheme.requant.torch": "float32 multiplier (x86) / M0 · 2⁻ⁿ (qlib)",
        "scheme.requant.tflite": "M0 · 2⁻ⁿ in integers (gemmlowp)",
        "scheme.layout": "memory layout",
        "scheme.layout.torch": "NCHW",
        "scheme.layout.tflite": "NHWC",
        "scheme_text": (
            "int8 and uint8 activations are the same grid shifted by 128: code q in uint8 is q − 128 in int8, "
            "zero point included, so PyTorch's uint8 input zero point 127 and TFLite's int8 −1 are the same grid. "
            "That 128 is the shift between the two types, not a zero point. The narrow weight range −127..127 keeps the weights symmetric around 0, so "
            "−w is always representable and a kernel can skip one corner case of the int8 × int8 products."
        ),
        "note": (
            "**What the libraries really do.** PyTorch's default x86 QAT keeps updating scale and zero point during "
            "training until `disable_observer` freezes them. It computes the training-time values in C++ "
            "(`fused_moving_avg_obs_fake_quant` → `ChooseQuantizationParams`) and `convert`'s in Python "
            "(the observer's `calculate_qparams`); for the symmetric per-channel weights these are two rules, "
            "`max(|min| / 128, |max| / 127)` and `max|w| / 127.5`, whose ratio lies between 127.5 / 128 ≈ 0.9961 and "
            "127.5 / 127 ≈ 1.0039 (measured above). "
            "`torch.ao.quantization` itself is deprecated (its warnings point to torchao and PT2E export), "
            "but the arithmetic there is the same: scale, zero point, fake quant, the same integer kernels."
        ),
    },
    "ja": {
        "title": "PyTorch と TensorFlow で同じことをする",
        "intro": (
            "このアプリで手作業でやってきたことを、主要なフレームワークは数回の呼び出しで行います。このページでは、"
            "同じ小さな CNN で PyTorch の eager モード量子化 API を実際に動かし、そのスケール、ゼロポイント、出力を"
            " qlib のものと並べます。続いて、同じことをする TensorFlow Model Optimization（TF-MOT）と TFLite の"
            "コードを紹介します。"
        ),
        "eager_h": "PyTorch の eager モードの手順",
        "eager_intro": (
            "手順は 6 つです。モデルのどこで量子化が始まり、どこで終わるかに印を付け（スタブ）、畳み込みと ReLU を"
            "融合し、qconfig を選び、偽量子化を挿入し（prepare_qat）、学習して、本物の int8 モジュールに変換します。"
        ),
        "eager.note.stubs": (
            "**QuantStub / DeQuantStub** は境界の印です。入力は `quant` で quint8 のコードになり、ロジットは "
            "`dequant` で浮動小数点数に戻ります。`convert` の後は本物の Quantize / DeQuantize モジュールになります。"
        ),
        "eager.note.fuse": (
            "**fuse_modules_qat** は畳み込みと ReLU を 1 つの `ConvReLU2d` にまとめます。出力は ReLU を通った"
            "**後**で量子化されるので、ReLU はゼロポイントでの下側のクランプになります（6 ページ）。"
        ),
        "eager.note.qconfig": (
            "**qconfig** は量子化の方法を決めます。x86 の既定では、活性化は移動平均の最小値・最大値（quint8 ですが "
            "`reduce_range` により 0〜127 だけ）、重みはチャネルごとの対称 qint8（−128〜127）です。"
        ),
        "eager.note.prepare": (
            "**prepare_qat** は、重みが偽量子化を通る量子化対応学習用のモジュールに置き換え、すべての活性化の後に"
            "オブザーバと偽量子化を挿入します。"
        ),
        "eager.note.train": (
            "**学習**はふつうのループです。丸めの勾配はストレートスルー推定器（STE）が通します。"
            "`disable_observer` で、最後のエポックのスケールとゼロポイントを固定します。"
        ),
        "eager.note.convert": (
            "**convert** は各モジュールを整数版に置き換えます。int8 の重みを推論エンジン（ここでは fbgemm）向けに"
            "パックし、各層の出力のスケールとゼロポイントをオブザーバから読み取ります。"
        ),
        "source_h": "このページで実際に動いているコード（qlib/torch_ref.py）",
        "calib_h": "同じ浮動小数点モデル、同じデータ：スケールとゼロポイント",
        "calib_intro": (
            "同梱の float32 モデルを、学習用の画像で 2 通りにキャリブレーションします。qlib（`prepare_qat`、"
            "`calibrate`、`convert`）と、PyTorch の eager API（オブザーバだけで記録して `convert`）です。"
            "どちらも同じ最小値・最大値の式を使うので、一致するはずです。各セルは「スケール / ゼロポイント」です。"
        ),
        "calib_wait": "qlib と PyTorch でキャリブレーション中…",
        "col.tensor": "テンソル",
        "same": "= 一致",
        "differs": "≠ 不一致",
        "col.qlib": "qlib（0〜255）",
        "col.full": "PyTorch（quant_max=255）",
        "col.same_full": "一致？",
        "col.x86": "PyTorch（x86 の既定、{lo}〜{hi}）",
        "col.same_x86": "x86 と一致？",
        "tensor.act": "{name}（活性化）",
        "tensor.weight": "{name} の重み（{n} チャネル）",
        "calib_caption": (
            "重み：セルには層のチャネルごとのスケールのうち最大のものを示し、比較は 1 チャネルずつ行っています"
            "（一致 = 全チャネルが等しく、重みのゼロポイントがすべて 0）。"
        ),
        "fig.ratio": "スケールの比（PyTorch ÷ qlib）",
        "fig.full": "PyTorch（quant_max=255）",
        "fig.x86": "PyTorch（x86 の既定）",
        "fig.tensor": "活性化",
        "fig.calib_summary": (
            "活性化のスケールを qlib との比で表したもの。quant_max=255 ならちょうど 1、x86 の既定では約 {ratio:.2f} です。"
            "reduce_range のため、同じ範囲に 128 個のコードしか使えないからです（255 / 127 ≈ 2.008）。"
        ),
        "why_differ": (
            "**x86 の列が違う理由**。`reduce_range=True` の x86 qconfig は、活性化を 7 ビット（0〜127）で量子化"
            "します。VNNI のない CPU では、fbgemm は uint8 × int8 の積を 2 つずつ 16 ビットのレジスタで足すので、"
            "活性化が 8 ビットいっぱいだとあふれるおそれがあるからです。コードが半分ならスケールは 2 倍になり、"
            "ゼロポイントも半分になります。`quant_max=255` にすれば、PyTorch は qlib とまったく同じ値を出します。\n\n"
            "**量子化対応学習の間は、重みもすべてのチャネルで違います**。PyTorch の融合された重みの偽量子化"
            "（C++ の `fused_moving_avg_obs_fake_quant`）は、チャネルごとに `s = max(|min| / 128, |max| / 127)` で"
            "学習しますが、`convert` はオブザーバの Python の式 `s = max|w| / 127.5` で量子化します。同梱の浮動小数点の"
            "重みで 1 ステップ学習して測ると、学習時のスケール ÷ 変換後のスケールは {lo:.4f}〜{hi:.4f} で、"
            "{channels} チャネル中 {differ} チャネルが違いました。つまり PyTorch で量子化対応学習したモデルは、学習したときより"
            "最大 {percent:.1f} % 細かい、または粗い重みの目盛りに変換されます。活性化についても 2 つの計算を比べると、"
            "{acts} 個の活性化の量子化器のうち {acts_same} 個でスケールとゼロポイントが一致しました。qlib はどちらにも "
            "max|w| / 127.5 を使います。"
        ),
        "engine_h": "qlib の整数の重みを PyTorch のカーネルで動かす",
        "engine_intro": (
            "qlib の QAT w8a8 モデル（6 ページのもの）を PyTorch の量子化モジュールに読み込みます。同じ int8 の重み、"
            "バイアス、スケール、ゼロポイントを使い、テストデータ全体を PyTorch の fbgemm カーネルと qlib の 2 つの"
            "再量子化モードで計算します。"
        ),
        "same_float": "qlib（float の再量子化）と一致",
        "same_fixed": "qlib（M0 · 2⁻ⁿ）と一致",
        "same_fixed_help": (
            "固定小数点のエンジンは整数で、PyTorch は float32 で丸めます。ちょうど中間の値で違いが出ますが、"
            "最大でも {d} コードです。"
        ),
        "top1_same": "1 位のクラスが一致",
        "acc_qlib": "正解率（qlib の int8）",
        "acc_torch_same": "正解率（PyTorch の int8、同じ重み）",
        "sample": "テストサンプル（0〜{n}）",
        "fig.class": "クラス",
        "fig.logit": "ロジット（逆量子化後）",
        "fig.logits_summary": (
            "テストサンプル {i}：qlib の予測は {q}、PyTorch の予測は {t}。2 つのモデルのロジットの差は"
            "最大で {d:.4f} です。"
        ),
        "live_h": "PyTorch 自身の量子化対応学習をその場で実行",
        "live_intro": (
            "今度は PyTorch が自分で学習します。同梱の float32 の重みから x86 の qconfig で量子化対応学習（QAT）を"
            "行い、`convert` します。1 エポックは 1 秒ほどです。結果は保存されるので、同じ設定での学習は 1 回だけです。"
        ),
        "epochs": "エポック数",
        "epochs_help": "エポックを増やすとたいていモデルは良くなりますが、待ち時間も延びます。",
        "run": "PyTorch の QAT を実行",
        "not_run": "ボタンを押すと、PyTorch でモデルを学習して変換します。",
        "running": "PyTorch が学習（{e} エポック）と変換をしています…",
        "acc_torch_qat": "PyTorch の QAT（{e} エポック）、テスト正解率",
        "acc_qlib_qat": "qlib の QAT w8a8、テスト正解率",
        "train_time": "PyTorch の学習時間",
        "fused_types": "convert で、期待どおり融合された量子化 ConvReLU2d が 2 つと量子化 Linear が 1 つできました。",
        "col.qlib_qat": "qlib の QAT（スケール / ゼロポイント）",
        "col.torch_qat": "PyTorch の QAT（スケール / ゼロポイント）",
        "col.ratio": "PyTorch のスケール ÷ qlib のスケール",
        "qat_differ": (
            "この 2 つは一致**しなくて当然**です。別々の学習（エポック数、バッチ、学習率が違う）なので、重みも"
            "活性化の範囲も少しずつ離れていきます。さらに PyTorch の活性化は 7 ビットです（比がほぼ 2）。"
            "同じモデルと同じデータなら式が完全に一致することは、上の表で確かめました。"
        ),
        "tf_h": "TensorFlow：TF-MOT と TFLite コンバータ",
        "tf_intro": (
            "TensorFlow での同じ流れをコードで示します（このアプリは TensorFlow をインストールしません）。"
            "`quantize_model` が量子化対応学習のための偽量子化を挿入し、TFLite コンバータがすべて int8 の"
            "モデルを書き出します。"
        ),
        "tf.note.import": "TensorFlow と Model Optimization Toolkit（`pip install tensorflow-model-optimization`）。",
        "tf.note.model": (
            '同じ小さな CNN を、同じ形のまま Keras で書いたものです。Keras の `padding="same"` は TensorFlow の'
            "規則に従い、奇数個のパディングの余りを後ろ側に足します（`kernel_shape_util.cc`）。8×8 でストライド 2 だと"
            "下と右にしか足さず、両側に足す PyTorch の `padding=1` とずれます。そこでストライド 2 の畳み込みには "
            '`ZeroPadding2D(1)` と `padding="valid"` を使います。Keras はチャネルが最後（NHWC）なので、`Flatten` '
            "の並びは c, h, w ではなく h, w, c です（PyTorch の fc の重みをコピーするときだけ問題になります）。"
            'Conv2D の中の `activation="relu"` のおかげで、TFLite は ReLU を出力のクランプに融合できます。'
        ),
        "tf.note.quantize_model": (
            "**quantize_model** は各層を偽量子化で包みます。TF-MOT の既定の 8 ビット方式"
            "（`default_8bit_quantize_registry.py`）では、活性化は非対称で範囲は移動平均、重みは対称・ナローレンジで"
            "その時点の最小値・最大値から決め、**Conv2D はチャネルごと**（`Default8BitConvWeightsQuantizer`）、"
            "**Dense はテンソルごと**（`LastValueQuantizer`、`per_axis=False`）です。ZeroPadding2D と Flatten は"
            "量子化しません。TF-MOT 版の `prepare_qat` です。"
        ),
        "tf.note.fit": "量子化対応学習はふつうの `fit` です。偽量子化の演算は勾配をそのまま通します（STE）。",
        "tf.note.converter": (
            "`Optimize.DEFAULT` を指定した TFLite コンバータが量子化を有効にします。量子化対応学習で記録した範囲が"
            " int8 のスケールとゼロポイントになります。"
        ),
        "tf.note.representative": (
            "**representative_dataset**：実際の入力を 100 個ほど渡します。範囲が記録されていないテンソルの"
            "キャリブレーションに使われます（学習後量子化ではこれだけが頼りです）。"
        ),
        "tf.note.int8_only": (
            "整数演算だけにする設定です。浮動小数点の演算が残るなら変換を失敗させ、モデルの入出力も int8 に"
            "します（指定しないと入出力は浮動小数点のままで、両端に量子化・逆量子化が入ります）。"
        ),
        "tf.note.convert": "変換して flatbuffer を保存します。スマートフォンやマイコンで動くのはこのファイルです。",
        "tf.note.run": (
            "実行するには、入力テンソルのスケールとゼロポイントで自分で入力を量子化し、invoke して、出力を"
            "逆量子化します。qlib の `Int8Model` と同じ手順です。"
        ),
        "tf_script": "スクリプト全体をまとめて表示",
        "scheme_h": "TFLite の int8 方式との違い",
        "col.aspect": "項目",
        "col.torch_qlib": "PyTorch（x86）と qlib",
        "col.tflite": "TFLite の int8",
        "scheme.input": "入力 x / 127.5 − 1（[−1, 1]）",
        "scheme.input.torch": "uint8、スケール 2/255、ゼロポイント {torch_zp}（最小値・最大値のオブザーバ、float32 で計算）",
        "scheme.input.tflite": (
            "int8、スケール 2/255、ゼロポイント {tfl_zp}（uint8 なら {tfl_u8}）：今のコンバータ。ゼロポイント "
            "{old_zp}、スケール {old_scale} は 2018 年の uint8 の量子化 MobileNet（TF 1.x の TOCO で "
            "mean_values={old_zp}、std_dev_values={old_zp}）"
        ),
        "scheme.act_dtype": "活性化のコード",
        "scheme.act_dtype.torch": (
            "uint8（quint8）：x86 の qconfig では {x86_lo}〜{x86_hi}（reduce_range）、qlib と quant_max=255 では 0〜255"
        ),
        "scheme.act_dtype.tflite": "int8、−128〜127",
        "scheme.act_scheme": "活性化の方式",
        "scheme.act_scheme.torch": "非対称（アフィン）、テンソルごと",
        "scheme.act_scheme.tflite": "非対称（アフィン）、テンソルごと",
        "scheme.w_dtype": "重みのコード",
        "scheme.w_dtype.torch": "int8（qint8）、−128〜127",
        "scheme.w_dtype.tflite": "int8、−127〜127（ナローレンジ）",
        "scheme.w_scheme": "重みの方式",
        "scheme.w_scheme.torch": "出力チャネルごとに対称、max|w| / 127.5",
        "scheme.w_scheme.tflite": (
            "対称、max|w| / 127。Conv2D はチャネルごと、Dense はテンソルごと（TF-MOT の既定の 8 ビット方式）"
        ),
        "scheme.bias": "バイアス",
        "scheme.bias.torch": "浮動小数点（x86 カーネル）/ int32（qlib）",
        "scheme.bias.tflite": "int32、スケール s_in · s_w",
        "scheme.requant": "再量子化",
        "scheme.requant.torch": "float32 の乗数（x86）/ M0 · 2⁻ⁿ（qlib）",
        "scheme.requant.tflite": "整数の M0 · 2⁻ⁿ（gemmlowp）",
        "scheme.layout": "メモリ配置",
        "scheme.layout.torch": "NCHW",
        "scheme.layout.tflite": "NHWC",
        "scheme_text": (
            "int8 と uint8 の活性化は、同じ目盛りを 128 ずらしただけです。uint8 のコード q は int8 では q − 128 で、"
            "ゼロポイントも同じだけずれます。PyTorch の uint8 の入力のゼロポイント 127 と TFLite の int8 の −1 は"
            "同じ目盛りです。この 128 は 2 つの型のずれで、ゼロポイントではありません。重みを −127〜127 の"
            "ナローレンジにすると 0 を中心に対称になり、−w が必ず表せるので、カーネルは int8 × int8 の積の特殊な"
            "場合を 1 つ省けます。"
        ),
        "note": (
            "**ライブラリが実際にしていること**。PyTorch の x86 既定の量子化対応学習は、`disable_observer` で"
            "固定するまで学習中もスケールとゼロポイントを更新し続けます。学習中の値は C++"
            "（`fused_moving_avg_obs_fake_quant` → `ChooseQuantizationParams`）で、`convert` の値は Python"
            "（オブザーバの `calculate_qparams`）で計算されます。対称・チャネルごとの重みでは規則そのものが違い、"
            "`max(|min| / 128, |max| / 127)` と `max|w| / 127.5` の比は 127.5 / 128 ≈ 0.9961 から "
            "127.5 / 127 ≈ 1.0039 の間です（上で測った値）。`torch.ao.quantization` 自体は非推奨になり（警告が "
            "torchao と PT2E エクスポートへの移行を案内します）、計算（スケール、ゼロポイント、偽量子化、同じ整数"
            "カーネル）はそちらでも同じです。"
        ),
    },
}
