"""Synthetic civic-partnership datasets calibrated to Osaka City's report (`tsunagari synth`).

Modules: ``calibration`` (the report's figures, cited by section), ``population``
(organisations, council memberships, talents; a package: sampling, regions, organisations,
build), ``activity`` (events, dispatches, resources, grants, collaborations year by year; a
package: state, draws, events, programmes, collaborations, simulation), ``writer`` (one
region's arrays as CSV rows), ``generator`` (``generate``: write the dataset folder).
See ``docs/synthetic-data.md``.
"""

__all__ = ["calibration", "population", "activity", "writer", "generator"]
