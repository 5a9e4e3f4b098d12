"""An independent, plain-Python recount of profile tables from a World's rows.

Deliberately written differently from the stage (loops over dicts, no SQL), so that a test
comparing the two checks the definitions rather than one implementation against itself.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from gbo.profile.journey_settings import DEFAULT_AGENCY_LABELS
from gbo.schema import codes
from tests.profile.world import World

NR = "Not recorded"
Cells = dict[tuple[str, str], int]


class Reference:
    def __init__(self, w: World) -> None:
        self.w = w
        self.person_of = {m["record_pid"]: m["person_pid"] for m in w.person_record_map}
        self.person = {p["person_pid"]: p for p in w.person}
        self.offence = {o["offence_pid"]: o for o in w.offence}
        grouped = {g["offence_pid"] for g in w.group_offence}
        with_offender = {i["offence_pid"] for i in w.involvement if i["role"] != "VICTIM"}
        self.offence_class: dict[str, str] = {}
        for o in w.offence:
            pid = o["offence_pid"]
            if pid in grouped:
                self.offence_class[pid] = "Group-based"
            elif pid in with_offender:
                self.offence_class[pid] = "Lone offending"
            else:
                self.offence_class[pid] = "No offender recorded"
        offender_dates: dict[str, list[date | None]] = {}
        victim_dates: dict[str, list[date | None]] = {}
        victim_of_group: set[str] = {v["person_pid"] for v in w.group_victim}
        for inv in w.involvement:
            person = self.person_of[inv["record_pid"]]
            when = self.offence[inv["offence_pid"]]["first_date"]
            if inv["role"] == "VICTIM":
                victim_dates.setdefault(person, []).append(when)
                if inv["offence_pid"] in grouped:
                    victim_of_group.add(person)
            else:
                offender_dates.setdefault(person, []).append(when)
        self.offender_first = {
            p: min((d for d in ds if d is not None), default=None)
            for p, ds in offender_dates.items()
        }
        self.victim_first = {
            p: min((d for d in ds if d is not None), default=None) for p, ds in victim_dates.items()
        }
        membership: dict[str, bool] = {}
        for m in w.group_membership:
            membership[m["person_pid"]] = membership.get(m["person_pid"], False) or (
                m["group_pid"] is not None
            )
        self.offender_status = {
            p: ("In a group" if membership[p] else "Alone")
            if p in membership
            else "Group status not recorded"
            for p in self.offender_first
        }
        self.victim_status = {
            p: "Group-based" if p in victim_of_group else "Not group-based"
            for p in self.victim_first
        }

    # ----- generic -------------------------------------------------------------------------
    @staticmethod
    def additive(status: dict[str, str], value: dict[str, str | None]) -> Cells:
        cells: Counter[tuple[str, str]] = Counter()
        for unit, breakdown in status.items():
            label = value.get(unit) or NR
            cells[("All", label)] += 1
            cells[(breakdown, label)] += 1
        return dict(cells)

    @staticmethod
    def multi(status: dict[str, str], values: dict[str, set[str]]) -> Cells:
        cells: Counter[tuple[str, str]] = Counter()
        for unit, breakdown in status.items():
            labels = values.get(unit) or {NR}
            for label in labels:
                cells[("All", label)] += 1
                cells[(breakdown, label)] += 1
        return dict(cells)

    # ----- tables ---------------------------------------------------------------------------
    def offenders_sex(self) -> Cells:
        value = {p: codes.SEX.get(self.person[p]["sex"] or "") for p in self.offender_status}
        return self.additive(self.offender_status, value)

    def age_band(self, who: str, bands: tuple[tuple[str, int, int], ...]) -> Cells:
        first = self.offender_first if who == "offenders" else self.victim_first
        status = self.offender_status if who == "offenders" else self.victim_status
        value: dict[str, str | None] = {}
        for p in status:
            born = self.person[p]["birth_year"]
            when = first[p]
            value[p] = None
            if born is not None and when is not None:
                age = when.year - born
                value[p] = next((b for b, lo, hi in bands if lo <= age <= hi), None)
        return self.additive(status, value)

    def ethnicity_5(self, who: str) -> Cells:
        status = self.offender_status if who == "offenders" else self.victim_status
        value: dict[str, str | None] = {}
        for p in status:
            code = self.person[p]["ethnicity_self"]
            if code == "O1":
                code = "A4"
            if code == "NS":
                value[p] = "Not stated"
            elif code in codes.SDE_TO_ONS:
                value[p] = codes.ONS_GROUPS[codes.ONS_19[codes.SDE_TO_ONS[code]][1]]
            else:
                value[p] = None
        return self.additive(status, value)

    def offences_by(self, column: str, labels: dict[str, str]) -> Cells:
        value = {o: labels.get(self.offence[o][column] or "") for o in self.offence}
        return self.additive(self.offence_class, value)

    def offences_by_year(self) -> Cells:
        value = {
            o: str(row["first_date"].year) if row["first_date"] else None
            for o, row in self.offence.items()
        }
        return self.additive(self.offence_class, value)

    def looked_after(self) -> Cells:
        yes: set[str] = set()
        no: set[str] = set()
        for r in self.w.person_record:
            person = self.person_of[r["record_pid"]]
            if r["is_looked_after"] is True:
                yes.add(person)
            elif r["is_looked_after"] is False:
                no.add(person)
        for v in self.w.vulnerability:
            if v["marker"] == "LOOKED_AFTER":
                yes.add(self.person_of[v["record_pid"]])
        value = {
            p: "Looked after" if p in yes else "Not looked after" if p in no else None
            for p in self.victim_status
        }
        return self.additive(self.victim_status, value)

    def methods(self) -> Cells:
        values = {
            o: {codes.METHODS[m] for m in (self.offence[o]["methods"] or [])} for o in self.offence
        }
        return self.multi(self.offence_class, values)

    def outcomes(self) -> Cells:
        labels = {k: codes.OUTCOME_GROUPS[g] for k, (_, g) in codes.OUTCOMES.items()}
        return self.offences_by("outcome_code", labels)

    def victims_vulnerability(self) -> Cells:
        values: dict[str, set[str]] = {}
        for v in self.w.vulnerability:
            person = self.person_of[v["record_pid"]]
            if person in self.victim_status:
                values.setdefault(person, set()).add(codes.VULNERABILITY_MARKERS[v["marker"]])
        return self.multi(self.victim_status, values)

    def groups_size(self, bands: tuple[tuple[str, int, int], ...]) -> Cells:
        cells: Counter[tuple[str, str]] = Counter()
        for g in self.w.group:
            n = g["n_offenders"]
            label = next((b for b, lo, hi in bands if lo <= n <= hi), NR)
            cells[("All", label)] += 1
        return dict(cells)

    def groups_online(self) -> Cells:
        flags: dict[str, list[bool | None]] = {}
        for go in self.w.group_offence:
            flags.setdefault(go["group_pid"], []).append(
                self.offence[go["offence_pid"]]["is_online"]
            )
        cells: Counter[tuple[str, str]] = Counter()
        for g in self.w.group:
            values = flags.get(g["group_pid"], [])
            if any(v is True for v in values):
                label = "Yes"
            elif values and all(v is False for v in values):
                label = "No"
            else:
                label = NR
            cells[("All", label)] += 1
        return dict(cells)

    def journeys(self) -> dict[str, Any]:
        """Per identified victim: prior contacts, their agencies and the days to identification.

        Contacts are every event and every record as the victim of an offence (dated when
        recorded, else by the offence's first date); identification is a 'CSE identified'
        event or an event whose reason is CSE.
        """
        labels = DEFAULT_AGENCY_LABELS
        records: dict[str, list[dict[str, Any]]] = {}
        for e in self.w.event:
            person = self.person_of[e["record_pid"]]
            if person in self.victim_status:
                ident = e["event_type"] == "CSE_IDENTIFIED" or e.get("event_reason") == "CSE"
                records.setdefault(person, []).append({**e, "ident": ident})
        for inv in self.w.involvement:
            person = self.person_of[inv["record_pid"]]
            if inv["role"] == "VICTIM" and person in self.victim_status:
                offence = self.offence[inv["offence_pid"]]
                when = offence.get("recorded_date") or offence["first_date"]
                row = {"agency": inv["agency"], "event_type": "VICTIM_OF_OFFENCE",
                       "event_date": when, "ident": False}  # fmt: skip
                records.setdefault(person, []).append(row)
        out: dict[str, Any] = {}
        for person, evs in records.items():
            ident = [e["event_date"] for e in evs if e["ident"] and e["event_date"] is not None]
            if not ident:
                continue
            on = min(ident)
            prior = [
                e
                for e in evs
                if not e["ident"] and e["event_date"] is not None and e["event_date"] < on
            ]
            days = (on - min(e["event_date"] for e in prior)).days if prior else 0
            out[person] = {
                "n_prior": len(prior),
                "agencies": {labels[e["agency"]] for e in prior},
                "types": {e["event_type"] for e in prior},
                "days": days,
            }
        return out
