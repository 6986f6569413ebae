"""Runs whose every untrusted text carries script payloads, for the HTML escaping tests."""

from __future__ import annotations

from pathlib import Path

import evalanalysis as ea

from . import bundles

IMG = '<img src=x onerror="window.__xss=1">'
SCRIPT = "<script>window.__xss=2</script>"
SVG = "<svg onload=window.__xss=3>"
BREAKOUT = '"><script>window.__xss=4</script>'
PAYLOADS = (IMG, SCRIPT, SVG, BREAKOUT)
ALL = " ".join(PAYLOADS)


def hostile_bundle(path: Path) -> Path:
    """A bundle whose model, provider, error texts, model output and answer files hold payloads."""
    code = f"// {IMG}\nexport const x = '{SCRIPT}';\nconst y = `{SVG}`;\n"
    failures = [
        bundles.failure(
            1,
            "000-fundamentals/001-xss",
            "tests",
            f"AssertionError: expected '{SCRIPT}' to equal '{IMG}'\n at convex/index.ts:2:1",
            outputs={"convex/index.ts": code},
            sources={"answer/convex/index.ts": f"export const x = '{BREAKOUT}';\n"},
            task=f"Return {SVG} verbatim.",
        ),
        bundles.failure(
            2,
            "001-data/002-xss",
            "tsc",
            f"convex/index.ts(2,1): error TS2339: Property '{IMG}' does not exist on type '{SCRIPT}'.",
            outputs={"convex/index.ts": code},
        ),
        bundles.failure(
            3,
            "001-data/003-xss",
            "eslint",
            f"convex/index.ts\n  2:1  error  {SCRIPT} is unsafe  @typescript-eslint/no-explicit-any",
            outputs={"convex/index.ts": code},
        ),
    ]
    return bundles.write(path, bundles.bundle(failures, model=f"model{IMG}", provider=f"prov{SCRIPT}"))


def hostile_analysis() -> ea.RunAnalysis:
    """An analysis built directly, so every field a reporter shows holds a payload."""
    verdict = ea.Verdict(
        classification="MODEL_FAULT",
        reasoning=f"The model wrote {SCRIPT} and `{IMG}`.",
        confidence=0.5,
        classifier=f"llm{SVG}",
        error_summary=ALL,
        model_snippet=f"const a = '{SCRIPT}';\n// {IMG}\n",
        expected_snippet=f"const a = '{BREAKOUT}';\n",
        evidence=(ea.Evidence("error_code", f"TS{IMG}", source=SCRIPT),),
        tags=(SVG,),
        needs_review=True,
        review_reason=BREAKOUT,
    )
    prior = ea.PriorFinding(
        report=f"reports/{SCRIPT}.md",
        run_id=IMG,
        date=SVG,
        provider="acme",
        model=f"other{SCRIPT}",
        eval_path=f"cat/{IMG}",
        classification="MODEL_FAULT",
    )
    failure = ea.FailureAnalysis(
        eval_id="k57x",
        eval_path=f"cat{SVG}/{IMG}",
        category=f"cat{SVG}",
        name=IMG,
        failed_step=f"tests{SCRIPT}",
        error=ALL,
        classification="MODEL_FAULT",
        verdict=verdict,
        prior_findings=(prior,),
        repeat_of=ea.PriorFinding(
            report="r.md", run_id=SCRIPT, date=IMG, provider="acme", model=f"model{IMG}",
            eval_path=f"cat/{IMG}", classification=BREAKOUT,
        ),
    )
    not_analysed = ea.FailureAnalysis(
        eval_id="k57y",
        eval_path=f"cat{SVG}/second",
        category=f"cat{SVG}",
        name="second",
        failed_step=None,
        error=SCRIPT,
        classification=None,
        not_analysed_reason=f"debug info unavailable: {IMG}",
    )
    return ea.RunAnalysis(
        run=ea.RunInfo(id=f"jn7{SCRIPT}", model=f"model{IMG}", provider=f"prov{SVG}", experiment=BREAKOUT,
                       status=ea.RunStatus("failed", failure_reason=SCRIPT)),
        date="2026-01-02",
        total_evals=10,
        passed_count=8,
        failed_count=2,
        failures=(failure, not_analysed),
        failures_by_step={f"tests{SCRIPT}": 1, "unknown": 1},
        patterns=(ea.Pattern(f"k{IMG}", f"Title {SCRIPT}", f"Detail `{IMG}` {BREAKOUT}", (failure.eval_path, IMG)),),
        recommendations=tuple(
            ea.Recommendation(group, f"{group}: {SCRIPT} `{IMG}`", (failure.eval_path,))
            for group, _ in ea.RECOMMENDATION_GROUPS
        ),
        net_impact=ea.NetImpact(0, 1, 0, 1, f"Net {SCRIPT} {IMG}"),
        classifier=f"rules{SVG}",
        usage=ea.Usage(10, 5, 1, 0),
        corrected_passed_count=8,
        actions_taken=(f"Fixed {SCRIPT}", IMG),
        warnings=(f"synthesis failed: {BREAKOUT}",),
    )
