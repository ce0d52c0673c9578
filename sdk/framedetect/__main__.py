"""``python -m framedetect`` runs the command-line interface."""

from .cli import main

main()
