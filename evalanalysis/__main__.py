"""The `evalanalysis` command's entry point, and `python -m evalanalysis`.

Kept tiny and free of imports: a Ctrl-C that lands while the CLI and its
libraries are still being imported (half a second or so) ends like one during
the run, with `interrupted` on stderr and exit code 130, not a traceback.
"""

import signal
import sys


def main() -> None:
    try:
        from .cli import main as cli

        cli()
    except KeyboardInterrupt:
        try:
            sys.stderr.write("interrupted\n")
            sys.stderr.flush()
        except (KeyboardInterrupt, OSError):  # a second Ctrl-C, or stderr gone: the exit code still says it
            pass
        sys.exit(130)
    finally:
        # The work is over: a Ctrl-C while the interpreter shuts down (joining threads) has nothing to stop.
        signal.signal(signal.SIGINT, signal.SIG_IGN)


if __name__ == "__main__":
    main()
