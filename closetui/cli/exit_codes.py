"""The command line's exit codes (a leaf: imports nothing of closetui)."""

EXIT_OK = 0
EXIT_USAGE = 2
"""Usage or validation error; the message names the field and why."""
EXIT_API = 3
"""The API refused the request."""
EXIT_NETWORK = 4
"""No answer: network failure or timeout."""
EXIT_UNKNOWN = 5
"""An update may or may not have been saved: its answer was lost or unreadable, and
reading the opportunity again could not tell."""
EXIT_PIPE = 141
"""Stdout was closed early (``closetui list | head``): what a shell reports for a command
killed by SIGPIPE (128 + 13), without a traceback."""

EXIT_CODES_HELP = """\
exit codes:
  0  saved (also when the answer was lost and reading it again found it saved)
  2  usage or validation error: nothing was sent
  3  the API refused the update, or its answer was lost and it was found not saved
  4  network failure: not sent, or timed out and found not saved
  5  unknown: the answer was lost and reading it again could not tell; check before
     sending again"""
"""The exit codes as ``closetui update --help`` lists them."""
