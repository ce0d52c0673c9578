"""fp32 ONNX -> INT8 (static QDQ) and fp16 models, each checked against fp32 on one test set.

Modules: ``int8`` (quant_pre_process + static QDQ), ``calibration``, ``uint8_input``,
``fp16``, ``metadata``, ``ship`` (measure all precisions, install) and ``commands``
(``framedetect quantize``). Import them by name: onnx loads only where it is needed.
"""
