"""Synthetic multi-agency data with ground truth (no real person, no real-world meaning).

``generate`` draws a true world of people, planted offending groups, lone offenders,
victims and their agency contacts, and writes what three agencies would have recorded of
it: a police CSV, a children's social care workbook and a health NDJSON file, each with a
mapping file, a run configuration, and the ground truth in a separate folder.
"""

from gbo.synth.generate import SynthOutput, generate
from gbo.synth.settings import SynthSettings

__all__ = ["SynthOutput", "SynthSettings", "generate"]
