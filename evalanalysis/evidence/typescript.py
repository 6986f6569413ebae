"""What the TypeScript compiler (and esbuild at deploy) says: error codes and the library APIs
the model used that do not exist."""

from __future__ import annotations

import re

_TS_CODE = re.compile(r"\bTS(\d{4,5})\b")


def ts_error_codes(text: str) -> list[str]:
    """TypeScript error codes (`TS2345`) in `text`, in order, without duplicates."""
    return list(dict.fromkeys("TS" + c for c in _TS_CODE.findall(text)))


_MISSING_MEMBER = re.compile(r"Property '([\w$]+)' does not exist on type '([A-Z][\w$.]*)")  # TS2339, TS2551
_MISSING_EXPORT = re.compile(r"'\"?([^'\"]+)\"?' has no exported member(?: named)? '([\w$]+)'")  # TS2305, TS2724
_NO_MATCHING_EXPORT = re.compile(r'No matching export in "([^"]+)" for import "([\w$]+)"')  # esbuild, at deploy


def missing_apis(text: str) -> list[str]:
    """APIs an error says do not exist, e.g. "`between` on `IndexRangeBuilder`" or "`v` from `convex/server`".

    Only named library types and modules count: a property missing from the
    model's own object type (`{ a: string; }`) or from `never` is no API misuse.
    """
    found = [f"`{name}` on `{owner}`" for name, owner in _MISSING_MEMBER.findall(text)]
    found += [f"`{name}` from `{module}`" for module, name in _MISSING_EXPORT.findall(text)]
    found += [f"`{name}` from `{_module_of(path)}`" for path, name in _NO_MATCHING_EXPORT.findall(text)]
    return list(dict.fromkeys(found))


def _module_of(path: str) -> str:
    """`node_modules/convex/dist/esm/server/index.js` -> `convex/server`: the import a person writes."""
    module = path.rsplit("node_modules/", 1)[-1]
    module = re.sub(r"/dist/(?:esm|cjs)(?=/)", "", module)
    return re.sub(r"(?:/index)?\.[cm]?js$", "", module)
