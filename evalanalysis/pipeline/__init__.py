"""The pipeline: `workspace.Workspace` composes the parts from settings, `orchestrate.analyze_run` is
the pure async core it drives, `api` the synchronous entry points for scripts, `reportfile` writes
reports, `snapshot` saves bundles, `evaluation` scores verdicts against labels."""
