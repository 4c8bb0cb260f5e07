"""Batch CSV handling without AWS: records and their offsets, bad rows, formula cells, and batch HIT items."""

import csv
import io

from openturk.data.batches import BATCH_PART, Batch
from openturk.domain import batch_chunks, batch_csv, batches

TEMPLATE = "<p>${a}</p><p>${b}</p>"


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def test_records_end_at_line_breaks_outside_quotes_and_know_their_bytes_and_lines():
    data = _csv([["a", "b"], ["1", 'two\nlines, "quoted"'], ["3", "é"]])
    found = list(
        batch_csv.records([data[i : i + 7] for i in range(0, len(data), 7)])
    )  # pieces split anywhere
    assert [r.line for r in found] == [1, 2, 4]
    assert b"".join(r.raw for r in found) == data
    assert all(data[r.start : r.end] == r.raw for r in found)
    assert batch_csv.cells(found[1]) == ["1", 'two\nlines, "quoted"']
    # a chunk read on its own from its offsets gives the same records
    again = list(batch_csv.records([data[found[1].start :]], found[1].start, found[1].line))
    assert [(r.start, r.line) for r in again] == [(found[1].start, 2), (found[2].start, 4)]


def test_bad_rows_say_why():
    header = ["a", "b"]
    records = list(batch_csv.records([b"1\r\n" + b'"x",\xff\r\n' + b'"x","' + b"y" * 70_000 + b'"\r\n']))
    rows = list(batches.rows(iter(records), header, TEMPLATE, 0))
    assert [r.values for r in rows] == [None, None, None]
    assert "1 cells" in rows[0].reason and "not UTF-8" in rows[1].reason and "limit" in rows[2].reason


def test_cells_a_spreadsheet_would_run_are_neutralised():
    for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert batch_csv.neutralise(value) == "'" + value
    assert batch_csv.neutralise("plain, text") == "plain, text"


def test_batch_hit_items_are_what_new_hit_builds_for_every_row():
    batch = Batch(
        batches.batch_id("AREQUESTER0001", "b"), BATCH_PART, requester_id="AREQUESTER0001", name="b",
        created_at=1_700_000_000.0, hit_layout_id="L" * 30, template=TEMPLATE, columns=["a", "b"],
        terms={"Title": "t", "Description": "d", "Reward": "0.05", "MaxAssignments": 2,
               "AssignmentDurationInSeconds": 60, "LifetimeInSeconds": 600},
    )  # fmt: skip
    context = batch_chunks._Context(batch)
    rows = [batches.Row(i, i + 2, {"a": f"<{i}>", "b": "x & y"}) for i in range(5)]
    items = [context.item(row) for row in rows]
    assert context._fast is True
    assert items == [context.hit(row).serialize() for row in rows]
    assert items[3]["HITId"]["S"] == batches.hit_id(batch.batch_id, 3) and len(items[3]["HITId"]["S"]) == 20
    assert "&lt;3&gt;" in items[3]["Question"]["S"]
