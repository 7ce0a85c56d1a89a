"""The ``convdesigner`` command: the desktop app, or a command-line tool when a subcommand is given.

``convdesigner info|run|explain|export|train|evaluate ...`` runs :mod:`convdesigner.cli`, which never imports Qt;
anything else starts the app (:mod:`convdesigner.ui.app`), imported only then -- except a first
argument that looks like a mistyped command (a bare word such as ``infos`` that names no file),
which is refused on the command line instead of starting the app.
"""

from __future__ import annotations

import os
import re
import sys

#: The subcommands of :mod:`convdesigner.cli` (its ``COMMANDS``; kept here so that starting the app
#: does not import the command line's modules; a test checks the two agree).
CLI_COMMANDS = ("info", "run", "explain", "export", "train", "evaluate")

#: A bare lowercase word: what a command looks like, and a file name rarely does.
_COMMAND_LIKE = re.compile(r"[a-z][a-z0-9_-]*")


def looks_like_a_command(argument: str) -> bool:
    """Whether ``argument`` is meant as a subcommand: a bare word that is not an existing file."""
    return _COMMAND_LIKE.fullmatch(argument) is not None and not os.path.exists(argument)


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments and arguments[0] in CLI_COMMANDS:
        from convdesigner.cli import main as cli_main
        return cli_main(arguments)
    if arguments and looks_like_a_command(arguments[0]):
        from convdesigner.cli import EXIT_ERROR, PROG, unknown_command
        print(f"{PROG}: error: {unknown_command(arguments[0])} -- to open a design in the app, "
              "give the path of its file", file=sys.stderr)
        return EXIT_ERROR
    from convdesigner.ui.app import main as app_main
    return app_main(arguments)


if __name__ == "__main__":
    sys.exit(main())
