"""Whether an earlier report's finding is about the same error as the failure at hand.

An earlier verdict on an eval says something about a new failure of it only when
both are the same failure. Reports by maintainers rarely quote the error whole;
their note ("used `runtime: \"node\"` instead of the `\"use node\"` directive") is
read the way a GAPS.txt entry is (`gaps.match_gaps`: code it quotes, its content
words, what known error signatures mean), against the new failure's error and
the model's code.
"""

from __future__ import annotations

import re

from .errortext import has_diagnostic, one_line
from .fingerprint import normalise_error
from .gaps import code_quotes, match_gaps, significant_words

SAME, DIFFERENT, UNKNOWN = "same", "different", "unknown"
# A note is prose around the error (longer than a GAPS.txt entry): a smaller share of its words must match.
NOTE_THRESHOLD = 0.2
# A note that only says the failure recurred (or was not looked at) describes no error.
_CONTENTLESS = re.compile(
    r"^\s*(?:model snippet:;?\s*)?$|\b(?:recurring|repeat(?:ed|s)?|same (?:issue|failure|problem|as)|previous run|"
    r"not analy[sz]ed|see above)\b",
    re.I,
)
_SNIPPET_LABEL = re.compile(r"^\s*model snippet:;?\s*", re.I)


def note_describes(
    note: str | None, error: str, *, code_text: str = "", quote_text: str = "", task: str = "",
    earlier_error: str | None = None,
) -> str:
    """`same` when an earlier finding's `note` describes this `error`, `different` when it describes
    another, `unknown` when it cannot tell (no note, a note that only says "recurring", or an error
    log without a diagnostic to compare). `code_text` and `quote_text` are the model's lines the
    error points at and its changed lines, as for `match_gaps`.

    When the earlier report quoted its error (`earlier_error`, as our reports do: the telling line),
    equal fingerprints of the two telling lines are `same`; otherwise the quoted error is read with
    the note (a maintainer's "error" is often a paraphrase, which only words and quotes can match).
    """
    note = (note or "").strip()
    if not has_diagnostic(error) and not quote_text.strip():
        return UNKNOWN  # a log that only says the step failed cannot be told apart from any other failure
    if earlier_error and has_diagnostic(earlier_error):
        before, now = (normalise_error(one_line(text, 400)) for text in (earlier_error, error))
        if before == now:
            return SAME
        note = f"{note}\n{earlier_error}".strip()
    if not note or (_CONTENTLESS.search(note) and not code_quotes(note)):
        return UNKNOWN
    note = _SNIPPET_LABEL.sub("", note)
    if not significant_words(note, parts=False) and not code_quotes(note):
        return UNKNOWN
    found = match_gaps([note], error, code_text=code_text, quote_text=quote_text, task=task, threshold=NOTE_THRESHOLD)
    return SAME if found else DIFFERENT
