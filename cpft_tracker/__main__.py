"""``python -m cpft_tracker``."""

from cpft_tracker.cli import main

main()
