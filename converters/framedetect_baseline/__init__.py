"""Tuning the Canny baseline (``framedetect tune-baseline``) on generated validation data."""
