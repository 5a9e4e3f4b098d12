"""The ingest engine: candidate rows from every file, problems, cross-table checks, outputs.

All the work happens in one in-memory DuckDB database, over whole columns:

1. each sheet is registered as an Arrow table of text and each table mapping turns it into
   *candidate* rows of a canonical table (``cand_<table>``), each carrying its problems and
   findings; malformed rows and exact duplicate rows add problems of their own;
2. cross-table checks run until nothing changes: references to a person record or offence
   that was not accepted, and dates of birth after the first date of an offence the person
   is involved in;
3. a source row is **rejected if any problem names it** (whichever table it feeds), so one
   row never half-arrives; every other row is accepted. Accepted candidates are
   deduplicated on their key and written out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from gbo.duckdb_spill import spilling_connection
from gbo.ingest.column_sql import DateRules, quote_name, quote_text
from gbo.ingest.cross_checks import run_cross_checks
from gbo.ingest.readers import SourceData
from gbo.ingest.table_sql import FINDING_TYPE, PROBLEM_TYPE, build_table_sql, duckdb_type
from gbo.ingest.text_table import ROW_COLUMN, SheetData
from gbo.schema.mapping import AgencyMapping, TableMapping
from gbo.schema.tables import CANONICAL_TABLES, DATA_QUALITY_FINDING, REJECTED_ROW

MALFORMED_REASON = (
    "the row could not be split into the file's columns (wrong number of fields, or not a "
    "JSON object); check quoting and the delimiter"
)
FINISH_ORDER = ("association", "vulnerability", "involvement", "offence", "event", "person_record")
KEYED_TABLES = {"person_record": "record_key", "offence": "offence_key"}

REJECTED_RAW_SCHEMA = pa.schema(
    [
        pa.field("agency", pa.string(), nullable=False),
        pa.field("source_file", pa.string(), nullable=False),
        pa.field("sheet", pa.string()),
        pa.field("source_row", pa.int64(), nullable=False),
        pa.field("raw_values", pa.string()),
    ]
)


@dataclass
class FileCounts:
    rows_read: int = 0
    rows_rejected: int = 0
    rows_left_out: int = 0  # rows that feed no table (row_filter, exclude), not rejected

    @property
    def rows_accepted(self) -> int:
        return self.rows_read - self.rows_rejected - self.rows_left_out


TableSink = Callable[[str, pa.Table], None]


@dataclass
class IngestOutput:
    tables: dict[str, pa.Table]  # empty when the tables were handed to a sink
    table_rows: dict[str, int]
    rejected_row: pa.Table
    rejected_raw: pa.Table
    findings: pa.Table
    counts: dict[int, FileCounts] = field(default_factory=dict)


def compress_table(table: pa.Table) -> pa.Buffer:
    """A table as zstd-compressed Arrow IPC, a fraction of its size for text columns."""
    sink = pa.BufferOutputStream()
    options = pa.ipc.IpcWriteOptions(compression="zstd")
    with pa.ipc.new_stream(sink, table.schema, options=options) as writer:
        writer.write_table(table)
    return sink.getvalue()


def decompress_table(packed: pa.Buffer) -> pa.Table:
    with pa.ipc.open_stream(packed) as reader:
        return reader.read_all()


def blank_lines_note(agency: str, file_name: str, sheet: SheetData) -> dict[str, object]:
    """A finding counting the wholly blank lines (or rows) skipped among a sheet's rows."""
    lines = sheet.blank_lines
    shown = ", ".join(map(str, lines[:20])) + (", ..." if len(lines) > 20 else "")
    where = f" of sheet {sheet.name}" if sheet.name else ""
    return {
        "agency": agency,
        "source_file": file_name,
        "table": "source_file",
        "column": "line",
        "source_row": lines[0],
        "rule": "blank_lines",
        "severity": "warning",
        "detail": f"{len(lines)} blank lines{where} skipped (not rows): {shown}",
    }


def skipped_with_values_notes(
    rows: list[tuple[int, list[str]]], agency: str, file_name: str, sheet: str, table: TableMapping
) -> list[dict[str, object]]:
    """A finding for each row ``skip_if_blank`` left out of ``table`` although it gave other
    values for it (a contact date with no contact type): nothing was made of them."""
    skipped = " or ".join(table.skip_if_blank)
    where = f" (sheet {sheet})" if sheet else ""
    return [
        {
            "agency": agency,
            "source_file": file_name,
            "table": table.target,
            "column": ", ".join(given),
            "source_row": int(row),
            "rule": "skipped_with_values",
            "severity": "warning",
            "detail": f"{skipped} is blank{where}, so no {table.target} row was made; "
            f"{', '.join(given)} had a value",
        }
        for row, given in rows
    ]


