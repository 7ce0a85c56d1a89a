"""The ``convdesigner`` command: the desktop app, or a command-line tool when a subcommand is given.

``convdesigner info|run|explain|export ...`` runs :mod:`convdesigner.cli`, which never imports Qt;
anything else starts the app (:mod:`convdesigner.ui.app`), imported only then.
"""

from __future__ import annotations

import sys

CLI_COMMANDS = ("info", "run", "explain", "export")


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments and arguments[0] in CLI_COMMANDS:
        from convdesigner.cli import main as cli_main
        return cli_main(arguments)
    from convdesigner.ui.app import main as app_main
    return app_main(arguments)


if __name__ == "__main__":
    sys.exit(main())
