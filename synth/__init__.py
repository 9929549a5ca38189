"""Synthetic civic-partnership datasets calibrated to Osaka City's report (`tsunagari synth`).

Modules: ``calibration`` (the report's figures, cited by section), ``population``
(organisations, council memberships, talents), ``activity`` (events, dispatches, resources,
grants, collaborations year by year), ``generator`` (``generate``: write the dataset folder).
See ``docs/synthetic-data.md``.
"""

__all__ = ["calibration", "population", "activity", "generator"]
