"""Collation: from per-failure verdicts to the run's summary, cross-cutting patterns, recommendations
(citing actions earlier reports recorded) and net impact. Pure functions of the analysed failures."""
