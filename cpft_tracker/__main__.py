"""``python -m cpft_tracker``."""

import sys

try:
    from cpft_tracker.cli import main
except KeyboardInterrupt:  # Ctrl-C before cpft-tracker has even started: nothing was done
    print(
        "Error: Stopped. Nothing was half-saved: each change is saved whole or not at all.",
        file=sys.stderr,
    )
    sys.exit(130)

main()
