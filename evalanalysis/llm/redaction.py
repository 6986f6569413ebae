"""Every secret the process holds, masked in any text before it is cut, stored or printed.

Secrets come from the environment only: the LLM keys, the Convex deploy or
admin key (a `prod:<name>|<secret>` key is masked whole, and its secret part
after `|` on its own), and any key a plugin registers with `register_secret`.
A server may quote a credential back, whole or cut to fit a message; so not
only each secret but every 8-character piece of it is masked, and the masking
runs before a message is shortened, so a cut can never keep a part of a key.

This knows nothing of any SDK: it reads the environment and the text, nothing else.
"""

from __future__ import annotations

import os
import threading
from typing import Any, Iterable, Mapping

PIECE = 8
"""The length of the shortest piece of a secret that is masked on its own."""
CLEAN_KEPT, CLEAN_KEPT_FROM = 64, 1024
"""How many masked texts of at least how many characters a redactor remembers, so as not to scan them again."""

SECRET_VARIABLES: Mapping[str, str] = {
    "ANTHROPIC_API_KEY": "[API key]",
    "ANTHROPIC_AUTH_TOKEN": "[API key]",
    "OPENAI_API_KEY": "[API key]",
    "CONVEX_DEPLOY_KEY": "[Convex key]",
    "CONVEX_SELF_HOSTED_ADMIN_KEY": "[Convex key]",
}
"""The environment variables whose values are secrets, and what each is shown as."""


class Redactor:
    """Masks a fixed set of secrets, and every `PIECE`-character piece of them, in text and JSON data."""

    def __init__(self, secrets: Iterable[tuple[str, str]] = ()):
        self._whole: dict[str, str] = {}
        self._pieces: dict[str, str] = {}
        self._quarters: set[str] = set()
        # The last long texts this redactor returned, by identity: they hold no secret it knows, so a text
        # masked once (a prompt, then its log entry) is not scanned again. Cleared when a secret is added.
        self._clean: dict[int, str] = {}
        for value, label in secrets:
            self.add(value, label)

    def add(self, value: str, label: str = "[secret]") -> None:
        """Mask `value` from now on. A Convex-style `<name>|<secret>` also has its secret part masked alone."""
        value = value.strip() if isinstance(value, str) else ""
        if not value:
            return
        self._clean.clear()
        if " " in value and value.split(" ", 1)[0].lower() in ("bearer", "convex"):
            value = value.split(" ", 1)[1]  # an Authorization header value: the credential is what follows
        self._whole.setdefault(value, label)
        # The deployment name before `|` is public (it is in the URL); only the secret part is cut into pieces.
        secret = value.rsplit("|", 1)[-1] if "|" in value else value
        if secret != value:
            self._whole.setdefault(secret, label)
        for i in range(len(secret) - PIECE + 1):
            piece = secret[i : i + PIECE]
            self._pieces.setdefault(piece, label)
            self._quarters.add(piece[: PIECE // 2])
            self._quarters.add(piece[PIECE // 2 :])

    def __bool__(self) -> bool:
        return bool(self._whole)

    def mask(self, text: str) -> str:
        """`text` with every secret, and every piece of one at least `PIECE` long, replaced by its label."""
        if not self._whole or not isinstance(text, str) or not text:
            return text
        if self._clean.get(id(text)) is text:
            return text
        for value in sorted(self._whole, key=len, reverse=True):
            if value in text:
                text = text.replace(value, self._whole[value])
        if self._pieces and len(text) >= PIECE:
            text = self._mask_pieces(text)
        if len(text) >= CLEAN_KEPT_FROM:
            try:
                if len(self._clean) >= CLEAN_KEPT:
                    del self._clean[next(iter(self._clean))]
            except (KeyError, RuntimeError, StopIteration):  # another thread got there first
                self._clean.clear()
            self._clean[id(text)] = text
        return text

    def _mask_pieces(self, text: str) -> str:
        # Any PIECE-long window holds a whole half-piece starting at a multiple of PIECE/2, so only
        # those offsets are looked up; a window is checked in full only around a hit.
        half = PIECE // 2
        quarters = self._quarters
        covered: list[tuple[int, int, str]] = []
        n = len(text)
        k = 0
        while k < n:
            if text[k : k + half] in quarters:
                for start in range(max(0, k - half), min(k, n - PIECE) + 1):
                    label = self._pieces.get(text[start : start + PIECE])
                    if label is not None:
                        end = start + PIECE
                        while end < n and text[end - PIECE + 1 : end + 1] in self._pieces:
                            end += 1  # extend over a longer run of the secret
                        if covered and start <= covered[-1][1]:
                            covered[-1] = (covered[-1][0], max(end, covered[-1][1]), covered[-1][2])
                        else:
                            covered.append((start, end, label))
                        k = end - half  # continue after the run
                        break
            k += half
        if not covered:
            return text
        out, at = [], 0
        for start, end, label in covered:
            out += [text[at:start], label]
            at = end
        out.append(text[at:])
        return "".join(out)

    def mask_data(self, value: Any) -> Any:
        """JSON-like data with every string (keys included) masked."""
        if not self._whole:
            return value
        if isinstance(value, str):
            return self.mask(value)
        if isinstance(value, Mapping):
            return {self.mask(k) if isinstance(k, str) else k: self.mask_data(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.mask_data(v) for v in value]
        return value


_lock = threading.Lock()
_registered: dict[str, str] = {}
_built: tuple[tuple[tuple[str, str], ...], Redactor] | None = None


def register_secret(value: str | None, label: str = "[secret]") -> None:
    """Have `value` masked everywhere from now on (for a plugin that reads a key from another variable)."""
    if isinstance(value, str) and value.strip():
        with _lock:
            _registered.setdefault(value.strip(), label)


def secrets(env: Mapping[str, str] | None = None) -> Redactor:
    """The redactor for every secret known now: the environment's and the registered ones."""
    global _built
    env = os.environ if env is None else env
    known = tuple(
        (value, label)
        for value, label in [*((env.get(name, ""), label) for name, label in SECRET_VARIABLES.items()), *_registered.items()]
        if value and value.strip()
    )
    with _lock:
        if _built is None or _built[0] != known:
            _built = (known, Redactor(known))
        return _built[1]


def redact(text: str) -> str:
    """`text` with every secret the process holds masked."""
    return secrets().mask(text)


def redact_data(value: Any) -> Any:
    """JSON-like data with every secret the process holds masked in its strings."""
    return secrets().mask_data(value)
