"""Strings of page 5, Predict: a person's digit through the fp32 and the int8 model."""

STRINGS = {
    "en": {
        "title": "Predict: the float model against the quantized one",
        "intro": "Give the tiny CNN a digit — a sample from the test split, one you draw, a picture you "
        "upload, or a photo from your camera — and watch the **fp32** model and a quantized model answer side by side. The "
        "quantized model computes with integers of 8 bits or fewer only; if quantization was done well, it gives "
        "the same answer with almost the same probabilities. Page 6 then takes one of its layers apart, integer "
        "by integer, and page 7 runs the same model in PyTorch and TensorFlow.",
        "source": "Where the digit comes from",
        "source.sample": "Test sample",
        "source.upload": "Upload",
        "source.camera": "Camera",
        "source.draw": "Draw",
        "draw": "Draw one digit with the mouse or a finger",
        "draw_help": "Write it large, filling the box. The models answer each time you lift the mouse button "
        "or your finger; to start again, clear the drawing.",
        "clear": "Clear the drawing",
        "draw_waiting": "Draw a digit in the box: the models answer when you lift the mouse button or your finger.",
        "picture.drawn": "Your drawing, fitted into 32×32 like the data set's bitmaps (each 4×4 block is one "
        "of the 8×8 inputs)",
        "camera_blocked": "**The camera can't work on this address.** The page was opened over plain http at "
        "**{host}**, and browsers allow a camera only on https pages or on this computer itself (localhost). Ask "
        'for the https address of this app (the README\'s section "HTTPS, for the camera"), or upload a photo '
        "or draw the digit instead.",
        "steps_h": "From your picture to the 8×8",
        "steps_intro": "The same steps every upload and photo goes through (qlib/photo.py). If the answer is "
        "wrong, look for the step where the digit got lost.",
        "step.original": "1 · Original",
        "step.original.c": "Your picture in grey, at most 512 pixels a side.",
        "step.flat": "2 · Lighting removed",
        "step.flat.c": "Each pixel divided by the paper's own brightness around it: shadows and uneven light go, "
        "the ink stays.",
        "step.flat.c_inverted": "Light ink on a dark background was found, so the picture was inverted first. "
        "Then each pixel was divided by the background's brightness around it.",
        "step.ink": "3 · Ink mask",
        "step.ink.c": "Black: the pieces kept as the digit ({n} of {total}); orange: other ink; red: ruled lines "
        "removed; blue: the digit's box.",
        "step.ink.c_none": "No piece of ink was found that could be a digit.",
        "step.crop": "4 · Cropped and centred",
        "step.crop.c": "The digit's box scaled to fill 32×32 with its aspect ratio kept, centred, and the "
        "stroke brought to the data set's thickness.",
        "step.input": "5 · What the model sees",
        "step.input.c": "Each 4×4 block counted: 0 (white) to 16 (black) ink pixels, then level / 8 − 1.",
        "not_digit": "**This does not look like a digit.** {reason} The models below still answer — they "
        "always pick one of the ten classes — but treat it as a guess, not a recognition.",
        "reason.no_ink": "Nothing stands out from the background.",
        "reason.ink_everywhere": "More than {ink:.0f} % of the picture is dark marks.",
        "reason.cluttered": "The marks are scattered, or there is more ink around the mark than in it, as in a "
        "scene, a texture or a page of writing.",
        "reason.several_marks": "There are several marks side by side, as in a number of several digits or a "
        "line of text.",
        "guess_same": "**A guess:** fp32 and {model} both pick **{fid} ({fname})** ({fp:.1f} % and {qp:.1f} %), "
        "but the picture does not look like a digit, so this is no recognition.",
        "guess_differ": "**A guess:** fp32 picks **{fid} ({fname})** ({fp:.1f} %), {model} picks **{qid} "
        "({qname})** ({qp:.1f} %); the picture does not look like a digit, so neither is a recognition.",
        "guess_tag": "a guess",
        "rule_h": "How the page decides whether it is a digit",
        "rule": "The ink is found as in the steps above. The picture is called *not a digit* if nothing stands "
        "out from the paper, if more than {ink:.0f} % of it is ink, if the digit would be more than {pieces} "
        "separate pieces, if its marks are more than {width:.2f} times as wide as tall, a second mark is at least "
        "{other:.0f} % of the digit's size or two large pieces stand side by side, or if the ink outside the digit "
        "is more than {stray:.0f} % of the digit's own. Anything else counts as one digit (qlib/verdict.py).",
        "rule_this": "This picture: ink covers {ink:.1f} % of it; the digit is {pieces} piece(s), {width:.2f} "
        "times as wide as tall; the largest other mark is {other:.0f} % of the digit's size; the ink outside the "
        "digit is {stray:.0f} % of the digit's own.",
        "sample": "Test sample number (0…{n})",
        "random": "Random sample",
        "upload": "Upload a picture of one digit",
        "upload_help": "PNG, JPEG, WebP, BMP or GIF. A dark digit on light paper or a light digit on a "
        "dark background both work. The file stays in memory and is never saved.",
        "camera_on": "Turn on the camera",
        "camera_help": "The browser asks for permission only after you turn this on.",
        "camera_off": "The camera is off. Turn it on to take a photo of a digit written on paper.",
        "camera": "Take a photo of one digit",
        "waiting": "Choose a test sample, draw a digit, upload a picture, or take a photo to see the predictions.",
        "sees_h": "What the model sees",
        "picture.sample": "Test sample {i}",
        "picture.given": "Your picture",
        "true_label": "Correct answer",
        "fig.grid_title": "The 8×8 input (values in [−1, 1])",
        "fig.grid_summary": "The picture was cropped to the digit, shrunk to 8×8 pixels and mapped to "
        "[−1, 1] like the training data: −1 is background, +1 is full ink. {ink} of the 64 pixels are more ink "
        "than background.",
        "fig.value": "value",
        "fig.hover": "row %{y}, column %{x}: %{z:.3f}",
        "models_h": "fp32 against the quantized model",
        "model": "Quantized model",
        "top": "Top-k (how many classes to list)",
        "fp32": "fp32 (float model)",
        "col.id": "Class",
        "col.name": "Name",
        "col.prob": "Probability",
        "col.move": "Rank change",
        "move_cell": "{arrow} (#{was} → #{now})",
        "agree": "**Both models agree.** Both say **{id} ({name})**, and {model} keeps the same order "
        "over the whole top {k}.",
        "moved_item": "{id} ({move})",
        "agree_moved": "**Same answer: {id} ({name}).** But {model} ranks some of the runners-up "
        "differently: {moved}.",
        "disagree": "**The models disagree!** fp32 says **{fid} ({fname})** with {fp:.1f} %, "
        "{model} says **{qid} ({qname})** with {qp:.1f} %. Rounding changed the answer.",
        "raw_h": "Raw output of decode_predictions",
        "raw_caption": "One list per input, best first: (class id, class name, probability).",
        "fig.prob_axis": "probability (log scale)",
        "fig.class_axis": "class (digit)",
        "fig.floor": "≤ 10⁻⁶ %",
        "fig.bars_summary": "Probability of every class under both models, on a log scale (values below "
        "10⁻⁶ % are drawn at 10⁻⁶ %). The largest difference between them is {diff:.2f} percentage points; the KL "
        "divergence KL(fp32 || quantized) is {kl:.4f} nats.",
        "formula_caption": "The quantized model ends with integer logits q; the output's scale s and zero "
        "point z_p turn them back into real logits z, and the softmax turns logits into probabilities.",
        "note": "**What the libraries really do.** Keras's `decode_predictions` applies no softmax: it "
        "sorts whatever scores it is given and pairs them with class names, so feeding it logits gives "
        "'probabilities' that do not add up to 1. qlib's `decode_predictions` takes `from_logits=True` to apply "
        "the softmax first. A real int8 deployment (TFLite, PyTorch's quantized engine) also returns quantized "
        "outputs, which are dequantized the same way: z = s (q − z_p).",
        "q.close.prompt": "Before you look: test sample {i} (a {label}) goes through the fp32 model and the **QAT · "
        "8-bit** model. How will the int8 model's probabilities compare with fp32's?",
        "q.close.opt.same": "exactly the same: 8 bits are plenty",
        "q.close.opt.close": "the same best class, with probabilities a little different",
        "q.close.opt.other": "a different best class: int8 is too coarse for probabilities",
        "q.close.why": "Both say {best}: fp32 with {pf} %, int8 with {pq} %. Over the ten classes the probabilities "
        "differ by up to {diff} points. Every weight and activation was rounded to one of 256 codes, "
        "so the logits move a little and the probabilities with them; the int8 model can even be "
        "the more confident one. A clear answer rarely changes its best class.",
        "q.close.show": "Show me: sample {i}, QAT · 8-bit",
        "q.low.prompt": "Now the **PTQ · 2-bit** model, which gets {acc} % of the test digits right. Sample {i} is "
        "a {label}, and fp32 says {label}. What will the 2-bit PTQ model say?",
        "q.low.opt.same": "{label} as well: a clear digit survives the rounding",
        "q.low.opt.other": "another digit",
        "q.low.opt.none": "nothing: the integer engine cannot run 2-bit codes",
        "q.low.why": "It says **{wrong}** with {pw} %; {label} is only its choice number {rank}. PTQ rounds every "
        "weight to one of 4 codes without training again: the network it runs is another function, "
        "however clear the digit. The integer engine runs it as it runs 8 bits; the codes are just "
        "fewer. QAT at 2 bits gets {qat_acc} % of the test digits right: try it on the same sample.",
        "q.low.show": "Show me: sample {i}, PTQ · 2-bit",
    },
    "ja": {
        "title": "推論してみる：浮動小数点モデルと量子化モデルの比較",
        "intro": "小さな CNN に数字を 1 つ見せましょう。テストデータのサンプル、手で描いた数字、アップロードした"
        "画像、カメラで撮った写真のどれでも使えます。**fp32** モデルと量子化モデルが並んで答えます。量子化モデルは"
        " 8 ビット以下の整数だけで計算しますが、量子化がうまくいっていれば、ほぼ同じ確率で同じ答えを出します。"
        "このあと 6 ページでは量子化モデルの層を 1 つ整数のまま分解し、7 ページでは同じモデルを PyTorch と "
        "TensorFlow で動かします。",
        "source": "数字の入力方法",
        "source.sample": "テストサンプル",
        "source.upload": "アップロード",
        "source.camera": "カメラ",
        "source.draw": "手で描く",
        "draw": "マウスか指で数字を 1 つ描いてください",
        "draw_help": "枠いっぱいに大きく描きましょう。マウスのボタンや指を離すたびにモデルが答えます。"
        "描き直すときは、描いた数字を消してください。",
        "clear": "描いた数字を消す",
        "draw_waiting": "枠の中に数字を描いてください。マウスのボタンや指を離すと、モデルが答えます。",
        "picture.drawn": "あなたの数字を、データセットのビットマップと同じ 32×32 に収めたもの（4×4 の"
        "ブロック 1 つが 8×8 の入力の 1 画素です）",
        "camera_blocked": "**このアドレスではカメラが使えません**。このページは **{host}** に http（暗号化"
        "なし）で開かれています。ブラウザがカメラを許可するのは、https のページか、このコンピューター自身"
        "（localhost）だけです。このアプリの https のアドレスを先生に尋ねるか（README の「HTTPS, for the "
        "camera」の節）、写真をアップロードするか、数字を手で描いてください。",
        "steps_h": "あなたの画像から 8×8 になるまで",
        "steps_intro": "アップロードした画像も撮った写真も、すべて同じ手順を通ります（qlib/photo.py）。答えが"
        "間違っているときは、どの手順で数字が失われたかを探してみましょう。",
        "step.original": "1・元の画像",
        "step.original.c": "あなたの画像をグレーにしたもの（長い辺は最大 512 画素）。",
        "step.flat": "2・照明ムラの除去",
        "step.flat.c": "各画素を、その周りの紙そのものの明るさで割りました。影や照明のムラが消え、インクが"
        "残ります。",
        "step.flat.c_inverted": "暗い背景に明るいインクだと判断したので、まず白黒を反転しました。そのあと"
        "各画素を、その周りの背景の明るさで割りました。",
        "step.ink": "3・インクのマスク",
        "step.ink.c": "黒：数字として残した部分（{total} 個のうち {n} 個）、オレンジ：それ以外のインク、"
        "赤：取り除いた罫線、青：数字を囲む枠。",
        "step.ink.c_none": "数字になりそうなインクは見つかりませんでした。",
        "step.crop": "4・切り抜きと中央寄せ",
        "step.crop.c": "数字を囲む枠を、縦横比を保ったまま 32×32 いっぱいに拡大・縮小して中央に置き、線の"
        "太さをデータセットに合わせました。",
        "step.input": "5・モデルに見えているもの",
        "step.input.c": "4×4 のブロックごとにインクの画素を数え（0 が白、16 が黒）、レベル / 8 − 1 にしました。",
        "not_digit": "**これは数字には見えません**。{reason}下のモデルはそれでも答えます（必ず 10 クラスの"
        "どれかを選ぶからです）が、認識ではなく当て推量として見てください。",
        "reason.no_ink": "背景から浮き出ているものがありません。",
        "reason.ink_everywhere": "画像の {ink:.0f} % より多くが暗い印です。",
        "reason.cluttered": "印が散らばっているか、印の中より周りのほうにインクが多く、風景や模様、文字の"
        "書かれたページのようです。",
        "reason.several_marks": "いくつもの印が横に並んでいて、何桁もの数や文字の行のようです。",
        "guess_same": "**当て推量：** fp32 も {model} も、選んだのは**{fid}（{fname}）**（{fp:.1f} % と"
        " {qp:.1f} %）。ただし画像が数字に見えないので、これは認識ではありません。",
        "guess_differ": "**当て推量：** fp32 は**{fid}（{fname}）**（{fp:.1f} %）、{model} は**{qid}"
        "（{qname}）**（{qp:.1f} %）を選びました。画像が数字に見えないので、どちらも認識ではありません。",
        "guess_tag": "当て推量",
        "rule_h": "数字かどうかをどう判断しているか",
        "rule": "インクは上の手順と同じように見つけます。紙から浮き出ているものがない、画像の {ink:.0f} % "
        "より多くがインク、数字が {pieces} 個より多くの部分に分かれる、印の幅が高さの {width:.2f} 倍より大きい、"
        "2 番目の印が数字の {other:.0f} % 以上の大きさ、大きな部分が 2 つ横に並んでいる、数字の外のインクが"
        "数字自身のインクの {stray:.0f} % より多い、のどれかに当てはまると「数字ではない」とします。それ以外は"
        "数字 1 つとして扱います（qlib/verdict.py）。",
        "rule_this": "この画像では：インクは画像の {ink:.1f} %、数字は {pieces} 個の部分からなり、幅は高さの"
        " {width:.2f} 倍、ほかの印で最大のものは数字の {other:.0f} % の大きさ、数字の外のインクは数字自身の"
        " {stray:.0f} % です。",
        "sample": "テストサンプルの番号（0〜{n}）",
        "random": "ランダムに選ぶ",
        "upload": "数字が 1 つ写った画像をアップロード",
        "upload_help": "PNG・JPEG・WebP・BMP・GIF に対応。白い紙に黒い数字でも、黒い背景に白い数字でも"
        "構いません。ファイルはメモリ上だけで扱い、保存はしません。",
        "camera_on": "カメラをオンにする",
        "camera_help": "オンにしたときだけ、ブラウザがカメラの使用許可を求めます。",
        "camera_off": "カメラはオフです。紙に書いた数字を撮るには、オンにしてください。",
        "camera": "数字を 1 つ撮影する",
        "waiting": "テストサンプルを選ぶか、数字を描くか、画像をアップロードするか、写真を撮ると予測が表示されます。",
        "sees_h": "モデルに見えているもの",
        "picture.sample": "テストサンプル {i}",
        "picture.given": "あなたの画像",
        "true_label": "正解",
        "fig.grid_title": "8×8 の入力（値は −1〜1）",
        "fig.grid_summary": "画像を数字の部分で切り抜き、8×8 画素に縮小し、学習データと同じように"
        " −1〜1 に変換しました。−1 が背景、+1 が最も濃いインクです。64 画素のうち {ink} 画素が背景よりインク寄りです。",
        "fig.value": "値",
        "fig.hover": "%{y} 行 %{x} 列：%{z:.3f}",
        "models_h": "fp32 と量子化モデルの比較",
        "model": "量子化モデル",
        "top": "上位 k 件（表示するクラス数）",
        "fp32": "fp32（浮動小数点モデル）",
        "col.id": "クラス",
        "col.name": "名前",
        "col.prob": "確率",
        "col.move": "順位の変化",
        "move_cell": "{arrow}（{was} 位 → {now} 位）",
        "agree": "**2 つのモデルの答えは一致しています**。答えはどちらも**{id}（{name}）**。"
        "「{model}」は上位 {k} 件の順位も fp32 と同じです。",
        "moved_item": "{id}（{move}）",
        "agree_moved": "**答えは同じ {id}（{name}）です**。ただし「{model}」では、2 位以下の順位が"
        "一部入れ替わっています：{moved}",
        "disagree": "**答えが食い違っています**！fp32 は**{fid}（{fname}）**（{fp:.1f} %）、"
        "「{model}」は**{qid}（{qname}）**（{qp:.1f} %）と答えました。丸めによって答えが変わったのです。",
        "raw_h": "decode_predictions が返すそのままの形",
        "raw_caption": "入力 1 つにつき 1 つのリストで、確率の高い順に（クラス ID、クラス名、確率）の組が並びます。",
        "fig.prob_axis": "確率（対数目盛）",
        "fig.class_axis": "クラス（数字）",
        "fig.floor": "≤ 10⁻⁶ %",
        "fig.bars_summary": "両モデルでの全クラスの確率です（対数目盛。10⁻⁶ % より小さい値は 10⁻⁶ % の高さに"
        "描いています）。差が最も大きいところで {diff:.2f} ポイント、KL ダイバージェンス "
        "KL（fp32 || 量子化モデル）は {kl:.4f} nat です。",
        "formula_caption": "量子化モデルの出力は整数のロジット q です。出力のスケール s とゼロポイント z_p で"
        "実数のロジット z に戻し、ソフトマックスで確率にします。",
        "note": "**ライブラリが実際にしていること**。Keras の `decode_predictions` はソフトマックスを"
        "かけません。渡されたスコアを並べ替えてクラス名と組にするだけなので、ロジットを渡すと合計が 1 にならない"
        "「確率」が出てきます。qlib の `decode_predictions` は `from_logits=True` で先にソフトマックスをかけます。"
        "実際の int8 推論（TFLite や PyTorch の量子化エンジン）も量子化された出力を返し、同じく "
        "z = s (q − z_p) で逆量子化されます。",
        "q.close.prompt": "見る前に考えてみましょう。テスト画像 {i}（数字の {label}）を、fp32 のモデルと **QAT・8 ビット**のモデルに通します。int8 のモデルの確率は、fp32 "
        "と比べてどうなるでしょう？",
        "q.close.opt.same": "まったく同じ：8 ビットあれば十分",
        "q.close.opt.close": "一番のクラスは同じで、確率が少しだけ違う",
        "q.close.opt.other": "一番のクラスが変わる：int8 は確率を表すには粗すぎる",
        "q.close.why": "どちらも {best} と答えます。fp32 は {pf} %、int8 は {pq} % です。10 クラス全体で、確率の差は最大 {diff} ポイントです。重みも活性化もすべて "
        "256 個のコードのどれかに丸めたので、ロジットが少し動き、確率も一緒に動きます。int8 のほうが自信を持つことさえあります。はっきりした答えなら、一番のクラスはめったに変わりません。",
        "q.close.show": "画像 {i} を QAT・8 ビットで見る",
        "q.low.prompt": "次は **PTQ・2 ビット**のモデルです。テスト画像の正解率は {acc} % です。画像 {i} は数字の {label} で、fp32 も {label} と答えます。"
        "2 ビットの PTQ のモデルは何と答えるでしょう？",
        "q.low.opt.same": "やはり {label}：はっきりした数字なら丸めても変わらない",
        "q.low.opt.other": "別の数字",
        "q.low.opt.none": "何も答えない：整数エンジンは 2 ビットのコードを扱えない",
        "q.low.why": "答えは **{wrong}**（{pw} %）で、{label} は {rank} 番目の候補にすぎません。PTQ は学習し直さずに、すべての重みを 4 個のコードのどれかに丸めます。"
        "数字がどれほどはっきりしていても、動いているのは別の関数です。整数エンジンは 8 ビットと同じように動かします。コードが少ないだけです。2 ビットの QAT ならテスト画像の "
        "{qat_acc} % を正解します。同じ画像で試してみましょう。",
        "q.low.show": "画像 {i} を PTQ・2 ビットで見る",
    },
}
