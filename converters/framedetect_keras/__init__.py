"""Everything TensorFlow: the reference CNN, training, tf2onnx export and the ship step."""
