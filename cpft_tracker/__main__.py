"""``python -m cpft_tracker``."""

import sys

try:
    from cpft_tracker.cli import main

    main()
except KeyboardInterrupt:  # Ctrl-C before main() could take over: nothing was done yet
    print(
        "Error: Stopped. Nothing was half-saved: each change is saved whole or not at all.",
        file=sys.stderr,
    )
    sys.exit(130)