def _accepted(name: str) -> str:
    """FROM clause of the candidates of a table whose source row was not rejected (``c``)."""
    return (
        f"FROM cand_{name} c ANTI JOIN rejected r ON r.file_id = c.file_id "
        "AND r.sheet = c.sheet AND r.source_row = c.source_row"
    )


class IngestEngine:
    """Collects candidate rows file by file, then checks and assembles the canonical tables."""

    def __init__(
        self, rules: DateRules, threads: int | None = None, memory_limit: str | None = None
    ) -> None:
        self.rules = rules
        if memory_limit is None:
            self.con = duckdb.connect()
            if threads:
                self.con.execute(f"SET threads = {int(threads)}")
            self.con.execute("SET preserve_insertion_order = false")
        else:
            self.con = spilling_connection(
                memory_limit, "ingest", threads, preserve_insertion_order=False
            )
        # (file id, sheet key, the raw sheet as zstd-compressed Arrow IPC): kept small until
        # the raw values of rejected rows are picked out at the end.
        self._sheets: list[tuple[int, str, pa.Buffer]] = []
        self._malformed: list[tuple[int, str, int, str]] = []
        self._n_rows: dict[int, int] = {}
        self._file_names: dict[int, tuple[str, str]] = {}
        self._notes: list[dict[str, object]] = []
        self._mapping_id = 0
        self._no_dedup: list[int] = []
        self.findings: list[pa.Table] = []
        self._create_tables()

    def _create_tables(self) -> None:
        self.con.execute(
            'CREATE TABLE problem (file_id INTEGER, sheet VARCHAR, source_row BIGINT, "column" '
            "VARCHAR, rule VARCHAR, reason VARCHAR)"
        )
        self.con.execute(
            "CREATE TABLE mapping_column (mapping_id INTEGER, canonical VARCHAR, "
            "source_column VARCHAR)"
        )
        self.con.execute("CREATE TABLE file_info (file_id INTEGER, agency VARCHAR, name VARCHAR)")
        for name, spec in CANONICAL_TABLES.items():
            cols = [
                f"{quote_name(c.name)} {duckdb_type(c.type)}"
                for c in spec.columns
                if c.name not in {"agency", "source_file", "source_row"}
            ]
            self.con.execute(
                f"CREATE TABLE cand_{name} (file_id INTEGER, sheet VARCHAR, mapping_id INTEGER, "
                f"source_row BIGINT, {', '.join(cols)}, _problems {PROBLEM_TYPE}[], "
                f"_findings {FINDING_TYPE}[])"
            )

    # ----- adding files ---------------------------------------------------------------------
    def add_file(
        self,
        file_id: int,
        agency: str,
        file_name: str,
        mapping: AgencyMapping,
        mapping_name: str,
        data: SourceData,
    ) -> None:
        """Turn every sheet of one file into candidate rows and per-row problems."""
        self._file_names[file_id] = (agency, file_name)
        self.con.execute("INSERT INTO file_info VALUES (?, ?, ?)", [file_id, agency, file_name])
        self._n_rows[file_id] = sum(s.n_rows for s in data.sheets.values())
        views: dict[str | None, str] = {}
        for wanted, sheet in data.sheets.items():
            view = f"sheet_{file_id}_{len(views)}"
            self.con.register(view, sheet.table)
            views[wanted] = view
            self._add_sheet_problems(file_id, sheet.name or "", view, sheet)
        for table in mapping.tables:
            self._mapping_id += 1
            mid = self._mapping_id
            if not table.deduplicate:
                self._no_dedup.append(mid)
            sheet_key = data.sheets[table.sheet].name or ""
            label = file_name + (f"[{sheet_key}]" if sheet_key else "")
            built = build_table_sql(
                views[table.sheet], table, mapping, mapping_name, self.rules, label
            )
            for canonical, source in built.source_columns.items():
                self.con.execute(
                    "INSERT INTO mapping_column VALUES (?, ?, ?)", [mid, canonical, source]
                )
            self.con.execute(
                f"INSERT INTO cand_{table.target} SELECT {file_id}, {quote_text(sheet_key)}, "
                f"{mid}, * FROM ({built.sql})"
            )
            if built.skipped_sql is not None:
                self._notes += skipped_with_values_notes(
                    self.con.execute(built.skipped_sql).fetchall(),
                    agency,
                    file_name,
                    sheet_key,
                    table,
                )
            self.con.execute(
                "INSERT INTO problem SELECT file_id, sheet, source_row, p.column, p.rule, "
                f"p.reason FROM (SELECT file_id, sheet, source_row, unnest(_problems) AS p "
                f"FROM cand_{table.target} WHERE mapping_id = {mid} AND len(_problems) > 0)"
            )
        for wanted, sheet in data.sheets.items():
            self.con.unregister(views[wanted])
            self._sheets.append((file_id, sheet.name or "", compress_table(sheet.table)))
        for sheet in data.sheets.values():
            if sheet.blank_lines:
                self._notes.append(blank_lines_note(agency, file_name, sheet))
        if data.n_legacy_lines:
            self._notes.append(
                {
                    "agency": agency,
                    "source_file": file_name,
                    "table": "source_file",
                    "column": "encoding",
                    "source_row": None,
                    "rule": "mixed_encoding",
                    "severity": "warning",
                    "detail": f"{data.n_legacy_lines} lines not in UTF-8, read as "
                    f"{(data.encoding or '').split('+')[-1]}",
                }
            )

    def _add_sheet_problems(self, file_id: int, key: str, view: str, sheet: SheetData) -> None:
        for bad in sheet.malformed:
            self._malformed.append((file_id, key, bad.row, bad.text))
            self.con.execute(
                "INSERT INTO problem VALUES (?, ?, ?, NULL, 'malformed_row', ?)",
                [file_id, key, bad.row, MALFORMED_REASON],
            )
        columns = sheet.source_columns
        if not columns or sheet.table.num_rows < 2:
            return
        row = quote_name(ROW_COLUMN)
        cols = ", ".join(quote_name(c) for c in columns)
        # Hash every row first; only rows whose hash repeats are compared in full.
        self.con.execute(
            f"INSERT INTO problem WITH hashed AS (SELECT {row}, hash({cols}) AS h FROM {view}), "
            "repeated AS (SELECT h FROM hashed GROUP BY h HAVING count(*) > 1), "
            f"suspects AS (SELECT v.* FROM {view} v SEMI JOIN (SELECT {row} FROM hashed "
            f"SEMI JOIN repeated USING (h)) s USING ({row})) "
            f"SELECT {file_id}, {quote_text(key)}, {row}, NULL, 'duplicate_row', "
            "'repeats row ' || first_row || ' exactly; the repeat is set aside' FROM (SELECT "
            f"{row}, min({row}) OVER w AS first_row, count(*) OVER w AS n FROM suspects "
            f"WINDOW w AS (PARTITION BY {cols})) WHERE n > 1 AND {row} <> first_row"
        )

    def _arrow(self, sql: str) -> pa.Table:
        table = self.con.sql(sql).to_arrow_table()
        if table is None:  # pragma: no cover - DuckDB returns a table for every SELECT
            raise RuntimeError("DuckDB returned no result")
        return table

    # ----- finishing ------------------------------------------------------------------------
    def finish(self, on_table: TableSink | None = None) -> IngestOutput:
        """Run the cross-table checks and assemble every output table.

        With ``on_table``, each canonical table is handed over as soon as it is made (and
        not kept), so that only one of them is in memory at a time.
        """
        run_cross_checks(self.con, self._no_dedup)
        self.con.execute(
            "CREATE OR REPLACE TABLE rejected AS SELECT DISTINCT file_id, sheet, source_row "
            "FROM problem"
        )
        left_out = self._rows_left_out()
        tables: dict[str, pa.Table] = {}
        table_rows: dict[str, int] = {}
        findings = self.findings
        # The smaller tables first, so that their candidates are freed before the largest
        # output tables are built.
        for name in FINISH_ORDER:
            table = self._accepted_table(name)
            table_rows[name] = table.num_rows
            if on_table is None:
                tables[name] = table
            else:
                on_table(name, table)
            del table
        counts = {fid: FileCounts(n) for fid, n in self._n_rows.items()}
        for fid, n in self.con.execute(
            "SELECT file_id, count(*) FROM rejected GROUP BY file_id"
        ).fetchall():
            counts[fid].rows_rejected = n
        for fid, n in left_out.items():
            counts[fid].rows_left_out = n
        tables = {name: tables[name] for name in CANONICAL_TABLES if name in tables}
        table_rows = {name: table_rows[name] for name in CANONICAL_TABLES}
        if self._notes:
            findings.insert(0, pa.Table.from_pylist(self._notes, DATA_QUALITY_FINDING.schema))
        output = IngestOutput(
            tables=tables,
            table_rows=table_rows,
            rejected_row=self._rejected_rows(),
            rejected_raw=self._rejected_raw(),
            findings=pa.concat_tables(findings),
            counts=counts,
        )
        self.con.close()
        return output

    def _rows_left_out(self) -> dict[int, int]:
        """Rows of each file that no table mapping took in and no problem rejected."""
        fed = " UNION ".join(
            f"SELECT file_id, sheet, source_row FROM cand_{name}" for name in CANONICAL_TABLES
        )
        used = self.con.execute(
            f"SELECT file_id, count(*) FROM ({fed} UNION SELECT file_id, sheet, source_row "
            "FROM rejected) GROUP BY file_id"
        ).fetchall()
        counts = dict.fromkeys(self._n_rows, 0)
        for fid, n in used:
            counts[fid] = n
        return {fid: self._n_rows[fid] - n for fid, n in counts.items()}

    def _accepted_table(self, name: str) -> pa.Table:
        """Accepted candidates of one table, deduplicated (and their findings noted)."""
        spec = CANONICAL_TABLES[name]
        order = "ORDER BY c.file_id, c.sheet, c.source_row"
        if name in KEYED_TABLES:
            partition = f"c.{quote_name(KEYED_TABLES[name])}"
            keep = f"row_number() OVER (PARTITION BY {partition} {order}) = 1"
        else:
            content = ", ".join(
                f"c.{quote_name(c.name)}"
                for c in spec.columns
                if c.name not in {"agency", "source_file", "source_row"}
            )
            no_dedup = f"c.mapping_id IN ({', '.join(map(str, self._no_dedup)) or '-1'})"
            keep = (
                f"({no_dedup} OR row_number() OVER (PARTITION BY {content}, {no_dedup} "
                f"{order}) = 1)"
            )
        # The rows to keep, worked out on a narrow projection, then fetched whole.
        self.con.execute(
            f"CREATE OR REPLACE TABLE keep_ids AS SELECT c.rowid AS rid {_accepted(name)} "
            f"QUALIFY {keep}"
        )
        select = ", ".join(
            {"agency": "f.agency", "source_file": "f.name AS source_file"}.get(
                c.name, f"c.{quote_name(c.name)}"
            )
            for c in spec.columns
        )
        kept = (
            f"FROM cand_{name} c JOIN file_info f USING (file_id) "
            "SEMI JOIN keep_ids k ON k.rid = c.rowid"
        )
        # Rows from one source row (e.g. several flag columns) are ordered by their content,
        # so the same inputs always give the same table, row for row.
        ties = ", ".join(
            f"c.{quote_name(c.name)}"
            for c in spec.columns
            if c.name not in {"agency", "source_file", "source_row"}
            and not pa.types.is_list(c.type)
        )
        table = self._arrow(f"SELECT {select} {kept} {order}, {ties}").cast(spec.schema)
        self.findings.append(self._findings(name, kept))
        if name in KEYED_TABLES:
            self.findings.append(self._conflicting_repeats(name))
        self.con.execute(f"DROP TABLE cand_{name}")
        return table

    def _rejected_rows(self) -> pa.Table:
        sql = (
            "SELECT f.agency, f.name AS source_file, nullif(p.sheet, '') AS sheet, p.source_row, "
            'p."column", p.rule, p.reason FROM (SELECT DISTINCT * FROM problem) p '
            "JOIN file_info f USING (file_id) "
            'ORDER BY p.file_id, p.sheet, p.source_row, p.rule, p."column", p.reason'
        )
        return self._arrow(sql).cast(REJECTED_ROW.schema)

    def _rejected_raw(self) -> pa.Table:
        parts: list[pa.Table] = []
        for file_id, key, packed in self._sheets:
            agency, name = self._file_names[file_id]
            self.con.register("raw_sheet", decompress_table(packed))
            sql = (
                f"SELECT {quote_text(agency)} AS agency, {quote_text(name)} AS source_file, "
                f"nullif({quote_text(key)}, '') AS sheet, s.{quote_name(ROW_COLUMN)} AS "
                f"source_row, to_json(s) AS raw_values FROM raw_sheet s SEMI JOIN rejected r ON "
                f"r.file_id = {file_id} AND r.sheet = {quote_text(key)} AND r.source_row = "
                f"s.{quote_name(ROW_COLUMN)}"
            )
            parts.append(self._arrow(sql).cast(REJECTED_RAW_SCHEMA))
            self.con.unregister("raw_sheet")
        if self._malformed:
            rows = [
                {
                    "agency": self._file_names[fid][0],
                    "source_file": self._file_names[fid][1],
                    "sheet": key or None,
                    "source_row": row,
                    "raw_values": text,
                }
                for fid, key, row, text in self._malformed
            ]
            parts.append(pa.Table.from_pylist(rows, REJECTED_RAW_SCHEMA))
        if not parts:
            return REJECTED_RAW_SCHEMA.empty_table()
        return pa.concat_tables(parts)

    def _conflicting_repeats(self, name: str) -> pa.Table:
        """A finding for each column where a repeat of a key differs from the row kept.

        Repeats of a key are kept once (the first row); a repeat that says something else
        (another date of birth, a later address) would otherwise vanish without a word. The
        finding names the column and the row kept, never the values, and says when the row
        kept does not record the column at all (its value was "N/K" where a later row has
        one), so that the analyst sees a value was not used rather than a disagreement. An
        age belongs to the row's event (a person is 14 at one offence and 15 at the next), so
        it is not compared.
        """
        key = quote_name(KEYED_TABLES[name])
        not_compared = {"agency", "source_file", "source_row", "age_recorded", "age_recorded_on"}
        compared = [
            c.name
            for c in CANONICAL_TABLES[name].columns
            if c.name not in not_compared and c.name != KEYED_TABLES[name]
        ]
        differs = ", ".join(
            f"CASE WHEN d.{quote_name(c)} IS DISTINCT FROM k.{quote_name(c)} "
            f"THEN {{'name': {quote_text(c)}, 'kept_blank': k.{quote_name(c)} IS NULL}} END"
            for c in compared
        )
        accepted = _accepted(name)
        # Keys whose rows disagree, found on a narrow (key, hash of the values) projection
        # first: repeats are common (a person on many offences), disagreements are not.
        values = ", ".join(f"c.{quote_name(c)}" for c in compared)
        self.con.execute(
            f"CREATE OR REPLACE TEMP TABLE conflicted AS SELECT {key} FROM "
            f"(SELECT c.{key}, hash({values}) AS h {accepted}) "
            "GROUP BY ALL HAVING count(DISTINCT h) > 1"
        )
        sql = (
            f"WITH rows AS (SELECT c.rowid AS rid, c.* {accepted} "
            f"SEMI JOIN conflicted m ON m.{key} = c.{key}), "
            "kept AS (SELECT a.* FROM rows a SEMI JOIN keep_ids k ON k.rid = a.rid), "
            "pairs AS (SELECT d.file_id, d.source_row, fk.name AS kept_file, "
            f"k.source_row AS kept_row, unnest([{differs}]) AS col "
            f"FROM rows d JOIN kept k ON d.{key} = k.{key} AND d.rid <> k.rid "
            "JOIN file_info fk ON fk.file_id = k.file_id) "
            f'SELECT f.agency, f.name AS source_file, {quote_text(name)} AS "table", '
            "p.col.name AS \"column\", p.source_row, 'conflicting_repeat' AS rule, "
            "'warning' AS severity, 'repeats the key of ' || p.kept_file || ' row ' || "
            "p.kept_row || CASE WHEN p.col.kept_blank THEN ' (kept), which does not record "
            "this column: the value on this row is not used' ELSE ' (kept) with a different "
            "value' END AS detail "
            "FROM pairs p JOIN file_info f USING (file_id) WHERE p.col IS NOT NULL "
            'ORDER BY source_file, p.source_row, "column"'
        )
        return self._arrow(sql).cast(DATA_QUALITY_FINDING.schema)

    def _findings(self, name: str, kept: str) -> pa.Table:
        sql = (
            f'SELECT agency, source_file, {quote_text(name)} AS "table", x."column", '
            "source_row, x.rule, 'warning' AS severity, x.detail FROM (SELECT f.agency, "
            f"f.name AS source_file, c.source_row, unnest(c._findings) AS x {kept} "
            "WHERE len(c._findings) > 0) "
            'ORDER BY source_file, source_row, x."column", x.rule, x.detail'
        )
        return self._arrow(sql).cast(DATA_QUALITY_FINDING.schema)
