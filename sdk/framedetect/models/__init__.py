"""Bundled ONNX models and their manifest (data files, read with importlib.resources)."""
