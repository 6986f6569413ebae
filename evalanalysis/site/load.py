"""Every report of a reports directory as a `SiteReport`: the JSON sibling when there is one, else
the markdown report as the history index read it back (from its cache).

A JSON report is read once per file version: what the site takes from it is kept
in `site-reports.json` beside the history cache, keyed by the file's size and
modification time, so a warm build over 1,000 reports reads one small file
instead of 1,000 JSON reports.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..model import DEFAULT_TAXONOMY, Taxonomy
from .index import SiteFailure, SiteReport, parse_rate

CACHE_FILE = "site-reports.json"
CACHE_FORMAT = "evalanalysis.site-cache/1"
MAX_JSON_BYTES = 20_000_000


def load_reports(
    reports_dir: str | os.PathLike[str], *, taxonomy: Taxonomy = DEFAULT_TAXONOMY, cache_dir: str | os.PathLike[str] | None = None
) -> tuple[list[SiteReport], list[str]]:
    """The reports under `reports_dir` and a warning line for each one that could not be read."""
    from ..history import open_history

    folder = Path(reports_dir)
    index = open_history(folder, taxonomy=taxonomy, cache_dir=cache_dir)
    warnings = list(index.warnings)
    cache = _JsonCache(Path(cache_dir) / CACHE_FILE if cache_dir is not None else None)
    out = []
    for record in index.report_records():
        stem = record.path[: -len(".md")] if record.path.endswith(".md") else record.path
        html = f"{stem}.html" if (folder / f"{stem}.html").is_file() else None
        json_rel = f"{stem}.json" if (folder / f"{stem}.json").is_file() else None
        superseded = record.path in index.superseded
        report = None
        if json_rel is not None:
            facts, problem = cache.facts(folder, json_rel)
            if facts is not None:
                report = _from_json_facts(facts, record.path, json_rel, html, superseded)
            else:
                warnings.append(f"{folder / json_rel}: {problem}; using the markdown report")
        if report is None:
            report = _from_record(record, taxonomy, html, json_rel, superseded)
            if report is None:
                warnings.append(f"{folder / record.path}: names no model; skipped")
                continue
        out.append(report)
    cache.save(folder)
    return out, warnings


def _from_record(record: Any, taxonomy: Taxonomy, html: str | None, json_rel: str | None, superseded: bool) -> SiteReport | None:
    if not record.model:
        return None
    passed, total, pct = parse_rate(record.pass_rate)
    corrected, corrected_total, corrected_pct = parse_rate(record.corrected_pass_rate)
    if corrected is not None and total is not None and corrected_total != total:
        corrected = None  # a corrected rate over other runs than the pass rate: keep its percentage only
    failures = tuple(
        SiteFailure(
            eval_path=f.eval_path,
            failed_step=f.failed_step,
            error=f.error or None,
            classification=_normalised(f, taxonomy),
            classification_raw=f.classification_raw,
        )
        for f in record.findings
    )
    return SiteReport(
        path=record.path, source="markdown", model=record.model, provider=record.provider,
        experiment=record.experiment or "default", date=record.date, run_id=record.run_id, failures=failures,
        total=total, passed=passed, corrected=corrected, pass_pct=pct, corrected_pct=corrected_pct,
        html=html, json=json_rel, superseded=superseded,
    )


def _normalised(finding: Any, taxonomy: Taxonomy) -> str | None:
    """A finding's class in `taxonomy`; a maintainer's correction (`NEW (corrected from OLD)`) counts as NEW."""
    raw = finding.classification_raw
    if not raw:
        return None
    if getattr(finding, "corrected_from", None):
        from ..history.fields import corrected_parts

        raw = corrected_parts(raw)[0]
    return taxonomy.normalise(raw)


def _from_json_facts(facts: dict[str, Any], path: str, json_rel: str, html: str | None, superseded: bool) -> SiteReport:
    total, passed, corrected = facts["total"], facts["passed"], facts["corrected"]
    return SiteReport(
        path=path, source="json", model=facts["model"], provider=facts["provider"], experiment=facts["experiment"],
        date=facts["date"], run_id=facts["run_id"],
        failures=tuple(SiteFailure(*f) for f in facts["failures"]),
        total=total, passed=passed, corrected=corrected,
        pass_pct=100 * passed / total if total else None,
        corrected_pct=100 * corrected / total if total and corrected is not None else None,
        html=html, json=json_rel, superseded=superseded,
    )


def json_facts(text: str) -> dict[str, Any]:
    """What the site takes from a JSON report's text (validated by `converter.analysis_from_json`).
    Raises `BadInput` (or ValueError for text that is not JSON)."""
    from ..converter import analysis_from_json

    a = analysis_from_json(json.loads(text))
    return {
        "model": a.run.model, "provider": a.run.provider, "experiment": a.run.experiment or "default",
        "date": a.date, "run_id": a.run.id, "total": a.total_evals, "passed": a.passed_count,
        "corrected": a.corrected_passed_count,
        "failures": [
            [f.eval_path, f.failed_step, f.error or None, f.classification, f.classification]
            for f in a.failures
        ],
    }


class _JsonCache:
    """JSON reports' facts by (reports directory, relative path), with the file version they were read at."""

    def __init__(self, path: Path | None):
        self.path = path
        self.entries: dict[str, list] = {}
        self.changed = False
        if path is not None:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(data, dict) and data.get("format") == CACHE_FORMAT and isinstance(data.get("entries"), dict):
                    self.entries = data["entries"]
            except (OSError, ValueError):
                pass  # no cache yet, or a damaged one: it is only a cache
        self.seen: set[str] = set()
        self._resolved: dict[Path, str] = {}

    def facts(self, folder: Path, rel: str) -> tuple[dict[str, Any] | None, str]:
        """(facts, "") or (None, why the JSON report cannot be read)."""
        path = folder / rel
        try:
            st = path.stat()
        except OSError as exc:
            return None, f"cannot read ({exc.strerror or exc})"
        if folder not in self._resolved:
            self._resolved[folder] = str(folder.resolve())
        key = f"{self._resolved[folder]}\0{rel}"
        self.seen.add(key)
        cached = self.entries.get(key)
        if isinstance(cached, list) and len(cached) == 3 and cached[:2] == [st.st_size, st.st_mtime_ns]:
            return cached[2], ""
        if st.st_size > MAX_JSON_BYTES:
            return None, f"larger than {MAX_JSON_BYTES // 1_000_000} MB"
        try:
            facts = json_facts(path.read_text(encoding="utf-8"))
        except OSError as exc:
            return None, f"cannot read ({exc.strerror or exc})"
        except UnicodeDecodeError:
            return None, "not valid UTF-8"
        except ValueError as exc:  # json.JSONDecodeError
            return None, f"not valid JSON ({exc})"
        except Exception as exc:  # BadInput from the converter: a JSON file that is not a report of ours
            return None, str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        self.entries[key] = [st.st_size, st.st_mtime_ns, facts]
        self.changed = True
        return facts, ""

    def save(self, root: Path) -> None:
        """Write the cache back, without the entries of `root`'s reports not seen in this build and of
        directories that no longer exist."""
        if self.path is None:
            return
        here = str(root.resolve())
        live = {here: True}
        stale = []
        for key in self.entries:
            folder = key.split("\0", 1)[0]
            if folder not in live:
                live[folder] = os.path.isdir(folder)
            if key not in self.seen and (folder == here or not live[folder]):
                stale.append(key)
        for key in stale:
            del self.entries[key]
        if not (self.changed or stale):
            return
        from ..pipeline.reportfile import replace_file, write_new_file

        text = json.dumps({"format": CACHE_FORMAT, "entries": self.entries}, ensure_ascii=False, separators=(",", ":"))
        try:
            if self.path.exists():
                replace_file(self.path, text)
            else:
                write_new_file(self.path, text)
        except OSError:
            pass  # an unwritable cache costs the next build time, not this one's result
