"""The TensorFlow side of the lesson as text: TF-MOT's QAT and the TFLite int8 converter (no TensorFlow needed).

The code is shown, not run: the app has no TensorFlow dependency. `TF_STEPS` pairs each snippet with the
i18n key of its note, so the page can draw "code, then what it does" line by line.

The Keras model has TinyCNN's geometry: Keras's padding="same" follows TensorFlow's rule
(tensorflow/core/framework/kernel_shape_util.cc, GetWindowedOutputSizeVerbose: padding_before =
padding_needed / 2, the odd pixel after; keras/src/backend/torch/nn.py `_compute_padding_length` does the
same), so at 8×8 with stride 2 it pads 0 before and 1 after, where PyTorch's padding=1 pads 1 on both sides.
The stride-2 conv therefore gets ZeroPadding2D(1) and padding="valid"; stride 1 "same" pads 1 and 1 already.
"""

from __future__ import annotations

# (i18n key of the note, code): read top to bottom, it is one complete script
TF_STEPS: tuple[tuple[str, str], ...] = (
    (
        "tf.note.import",
        """\
import numpy as np
import tensorflow as tf
import tensorflow_model_optimization as tfmot""",
    ),
    (
        "tf.note.model",
        """\
model = tf.keras.Sequential([
    tf.keras.layers.Input((8, 8, 1)),  # NHWC
    tf.keras.layers.Conv2D(16, 3, padding="same",
                           activation="relu"),
    # "same" at stride 2 pads bottom/right only:
    # pad every side by 1, as PyTorch's padding=1
    tf.keras.layers.ZeroPadding2D(1),
    tf.keras.layers.Conv2D(32, 3, strides=2,
                           padding="valid",
                           activation="relu"),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(10),
])""",
    ),
    (
        "tf.note.quantize_model",
        """\
qat_model = tfmot.quantization.keras.quantize_model(
    model)""",
    ),
    (
        "tf.note.fit",
        """\
loss = tf.keras.losses.SparseCategoricalCrossentropy(
    from_logits=True)
qat_model.compile(optimizer="adam", loss=loss,
                  metrics=["accuracy"])
qat_model.fit(x_train, y_train, epochs=5,
              validation_data=(x_val, y_val))""",
    ),
    (
        "tf.note.converter",
        """\
converter = tf.lite.TFLiteConverter.from_keras_model(
    qat_model)
converter.optimizations = [tf.lite.Optimize.DEFAULT]""",
    ),
    (
        "tf.note.representative",
        """\
def representative_dataset():
    for x in x_train[:100]:
        yield [x[None].astype(np.float32)]

converter.representative_dataset = (
    representative_dataset)""",
    ),
    (
        "tf.note.int8_only",
        """\
converter.target_spec.supported_ops = [
    tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
converter.inference_input_type = tf.int8
converter.inference_output_type = tf.int8""",
    ),
    (
        "tf.note.convert",
        """\
tflite_model = converter.convert()
open("digits_int8.tflite", "wb").write(tflite_model)""",
    ),
    (
        "tf.note.run",
        """\
interp = tf.lite.Interpreter(
    model_content=tflite_model)
interp.allocate_tensors()
inp = interp.get_input_details()[0]
out = interp.get_output_details()[0]
s_in, z_in = inp["quantization"]  # scale, zero pt
q = np.round(x_test[:1] / s_in) + z_in
q = np.clip(q, -128, 127).astype(np.int8)
interp.set_tensor(inp["index"], q)
interp.invoke()
s_out, z_out = out["quantization"]
q_out = interp.get_tensor(out["index"])
logits = (q_out.astype(np.float32) - z_out) * s_out""",
    ),
)

# rows of the scheme comparison: strings scheme.<id> (label), scheme.<id>.torch and scheme.<id>.tflite
SCHEME_ROWS: tuple[str, ...] = (
    "input",
    "act_dtype",
    "act_scheme",
    "w_dtype",
    "w_scheme",
    "bias",
    "requant",
    "layout",
)


def tf_script() -> str:
    """The whole TF-MOT + TFLite script as one block (for copying)."""
    return "\n\n".join(code for _, code in TF_STEPS) + "\n"
