"""Small synthetic identity tables for linkage tests, with known truth.

Each made-up person gets one to three records, each recorded a little differently (a
nickname, a typing slip, a moved address, a year-only or placeholder date of birth, a
swapped name order), the way different agencies would record them.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pandas as pd

GIVEN_F = ["Amelia", "Olivia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Freya", "Aisha", "Zainab",
           "Katarzyna", "Priya", "Chloe", "Grace", "Poppy", "Ruby", "Elsie", "Harriet", "Niamh",
           "Siobhan", "Fatima", "Maryam", "Ewa", "Oksana", "Leah"]  # fmt: skip
GIVEN_M = ["Oliver", "George", "Noah", "Arthur", "Leo", "Harry", "Oscar", "Muhammad", "Jacob",
           "Robert", "William", "Thomas", "Dawid", "Tomasz", "Ibrahim", "Yusuf", "Kwame", "Liam",
           "Callum", "Declan", "Sanjay", "Arjun", "Mateusz", "Samuel", "Joseph"]  # fmt: skip
FAMILY = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
          "Patel", "Khan", "Hussain", "Begum", "Kowalski", "Nowak", "Okafor", "Mensah",
          "O'Brien", "Murphy", "Walsh", "McCarthy", "Evans", "Thomas", "Roberts", "Walker",
          "Wright", "Robinson", "Thompson", "White", "Hughes", "Edwards", "Green", "Hall",
          "Wood", "Harris", "Lewis", "Martin", "Jackson", "Clarke", "Turner", "Hill"]  # fmt: skip
STREETS = ["High Street", "Station Road", "Church Lane", "Mill Road", "Park Avenue",
           "Victoria Road", "Green Lane", "Manor Way", "Kings Road", "Queens Drive"]  # fmt: skip
NICKNAMES = {"William": "Bill", "Robert": "Bob", "Thomas": "Tom", "Samuel": "Sam",
             "Joseph": "Joe", "Harriet": "Hattie", "Oliver": "Ollie"}  # fmt: skip


def _postcode(rng: random.Random) -> tuple[str, str]:
    district = f"Q{rng.choice('ABCDEFGH')}{rng.randint(1, 9)}"
    return (
        f"{district} {rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRSTU')}",
        district,
    )


def _typo(rng: random.Random, name: str) -> str:
    if len(name) < 4:
        return name
    i = rng.randint(1, len(name) - 2)
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def make_identities(n_people: int, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(identity table with IDENTITY columns, truth with unique_id and entity_id)."""
    rng = random.Random(seed)
    rows: list[dict[str, object]]
    truth: list[dict[str, str]]
    rows, truth = [], []
    agencies = ["police", "social_care", "health"]
    for person in range(n_people):
        sex = rng.choice("FM")
        given = rng.choice(GIVEN_F if sex == "F" else GIVEN_M)
        family = rng.choice(FAMILY)
        dob = date(1985, 1, 1) + timedelta(days=rng.randint(0, 365 * 25))
        home = (f"{rng.randint(1, 250)} {rng.choice(STREETS)}", *_postcode(rng))
        old_home = (f"{rng.randint(1, 250)} {rng.choice(STREETS)}", *_postcode(rng))
        for copy in range(rng.choice([1, 2, 2, 3])):
            g, f, d, precision = given, family, dob, "day"
            address, postcode, district = home
            change = rng.random() if copy else 1.0
            if change < 0.15 and given in NICKNAMES:
                g = NICKNAMES[given]
            elif change < 0.3:
                f = _typo(rng, family)
            elif change < 0.45:
                address, postcode, district = old_home
            elif change < 0.55:
                d, precision = date(dob.year, 1, 1), "year"
            elif change < 0.6:
                g, f = f, g
            record_id = f"rec_{person:08x}{copy:08x}"
            rows.append(
                {
                    "record_pid": record_id,
                    "agency": agencies[copy % 3],
                    "local_id": f"L{person}-{copy}",
                    "given_name": g,
                    "middle_names": None,
                    "family_name": f,
                    "aliases": [],
                    "dob": d,
                    "dob_precision": precision,
                    "age_recorded": None,
                    "age_recorded_on": None,
                    "sex": sex,
                    "postcode": postcode,
                    "postcode_district": district,
                    "address": address,
                }
            )
            truth.append({"unique_id": record_id, "entity_id": f"T{person}"})
    return pd.DataFrame(rows), pd.DataFrame(truth)
