"""Lesson 8's strings: why the libraries fold BatchNorm, quantize weights per channel, calibrate, and go low-bit."""

STRINGS = {
    "en": {
        "title": "8 · Why the libraries do what they do",
        "intro": "PyTorch's eager workflow folds BatchNorm into the convolution, and its x86 qconfig gives every "
        "output channel of a weight its own scale and calibrates activations with a histogram; TFLite's int8 spec "
        "folds and quantizes weights per channel too. Below 8 bits the papers train rather than round. "
        "Each default answers a failure. This page shows them on a second network that has BatchNorm: the "
        "MobileNet-style net shipped with the app (`qlib.spec.MOBILE_CNN`: a 3×3 conv, two depthwise-separable "
        "blocks, each conv followed by BatchNorm and ReLU6, then a linear layer; fp32 {fp32:.2f} % on 360 test "
        "digits, so one image is 0.28 points). What is computed live and what is recorded is said in each section.",
        "live": "Live: computed on this page from the shipped weights.",
        "recorded_mobile": "Recorded: `python -m bench.mobile` (bench/results/mobile.json), recomputed by "
        "tests/bench/test_bench_mobile.py; these runs take 3–13 CPU-seconds each, too slow for a page.",
        "recorded_lowbit": "Recorded: `python -m bench.lowbit` (bench/results/lowbit.json, about 5 minutes on "
        "one thread), recomputed by tests/bench/test_bench_lowbit.py.",
        "wait": "Quantizing the network…",
        "noise": "A difference of {n} images out of 360 is within the noise of this test set (up to 5 images, "
        "1.4 points, is what the README calls noise).",
        # 1. BatchNorm folding
        "fold_h": "1 · BatchNorm folded into the convolution",
        "fold_intro": "In inference BatchNorm is a fixed affine map per output channel, so it can be merged into "
        "the conv before it: each channel's weights are multiplied by its own γ/σ. The quantizer then sees the "
        "folded weights, not the trained ones.",
        "fold_layer": "Layer",
        "fold_channel": "Output channel (0–{n})",
        "m.gamma": "γ (BN weight)",
        "m.beta": "β (BN bias)",
        "m.mean": "μ (running mean)",
        "m.sigma": "σ = √(var + ε)",
        "m.mult": "γ/σ",
        "m.w_range": "weights before",
        "m.wf_range": "weights after",
        "m.b_fold": "folded bias b′",
        "fold.claim_wider": "In {layer}, γ/σ runs from {mmin:.2f} to {mmax:.2f} across the channels, so folding "
        "widens the spread of the channels' ranges (largest max|w| over smallest) from {before:.2f}× to "
        "{after:.2f}×. One per-tensor scale must cover the widest channel; the narrow ones then use only a few "
        "of its levels.",
        "fold.claim_narrower": "In {layer}, γ/σ runs from {mmin:.2f} to {mmax:.2f} across the channels; here "
        "folding narrows the spread of the channels' ranges from {before:.2f}× to {after:.2f}×.",
        "fig.fold_summary": "max|w| of each output channel of {layer} before and after folding; channel {c} "
        "outlined. The dotted line is the largest folded range, what one per-tensor scale is made from.",
        "fuse_same": "qlib's fold against `torch.ao.quantization.fuse_modules` on the same layer: largest "
        "difference {d:g} (0 means bit for bit).",
        "note.fold": "**What the libraries really do.** `torch.ao.quantization.fuse_modules` (torch/ao/"
        "quantization/fuse_modules.py) looks up `fuse_conv_bn` in fuser_method_mappings.py: in eval mode it "
        "returns `nn.utils.fuse_conv_bn_eval(conv, bn)` (r = rsqrt(var + ε); W′ = W·γ·r; b′ = (b − μ)·r·γ + β), "
        "exactly what qlib/batchnorm.py computes. `fuse_modules_qat` instead returns a `ConvBn2d` "
        "(torch/ao/nn/intrinsic/qat/modules/conv_fused.py) that fake-quantizes W·γ/σ_running during training, "
        "so QAT trains against the weights that will be deployed; quantizing the unfolded W and folding "
        "afterwards would round a different tensor than the one that runs.",
        "freeze_h": "BatchNorm statistics frozen late in QAT, or not",
        "freeze_intro": "During QAT, BatchNorm normalises with each batch's mean and σ, while the deployed model "
        "uses the running ones. Krishnamoorthi (2018, Figs. 14–15) freezes the statistics late in training so "
        "the last epochs train exactly what inference computes. The same QAT run (W{bits}A8, {epochs} epochs), "
        "with BatchNorm frozen after epoch {after} and never:",
        "freeze.claim_same": "Here freezing makes no difference beyond noise: test {frozen:.2f} % frozen against "
        "{unfrozen:.2f} % not frozen ({n} image). The batches' σ differs from the running σ by at most "
        "{drift_max:.1f} % on average ({drift_layer}), "
        "so there is little for freezing to remove. Validation after the freeze: {vf:.2f} % frozen, "
        "{vu:.2f} % not.",
        "freeze.claim_better": "Here freezing helps: test {frozen:.2f} % frozen against {unfrozen:.2f} % not "
        "frozen ({n} images). Validation after the freeze: {vf:.2f} % frozen, {vu:.2f} % not.",
        "freeze.claim_worse": "Here freezing does not help: test {frozen:.2f} % frozen against {unfrozen:.2f} % "
        "not frozen ({n} images); the batches' σ differs from the running σ by at most {drift_max:.1f} % "
        "({drift_layer}). Validation after the freeze: {vf:.2f} % frozen, {vu:.2f} % not.",
        "fig.freeze_summary": "Validation accuracy per epoch of QAT W{bits}A8, BatchNorm frozen after epoch "
        "{after} (solid) and never frozen (dashed).",
        "note.freeze": "**What the libraries really do.** PyTorch's `ConvBn2d._forward_approximate` "
        "(torch/ao/nn/intrinsic/qat/modules/conv_fused.py) computes BN_batch(conv(x, fq(W·s))/s) with "
        "s = γ/σ_running; `torch.ao.nn.intrinsic.qat.freeze_bn_stats` switches BatchNorm to its running "
        "statistics, after which the module computes the folded conv exactly. The tutorials call it after a "
        "few epochs with `model.apply(...)`; qlib does the same (`QConfig.freeze_bn_after`, qlib/batchnorm.py).",
        # 2. granularity
        "gran_h": "2 · One scale per tensor or one per channel",
        "gran_intro": "PTQ of the same fp32 weights with symmetric weights at the width chosen and 8-bit "
        "activations, one scale for the whole weight tensor or one per output channel. Each layer's own SQNR "
        "(the layer quantized alone, against itself in float; 6 dB a bit) shows where per-tensor loses signal.",
        "gran_bits": "Weight bits",
        "m.pc": "per-channel",
        "m.pt": "per-tensor",
        "m.breaks": "breaks first (per-tensor)",
        "gran.claim_same": "At {bits}-bit weights per-channel and per-tensor are equal within one image: "
        "{pc:.2f} % against {pt:.2f} %. Per-tensor's weakest layer is {layer} ({db_pt:.1f} dB, {gap:.1f} dB "
        "below per-channel's {db_pc:.1f} dB): a loss of signal this network still absorbs.",
        "gran.claim_pc": "At {bits}-bit weights per-channel beats per-tensor by {n} images: {pc:.2f} % against "
        "{pt:.2f} %. Per-tensor breaks first in {layer}: {db_pt:.1f} dB against per-channel's {db_pc:.1f} dB "
        "there ({gap:.1f} dB less).",
        "gran.claim_pt": "At {bits}-bit weights per-tensor is {n} images ahead of per-channel: {pt:.2f} % against "
        "{pc:.2f} %, though its weakest layer, {layer}, keeps {gap:.1f} dB less "
        "signal ({db_pt:.1f} dB against {db_pc:.1f} dB).",
        "fig.pc": "per-channel",
        "fig.pt": "per-tensor",
        "fig.sqnr_summary": "Own SQNR of each layer at {bits}-bit weights, per channel and per tensor; "
        "the shaded layer ({layer}) breaks first with one scale per tensor.",
        "gran_qat_h": "The same after QAT",
        "gran.qat_same": "After QAT at {bits}-bit weights: per-channel {pc:.2f} %, per-tensor {pt:.2f} %, equal "
        "within one image; per-tensor's weakest layer is {layer}.",
        "gran.qat_pc": "After QAT at {bits}-bit weights per-channel stays {n} images ahead: {pc:.2f} % against "
        "{pt:.2f} %; per-tensor's weakest layer is {layer}.",
        "gran.qat_pt": "After QAT at {bits}-bit weights per-tensor is {n} images ahead: {pt:.2f} % against "
        "{pc:.2f} % per-channel; per-tensor's weakest layer is {layer}.",
        "fig.qat_summary": "Own SQNR of each layer after QAT at {bits}-bit weights (recorded); shaded: {layer}.",
        "note.granularity": "**What the libraries really do.** PyTorch's x86 default "
        "(`get_default_qconfig('x86')`, torch/ao/quantization/qconfig.py) quantizes weights with "
        "`default_per_channel_weight_observer` (PerChannelMinMaxObserver, symmetric qint8, axis 0) and "
        "activations with a HistogramObserver; TFLite's int8 spec makes conv weights per-axis symmetric with "
        "zero point 0. PyTorch's qnnpack (ARM) default still uses per-tensor weights (`default_weight_observer`).",
        "cle_h": "Cross-layer equalisation (Nagel et al. 2019)",
        "cle_intro": "Instead of one scale per channel, CLE makes the channels alike: with a ReLU between two "
        "layers, dividing output channel i of the first by sᵢ and multiplying input channel i of the second by "
        "sᵢ leaves the function unchanged, and sᵢ = √(r₁ᵢ/r₂ᵢ) gives both the same range. ReLU6 is not "
        "scale-equivariant, so it is replaced by ReLU first (as the paper and AIMET do); the fair baseline is "
        "that network, per-tensor, before equalising.",
        "cle_button": "Equalise and quantize per tensor",
        "cle_hide": "Hide equalisation",
        "m.relu": "per-tensor, ReLU6 → ReLU",
        "m.eq": "per-tensor, equalised",
        "cle.claim_recovered": "At {bits}-bit weights CLE takes per-tensor from {relu:.2f} % to {eq:.2f} % "
        "({n} images), level with per-channel ({pc:.2f} %): the spread of {layer}'s channels fell from "
        "{sb:.2f}× to {sa:.2f}×, and its own SQNR rose from {db_b:.1f} to {db_a:.1f} dB.",
        "cle.claim_partly": "At {bits}-bit weights CLE takes per-tensor from {relu:.2f} % to {eq:.2f} % "
        "({n} images), still short of per-channel ({pc:.2f} %): the spread of {layer}'s channels fell from "
        "{sb:.2f}× to {sa:.2f}× and its own SQNR rose from {db_b:.1f} to {db_a:.1f} dB, but the channels "
        "are not identical after equalising.",
        "cle.claim_none": "At {bits}-bit weights CLE changes per-tensor by at most one image ({relu:.2f} % → "
        "{eq:.2f} %; per-channel {pc:.2f} %), although the spread of {layer}'s channels fell from {sb:.2f}× to {sa:.2f}× "
        "(own SQNR {db_b:.1f} → {db_a:.1f} dB).",
        "cle.claim_worse": "At {bits}-bit weights CLE costs per-tensor {n} images ({relu:.2f} % → {eq:.2f} %; "
        "per-channel {pc:.2f} %); the spread of {layer}'s channels fell from "
        "{sb:.2f}× to {sa:.2f}× (own SQNR {db_b:.1f} → {db_a:.1f} dB): equalising also moves range from one "
        "layer to the next, and rounds differently.",
        "fig.cle_before": "folded, before CLE",
        "fig.cle_after": "after CLE",
        "fig.cle_summary": "Spread of each layer's channel ranges (largest max|w| over smallest; 1 = all alike) "
        "before and after equalising ({it} sweeps).",
        "fig.pt_relu": "per-tensor, before CLE",
        "fig.pt_eq": "per-tensor, after CLE",
        "fig.cle_sqnr_summary": "Own SQNR of each layer per tensor before and after equalising, and per "
        "channel; shaded: {layer}.",
        "note.cle": "**What the libraries really do.** Neither PyTorch nor TFLite equalises by default; "
        "Qualcomm's AIMET does (`equalize_model`, after replacing ReLU6 by ReLU), and so does qlib/equalize.py "
        "here, pair by pair until the scales stop changing. Per-channel weights make CLE mostly unnecessary, "
        "which is why the libraries chose them.",
        # 3. calibration
        "cal_h": "3 · Calibration: which observer, how many images",
        "cal_intro": "PTQ with 8-bit per-channel weights; only the activation observer and the number of "
        "calibration images change (mean of three seeded subsets of the training images). MSE searches the "
        "clipping range with the least squared error, histogram is PyTorch's HistogramObserver (its L2 search), "
        "entropy is TensorRT's KL threshold.",
        "cal_net": "Network",
        "cal_bits": "Activation bits",
        "net.mobile_cnn": "MobileNet-style",
        "net.tiny_cnn": "tiny CNN",
        "obs.minmax": "min-max",
        "obs.moving_average": "moving average",
        "obs.percentile": "percentile 99.99",
        "obs.mse": "MSE",
        "obs.histogram": "histogram (PyTorch)",
        "obs.entropy": "entropy (KL)",
        "cal.claim_close": "With {bits}-bit activations the six observers are within {spread:.2f} points of one "
        "another at every number of images; with {n:,} images the highest is {best}: {best_acc:.2f} %, the "
        "lowest {worst}: {worst_acc:.2f} %. On this net the observer hardly matters at 8 bits.",
        "cal.claim_apart": "With {bits}-bit activations the observers part: up to {spread:.1f} points between "
        "them; with {n:,} images {best} is best ({best_acc:.2f} %) and {worst} worst ({worst_acc:.2f} %). Few "
        "levels make the clipping range matter.",
        "cal_table_caption": "Each cell: test accuracy (mean of three subsets) · SQNR of the logits against the "
        "float network's; columns: number of calibration images.",
        "scale_source": "This net's numbers: the PTQ and CLE rows recorded by `python -m bench.mobile`, which "
        "section 2 recomputes live (tests/lessons/test_why_defaults.py checks they agree), and the folded "
        "spreads of section 1.",
        "cal.entropy_why": "Entropy collapses at 4 bits because the digits' inputs take only 17 grey levels: "
        "with 8 levels the KL search finds a near-perfect match in a range of ±0.125 that keeps one of them "
        '(README, "Calibration and low bits").',
        "fig.cal_summary": "Test accuracy against the number of calibration images, one line per observer, "
        "{net}, {bits}-bit activations.",
        "fig.cal_layers_summary": "Each layer's own SQNR with {n:,} calibration images (first subset), per observer.",
        "note.cal": "**What the libraries really do.** PyTorch's x86 default calibrates activations with "
        "`HistogramObserver` (torch/ao/quantization/observer.py: 2048 bins, then a search for the range with the "
        "least L2 error; qlib/histogram.py matches it bit for bit); its QAT default is the moving-average "
        "min-max. TensorRT's entropy calibrator picks the threshold with the least KL divergence. On ImageNet, "
        "published comparisons put MSE, min-max and KL within 0.2 points and percentile 1.3 points lower "
        "(ResNet18).",
        # 4. ladder
        "ladder_h": "4 · The low-bit ladder",
        "ladder_intro": "Weights and activations from 8 down to 2 bits, each quantized five ways from the same "
        "fp32 weights: round to nearest (PTQ), with bias correction, with AdaRound's learned rounding, QAT, and "
        "QAT with learned step sizes (LSQ). All recorded: AdaRound, QAT and LSQ take seconds per model.",
        "ladder_net": "Network",
        "method.ptq": "PTQ",
        "method.ptq+bc": "PTQ + bias corr.",
        "method.adaround": "AdaRound",
        "method.qat": "QAT",
        "method.lsq": "LSQ",
        "ladder.claim_mild": "At W4A8, W8A4, W4A4 and W3A8 every method stays within {dev:.1f} points of fp32 "
        "({fp32:.2f} %): nothing collapses at 4 bits here.",
        "ladder.claim_mild_drop": "At W4A8, W8A4, W4A4 and W3A8 some method falls {dev:.1f} points below fp32 "
        "({fp32:.2f} %).",
        "ladder.claim_w3a3": "At W3A3 round to nearest gives {ptq:.1f} %; the five methods span {lo:.1f}–{hi:.1f} %.",
        "ladder.claim_w2a2": "At W2A2 PTQ falls to {ptq:.1f} %; the best is {best} with {best_acc:.1f} % "
        "(QAT {qat:.1f} %).",
        "ladder.claim_w2a2_qat": "At W2A2 PTQ falls to {ptq:.1f} %; the best is QAT with {best_acc:.1f} %.",
        "fig.ladder_summary": "Test accuracy (%) of each method at each pair of widths, {net} (fp32 {fp32:.2f} %).",
        "ladder_times": "Median CPU-seconds per model: {times}.",
        "note.ladder": "**What the libraries really do.** LSQ (qlib/lsq.py) learns each scale by gradient "
        "descent with the gradient scaled by 1/√(N·Qp); its gradients equal PyTorch's "
        "`_LearnableFakeQuantize` (torch/ao/quantization/_learnable_fake_quantize.py), checked in "
        "tests/library/test_lsq.py. Bias correction (qlib/bias_correction.py) and AdaRound (qlib/adaround.py) "
        "follow Nagel et al. 2019 and 2020 (AIMET ships both; torch.ao has only a bias correction for its "
        "numeric suite, torch/ao/quantization/_correct_bias.py).",
        # 5. scale
        "scale_h": "5 · Where ImageNet-scale networks behave differently",
        "scale_intro": "The defaults were chosen on ImageNet networks with millions of weights and 1,000 "
        "classes. The papers' numbers (top-1 on ImageNet, not measured here):",
        "paper.krishnamoorthi": "Krishnamoorthi 2018, Table 2 (MobileNet-v2, 8-bit weights only, asymmetric): "
        "per-layer (that is, per-tensor) 0.1 %, per-channel 69.8 %, float 71.9 %.",
        "paper.tutorial": "PyTorch's eager static quantization tutorial (MobileNetV2): float 71.9 % → per-tensor "
        "min-max PTQ 56.7 % → per-channel with a histogram observer 67.3 % → QAT 71.5 %.",
        "paper.dfq": "Nagel et al. 2019 (DFQ): MobileNetV2 with 8-bit per-tensor weights from about 0.1 % to "
        "69.9 % with cross-layer equalisation.",
        "paper.krishnamoorthi_low": "Krishnamoorthi 2018, Tables 5–6: 4-bit weights collapse with PTQ, where QAT "
        "recovers most of the accuracy.",
        "paper.esser": "Esser et al. 2019 (LSQ): learned step sizes reach full precision at 3–4 bits.",
        "scale_here": "This net, from the numbers on this page:",
        "scale.claim8_none": "With 8-bit weights, per-channel {pc:.2f} % minus per-tensor {pt:.2f} % is "
        "{gap:+.2f} points here, against {paper_gap:.1f} points for MobileNet-v2: the folded channel ranges "
        "here differ at most {spread:.1f}× ({layer}), and 256 levels cover that. This net does not show the "
        "8-bit collapse.",
        "scale.claim8_some": "With 8-bit weights per-channel is ahead of per-tensor by {gap:.2f} points here "
        "({pc:.2f} % against {pt:.2f} %), against {paper_gap:.1f} points for MobileNet-v2; the folded channel "
        "ranges here differ at most {spread:.1f}× ({layer}).",
        "scale.claim_low_pc": "It shows the effect at {bits}-bit weights: per-channel {pc:.2f} % against "
        "per-tensor {pt:.2f} % ({gap:.2f} points), the same direction as the papers, on a much smaller scale.",
        "scale.claim8_pt": "With 8-bit weights per-tensor is ahead of per-channel here ({pt:.2f} % against "
        "{pc:.2f} %, {gap:+.2f} points), against {paper_gap:.1f} points the other way for MobileNet-v2; the folded "
        "channel ranges here differ at most {spread:.1f}× ({layer}). This net does not show the 8-bit collapse.",
        "scale.claim_low_pt": "Even at {bits}-bit weights per-tensor {pt:.2f} % is ahead of per-channel "
        "{pc:.2f} % here ({gap:+.2f} points): the papers' effect does not show.",
        "scale.claim_low_none": "Even at {bits}-bit weights per-channel {pc:.2f} % and per-tensor {pt:.2f} % "
        "are within one image here.",
        "scale.claim_cle": "CLE at 8 bits: per-tensor {pt:.2f} % → {cle:.2f} % after equalising; with nothing "
        "collapsed, there is nothing for it to rescue as DFQ's 0.1 % → 69.9 % does.",
        "scale.claim_cle_plain": "CLE at 8 bits: per-tensor {pt:.2f} % → {cle:.2f} % after equalising.",
        "scale.ladder_mild": "The ladder (section 4): at 4-bit weights or activations and W3A8 every method "
        "stays within {dev:.1f} points of fp32, no collapse; Krishnamoorthi's 4-bit PTQ collapse does not show "
        "here. That LSQ reaches full precision at 3–4 bits cannot show either: QAT at W4A4 is already "
        "{qat:.1f} % (LSQ {lsq:.1f} %, fp32 {fp32:.1f} %).",
        "scale.ladder_drop": "The ladder (section 4): at 4-bit widths some method falls {dev:.1f} points below "
        "fp32; QAT at W4A4 {qat:.1f} %, LSQ {lsq:.1f} %, fp32 {fp32:.1f} %.",
        "scale.freeze": "BatchNorm freezing (section 1): test {frozen:.2f} % frozen against {unfrozen:.2f} % "
        "not; the batches' σ differ from the running ones by at most {drift_max:.1f} %.",
        "fig.per_tensor8": "per-tensor W8",
        "fig.per_channel8": "per-channel W8",
        "fig.float": "float",
        "fig.imagenet": "MobileNet-v2, ImageNet (paper)",
        "fig.here": "this net, digits",
        "fig.top1": "top-1 accuracy",
        "fig.scale_summary": "8-bit weights per tensor and per channel, and float: MobileNet-v2 on ImageNet "
        "(Krishnamoorthi 2018, Table 2) against this net ({pt:.2f} %, {pc:.2f} %, {fp32:.2f} %).",
        "note.scale": "**Why the difference.** In MobileNetV2 on ImageNet the folded weight ranges of one "
        "layer's channels differ by orders of magnitude (Nagel et al. 2019, Fig. 2: its first depthwise layer), "
        "and the errors add up over about fifty layers and 1,000 classes; this net has six layers, ten classes "
        "and channel spreads of a few ×. "
        "The defaults are built for the first case; on this net they change little either way.",
        # figure labels
        "fig.before": "before folding",
        "fig.after": "after folding",
        "fig.tensor_max": "largest folded max|w| (per-tensor scale)",
        "fig.channel": "output channel of {layer}",
        "fig.absmax": "max |w|",
        "fig.frozen": "BatchNorm frozen",
        "fig.unfrozen": "never frozen",
        "fig.freeze_here": "freeze",
        "fig.epoch": "epoch",
        "fig.val_acc": "validation accuracy",
        "fig.breaks_first": "breaks first: {layer}",
        "fig.layer": "layer",
        "fig.own_db": "own SQNR (dB)",
        "fig.spread": "channel spread (×)",
        "fig.n_images": "calibration images",
        "fig.test_acc": "test accuracy",
        "fig.test_acc_pct": "%",
        "q.fold.prompt": "Before you choose a layer: folding multiplies each output channel's weights by its own "
        "γ/σ. Before folding, {layer}'s widest channel (max|w|) is {before}× its narrowest. After folding, that "
        "spread is…",
        "q.fold.opt.same": "the same: folding does not change what the layer computes",
        "q.fold.opt.narrower": "narrower: BatchNorm normalises, so the channels become alike",
        "q.fold.opt.wider": "wider",
        "q.fold.why": "Wider: {after}×. γ/σ runs from {mmin} to {mmax} across {layer}'s channels, largest on "
        "channel {c}. The folded layer computes the same function, but its weights are no longer the trained "
        "ones: BatchNorm normalised the activations, not the weights, and folding moves its per-channel factors "
        "into the weights. Every folded layer of this net widens so ({widened} of {folded}). One scale per tensor "
        "must then cover the widest channel; section 2 shows what that costs.",
        "q.fold.show": "Show me {layer}, channel {c}",
        "q.breaks.prompt": "Before you move the slider to {bits} bits: with one scale per weight tensor, which "
        "layer will lose the most signal (the lowest own SQNR)?",
        "q.breaks.opt.conv1": "conv1, the first layer: it sees the raw pixels",
        "q.breaks.opt.dw3": "dw3, a depthwise layer: each channel has only its own 9 weights",
        "q.breaks.opt.fc": "fc, the last layer: it has by far the most weights",
        "q.breaks.why": "{layer}: {db_pt} dB per tensor against {db_pc} dB per channel, {gap} dB less (about "
        "6 dB make one bit). Folding spread its channels the most, to {spread}× (section 1), so a scale sized "
        "for its widest channel leaves the narrow ones only a few of its levels. The test accuracy hardly "
        "shows it yet: {pc} % per channel, {pt} % per tensor ({n} images apart); at {low} bits, {pc_low} % against "
        "{pt_low} % ({n_low} images apart).",
        "q.breaks.show": "Show me {bits}-bit weights",
        "q.calib.prompt": "Before you choose {bits}-bit activations: {observers} observers set the activation "
        "ranges from the same {n} calibration images. At {bits} bits one of them takes the MobileNet-style net "
        "from {fp32} % down to {worst_acc} %, about chance ({chance} %). Which one?",
        "q.calib.opt.minmax": "min-max: one outlier stretches the whole range",
        "q.calib.opt.percentile": "percentile 99.99: it cuts off the largest values on purpose",
        "q.calib.opt.entropy": "entropy (KL), TensorRT's choice",
        "q.calib.why": "Entropy: {worst_acc} %, while the other {rest} stay between {lo} and {hi} %. Min-max is "
        "the usual suspect, yet here it keeps {minmax} %. The KL search matches the distribution best with a "
        "range so narrow that it keeps only one of the input's grey levels (why is said under the table). "
        "Min-max suffers from long tails; entropy, here, from too few distinct values.",
        "q.calib.show": "Show me {bits}-bit activations",
    },
    "ja": {
        "title": "8 · ライブラリの既定値には理由がある",
        "intro": "PyTorch の eager モードの手順では BatchNorm を畳み込みに折り込み、x86 向け qconfig は重みの出力"
        "チャネルごとに別々のスケールを持たせ、活性化はヒストグラムでキャリブレーションします。TFLite の int8 仕様も、"
        "折り込んでからチャネルごとに重みを量子化します。8 ビットより下では、論文は丸めるだけでなく学習し直します。"
        "どの既定値も、ある失敗への答えです。このページでは、BatchNorm を持つ 2 つ目のネットワークでそれを確かめます。"
        "アプリに同梱の MobileNet 風ネット（`qlib.spec.MOBILE_CNN`：3×3 畳み込み、深さ方向分離畳み込みのブロック 2 つ、"
        "各畳み込みの後に BatchNorm と ReLU6、最後に全結合層）で、fp32 の精度はテスト画像 360 枚で {fp32:.2f} %"
        "（1 枚 = 0.28 ポイント）です。その場で計算した数値か、記録した数値かは、各節に書いてあります。",
        "live": "その場で計算：同梱の重みからこのページで計算しています。",
        "recorded_mobile": "記録値：`python -m bench.mobile`（bench/results/mobile.json）で測定し、"
        "tests/bench/test_bench_mobile.py で再計算しています。1 回 3〜13 CPU 秒かかるため、ページでは実行しません。",
        "recorded_lowbit": "記録値：`python -m bench.lowbit`（bench/results/lowbit.json、1 スレッドで約 5 分）で測定し、"
        "tests/bench/test_bench_lowbit.py で再計算しています。",
        "wait": "ネットワークを量子化しています…",
        "noise": "360 枚中 {n} 枚の差は、このテスト画像ではノイズの範囲です（README では 5 枚、1.4 ポイントまでをノイズとしています）。",
        "fold_h": "1 · BatchNorm を畳み込みに折り込む",
        "fold_intro": "推論時の BatchNorm は出力チャネルごとの決まったアフィン変換なので、直前の畳み込みにまとめられます。"
        "各チャネルの重みに、そのチャネルの γ/σ を掛けるだけです。量子化されるのは学習した重みではなく、"
        "この折り込んだ重みです。",
        "fold_layer": "層",
        "fold_channel": "出力チャネル（0〜{n}）",
        "m.gamma": "γ（BN の重み）",
        "m.beta": "β（BN のバイアス）",
        "m.mean": "μ（移動平均）",
        "m.sigma": "σ（分散 + ε の平方根）",
        "m.mult": "γ/σ",
        "m.w_range": "折り込む前の重み",
        "m.wf_range": "折り込んだ後の重み",
        "m.b_fold": "折り込んだバイアス b′",
        "fold.claim_wider": "{layer} では γ/σ がチャネルによって {mmin:.2f} から {mmax:.2f} まで違うため、折り込むと"
        "チャネルごとの範囲のばらつき（最大の max|w| ÷ 最小の max|w|）が {before:.2f} 倍から {after:.2f} 倍に広がります。"
        "テンソル単位のスケールは 1 つで最も広いチャネルを覆わなければならず、狭いチャネルはその目盛りを少ししか使えません。",
        "fold.claim_narrower": "{layer} では γ/σ がチャネルによって {mmin:.2f} から {mmax:.2f} まで違います。"
        "この層では折り込むとチャネルごとの範囲のばらつきが {before:.2f} 倍から {after:.2f} 倍に縮まります。",
        "fig.fold_summary": "{layer} の出力チャネルごとの max|w|（折り込む前と後）。チャネル {c} を枠で示しています。"
        "点線は折り込んだ後の最大の範囲で、テンソル単位のスケールはこれから決まります。",
        "fuse_same": "同じ層で qlib の折り込みと `torch.ao.quantization.fuse_modules` を比べた最大の差：{d:g}"
        "（0 ならビット単位で一致）。",
        "note.fold": "**ライブラリが実際にしていること**。`torch.ao.quantization.fuse_modules`"
        "（torch/ao/quantization/fuse_modules.py）は fuser_method_mappings.py の `fuse_conv_bn` を呼びます。"
        "eval モードでは `nn.utils.fuse_conv_bn_eval(conv, bn)`（r = rsqrt(var + ε)、W′ = W·γ·r、"
        "b′ = (b − μ)·r·γ + β）を返し、qlib/batchnorm.py の計算と同じです。`fuse_modules_qat` は代わりに "
        "`ConvBn2d`（torch/ao/nn/intrinsic/qat/modules/conv_fused.py）を返し、学習中に W·γ/σ_running を偽量子化します。"
        "こうして量子化対応学習は実際に配備される重みで学習します。折り込む前の W を量子化してから折り込むと、"
        "実際に動くものとは別のテンソルを丸めることになります。",
        "freeze_h": "QAT の終盤で BatchNorm の統計量を固定するか、しないか",
        "freeze_intro": "QAT の間、BatchNorm はバッチごとの平均と σ で正規化しますが、配備したモデルは移動平均の値を使います。"
        "Krishnamoorthi（2018、図 14〜15）は学習の終盤で統計量を固定し、最後のエポックが推論と同じ計算で学習されるようにしました。"
        "同じ QAT（W{bits}A8、{epochs} エポック）を、エポック {after} の後で BatchNorm を固定した場合と、固定しない場合で比べます。",
        "freeze.claim_same": "ここでは固定してもノイズ以上の差は出ません：テスト精度は固定 {frozen:.2f} %、固定なし "
        "{unfrozen:.2f} %（{n} 枚）。バッチの σ と移動平均の σ の差は平均で最大 {drift_max:.1f} %（{drift_layer}）と小さく、"
        "固定で取り除くものがほとんどありません。"
        "固定後の検証精度：固定 {vf:.2f} %、固定なし {vu:.2f} %。",
        "freeze.claim_better": "ここでは固定が効きます：テスト精度は固定 {frozen:.2f} %、固定なし {unfrozen:.2f} %"
        "（{n} 枚）。固定後の検証精度：固定 {vf:.2f} %、固定なし {vu:.2f} %。",
        "freeze.claim_worse": "ここでは固定は役に立ちません：テスト精度は固定 {frozen:.2f} %、固定なし {unfrozen:.2f} %"
        "（{n} 枚）。バッチの σ と移動平均の σ の差は最大 {drift_max:.1f} %（{drift_layer}）です。"
        "固定後の検証精度：固定 {vf:.2f} %、固定なし {vu:.2f} %。",
        "fig.freeze_summary": "QAT W{bits}A8 のエポックごとの検証精度。エポック {after} の後で BatchNorm を固定（実線）、"
        "固定しない（破線）。",
        "note.freeze": "**ライブラリが実際にしていること**。PyTorch の `ConvBn2d._forward_approximate`"
        "（torch/ao/nn/intrinsic/qat/modules/conv_fused.py）は s = γ/σ_running として "
        "BN_batch(conv(x, fq(W·s))/s) を計算します。`torch.ao.nn.intrinsic.qat.freeze_bn_stats` で BatchNorm を"
        "移動平均の統計量に切り替えると、このモジュールは折り込んだ畳み込みそのものになります。チュートリアルでは数エポック後に "
        "`model.apply(...)` で呼びます。qlib も同じことをしています（`QConfig.freeze_bn_after`、qlib/batchnorm.py）。",
        "gran_h": "2 · スケールはテンソルに 1 つか、チャネルごとか",
        "gran_intro": "同じ fp32 の重みを PTQ で量子化します。重みは選んだビット幅の対称量子化、活性化は 8 ビットで、"
        "スケールを重みテンソル全体で 1 つにするか、出力チャネルごとに持つかだけを変えます。各層の単独の SQNR"
        "（その層だけを量子化し、float の同じ層と比べた値。1 ビットで約 6 dB）で、テンソル単位がどこで信号を失うかがわかります。",
        "gran_bits": "重みのビット数",
        "m.pc": "チャネルごと",
        "m.pt": "テンソル単位",
        "m.breaks": "最初に崩れる層（テンソル単位）",
        "gran.claim_same": "重み {bits} ビットでは、チャネルごととテンソル単位の差は 1 枚以内です：{pc:.2f} % と "
        "{pt:.2f} %。テンソル単位で最も弱い層は {layer}（{db_pt:.1f} dB、チャネルごとの {db_pc:.1f} dB より "
        "{gap:.1f} dB 低い）ですが、このネットワークはまだその損失を吸収できます。",
        "gran.claim_pc": "重み {bits} ビットでは、チャネルごとがテンソル単位を {n} 枚上回ります：{pc:.2f} % と "
        "{pt:.2f} %。テンソル単位は {layer} で最初に崩れます：{db_pt:.1f} dB、チャネルごとでは {db_pc:.1f} dB"
        "（{gap:.1f} dB の差）です。",
        "gran.claim_pt": "重み {bits} ビットでは、テンソル単位がチャネルごとより {n} 枚多く正解しています：{pt:.2f} % と "
        "{pc:.2f} %。ただし最も弱い層 {layer} では信号が {gap:.1f} dB 少なくなっています"
        "（{db_pt:.1f} dB と {db_pc:.1f} dB）。",
        "fig.pc": "チャネルごと",
        "fig.pt": "テンソル単位",
        "fig.sqnr_summary": "重み {bits} ビットでの各層の単独の SQNR（チャネルごととテンソル単位）。"
        "網掛けの層（{layer}）が、テンソル単位で最初に崩れる層です。",
        "gran_qat_h": "QAT の後では",
        "gran.qat_same": "重み {bits} ビットの QAT の後：チャネルごと {pc:.2f} %、テンソル単位 {pt:.2f} % で、差は 1 枚以内です。"
        "テンソル単位で最も弱い層は {layer} です。",
        "gran.qat_pc": "重み {bits} ビットの QAT の後も、チャネルごとが {n} 枚上回ります：{pc:.2f} % と {pt:.2f} %。"
        "テンソル単位で最も弱い層は {layer} です。",
        "gran.qat_pt": "重み {bits} ビットの QAT の後では、テンソル単位が {n} 枚多く正解しています：{pt:.2f} % と "
        "チャネルごと {pc:.2f} %。テンソル単位で最も弱い層は {layer} です。",
        "fig.qat_summary": "重み {bits} ビットの QAT 後の各層の単独の SQNR（記録値）。網掛け：{layer}。",
        "note.granularity": "**ライブラリが実際にしていること**。PyTorch の x86 の既定値"
        "（`get_default_qconfig('x86')`、torch/ao/quantization/qconfig.py）は、重みを "
        "`default_per_channel_weight_observer`（PerChannelMinMaxObserver、対称 qint8、軸 0）で、活性化を "
        "HistogramObserver で量子化します。TFLite の int8 仕様でも、畳み込みの重みは軸ごとの対称量子化でゼロポイントは 0 です。"
        "PyTorch の qnnpack（ARM 向け）の既定値だけは、今もテンソル単位の重み（`default_weight_observer`）です。",
        "cle_h": "層をまたぐイコライゼーション（CLE、Nagel ほか 2019）",
        "cle_intro": "チャネルごとにスケールを持つ代わりに、CLE はチャネルの範囲をそろえます。2 つの層の間が ReLU なら、"
        "前の層の出力チャネル i を sᵢ で割り、次の層の入力チャネル i に sᵢ を掛けても関数は変わりません。"
        "sᵢ = √(r₁ᵢ/r₂ᵢ) とすると両方の範囲が等しくなります。ReLU6 はスケールを通さないので、先に ReLU に置き換えます"
        "（論文や AIMET と同じ）。公平な比較の基準は、置き換えたネットワークをイコライズせずにテンソル単位で量子化したものです。",
        "cle_button": "イコライズしてテンソル単位で量子化",
        "cle_hide": "イコライゼーションを隠す",
        "m.relu": "テンソル単位、ReLU6 → ReLU",
        "m.eq": "テンソル単位、イコライズ後",
        "cle.claim_recovered": "重み {bits} ビットでは、CLE でテンソル単位が {relu:.2f} % から {eq:.2f} % になり"
        "（{n} 枚）、チャネルごと（{pc:.2f} %）に並びます。{layer} のチャネルのばらつきは {sb:.2f} 倍から "
        "{sa:.2f} 倍に下がり、単独の SQNR は {db_b:.1f} dB から {db_a:.1f} dB に上がりました。",
        "cle.claim_partly": "重み {bits} ビットでは、CLE でテンソル単位が {relu:.2f} % から {eq:.2f} % になりますが"
        "（{n} 枚）、チャネルごと（{pc:.2f} %）には届きません。{layer} のチャネルのばらつきは {sb:.2f} 倍から "
        "{sa:.2f} 倍に下がり、単独の SQNR は {db_b:.1f} dB から {db_a:.1f} dB に上がりましたが、"
        "イコライズしてもチャネルが完全にそろうわけではありません。",
        "cle.claim_none": "重み {bits} ビットでは、CLE によるテンソル単位の変化は 1 枚以内です（{relu:.2f} % → "
        "{eq:.2f} %、チャネルごと {pc:.2f} %）。ただし {layer} のチャネルのばらつきは {sb:.2f} 倍から {sa:.2f} 倍に下がっています（単独の SQNR {db_b:.1f} → "
        "{db_a:.1f} dB）。",
        "cle.claim_worse": "重み {bits} ビットでは、CLE でテンソル単位が {n} 枚下がります（{relu:.2f} % → {eq:.2f} %、"
        "チャネルごと {pc:.2f} %）。{layer} のチャネルのばらつきは {sb:.2f} 倍から "
        "{sa:.2f} 倍に下がりました（単独の SQNR {db_b:.1f} → {db_a:.1f} dB）。イコライズは範囲をある層から次の層へ"
        "移すので、丸め方も変わります。",
        "fig.cle_before": "折り込み後、CLE の前",
        "fig.cle_after": "CLE の後",
        "fig.cle_summary": "各層のチャネルごとの範囲のばらつき（最大の max|w| ÷ 最小の max|w|。1 ならすべて同じ）。"
        "イコライズの前と後（{it} 回の繰り返し）。",
        "fig.pt_relu": "テンソル単位、CLE の前",
        "fig.pt_eq": "テンソル単位、CLE の後",
        "fig.cle_sqnr_summary": "イコライズの前と後のテンソル単位、およびチャネルごとでの各層の単独の SQNR。網掛け：{layer}。",
        "note.cle": "**ライブラリが実際にしていること**。PyTorch も TFLite も既定ではイコライズしません。"
        "Qualcomm の AIMET はします（ReLU6 を ReLU に置き換えてから `equalize_model`）。ここでは qlib/equalize.py が、"
        "スケールが変わらなくなるまで層の組ごとに繰り返します。重みをチャネルごとに量子化すれば CLE はほぼ不要になり、"
        "それがライブラリがチャネルごとを選んだ理由です。",
        "cal_h": "3 · キャリブレーション：どのオブザーバーで、何枚使うか",
        "cal_intro": "重みは 8 ビットのチャネルごと。変えるのは活性化のオブザーバーとキャリブレーション画像の枚数だけです"
        "（学習用画像から乱数シードで選んだ 3 組の平均）。MSE は二乗誤差が最小になるクリップ範囲を探し、ヒストグラムは "
        "PyTorch の HistogramObserver（L2 誤差の探索）、エントロピーは TensorRT の KL しきい値です。",
        "cal_net": "ネットワーク",
        "cal_bits": "活性化のビット数",
        "net.mobile_cnn": "MobileNet 風",
        "net.tiny_cnn": "小さな CNN",
        "obs.minmax": "最小・最大",
        "obs.moving_average": "移動平均",
        "obs.percentile": "パーセンタイル 99.99",
        "obs.mse": "MSE",
        "obs.histogram": "ヒストグラム（PyTorch）",
        "obs.entropy": "エントロピー（KL）",
        "cal.claim_close": "活性化 {bits} ビットでは、どの枚数でも 6 つのオブザーバーの差は {spread:.2f} ポイント以内です。"
        "{n:,} 枚では最も高いのは「{best}」（{best_acc:.2f} %）、最も低いのは「{worst}」（{worst_acc:.2f} %）です。"
        "このネットでは 8 ビットならオブザーバーはほとんど関係ありません。",
        "cal.claim_apart": "活性化 {bits} ビットでは、オブザーバーの差が開きます：最大 {spread:.1f} ポイント。"
        "{n:,} 枚では「{best}」が最も高く（{best_acc:.2f} %）、「{worst}」が最も低くなります（{worst_acc:.2f} %）。"
        "目盛りが少ないと、クリップ範囲の選び方が効いてきます。",
        "cal_table_caption": "各セル：テスト精度（3 組の平均）・float のネットワークに対するロジットの SQNR。"
        "列はキャリブレーション画像の枚数です。",
        "scale_source": "このネットの数値：`python -m bench.mobile` で記録した PTQ と CLE の行（2 節でその場で再計算しており、"
        "tests/lessons/test_why_defaults.py で一致を確かめています）と、1 節の折り込んだ範囲のばらつき。",
        "cal.entropy_why": "4 ビットでエントロピーが崩れるのは、数字の入力画像が 17 段階の濃淡しか持たないためです。"
        "8 段階では、KL の探索は ±0.125 という小さな範囲でほぼ完全に一致する分布を見つけますが、その範囲には濃淡が 1 つしか残りません"
        "（README の「Calibration and low bits」）。",
        "fig.cal_summary": "キャリブレーション画像の枚数とテスト精度（オブザーバーごとに 1 本の線）。{net}、活性化 {bits} ビット。",
        "fig.cal_layers_summary": "キャリブレーション画像 {n:,} 枚（最初の組）での各層の単独の SQNR（オブザーバーごと）。",
        "note.cal": "**ライブラリが実際にしていること**。PyTorch の x86 の既定値は、活性化を `HistogramObserver`"
        "（torch/ao/quantization/observer.py：2048 本のビンを作り、L2 誤差が最小になる範囲を探す。qlib/histogram.py は"
        "ビット単位で一致）でキャリブレーションします。QAT の既定値は移動平均の最小・最大です。TensorRT のエントロピー"
        "キャリブレーターは KL ダイバージェンスが最小になるしきい値を選びます。ImageNet では、公開されている比較で "
        "MSE・最小・最大・KL の差は 0.2 ポイント以内、パーセンタイルは 1.3 ポイント低い結果です（ResNet18）。",
        "ladder_h": "4 · 低ビットのはしご",
        "ladder_intro": "重みと活性化を 8 ビットから 2 ビットまで下げ、同じ fp32 の重みから 5 通りに量子化します："
        "最近接への丸め（PTQ）、バイアス補正つき、AdaRound（丸め方を学習）、QAT、ステップ幅を学習する QAT（LSQ）。"
        "すべて記録値です（AdaRound・QAT・LSQ は 1 モデル数秒かかります）。",
        "ladder_net": "ネットワーク",
        "method.ptq": "PTQ",
        "method.ptq+bc": "PTQ + バイアス補正",
        "method.adaround": "AdaRound",
        "method.qat": "QAT",
        "method.lsq": "LSQ",
        "ladder.claim_mild": "W4A8・W8A4・W4A4・W3A8 では、どの手法も fp32（{fp32:.2f} %）から {dev:.1f} ポイント以内です。"
        "ここでは 4 ビットで崩れることはありません。",
        "ladder.claim_mild_drop": "W4A8・W8A4・W4A4・W3A8 で、fp32（{fp32:.2f} %）より {dev:.1f} ポイント下がる手法があります。",
        "ladder.claim_w3a3": "W3A3 では最近接への丸めが {ptq:.1f} %、5 つの手法は {lo:.1f}〜{hi:.1f} % です。",
        "ladder.claim_w2a2": "W2A2 では PTQ が {ptq:.1f} % まで落ち、最も高いのは「{best}」の {best_acc:.1f} % です"
        "（QAT {qat:.1f} %）。",
        "ladder.claim_w2a2_qat": "W2A2 では PTQ が {ptq:.1f} % まで落ち、最も高いのは QAT の {best_acc:.1f} % です。",
        "fig.ladder_summary": "各ビット幅の組での各手法のテスト精度（%）、{net}（fp32 {fp32:.2f} %）。",
        "ladder_times": "1 モデルあたりの CPU 秒（中央値）：{times}。",
        "note.ladder": "**ライブラリが実際にしていること**。LSQ（qlib/lsq.py）はスケールを勾配降下で学習し、"
        "その勾配には 1/√(N·Qp) を掛けます。勾配は PyTorch の `_LearnableFakeQuantize`"
        "（torch/ao/quantization/_learnable_fake_quantize.py）と一致し、tests/library/test_lsq.py で確かめています。"
        "バイアス補正（qlib/bias_correction.py）と AdaRound（qlib/adaround.py）は Nagel ほか 2019 年・2020 年に"
        "よるものです（AIMET には両方あり、torch.ao には数値比較ツール向けのバイアス補正 "
        "torch/ao/quantization/_correct_bias.py だけがあります）。",
        "scale_h": "5 · ImageNet 規模のネットワークで違うところ",
        "scale_intro": "既定値は、数百万の重みと 1,000 クラスを持つ ImageNet のネットワークで選ばれました。"
        "論文の数値（ImageNet の top-1。ここでは測っていません）：",
        "paper.krishnamoorthi": "Krishnamoorthi 2018、表 2（MobileNet-v2、重みだけ 8 ビット、非対称）："
        "層単位（つまりテンソル単位）0.1 %、チャネルごと 69.8 %、float 71.9 %。",
        "paper.tutorial": "PyTorch の eager モード静的量子化チュートリアル（MobileNetV2）：float 71.9 % → テンソル単位の"
        "最小・最大で PTQ 56.7 % → チャネルごととヒストグラムオブザーバーで 67.3 % → QAT 71.5 %。",
        "paper.dfq": "Nagel ほか 2019（DFQ）：8 ビットのテンソル単位の重みで MobileNetV2 が約 0.1 % から、"
        "層をまたぐイコライゼーションで 69.9 % に。",
        "paper.krishnamoorthi_low": "Krishnamoorthi 2018、表 5〜6：4 ビットの重みは PTQ では崩れ、QAT で精度の大部分が戻ります。",
        "paper.esser": "Esser ほか 2019（LSQ）：ステップ幅を学習すると、3〜4 ビットで float と同じ精度に届きます。",
        "scale_here": "このネットでは（このページの数値から）：",
        "scale.claim8_none": "重み 8 ビットでは、チャネルごと {pc:.2f} % からテンソル単位 {pt:.2f} % を引いた差はここでは "
        "{gap:+.2f} ポイントで、MobileNet-v2 の {paper_gap:.1f} ポイントとは大違いです。ここでは折り込んだチャネルの範囲の"
        "ばらつきが最大 {spread:.1f} 倍（{layer}）で、256 段階の目盛りで十分に覆えます。このネットでは 8 ビットでの崩壊は"
        "起きません。",
        "scale.claim8_some": "重み 8 ビットでは、ここではチャネルごとがテンソル単位を {gap:.2f} ポイント上回ります"
        "（{pc:.2f} % と {pt:.2f} %）。MobileNet-v2 では {paper_gap:.1f} ポイントです。ここでの折り込んだチャネルの範囲の"
        "ばらつきは最大 {spread:.1f} 倍（{layer}）です。",
        "scale.claim_low_pc": "効果が見えるのは重み {bits} ビットです：チャネルごと {pc:.2f} %、テンソル単位 {pt:.2f} %"
        "（{gap:.2f} ポイント）。論文と同じ向きですが、規模はずっと小さくなります。",
        "scale.claim8_pt": "重み 8 ビットでは、ここではテンソル単位がチャネルごとを上回ります（{pt:.2f} % と "
        "{pc:.2f} %、{gap:+.2f} ポイント）。MobileNet-v2 では逆向きに {paper_gap:.1f} ポイントです。ここでの折り込んだ"
        "チャネルの範囲のばらつきは最大 {spread:.1f} 倍（{layer}）です。このネットでは 8 ビットでの崩壊は起きません。",
        "scale.claim_low_pt": "重み {bits} ビットでも、ここではテンソル単位 {pt:.2f} % がチャネルごと {pc:.2f} % を"
        "上回ります（{gap:+.2f} ポイント）。論文の効果はここでは見えません。",
        "scale.claim_low_none": "重み {bits} ビットでも、ここではチャネルごと {pc:.2f} % とテンソル単位 {pt:.2f} % の差は"
        "1 枚以内です。",
        "scale.claim_cle": "8 ビットでの CLE：テンソル単位 {pt:.2f} % → イコライズ後 {cle:.2f} %。崩れていないので、"
        "DFQ の 0.1 % → 69.9 % のように救うものがありません。",
        "scale.claim_cle_plain": "8 ビットでの CLE：テンソル単位 {pt:.2f} % → イコライズ後 {cle:.2f} %。",
        "scale.ladder_mild": "はしご（4 節）：重みか活性化が 4 ビット、または W3A8 では、どの手法も fp32 から "
        "{dev:.1f} ポイント以内で、崩れません。Krishnamoorthi が示した 4 ビット PTQ の崩壊はここでは見えません。"
        "LSQ が 3〜4 ビットで float の精度に届くことも示せません。W4A4 の QAT がすでに {qat:.1f} % だからです"
        "（LSQ {lsq:.1f} %、fp32 {fp32:.1f} %）。",
        "scale.ladder_drop": "はしご（4 節）：4 ビットで fp32 より {dev:.1f} ポイント下がる手法があります。"
        "W4A4 の QAT {qat:.1f} %、LSQ {lsq:.1f} %、fp32 {fp32:.1f} %。",
        "scale.freeze": "BatchNorm の固定（1 節）：テスト精度は固定 {frozen:.2f} %、固定なし {unfrozen:.2f} %。"
        "バッチの σ と移動平均の σ の差は最大 {drift_max:.1f} % です。",
        "fig.per_tensor8": "テンソル単位 W8",
        "fig.per_channel8": "チャネルごと W8",
        "fig.float": "float",
        "fig.imagenet": "MobileNet-v2、ImageNet（論文）",
        "fig.here": "このネット（数字データ）",
        "fig.top1": "top-1 精度",
        "fig.scale_summary": "重み 8 ビットのテンソル単位とチャネルごと、および float：ImageNet の MobileNet-v2"
        "（Krishnamoorthi 2018、表 2）と、このネット（{pt:.2f} %、{pc:.2f} %、{fp32:.2f} %）。",
        "note.scale": "**違いの理由**。ImageNet の MobileNetV2 では、1 つの層の中で折り込んだ重みの範囲がチャネルによって"
        "桁違いに異なり（Nagel ほか 2019、図 2：最初の深さ方向畳み込み層）、誤差は約 50 層と 1,000 クラスにわたって積み重なります。"
        "このネットは 6 層、10 クラスで、チャネルのばらつきは数倍です。既定値は前者のために作られていて、このネットではどちらにしてもあまり変わりません。",
        "fig.before": "折り込む前",
        "fig.after": "折り込んだ後",
        "fig.tensor_max": "折り込んだ後の最大の max|w|（テンソル単位のスケール）",
        "fig.channel": "{layer} の出力チャネル",
        "fig.absmax": "max |w|",
        "fig.frozen": "BatchNorm を固定",
        "fig.unfrozen": "固定しない",
        "fig.freeze_here": "固定",
        "fig.epoch": "エポック",
        "fig.val_acc": "検証精度",
        "fig.breaks_first": "最初に崩れる層：{layer}",
        "fig.layer": "層",
        "fig.own_db": "単独の SQNR（dB）",
        "fig.spread": "チャネルのばらつき（倍）",
        "fig.n_images": "キャリブレーション画像の枚数",
        "fig.test_acc": "テスト精度",
        "fig.test_acc_pct": "%",
        "q.fold.prompt": "層を選ぶ前に考えてみましょう。折り込みでは、出力チャネルごとの重みにそのチャネルの γ/σ を"
        "掛けます。折り込む前の {layer} では、最も広いチャネル（max|w|）は最も狭いチャネルの {before} 倍です。"
        "折り込んだあと、このばらつきはどうなるでしょう？",
        "q.fold.opt.same": "変わらない：折り込んでも層の計算は変わらないから",
        "q.fold.opt.narrower": "狭くなる：BatchNorm で正規化されて、チャネルがそろうから",
        "q.fold.opt.wider": "広がる",
        "q.fold.why": "広がって {after} 倍になります。{layer} の γ/σ はチャネルによって {mmin} から {mmax} まで違い、"
        "最大はチャネル {c} です。折り込んだ層が計算する関数は同じですが、重みはもう学習した重みそのものでは"
        "ありません。BatchNorm が正規化していたのは重みではなく活性化で、折り込みはそのチャネルごとの係数を重みに"
        "移すからです。このネットでは、折り込んだ層のすべて（{folded} 層中 {widened} 層）でばらつきが広がります。テンソル単位の"
        "スケール 1 つでは、最も広いチャネルを覆わなければなりません。その代償は 2 節で見られます。",
        "q.fold.show": "{layer} のチャネル {c} を見る",
        "q.breaks.prompt": "スライダーを {bits} ビットに動かす前に考えてみましょう。重みテンソルごとにスケールが 1 つ"
        "なら、最も信号を失う（単独の SQNR が最も低い）のはどの層でしょう？",
        "q.breaks.opt.conv1": "conv1：最初の層で、生の画素を受け取るから",
        "q.breaks.opt.dw3": "dw3：深さ方向（depthwise）の畳み込み層で、各チャネルが自分の 9 個の重みしか持たないから",
        "q.breaks.opt.fc": "fc：最後の層で、重みがずば抜けて多いから",
        "q.breaks.why": "{layer} です。テンソル単位では {db_pt} dB、チャネルごとでは {db_pc} dB で、{gap} dB 低く"
        "なります（約 6 dB で 1 ビット分）。1 節で見たとおり、折り込みでチャネルのばらつきが最も大きくなった層です"
        "（{spread} 倍）。最も広いチャネルに合わせたスケールでは、狭いチャネルは目盛りを少ししか使えません。それでも"
        "テスト精度にはまだほとんど表れません：チャネルごと {pc} %、テンソル単位 {pt} %（{n} 枚の差）。{low} ビット"
        "では {pc_low} % と {pt_low} %（{n_low} 枚の差）になります。",
        "q.breaks.show": "重みを {bits} ビットにして見る",
        "q.calib.prompt": "活性化を {bits} ビットにする前に考えてみましょう。{observers} 種類のオブザーバーが、同じ "
        "{n} 枚のキャリブレーション画像から活性化の範囲を決めます。{bits} ビットでは、そのうち 1 つが MobileNet 風の"
        "ネットの精度を {fp32} % から {worst_acc} % まで落とします。でたらめに答えた場合（{chance} %）とほぼ同じです。"
        "どれでしょう？",
        "q.calib.opt.minmax": "最小・最大：外れ値が 1 つあるだけで範囲全体が広がるから",
        "q.calib.opt.percentile": "パーセンタイル 99.99：わざと大きな値を切り捨てるから",
        "q.calib.opt.entropy": "エントロピー（KL）：TensorRT が使う方法",
        "q.calib.why": "エントロピーで {worst_acc} % です。ほかの {rest} つは {lo}〜{hi} % にとどまります。疑われやすい"
        "のは最小・最大ですが、ここでは {minmax} % を保ちます。KL の探索は分布が最もよく一致するように範囲を"
        "とても狭く選び、入力の濃淡を 1 段階しか残しません（理由は表の下にあります）。最小・最大が苦手なのは"
        "長い裾で、ここでのエントロピーの弱点は値の種類の少なさです。",
        "q.calib.show": "活性化を {bits} ビットにして見る",
    },
}
