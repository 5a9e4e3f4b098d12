"""Two messy exports, each with every trap a newcomer met, and mappings written from the docs.

* ``police.csv``: Windows cp1252, a title banner and a blank line above the header, blank
  lines among the rows, whole dates in three formats (d/m/yyyy, d/m/yy, ISO), two-digit
  years on both sides of the old 68/69 pivot, Home Office offence codes with leading zeros,
  ``NFA`` meaning no fixed abode in the postcode column but no further action in the
  outcome column, ``MALE`` as a placeholder name but a valid sex, roles gbo has no code for
  (Witness, Reporting Person), a blank person id, an offence whose last date is before its
  first, a person with no name at all, and a marker column whose ``None`` is a code
  translated to not recorded.
* ``council.xlsx``: a title banner and a blank row over the header, a blank row among the
  rows, date cells beside two-digit-year text dates, and a contact type gbo has no code for.

Every value is invented.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl

REFERENCE_DATE = date(2025, 6, 30)

POLICE_HEADER = (
    "PersonID,Forename,Surname,DOB,Sex,Postcode,CrimeRef,HOCode,DateFrom,DateTo,Outcome,Role,Flag"
)
# (line number, text) of the police export; the header is line 3.
POLICE_LINES: list[str] = [
    "Crime extract - produced 01/06/2025,,,,,,,,,,,,",
    "",
    POLICE_HEADER,
    "P1,Zoë,Marsh,14/03/2008,Female,AB1 2CD,C1,019D,02/05/2019,03/05/2019,Charged,Victim,Missing",
    "P2,MALE,Hale,17/1/68,MALE,NFA,C1,019D,02/05/2019,03/05/2019,Charged,Suspect,None",
    "",
    "P3,Ann,Brook,06/06/04,Female,AB3 4EF,C2,071,2019-06-01,2019-05-01,NFA,Victim,None",
    "P4,Tom,Webb,01/01/1980,Male,AB9 9ZZ,C2,071,2019-06-01,2019-05-01,NFA,Witness,None",
    ",Lee,Cole,01/02/1990,Male,AB5 6GH,C2,071,01/06/2019,,NFA,Suspect,None",
    "P5,,,05/05/05,Female,AB7 8JK,C3,88A,01/01/2020,,Under investigation,Victim,Missing",
    "P6,Sé,Dale,02/02/1975,Not known,NFA,C3,88A,01/01/2020,,Under investigation,"
    "Reporting Person,None",
    "",
]

POLICE_MAPPING = """
mapping_version = 1
agency = "police"
header_row = 3
date_formats = ["%d/%m/%Y", "%d/%m/%y"]
crosswalks = { ho_offence_code = "home_office_offences" }

[codes.sex]
Female = "F"
Male = "M"
"Not known" = ""

[codes.role]
Victim = "VICTIM"
Suspect = "SUSPECT"

[codes.outcome_code]
Charged = "1"
NFA = "15"
"Under investigation" = "UI"

[codes.marker]
Missing = "MISSING_HISTORY"
None = ""

[[tables]]
target = "person_record"
exclude = { Role = ["Witness", "Reporting Person"] }
[tables.columns]
local_id = "PersonID"
given_name = { column = "Forename", null_values = ["MALE", "FEMALE"] }
family_name = "Surname"
dob = "DOB"
sex = "Sex"
postcode = { column = "Postcode", null_values = ["NFA"] }

[[tables]]
target = "offence"
exclude = { Role = ["Witness", "Reporting Person"] }
[tables.columns]
crime_ref = "CrimeRef"
ho_offence_code = "HOCode"
first_date = "DateFrom"
last_date = "DateTo"
outcome_code = "Outcome"

[[tables]]
target = "involvement"
exclude = { Role = ["Witness", "Reporting Person"] }
[tables.columns]
offence_key = "CrimeRef"
record_key = "PersonID"
role = "Role"

[[tables]]
target = "vulnerability"
exclude = { Role = ["Witness", "Reporting Person"] }
skip_if_blank = ["marker"]
[tables.columns]
record_key = "PersonID"
marker = "Flag"
"""

COUNCIL_MAPPING = """
mapping_version = 1
agency = "council"
header_row = 3
date_formats = ["%d/%m/%Y", "%d/%m/%y"]

[codes.sex]
Girl = "F"
Boy = "M"

[codes.event_type]
Referral = "SOCIAL_CARE_REFERRAL"
"Strategy meeting" = "STRATEGY_MEETING"

[[tables]]
target = "person_record"
sheet = "Children"
[tables.columns]
local_id = "Child Ref"
given_name = "First Name"
family_name = "Last Name"
dob = "Born"
sex = "Gender"

[[tables]]
target = "event"
sheet = "Children"
exclude = { Contact = ["Home visit"] }
skip_if_blank = ["event_type"]
[tables.columns]
record_key = "Child Ref"
event_type = "Contact"
event_date = "Contact Date"
"""


def write_police(folder: Path) -> tuple[Path, Path]:
    data = folder / "police.csv"
    data.write_bytes("\r\n".join(POLICE_LINES).encode("cp1252"))
    mapping = folder / "police.toml"
    mapping.write_text(POLICE_MAPPING, encoding="utf-8")
    return data, mapping


def write_council(folder: Path) -> tuple[Path, Path]:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Children"
    sheet["A1"] = "Children's services extract, June 2025"
    sheet.append([])
    sheet.append(["Child Ref", "First Name", "Last Name", "Born", "Gender", "Contact",
                  "Contact Date"])  # fmt: skip
    sheet.append(["K1", "Ava", "Marsh", datetime(2009, 3, 14), "Girl", "Referral",
                  datetime(2019, 5, 2)])  # fmt: skip
    sheet.append(["K2", "Noor", "Hale", "17/01/10", "Girl", "Strategy meeting", "11/11/19"])
    sheet.append([])
    sheet.append(["K3", "Leo", "Brook", "02/02/68", "Boy", "Home visit", "09/09/19"])
    sheet.append(["K4", "Mia", "Cole", "03/03/2011", "Girl", None, None])
    # a contact date with no contact type: no contact is made, and a finding says so
    sheet.append(["K5", "Eli", "Dean", "04/04/2012", "Boy", None, "10/10/19"])
    data = folder / "council.xlsx"
    workbook.save(data)
    mapping = folder / "council.toml"
    mapping.write_text(COUNCIL_MAPPING, encoding="utf-8")
    return data, mapping
