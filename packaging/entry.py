"""The frozen app's entry script: the same ``main`` as the ``convdesigner`` console script."""

import multiprocessing
import sys

from convdesigner.__main__ import main

if __name__ == "__main__":
    # A no-op unless a child process of the frozen app is started with multiprocessing's
    # "spawn" (Windows, macOS); without it such a child would start a second app.
    multiprocessing.freeze_support()
    sys.exit(main())
