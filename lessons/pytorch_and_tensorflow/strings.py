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
        "cell.same": "{cell} (= qlib)",
        "cell.differs": "{cell} (≠ qlib)",
        "col.qlib": "qlib (0..255)",
        "col.full": "PyTorch, quant_max=255",
        "col.x86": "PyTorch, x86 default ({lo}..{hi})",
        "tensor.act": "{name} (activation)",
        "tensor.weight": "{name} weights ({n} channels)",
        "calib_caption": (
            "Weights: each cell shows the largest of the layer's per-channel scales; the scales are compared "
            "channel by channel (= qlib: every channel equal, and every weight zero point 0)."
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
        "same_fixed_help.exact": (
            "The fixed-point engine rounds in integers, PyTorch in float32: here not one code differs."
        ),
        "same_fixed_help.ties": (
            "The fixed-point engine rounds in integers, PyTorch in float32: they differ at ties, by at most {d} code."
        ),
        "same_fixed_help.saturated": (
            "Rounding in integers or in float32 parts codes only at ties, by one code. Here they differ by up to "
            "{d} codes: on this CPU fbgemm's 16-bit pair sums saturated (see below)."
        ),
        "engine_note.exact": (
            "**The sums are exact on this CPU** ({cpu}): a two-input layer with weights {w}, {w} and input codes "
            "{c_big}, {c_big} gives PyTorch {torch_big}: the exact sum {exact_big} rounded to the output's grid, whose steps are {pair_step} "
            "apart, so nothing saturated. With the "
            "same input codes, {first_differ} of {first}'s {first_outputs} codes differ from qlib float, and every "
            "one of the {outputs} output codes equals qlib fixed's."
        ),
        "engine_note.ties": (
            "**The sums are exact on this CPU** ({cpu}): a two-input layer with weights {w}, {w} and input codes "
            "{c_big}, {c_big} gives PyTorch {torch_big}: the exact sum {exact_big} rounded to the output's grid, whose steps are {pair_step} "
            "apart, so nothing saturated. With the "
            "same input codes, {first_differ} of {first}'s {first_outputs} codes differ from qlib float. Only the "
            "requantization separates the engines: {differ} of {outputs} codes, by at most {d} code, next to a tie."
        ),
        "engine_note.saturated": (
            "**Why so many codes differ here.** This server's CPU ({cpu}) has no VNNI, so fbgemm multiplies each "
            "uint8 activation code by its int8 weight and adds the products two at a time in a 16-bit register "
            "(vpmaddubsw), which stops at {int16}. Measured now on a two-input layer with weights {w}, {w}: input "
            "codes {c_small}, {c_small} give {torch_small} (exact: {exact_small}), but codes {c_big}, {c_big} give "
            "{torch_big} instead of {exact_big} (to its output step of {pair_step}). In {first}, with the same input "
            "codes, {first_differ} of {first_outputs} codes ({first_share} %) differ from qlib float, by up to "
            "{first_d} codes; at the output {differ} of {outputs} differ from qlib fixed, by up to {d} codes, and "
            "{changed} of {n} predictions change ({acc_torch} % correct against qlib's {acc_qlib} %). This is what "
            "`reduce_range` avoids (*Why the x86 column differs*, above): with 7-bit activations, codes 0..127, two "
            "products stay below 32,768. On a CPU with VNNI the products are added four at a time in 32 bits, and "
            "the engines differ only at ties, by one code. The check: qlib's float engine run on the same saturated "
            "pair sums (`qlib.int8.pair_saturated_acc`) gives {same_own} of PyTorch's {outputs} output codes."
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
        "scheme.input.torch": (
            "uint8, scale 2/255, zero point {torch_zp} in qlib and with quant_max=255 (min-max observer, in "
            "float32); the x86 qconfig's codes {x86_lo}..{x86_hi}: scale 2/{x86_steps}, zero point {x86_zp}"
        ),
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
        "q.x86.prompt": "Before you look at the table: qlib and PyTorch's default **x86** qconfig calibrate the same "
        "float model on the same images, both with the min/max formula. How will PyTorch's scale "
        "for {layer}'s output compare with qlib's?",
        "q.x86.opt.same": "the same: same model, same data, same formula",
        "q.x86.opt.twice": "about twice as large",
        "q.x86.opt.half": "about half as large: PyTorch is more precise",
        "q.x86.why": "PyTorch's scale is {x86}, qlib's {qlib}: {ratio} times as large, which is 255 / 127. The "
        "x86 qconfig sets `reduce_range=True` and quantizes activations to 7 bits, codes 0…127, so "
        "that fbgemm's 16-bit sums cannot overflow on CPUs without VNNI. Half the codes over the "
        "same range means twice the step. With `quant_max=255` the ratio is {full}: the same formula, "
        "the same numbers.",
        "q.engine.prompt": "Before you pick a sample: qlib's fixed-point engine rescales each sum in integers "
        "(M0 · 2⁻ⁿ), PyTorch's fbgemm kernels in float32, here on this server's CPU ({cpu}). Same int8 weights, "
        "same {n} test images: how will their {outputs} output codes compare?",
        "q.engine.opt.all": "all equal: the same weights give the same codes",
        "q.engine.opt.ties": "a few differ, by one code, and no prediction changes",
        "q.engine.opt.many": "many differ, some by many codes, and a few predictions change",
        "q.engine.why.exact": "{same} of {outputs} codes are equal; {differ} ({share} %) differ, by at most {d} "
        "code, and the top-1 class is the same on {top1} of {n} images. A code can differ only where the exactly "
        "rescaled sum lies next to a tie (x.5): the two ways of multiplying by M are not equal to the last bit, "
        "so there, and only there, they round apart. qlib's float requantization, which rounds as PyTorch "
        "does, gives {same_float} of {outputs}. Sample {i} is the first with such a tie: its logits are one "
        "step apart, {sample_step}.",
        "q.engine.why.saturated": "{same} of {outputs} codes are equal; {differ} ({share} %) differ, by up to {d} "
        "codes, and {changed} of {n} predictions change. Rounding alone parts codes only next to a tie, by one "
        "code; the rest is the sums. This server's CPU has no VNNI, so fbgemm adds each two uint8 × int8 "
        "products in a 16-bit register that stops at {int16}, and with 8-bit activations many sums saturate "
        "({first_share} % of {first}'s codes, though its input codes are the same). That is why PyTorch's x86 "
        "qconfig uses `reduce_range` (7-bit activations). Even qlib's float requantization, PyTorch's own "
        "rounding, gives only {same_float} of {outputs}. Sample {i} is the first whose logits differ: by "
        "{sample_step}, {sample_codes} output steps. On a CPU with VNNI the answer is the second one: a few "
        "codes, by one, at ties.",
        "q.engine.show": "Show me sample {i}",
        "q.narrow.prompt": "TFLite stores int8 weights symmetrically, with the codes {qmin}…{qmax}: it leaves {full_min} "
        "out. Why?",
        "q.narrow.opt.nan": "{full_min} is reserved for NaN and overflow",
        "q.narrow.opt.bit": "to save a bit: fewer codes fit in 7 bits",
        "q.narrow.opt.symmetric": "so that the grid is symmetric around 0: −q is a code whenever q is",
        "q.narrow.why": "With {full_min}…{qmax}, the code {full_min} has no positive twin. TFLite gives it up: codes "
        "{qmin}…{qmax}, scale $\\max|w| / {qmax}$, the zero point exactly 0, and −w representable "
        "whenever w is, so a kernel can skip the one corner case of {full_min} · {full_min} in its "
        "int8 × int8 products. The price is {lost} code of 256 ({share} %). Nothing is reserved, "
        "and no bit is saved: 255 codes still need 8 bits.",
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
        "cell.same": "{cell}（= qlib）",
        "cell.differs": "{cell}（≠ qlib）",
        "col.qlib": "qlib（0〜255）",
        "col.full": "PyTorch、quant_max=255",
        "col.x86": "PyTorch（x86 の既定、{lo}〜{hi}）",
        "tensor.act": "{name}（活性化）",
        "tensor.weight": "{name} の重み（{n} チャネル）",
        "calib_caption": (
            "重み：セルには層のチャネルごとのスケールのうち最大のものを示し、比較は 1 チャネルずつ行っています"
            "（= qlib は、全チャネルが等しく、重みのゼロポイントがすべて 0 ということです）。"
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
        "same_fixed_help.exact": (
            "固定小数点のエンジンは整数で、PyTorch は float32 で丸めますが、ここでは違うコードは 1 つもありません。"
        ),
        "same_fixed_help.ties": (
            "固定小数点のエンジンは整数で、PyTorch は float32 で丸めます。ちょうど中間の値で違いが出ますが、"
            "最大でも {d} コードです。"
        ),
        "same_fixed_help.saturated": (
            "整数で丸めるか float32 で丸めるかの違いだけなら、ちょうど中間の値で 1 コード違うだけです。ここでは"
            "最大 {d} コード違います。この CPU では fbgemm の 16 ビットの 2 つずつの和が飽和したからです（下の説明）。"
        ),
        "engine_note.exact": (
            "**この CPU（{cpu}）では和は正確です**。重み {w}、{w} の 2 入力の層に入力コード {c_big}、{c_big} を"
            "入れると、PyTorch は {torch_big} を出します。正確な和 {exact_big} を、{pair_step} 刻みの出力の目盛りに丸めた"
            "値で、飽和は起きていません。"
            "同じ入力コードで、{first} の {first_outputs} 個のコードのうち qlib の float と違うのは {first_differ} 個で、"
            "出力の {outputs} 個のコードはすべて qlib の固定小数点と一致します。"
        ),
        "engine_note.ties": (
            "**この CPU（{cpu}）では和は正確です**。重み {w}、{w} の 2 入力の層に入力コード {c_big}、{c_big} を"
            "入れると、PyTorch は {torch_big} を出します。正確な和 {exact_big} を、{pair_step} 刻みの出力の目盛りに丸めた"
            "値で、飽和は起きていません。"
            "同じ入力コードで、{first} の {first_outputs} 個のコードのうち qlib の float と違うのは {first_differ} 個です。"
            "エンジンを分けるのは再量子化だけで、{outputs} 個中 {differ} 個のコードが、ちょうど中間の値のすぐ近くで"
            "最大 {d} コード違うだけです。"
        ),
        "engine_note.saturated": (
            "**ここでたくさんのコードが違う理由**。このサーバの CPU（{cpu}）には VNNI がありません。そのため fbgemm は "
            "uint8 の活性化のコードと int8 の重みの積を 2 つずつ 16 ビットのレジスタで足し（vpmaddubsw）、和は "
            "{int16} で頭打ちになります。重み {w}、{w} の 2 入力の層でいま測ると、入力コード {c_small}、{c_small} では "
            "{torch_small}（正確な値は {exact_small}）ですが、入力コード {c_big}、{c_big} では {exact_big} ではなく "
            "{torch_big} になります（出力のステップ {pair_step} の精度で）。{first} では入力コードが同じでも、"
            "{first_outputs} 個のうち {first_differ} 個（{first_share} %）のコードが qlib の float と最大 {first_d} "
            "コード違います。出力では {outputs} 個中 {differ} 個が qlib の固定小数点と最大 {d} コード違い、{n} 枚中 "
            "{changed} 枚で予測が変わります（正解率は qlib の {acc_qlib} % に対して {acc_torch} %）。これを避けるのが"
            "上の「x86 の列が違う理由」で説明した `reduce_range` です。活性化が 7 ビット（コード 0〜127）なら、"
            "2 つの積の和は 32,768 に届きません。VNNI のある CPU では積を 4 つずつ 32 ビットで足すので、"
            "エンジンの違いはちょうど中間の値での 1 コードだけになります。確かめてみると、qlib の float のエンジンを同じ"
            "飽和した 2 つずつの和（`qlib.int8.pair_saturated_acc`）で動かせば、PyTorch の出力の {outputs} 個のコードの"
            "うち {same_own} 個が一致します。"
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
        "scheme.input.torch": (
            "uint8、スケール 2/255、ゼロポイント {torch_zp}（qlib と quant_max=255 の場合。最小値・最大値のオブザーバ、"
            "float32 で計算）。x86 の qconfig のコード {x86_lo}〜{x86_hi} では、スケール 2/{x86_steps}、ゼロポイント {x86_zp}"
        ),
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
        "q.x86.prompt": "表を見る前に考えてみましょう。qlib と PyTorch の既定の **x86** qconfig は、同じ浮動小数点モデルを同じ画像でキャリブレーションし、どちらも最小値・最大値の式を使います。"
        "{layer} の出力について、PyTorch のスケールは qlib と比べてどうなるでしょう？",
        "q.x86.opt.same": "同じ：モデルもデータも式も同じだから",
        "q.x86.opt.twice": "約 2 倍になる",
        "q.x86.opt.half": "約半分になる：PyTorch のほうが精密だから",
        "q.x86.why": "PyTorch のスケールは {x86}、qlib は {qlib} で、{ratio} 倍、つまり 255 / 127 です。x86 の qconfig は `reduce_range=True` "
        "で活性化を 7 ビット（コード 0〜127）に量子化します。VNNI のない CPU で fbgemm の 16 ビットの和があふれないようにするためです。同じ範囲をコードの半分で表すので、"
        "ステップは 2 倍になります。`quant_max=255` にすると比は {full} になります。同じ式なら同じ値です。",
        "q.engine.prompt": "サンプルを選ぶ前に考えてみましょう。qlib の固定小数点のエンジンは和のスケール変換を整数で"
        "（M0 · 2⁻ⁿ）、PyTorch の fbgemm カーネルは float32 で行います。PyTorch はこのサーバの CPU（{cpu}）で動きます。"
        "同じ int8 の重み、同じ {n} 枚のテスト画像で、{outputs} 個の出力コードはどうなるでしょう？",
        "q.engine.opt.all": "すべて一致する：重みが同じならコードも同じ",
        "q.engine.opt.ties": "ごく一部が 1 コードだけ違い、予測は変わらない",
        "q.engine.opt.many": "多くが違い、何コードも違うものがあり、予測もいくつか変わる",
        "q.engine.why.saturated": "{outputs} 個のうち {same} 個が一致し、{differ} 個（{share} %）が最大 {d} コード"
        "違います。{n} 枚中 {changed} 枚で予測も変わります。丸めだけなら、違いはちょうど中間の値のすぐ近くでの"
        " 1 コードです。残りは和そのものの違いです。このサーバの CPU には VNNI がないので、fbgemm は uint8 × int8 の"
        "積を 2 つずつ 16 ビットのレジスタで足し、和は {int16} で頭打ちになります。活性化が 8 ビットだと多くの和が"
        "飽和します（{first} では入力コードが同じでも {first_share} % のコード）。PyTorch の x86 の qconfig が "
        "`reduce_range`（活性化 7 ビット）を使うのはこのためです。PyTorch と同じ丸め方をする qlib の float の"
        "再量子化でも、{outputs} 個中 {same_float} 個しか一致しません。サンプル {i} はロジットが違う最初の画像で、"
        "差は {sample_step}、出力のステップ {sample_codes} 個分です。VNNI のある CPU なら答えは 2 番目、"
        "ちょうど中間の値でごく一部が 1 コード違うだけです。",
        "q.engine.why.exact": "{outputs} 個のうち {same} 個が一致し、{differ} 個（{share} %）が違います。違いは最大 {d} "
        "コードで、1 位のクラスは {n} 枚中 {top1} 枚で同じです。コードが違いうるのは、正確にスケール変換した和が"
        "ちょうど中間（x.5）のすぐ近くにあるときだけです。M をかける 2 つの計算は最後のビットまでは一致しないので、"
        "そこでだけ丸めが分かれます。PyTorch と同じく float で再量子化する qlib のモードでは、{outputs} 個中 "
        "{same_float} 個が一致します。サンプル {i} がそのような中間の値を含む最初の画像で、ロジットの差は 1 ステップ分の "
        "{sample_step} です。",
        "q.engine.show": "サンプル {i} を見る",
        "q.narrow.prompt": "TFLite は int8 の重みを対称に、コード {qmin}〜{qmax} で保存し、{full_min} を使いません。なぜでしょう？",
        "q.narrow.opt.nan": "{full_min} は NaN やオーバーフローのために予約されているから",
        "q.narrow.opt.bit": "1 ビット節約するため：コードが少なければ 7 ビットに収まる",
        "q.narrow.opt.symmetric": "目盛りを 0 について対称にするため：q がコードなら −q も必ずコードになる",
        "q.narrow.why": "{full_min}〜{qmax} では、コード {full_min} には正の相方がありません。TFLite はこれを捨て、コード {qmin}〜{qmax}、スケール $\\max|w| "
        "/ {qmax}$、ゼロポイントはちょうど 0 にします。w が表せれば −w も表せるので、カーネルは int8 × int8 の積で {full_min} · {full_min} "
        "という特別な場合を考えずに済みます。代わりに 256 個のうち {lost} 個（{share} %）のコードを失います。何かのために予約しているわけではなく、ビットも節約されません。"
        "255 個のコードにはやはり 8 ビットが必要です。",
    },
}

# the section "Take the model out" (issue 16): the .onnx / .tflite files and how ONNX Runtime and LiteRT compute
RUNTIME_STRINGS = {
    "en": {
        "rt.h": "Take the model out: ONNX Runtime and LiteRT",
        "rt.intro": (
            "A model that lives only inside this app is a toy. Here the chosen int8 model is written as an "
            "**ONNX** file (QuantizeLinear → QLinearConv per layer → DequantizeLinear) and as a **TFLite** file "
            "(int8 activations, the uint8 codes shifted by 128), with exactly qlib's int8 weights, int32 biases, "
            "scales and zero points, and run in the real runtimes on the test images. The table counts, layer by "
            "layer, the codes each engine computes differently from **qlib's fixed-point engine** (the integer "
            "page's arithmetic). Where an engine's sums are exact and only its requantization differs, it differs "
            "only where a value lands within a hair of a rounding tie, and then by one code."
        ),
        "rt.model": "Model to export",
        "rt.session": "Your QAT model (trained on page 4 in this session)",
        "rt.session_none": (
            "Only the shipped 8-bit models are offered: train a QAT model with 8-bit activations on page 4 "
            "and it appears here too."
        ),
        "rt.session_refused": (
            "Your QAT model from page 4 is not offered: its layer {layer} has {bits}-bit activations, and both "
            "runtimes clamp every output to the full 8-bit range, so they would compute codes your model never "
            "produces. Train it with 8-bit activations to export it."
        ),
        "rt.files_h": "The files",
        "rt.download_onnx": "Download .onnx ({kb:.1f} kB)",
        "rt.download_tflite": "Download .tflite ({kb:.1f} kB)",
        "rt.size_caption": (
            "The same graph in float32: {fp32_kb:.1f} kB, {ratio:.1f}× larger. The parameters alone: "
            "{int8_params:,} bytes in int8 against {fp32_params:,} in float32."
        ),
        "rt.netron": (
            "Open the files in a viewer such as Netron: the tensors are named `conv1`, `conv2`, `fc`, and every "
            "number qlib computes with is an initializer you can read: `input.scale`, `input.zero_point`, "
            "`conv1.weight` (int8), `conv1.weight_scale` (one per output channel), `conv1.bias` (int32), "
            "`conv1.output_scale`, `conv1.output_zero_point`, …"
        ),
        "rt.wait": "Running the model in ONNX Runtime, LiteRT (three kernel paths), PyTorch and qlib…",
        "rt.table_h": "Where the engines agree",
        "rt.table_caption": (
            "Top-1 same: images whose predicted class equals qlib fixed's. All {n} test images, "
            "computed live in {s:.1f} s the first time this model was chosen (then kept). What ran: {kernels}."
        ),
        "rt.ran": "{engine} `{kernels}` ({v})",
        "rt.col.engine": "Engine",
        "rt.col.top1": "Top-1 same",
        "rt.cell": "{d}\u00a0±{m}",  # a no-break space: the number and its ± stay on one line
        "rt.counts": "Each cell: codes that differ from qlib fixed ±the largest difference, out of: {counts} codes.",
        "rt.input_same": (
            "The input codes (QuantizeLinear / QUANTIZE) are the same in every engine: 0 of {n:,} differ."
        ),
        "rt.input": "input",
        "rt.engine.qlib-fixed": "qlib fixed (baseline)",
        "rt.engine.qlib-float": "qlib float",
        "rt.engine.pytorch-fbgemm": "PyTorch fbgemm",
        "rt.engine.onnxruntime": "ONNX Runtime",
        "rt.engine.litert-reference": "LiteRT reference",
        "rt.engine.litert-optimized": "LiteRT optimized",
        "rt.engine.litert-xnnpack": "LiteRT XNNPACK",
        "rt.how_h": "How each engine requantizes",
        "rt.col.multiplier": "Multiplier",
        "rt.col.bias": "Bias",
        "rt.col.ties": "Ties (x.5)",
        "rt.mult.fixed_point": "M₀ · 2⁻ⁿ, integers",
        "rt.mult.float32": "float32",
        "rt.bias.int32": "int32, in the accumulator",
        "rt.bias.float": "float, after the sum",
        "rt.ties.up_then_away": "away from zero",
        "rt.ties.up_then_up": "up (towards +∞)",
        "rt.ties.half_even": "to even",
        "rt.how.qlib-fixed": (
            "**qlib fixed** (`qlib/int8.py`, the integer page): the int32 bias is added to the accumulator, "
            "then $M = s_{in} s_w / s_{out}$ is applied as $M_0 \\cdot 2^{-n}$ in integers only: a rounding high "
            "multiply by $M_0$, then a rounding right shift whose ties go away from zero."
        ),
        "rt.how.qlib-float": (
            '**qlib float** (`qlib/int8.py`, `requant="float"`): float32(acc) plus the float bias divided by '
            "$s_{in} s_w$, times the float32 multiplier $M$, rounded once, ties half to even: PyTorch fbgemm's "
            "arithmetic, written out."
        ),
        "rt.how.pytorch-fbgemm": (
            "**PyTorch fbgemm** (`fbgemm/src/QuantUtilsAvx2.cc`, requantizeOutputProcessingAvx2): float(acc) "
            "plus the float bias divided by $s_{in} s_w$, times a float32 multiplier, converted by "
            "`_mm256_cvtps_epi32`: a float multiplier, ties half to even."
        ),
        "rt.how.onnxruntime": (
            "**ONNX Runtime** (`onnxruntime/core/mlas/lib/quantize.cpp`, MlasRequantizeOutput; the multiplier "
            "from `qlinearconv.cc` ComputeOutputScale): the int32 bias is added to the int32 accumulator, the "
            "sum turned into float32 and multiplied by the float32 $s_{in} s_w / s_{out}$, then rounded to "
            "nearest, ties to even (`_mm_cvtps_epi32`). A float multiplier like qlib float, but with the bias "
            "inside the integer sum."
        ),
        "rt.how.litert-reference": (
            "**LiteRT reference kernels** (`tensorflow/lite/kernels/internal/reference/integer_ops/conv.h`, "
            "ConvPerChannel): the int32 bias is added, then `MultiplyByQuantizedMultiplier(acc, M0, shift)` "
            "(`tensorflow/lite/kernels/internal/common.cc`), in this build the double-rounding path: gemmlowp's "
            "SaturatingRoundingDoublingHighMul, then RoundingDivideByPOT, whose ties go away from zero. "
            "$M_0 \\cdot 2^{-n}$ in integers only: qlib fixed, step for step. Built with TFLITE_SINGLE_ROUNDING, "
            "the same function would round once."
        ),
        "rt.how.litert-optimized": (
            "**LiteRT optimized kernels** (cpu_backend_gemm, ruy): also $M_0 \\cdot 2^{-n}$, but ruy's own "
            'multiplier code (`ruy/apply_multiplier.cc`) warns it "is not meant to be bit-exact-normative". '
            "Measured here: the shift's ties go up (towards +∞), not away from zero, so only negative values "
            "on a tie differ: never behind a ReLU, only in fc."
        ),
        "rt.how.litert-xnnpack": (
            "**LiteRT XNNPACK** (the default delegate; `XNNPACK/src/qs8-qc8w-gemm/gen/*-minmax-fp32-*.c`): "
            "the bias starts the int32 accumulator, which is turned into float32, multiplied by the float32 "
            "per-channel scale and converted by `cvtps2dq`: ties half to even, ONNX Runtime's arithmetic."
        ),
        "rt.one_h": "One real disagreement, found live",
        "rt.one": (
            "Test sample **{image}**, layer **{layer}**, output channel **{channel}**{where}: the accumulator "
            "plus bias is {acc:,}; times $M$ = {m:.9g} that is **{scaled:.6f}**, {gap:.6f} away from a tie "
            "(x.5). qlib fixed writes code **{fixed}**, {engine} writes **{code}** (zero point {zp})."
        ),
        "rt.one_sum": (
            "Test sample **{image}**, layer **{layer}**, output channel **{channel}**{where}: the accumulator "
            "plus bias is {acc:,}; times $M$ = {m:.9g} that is **{scaled:.6f}**, {gap:.6f} away from a tie "
            "(x.5). qlib fixed writes code **{fixed}**, {engine} writes **{code}** (zero point {zp}): no rounding "
            "is that far off, so {engine}'s sum itself differs here (see *more than a tie* above)."
        ),
        "rt.saturated": (
            "**{engines}: more than a tie.** Their codes differ from qlib fixed's by up to {d}, and the top-1 class "
            "agrees on {top1} of {n} images. On this server's CPU (no VNNI) they multiply uint8 activations by "
            "int8 weights and add the products two at a time in a saturating 16-bit register, so with 8-bit "
            "activations their sums differ, not only their rounding: *Why so many codes differ here* above, and "
            "*Why the x86 column differs* for the 7-bit activations (reduce_range) that avoid it."
        ),
        "rt.where": ", row {row}, column {col}",
        "rt.codes": "Every engine's code there: {codes}.",
        "rt.sep": ", ",
        "rt.hint": (
            'See it on page 6 (Integer inference): choose the model {model}, "A test sample" {image}, layer '
            '{layer}, output channel {channel}{where}. Its "Exact: (acc + b_q) · M" is the {scaled:.6f} above, '
            "and its two roundings give {rounded}: plus the zero point {zp}, qlib fixed's code {fixed}."
        ),
        "rt.hint_session": (
            "Page 6 takes the shipped models only, so this value of your own model can't be opened there; "
            "choose a shipped model above to get one you can."
        ),
        "rt.none": "Every engine computes exactly qlib fixed's codes for this model: there is no disagreement to show.",
        "rt.refused": "This model can't be exported: {reason}",
    },
    "ja": {
        "rt.h": "モデルを外へ：ONNX Runtime と LiteRT",
        "rt.intro": (
            "このアプリの中でしか動かないモデルは、まだおもちゃです。ここでは選んだ int8 モデルを **ONNX** "
            "ファイル（QuantizeLinear → 層ごとの QLinearConv → DequantizeLinear）と **TFLite** ファイル（int8 の"
            "活性化、uint8 のコードを 128 ずらしたもの）に書き出します。中身は qlib の int8 の重み、int32 の"
            "バイアス、スケール、ゼロポイントそのものです。それを本物のランタイムでテスト画像に対して実行し、"
            "各エンジンが **qlib の固定小数点エンジン**（整数のページの計算）と違うコードを出した数を層ごとに"
            "数えます。和が正確で再量子化だけが違うエンジンなら、違いが出るのは値が丸めの境目（ちょうど .5）のごく近くに"
            "来たときだけで、その差は 1 コードです。"
        ),
        "rt.model": "書き出すモデル",
        "rt.session": "あなたの QAT モデル（このセッションでページ 4 で学習）",
        "rt.session_none": (
            "同梱の 8 ビットモデルだけを選べます。ページ 4 で活性化 8 ビットの QAT モデルを学習すると、"
            "ここにも出てきます。"
        ),
        "rt.session_refused": (
            "ページ 4 のあなたの QAT モデルは選べません。層 {layer} の活性化が {bits} ビットで、どちらのランタイムも"
            "出力を 8 ビットの全範囲でクランプするため、このモデルが決して出さないコードを計算してしまいます。"
            "書き出すには活性化 8 ビットで学習してください。"
        ),
        "rt.files_h": "ファイル",
        "rt.download_onnx": ".onnx をダウンロード（{kb:.1f} kB）",
        "rt.download_tflite": ".tflite をダウンロード（{kb:.1f} kB）",
        "rt.size_caption": (
            "同じグラフを float32 で書くと {fp32_kb:.1f} kB、{ratio:.1f} 倍の大きさです。パラメータだけなら "
            "int8 で {int8_params:,} バイト、float32 で {fp32_params:,} バイトです。"
        ),
        "rt.netron": (
            "Netron のようなビューアで開くと、テンソルには `conv1`、`conv2`、`fc` の名前が付いていて、qlib が"
            "計算に使う数はすべて読める初期値（initializer）になっています：`input.scale`、`input.zero_point`、"
            "`conv1.weight`（int8）、`conv1.weight_scale`（出力チャネルごとに 1 つ）、`conv1.bias`（int32）、"
            "`conv1.output_scale`、`conv1.output_zero_point` など。"
        ),
        "rt.wait": "ONNX Runtime、LiteRT（3 つのカーネル）、PyTorch、qlib でモデルを実行しています…",
        "rt.table_h": "エンジンはどこまで一致するか",
        "rt.table_caption": (
            "トップ 1 一致：予測クラスが qlib 固定小数点と同じ画像の数。テスト画像 {n} 枚すべてで、このモデルを"
            "初めて選んだときにその場で {s:.1f} 秒かけて計算しました（以後は保存した結果）。実行したもの："
            "{kernels}。"
        ),
        "rt.ran": "{engine} `{kernels}`（{v}）",
        "rt.col.engine": "エンジン",
        "rt.col.top1": "トップ 1 一致",
        "rt.cell": "{d}\u00a0±{m}",  # a no-break space: the number and its ± stay on one line
        "rt.counts": "各セル：qlib 固定小数点と違うコードの数 ±最大の差。コードの総数は {counts} 個です。",
        "rt.input_same": "入力のコード（QuantizeLinear / QUANTIZE）はどのエンジンでも同じで、{n:,} 個のうち違うのは 0 個です。",
        "rt.input": "入力",
        "rt.engine.qlib-fixed": "qlib 固定小数点（基準）",
        "rt.engine.qlib-float": "qlib 浮動小数点",
        "rt.engine.pytorch-fbgemm": "PyTorch（fbgemm）",
        "rt.engine.onnxruntime": "ONNX Runtime",
        "rt.engine.litert-reference": "LiteRT リファレンス",
        "rt.engine.litert-optimized": "LiteRT 最適化",
        "rt.engine.litert-xnnpack": "LiteRT（XNNPACK）",
        "rt.how_h": "各エンジンの再量子化",
        "rt.col.multiplier": "乗数",
        "rt.col.bias": "バイアス",
        "rt.col.ties": "ちょうど .5 の丸め",
        "rt.mult.fixed_point": "M₀ · 2⁻ⁿ（整数）",
        "rt.mult.float32": "float32",
        "rt.bias.int32": "int32、累積値に足す",
        "rt.bias.float": "float、和のあとで足す",
        "rt.ties.up_then_away": "ゼロから遠い方へ",
        "rt.ties.up_then_up": "上（+∞ の方）へ",
        "rt.ties.half_even": "偶数へ",
        "rt.how.qlib-fixed": (
            "**qlib 固定小数点**（`qlib/int8.py`、整数のページ）：int32 のバイアスを累積値に足し、"
            "$M = s_{in} s_w / s_{out}$ を $M_0 \\cdot 2^{-n}$ として整数だけで掛けます。$M_0$ との丸め付き上位"
            "乗算のあと、丸め付き右シフトをし、ちょうど .5 はゼロから遠い方へ丸めます。"
        ),
        "rt.how.qlib-float": (
            '**qlib 浮動小数点**（`qlib/int8.py` の `requant="float"`）：`float32(acc)` に float のバイアスを '
            "$s_{in} s_w$ で割って足し、float32 の乗数 $M$ を掛けて 1 回だけ丸めます。ちょうど .5 は偶数へ。"
            "PyTorch fbgemm の計算を書き下したものです。"
        ),
        "rt.how.pytorch-fbgemm": (
            "**PyTorch fbgemm**（`fbgemm/src/QuantUtilsAvx2.cc` の requantizeOutputProcessingAvx2）："
            "`float(acc)` に float のバイアスを $s_{in} s_w$ で割って足し、float32 の乗数を掛け、"
            "`_mm256_cvtps_epi32` で整数にします。float の乗数で、ちょうど .5 は偶数へ丸めます。"
        ),
        "rt.how.onnxruntime": (
            "**ONNX Runtime**（`onnxruntime/core/mlas/lib/quantize.cpp` の MlasRequantizeOutput、乗数は "
            "`qlinearconv.cc` の ComputeOutputScale）：int32 のバイアスを int32 の累積値に足し、その和を "
            "float32 にして float32 の $s_{in} s_w / s_{out}$ を掛け、最も近い整数へ丸めます。ちょうど .5 は"
            "偶数へ（`_mm_cvtps_epi32`）。qlib 浮動小数点と同じく float の乗数ですが、バイアスは整数の和の中に"
            "入っています。"
        ),
        "rt.how.litert-reference": (
            "**LiteRT リファレンス**（`tensorflow/lite/kernels/internal/reference/integer_ops/conv.h` の "
            "ConvPerChannel）：int32 のバイアスを足し、`MultiplyByQuantizedMultiplier(acc, M0, shift)`"
            "（`tensorflow/lite/kernels/internal/common.cc`）を呼びます。このビルドでは 2 回丸める方の実装で、"
            "gemmlowp の SaturatingRoundingDoublingHighMul のあと RoundingDivideByPOT をし、ちょうど .5 は"
            "ゼロから遠い方へ丸めます。整数だけの $M_0 \\cdot 2^{-n}$ で、qlib 固定小数点と 1 段ずつ同じです。"
            "TFLITE_SINGLE_ROUNDING 付きでビルドすると、同じ関数が 1 回だけ丸めます。"
        ),
        "rt.how.litert-optimized": (
            "**LiteRT 最適化**（cpu_backend_gemm、ruy）：これも $M_0 \\cdot 2^{-n}$ ですが、ruy 自身の乗数の"
            "コード（`ruy/apply_multiplier.cc`）には「ビット単位の規範ではない」と警告があります。ここで測ると、"
            "シフトのちょうど .5 はゼロから遠い方ではなく上（+∞ の方）へ丸められ、違いが出るのは負の値が境目に"
            "来たときだけです。ReLU の後ろでは起きず、fc だけです。"
        ),
        "rt.how.litert-xnnpack": (
            "**LiteRT XNNPACK**（既定のデリゲート、`XNNPACK/src/qs8-qc8w-gemm/gen/*-minmax-fp32-*.c`）："
            "バイアスから始めた int32 の累積値を float32 にし、チャネルごとの float32 のスケールを掛け、"
            "`cvtps2dq` で整数にします。ちょうど .5 は偶数へ。ONNX Runtime と同じ計算です。"
        ),
        "rt.one_h": "その場で見つけた実際の不一致",
        "rt.one": (
            "テストサンプル **{image}**、層 **{layer}**、出力チャネル **{channel}**{where}：累積値とバイアスの和は "
            "{acc:,}、$M$ = {m:.9g} を掛けると **{scaled:.6f}** で、境目（x.5）まで {gap:.6f} しかありません。"
            "qlib 固定小数点のコードは **{fixed}**、{engine} は **{code}** です（ゼロポイント {zp}）。"
        ),
        "rt.one_sum": (
            "テストサンプル **{image}**、層 **{layer}**、出力チャネル **{channel}**{where}：累積値とバイアスの和は "
            "{acc:,}、$M$ = {m:.9g} を掛けると **{scaled:.6f}** で、境目（x.5）からは {gap:.6f} 離れています。"
            "qlib 固定小数点のコードは **{fixed}**、{engine} は **{code}** です（ゼロポイント {zp}）。丸めでは"
            "ここまでずれないので、ここでは {engine} の和そのものが違います（上の「丸めの境目だけではありません」）。"
        ),
        "rt.saturated": (
            "**{engines}：丸めの境目だけではありません**。コードは qlib 固定小数点と最大 {d} 違い、1 位のクラスが"
            "一致するのは {n} 枚中 {top1} 枚です。このサーバの CPU（VNNI なし）では、uint8 の活性化と int8 の重みの"
            "積を 2 つずつ飽和する 16 ビットのレジスタで足すので、活性化が 8 ビットだと丸めだけでなく和そのものが"
            "違ってきます。上の「ここでたくさんのコードが違う理由」と、それを避ける 7 ビットの活性化（reduce_range）"
            "を説明した「x86 の列が違う理由」を見てください。"
        ),
        "rt.where": "、行 {row}、列 {col}",
        "rt.codes": "そこでの各エンジンのコード：{codes}。",
        "rt.sep": "、",
        "rt.hint": (
            "ページ 6（整数だけの推論）で確かめられます：モデル {model}、「テストサンプル」{image}、層 {layer}、"
            "出力チャネル {channel}{where} を選ぶと、「正確な値：`(acc + b_q) · M`」が上の {scaled:.6f} で、"
            "2 回の丸めで {rounded} になります。ゼロポイント {zp} を足すと qlib 固定小数点のコード {fixed} です。"
        ),
        "rt.hint_session": (
            "ページ 6 は同梱のモデルしか扱わないため、あなたのモデルのこの値はそこでは開けません。"
            "開ける例を見るには、上で同梱のモデルを選んでください。"
        ),
        "rt.none": "このモデルでは、どのエンジンも qlib 固定小数点とまったく同じコードを出します。見せる不一致はありません。",
        "rt.refused": "このモデルは書き出せません：{reason}",
    },
}
for _lang, _strings in RUNTIME_STRINGS.items():
    STRINGS[_lang].update(_strings)
