"""``framedetect bench``: latency, throughput and accuracy of every precision x provider x batch.

Runs in a plain ``framedetect[cpu]`` install: inputs come from the numpy + Pillow
generator; Keras reference rows are added only when TensorFlow is installed.
"""
