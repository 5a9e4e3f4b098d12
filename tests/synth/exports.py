"""Reading a generation's three exports back, the plain way (not through ingest)."""

from __future__ import annotations

import pandas as pd
from openpyxl import load_workbook

from gbo.synth import SynthOutput


def read_police(output: SynthOutput) -> pd.DataFrame:
    return pd.read_csv(
        output.files["police"], encoding=output.police_encoding, dtype=str, keep_default_na=False
    )


def read_social_care(output: SynthOutput) -> dict[str, pd.DataFrame]:
    workbook = load_workbook(output.files["social_care"], read_only=True)
    sheets = {}
    for sheet in workbook.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        sheets[sheet.title] = pd.DataFrame(rows[1:], columns=rows[0])
    workbook.close()
    return sheets


def read_health(output: SynthOutput) -> pd.DataFrame:
    return pd.read_json(output.files["health"], lines=True, dtype=False)
