"""Strings of lesson 1, preprocessing."""

STRINGS = {
    "en": {
        "title": "Preprocessing: from pixels to the network's input",
        "intro": "A picture arrives as **uint8** numbers, 0 to 255 per colour channel. "
        "The network was trained on floats in a small range, so the first step of every model is an "
        "affine map: MobileNetV2 and our tiny CNN use $x / 127.5 - 1$, which sends 0…255 to −1…1.",
        "picture_h": "The picture and one of its pixels",
        "upload": "Upload a picture (optional)",
        "upload_help": "PNG, JPEG, GIF, WebP or BMP, up to 10 MB. It stays in memory and is never saved.",
        "using_sample": "No upload: using the drawn sample picture.",
        "picture_caption": "{w} × {h} pixels",
        "pixel_pick": "Pick a pixel:",
        "row": "row (y)",
        "col": "column (x)",
        "pixel_path": "Pixel ({r}, {c}):\n\n"
        "1. stored as uint8: **{u8}**\n"
        "2. cast to float32: [{f32}]\n"
        "3. $x / 127.5 - 1$: **[{tf}]**\n"
        "4. the ImageNet alternative, $(x/255 - \\mu) / \\sigma$: [{torch}]",
        "hist_h": "Histograms before and after",
        "mode": "Convention",
        "mode.tf": "x / 127.5 − 1 (to −1…1)",
        "mode.torch": "ImageNet mean / std",
        "mode.raw": "x / 255 (to 0…1)",
        "mode_help": "Each model expects the convention it was trained with: MobileNetV2 and our CNN use "
        "x/127.5 − 1; ResNets from torchvision subtract the ImageNet mean and divide by its standard deviation.",
        "fig.before": "before: uint8 pixels",
        "fig.before_x": "pixel value (0…255)",
        "fig.after": "after: float32 input",
        "fig.r": "red",
        "fig.g": "green",
        "fig.b": "blue",
        "fig.gray": "grey",
        "fig.count": "pixels",
        "fig.before_summary": "Histogram of the red, green and blue pixel values from 0 to 255.",
        "fig.after_summary": "The same histogram after the map: identical shape, new axis, "
        "from {lo} to {hi}.",
        "same_shape": "The two histograms have the same shape: an affine map only moves and "
        "stretches the axis. No information is lost, and none is gained.",
        "layout_h": "HWC or CHW?",
        "hwc": "HWC (Keras / TensorFlow)",
        "hwc_help": "height × width × channels: the three colours of a pixel sit side by side.",
        "chw": "CHW (PyTorch)",
        "chw_help": "channels × height × width: first every red value, then every green, then every blue.",
        "first_values": "first values in memory: {v}",
        "layout_text": "Same numbers, different order. Feeding HWC data to a model that expects CHW "
        "gives no error when the sizes happen to fit, only wrong predictions: "
        "`preprocess_input(img, channels_first=True)` returns CHW.",
        "affine_h": "Preprocessing is already an affine map",
        "affine_text": "$x / 127.5 - 1$ is the dequantize formula $\\hat{x} = (q - z)\\,s$ with "
        "$s = 1/127.5$ and $z = 127.5$. But a zero point must be an **integer**, and 127.5 is not: an int8 "
        "model's input code has to round it.",
        "col.scheme": "code",
        "col.scale": "scale s",
        "col.zp": "zero point z",
        "scheme.exact": "x / 127.5 − 1 read as a code",
        "scheme.observer": "PyTorch min-max observer on [−1, 1], uint8",
        "scheme.tflite_int8": "TFLite converter today (TF 2.x), int8 input",
        "scheme.tflite_uint8": "TFLite converter today, uint8 input",
        "scheme.toco": "TF1's TOCO converter (2017–2018), uint8 models",
        "affine_after": "127.5 lies halfway between two codes, so each tool rounds it its own way. "
        "PyTorch's min-max observer computes in float32, sees {raw} and lands on **127**. Today's TFLite "
        "converter (TF 2.x, calibrated on a representative dataset) quantizes the model in int8: from the "
        "range −1…1 it takes the zero point 127 − 127.5 = −0.5 and rounds it away from zero, to **−1**, with "
        "scale 2/255; asked for a uint8 input, it adds 128: **127**. The zero point **128** with scale 1/128 "
        "comes from TF1's TOCO converter of 2017–2018, which the guides of the time ran with "
        "`--mean_values=128 --std_dev_values=128` for the first quantized uint8 models (the MobileNets, the "
        "object-detection SSDs).\n\nThis pixel {u8} becomes the codes {obs} (observer, uint8), {tfl} (TFLite "
        "today, int8) and {toco} (TOCO, uint8): close to the original bytes, but not equal.",
        "note.tflite": "**TFLite's converter** picks an input's zero point in "
        "`tensorflow/compiler/mlir/lite/quantization/ir/FakeQuantSupport.cc` (`getNudgedScaleAndZeroPoint`: in "
        "double, from the end with the smaller error, then C's `round`, half away from zero), and a uint8 input "
        "is the int8 one plus 128 (`tensorflow/lite/tools/optimize/modify_model_interface.cc`). Its QUANTIZE op "
        "then computes an input's code as `TfLiteRound(x / scale) + zero_point` in float32 "
        "(`tensorflow/lite/kernels/internal/reference/quantize.h`), half away from zero again: a pixel 70.5 steps "
        "above 0.0 (198) becomes 71 − 1 = 70, where PyTorch, rounding half to even, gives 70 + 127 = 197 in "
        "uint8, one code lower on the same grid. TOCO's "
        "`mean_values` / `std_dev_values` meant real = (q − mean) / std (`tensorflow/lite/python/lite.py`, "
        "`quantized_input_stats`).",
        "decode_h": "At the other end: decode_predictions",
        "decode_text": "The network's last layer gives one score per class. `decode_predictions` "
        "turns a batch of them into, for each picture, a list of `(class_id, class_name, probability)`, "
        "best first.",
        "decode_logits": "`from_logits=True`: softmax first, then sort (probabilities sum to 1)",
        "decode_raw": "`from_logits=False`: sort the scores as given (Keras's behaviour)",
        "note.mnv3": "**Keras `mobilenet_v3.preprocess_input`** is a placeholder: it returns its input "
        "unchanged, because MobileNetV3 rescales inside the model (a Rescaling layer). Passing it −1…1 data "
        "rescales twice.",
        "note.mnv2": "**Keras `mobilenet_v2.preprocess_input`** computes exactly $x / 127.5 - 1$ "
        "(mode 'tf'), the map on this page.",
        "note.decode": "**Keras `decode_predictions`** sorts the scores it is given and applies no "
        "softmax: give it logits and the 'probabilities' it prints are logits.",
        "q.pixel.prompt": "Before you pick a pixel: a colour channel stores **0** (none of that colour) or **255** "
        "(all of it). Which numbers does the network read after $x / 127.5 - 1$?",
        "q.pixel.opt.same": "0.0 and 255.0: a cast to float changes nothing",
        "q.pixel.opt.raw": "0.0 and 1.0",
        "q.pixel.opt.tf": "{lo} and {hi}",
        "q.pixel.opt.half": "−127.5 and 127.5",
        "q.pixel.why": "$0 / 127.5 - 1 = {lo}$ and $255 / 127.5 - 1 = {hi}$; the middle value 127.5 would become "
        "0.0. Dividing by 255 alone gives 0.0…1.0, the x / 255 convention of the next section, which "
        "some models use instead. The darkest pixel of the sample picture, ({r}, {c}), has a channel "
        "of {u8}: it reads as {tf}, close to −1.",
        "q.pixel.show": "Show me the darkest pixel",
        "q.mode.prompt": "Before you switch the convention below to **ImageNet mean / std**: will the values still "
        "lie within −1…1?",
        "q.mode.opt.yes": "Yes: every normalization maps pixels to −1…1",
        "q.mode.opt.unit": "No: they lie within 0…1",
        "q.mode.opt.wider": "No: they spread further, to about {lo}…{hi}",
        "q.mode.why": "ImageNet normalization computes $(x / 255 - \\mu) / \\sigma$ per channel, with $\\mu$ = {mean} "
        "and $\\sigma$ = {std}. Black becomes as low as {lo}, white as high as {hi}, and each channel "
        "has a range of its own. Neither convention is better: a model needs the one it was trained "
        "with, and its input quantizer is calibrated on whatever range arrives.",
        "q.mode.show": "Show me: ImageNet mean / std",
        "q.zero_point.prompt": "$x / 127.5 - 1$ has the form of the dequantize formula $(q - z)\\,s$ with $s = 1/127.5$. "
        "What is its zero point $z$?",
        "q.zero_point.opt.zero": "0: the output is centred on 0.0",
        "q.zero_point.opt.mean": "the mean pixel value of the picture",
        "q.zero_point.opt.int": "128",
        "q.zero_point.opt.half": "127.5, which is not an integer",
        "q.zero_point.why": "$q / 127.5 - 1 = (q - 127.5) / 127.5$, so $z = {z}$. A zero point must be an integer code, "
        "so every tool rounds it its own way: PyTorch's min-max observer lands on **{obs}**, today's "
        "TFLite converter on **{tfl}** (int8), TF1's TOCO on **{toco}** (see the table below). It "
        "is not the picture's mean: the zero point comes from the range −1…1, not from the data's "
        "centre.",
    },
    "ja": {
        "title": "前処理：画素からネットワークの入力へ",
        "intro": "画像は、色チャネルごとに 0〜255 の **uint8** の値として読み込まれます。"
        "ネットワークは小さな範囲の浮動小数点数で学習されているので、どのモデルも最初にアフィン変換を行います。"
        "MobileNetV2 やこのアプリの小さな CNN は $x / 127.5 - 1$ を使い、0〜255 を −1〜1 に移します。",
        "picture_h": "画像とその 1 画素",
        "upload": "画像をアップロード（任意）",
        "upload_help": "PNG・JPEG・GIF・WebP・BMP、10 MB まで。メモリ上だけで扱い、保存はしません。",
        "using_sample": "アップロードがないので、サンプルの絵を使っています。",
        "picture_caption": "{w} × {h} 画素",
        "pixel_pick": "画素を選ぶ：",
        "row": "行（y）",
        "col": "列（x）",
        "pixel_path": "画素（{r}, {c}）：\n\n"
        "1. uint8 で格納：**{u8}**\n"
        "2. float32 に変換：[{f32}]\n"
        "3. $x / 127.5 - 1$：**[{tf}]**\n"
        "4. ImageNet 方式の別案 $(x/255 - \\mu) / \\sigma$：[{torch}]",
        "hist_h": "変換前と変換後のヒストグラム",
        "mode": "変換の方式",
        "mode.tf": "x / 127.5 − 1（−1〜1 へ）",
        "mode.torch": "ImageNet の平均・標準偏差",
        "mode.raw": "x / 255（0〜1 へ）",
        "mode_help": "モデルは学習時と同じ方式の入力を期待します。MobileNetV2 とこのアプリの CNN は "
        "x/127.5 − 1、torchvision の ResNet は ImageNet の平均を引いて標準偏差で割ります。",
        "fig.before": "変換前：uint8 の画素値",
        "fig.before_x": "画素値（0〜255）",
        "fig.after": "変換後：float32 の入力",
        "fig.r": "赤",
        "fig.g": "緑",
        "fig.b": "青",
        "fig.gray": "グレー",
        "fig.count": "画素数",
        "fig.before_summary": "赤・緑・青の画素値（0〜255）のヒストグラム。",
        "fig.after_summary": "変換後の同じヒストグラム。形はまったく同じで、軸だけが変わり、"
        "{lo} から {hi} までになります。",
        "same_shape": "2 つのヒストグラムは同じ形です。アフィン変換は軸をずらして伸び縮みさせるだけなので、"
        "情報は失われも増えもしません。",
        "layout_h": "HWC か CHW か",
        "hwc": "HWC（Keras / TensorFlow）",
        "hwc_help": "高さ × 幅 × チャネル。1 画素の 3 色が隣り合って並びます。",
        "chw": "CHW（PyTorch）",
        "chw_help": "チャネル × 高さ × 幅。まず赤の値がすべて、次に緑、最後に青が並びます。",
        "first_values": "メモリ上の先頭の値：{v}",
        "layout_text": "数は同じで、並ぶ順番だけが違います。CHW を期待するモデルに HWC のデータを渡しても、"
        "サイズがたまたま合えばエラーにはならず、予測がおかしくなるだけです。"
        "`preprocess_input(img, channels_first=True)` は CHW を返します。",
        "affine_h": "前処理はすでにアフィン変換",
        "affine_text": "$x / 127.5 - 1$ は、逆量子化の式 $\\hat{x} = (q - z)\\,s$ に "
        "$s = 1/127.5$、$z = 127.5$ を入れたものです。ところがゼロポイントは**整数**でなければならず、"
        "127.5 は整数ではありません。int8 モデルの入力のコードでは、これを丸める必要があります。",
        "col.scheme": "コード",
        "col.scale": "スケール s",
        "col.zp": "ゼロポイント z",
        "scheme.exact": "x / 127.5 − 1 をコードとして読む",
        "scheme.observer": "PyTorch の min-max オブザーバ（[−1, 1]、uint8）",
        "scheme.tflite_int8": "現在の TFLite コンバータ（TF 2.x）、int8 の入力",
        "scheme.tflite_uint8": "現在の TFLite コンバータ、uint8 の入力",
        "scheme.toco": "TF1 の TOCO コンバータ（2017〜2018 年）、uint8 のモデル",
        "affine_after": "127.5 は 2 つのコードのちょうど中間にあるので、丸め方はツールによって違います。"
        "PyTorch の min-max オブザーバは float32 で計算するため {raw} と見え、**127** になります。現在の TFLite "
        "コンバータ（TF 2.x、代表データでキャリブレーション）はモデルを int8 で量子化します。範囲 −1〜1 から"
        "ゼロポイント 127 − 127.5 = −0.5 を求め、0 から遠い側に丸めて **−1**（スケール 2/255）にします。"
        "uint8 の入力を指定すると 128 を足して **127** です。スケール 1/128 でゼロポイント **128** というのは、"
        "2017〜2018 年の TF1 の TOCO コンバータに由来します。当時のガイドは、最初の量子化 uint8 モデル"
        "（MobileNet や物体検出の SSD）を `--mean_values=128 --std_dev_values=128` で変換していました。\n\n"
        "この画素 {u8} のコードは {obs}（オブザーバ、uint8）、{tfl}（現在の TFLite、int8）、{toco}（TOCO、uint8）。"
        "元のバイト値に近いものの、同じではありません。",
        "note.tflite": "**TFLite のコンバータ**は、入力のゼロポイントを "
        "`tensorflow/compiler/mlir/lite/quantization/ir/FakeQuantSupport.cc`（`getNudgedScaleAndZeroPoint`："
        "double で、誤差の小さい側の端から求め、C の `round` で 0 から遠い側に丸める）で決めます。uint8 の入力は "
        "int8 のものに 128 を足したものです（`tensorflow/lite/tools/optimize/modify_model_interface.cc`）。"
        "入力のコードは QUANTIZE 演算が float32 で `TfLiteRound(x / scale) + zero_point` として求めます"
        "（`tensorflow/lite/kernels/internal/reference/quantize.h`）。ここでも 0 から遠い側に丸めるので、"
        "0.0 から 70.5 ステップ上の画素（198）は 71 − 1 = 70 になります。偶数への丸めを使う PyTorch では "
        "uint8 で 70 + 127 = 197 となり、同じ目盛りの上で 1 つ下のコードです。"
        "TOCO の `mean_values` / `std_dev_values` は 実数 = (q − mean) / std という意味でした"
        "（`tensorflow/lite/python/lite.py` の `quantized_input_stats`）。",
        "decode_h": "反対側の端：decode_predictions",
        "decode_text": "ネットワークの最後の層は、クラスごとに 1 つのスコアを出します。"
        "`decode_predictions` はそのバッチを、画像ごとに `(クラス番号, クラス名, 確率)` のリストに変えます。"
        "確率の高い順です。",
        "decode_logits": "`from_logits=True`：まずソフトマックス、それから並べ替え（確率の合計は 1）",
        "decode_raw": "`from_logits=False`：与えたスコアをそのまま並べ替え（Keras と同じ動作）",
        "note.mnv3": "**Keras の `mobilenet_v3.preprocess_input`** は形だけの関数で、入力をそのまま返します。"
        "MobileNetV3 はモデルの中（Rescaling 層）で値を変換するからです。−1〜1 のデータを渡すと、変換が 2 回かかります。",
        "note.mnv2": "**Keras の `mobilenet_v2.preprocess_input`** は、まさに $x / 127.5 - 1$ を計算します"
        "（'tf' モード）。このページの変換です。",
        "note.decode": "**Keras の `decode_predictions`** は与えられたスコアを並べ替えるだけで、"
        "ソフトマックスはかけません。ロジットを渡すと、「確率」として表示されるのはロジットのままです。",
        "q.pixel.prompt": "画素を選ぶ前に考えてみましょう。色チャネルには **0**（その色がまったくない）か **255**（いっぱい）が入っています。$x / 127.5 - 1$ のあと、ネットワークが読むのはどの数でしょう？",
        "q.pixel.opt.same": "0.0 と 255.0：float に変換しても値は変わらない",
        "q.pixel.opt.raw": "0.0 と 1.0",
        "q.pixel.opt.tf": "{lo} と {hi}",
        "q.pixel.opt.half": "−127.5 と 127.5",
        "q.pixel.why": "$0 / 127.5 - 1 = {lo}$、$255 / 127.5 - 1 = {hi}$ です。真ん中の 127.5 が 0.0 になります。255 で割るだけなら 0.0〜1.0 "
        "になり、これは次の節の x / 255 の方式で、こちらを使うモデルもあります。サンプル画像で一番暗い画素（{r}, {c}）にはチャネルの値 {u8} があり、{tf} と読まれます。"
        "ほぼ −1 です。",
        "q.pixel.show": "一番暗い画素を見る",
        "q.mode.prompt": "下の変換方式を **ImageNet の平均・標準偏差**に切り替える前に考えてみましょう。値はやはり −1〜1 に収まるでしょうか？",
        "q.mode.opt.yes": "収まる：どの正規化でも画素は −1〜1 に移る",
        "q.mode.opt.unit": "収まらない：0〜1 に収まる",
        "q.mode.opt.wider": "収まらない：もっと広がり、およそ {lo}〜{hi} になる",
        "q.mode.why": "ImageNet の正規化はチャネルごとに $(x / 255 - \\mu) / \\sigma$ を計算します。$\\mu$ は {mean}、$\\sigma$ は {std} "
        "です。黒は最低 {lo}、白は最高 {hi} になり、範囲はチャネルごとに違います。どちらの方式が優れているわけでもありません。モデルには学習したときと同じ方式が必要で、入力の量子化器は届いた値の範囲でキャリブレーションされます。",
        "q.mode.show": "ImageNet の平均・標準偏差に切り替えて見る",
        "q.zero_point.prompt": "$x / 127.5 - 1$ は、逆量子化の式 $(q - z)\\,s$ で $s = 1/127.5$ としたものと同じ形です。ゼロポイント $z$ はいくつでしょう？",
        "q.zero_point.opt.zero": "0：出力は 0.0 を中心にしているから",
        "q.zero_point.opt.mean": "画像の画素値の平均",
        "q.zero_point.opt.int": "128",
        "q.zero_point.opt.half": "127.5。ただし整数ではない",
        "q.zero_point.why": "$q / 127.5 - 1 = (q - 127.5) / 127.5$ なので $z = {z}$ です。ゼロポイントは整数のコードでなければならないので、ツールごとに丸め方が違います。"
        "PyTorch の min-max オブザーバは **{obs}**、現在の TFLite コンバータは **{tfl}**（int8）、TF1 の TOCO は **{toco}** "
        "になります（下の表）。画像の平均ではありません。ゼロポイントはデータの中心ではなく、範囲 −1〜1 から決まります。",
    },
}
