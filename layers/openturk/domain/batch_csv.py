"""CSV as batches need it: records with their byte offsets and line numbers (so that a chunk of a batch can
be read on its own with a ranged GET), and results written so that no spreadsheet runs a cell as a formula.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

BOM = "\ufeff"
# A cell a spreadsheet would evaluate starts with one of these (OWASP's list for CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Record:
    """One CSV record: its raw bytes, where they are in the file, and the line it starts on (1-based)."""

    raw: bytes
    start: int
    end: int
    line: int


def records(pieces: Iterable[bytes], start: int = 0, first_line: int = 1) -> Iterator[Record]:
    """Split a byte stream into CSV records without decoding it: a record ends at a line break outside
    quotes, which is where the count of '"' seen so far is even (RFC 4180 doubles quotes inside quoted
    fields). Memory holds one record at a time, never the file."""
    pending = b""
    record = bytearray()
    record_start, line, record_line, quotes = start, first_line, first_line, 0
    offset = start
    for piece in pieces:
        pending += piece
        while True:
            newline = pending.find(b"\n")
            if newline < 0:
                break
            physical, pending = pending[: newline + 1], pending[newline + 1 :]
            if not record:
                record_start, record_line = offset, line
            record += physical
            quotes += physical.count(b'"')
            offset += len(physical)
            line += 1
            if quotes % 2 == 0:
                yield Record(bytes(record), record_start, offset, record_line)
                record.clear()
                quotes = 0
    if pending or record:
        if not record:
            record_start, record_line = offset, line
        record += pending
        yield Record(bytes(record), record_start, offset + len(pending), record_line)


class BadRow(ValueError):
    """A record that cannot become a row: the reason is what the errors CSV says."""


def cells(record: Record, first: bool = False) -> list[str]:
    """The record's cells, decoded as UTF-8 (a byte-order mark on the header is dropped)."""
    try:
        text = record.raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadRow(
            f"not UTF-8 text (byte {error.start + 1} of the row is 0x{record.raw[error.start]:02X})"
        ) from None
    if first and text.startswith(BOM):
        text = text[1:]
    if text.endswith("\n"):
        text = text[:-2] if text.endswith("\r\n") else text[:-1]
    try:
        parsed = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as error:
        raise BadRow(f"not valid CSV ({error})") from None
    if len(parsed) != 1:
        raise BadRow("not valid CSV (an unbalanced quote)")
    return parsed[0]


def blank(record: Record) -> bool:
    return not record.raw.strip(b"\r\n\t ")


def neutralise(value: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading apostrophe, which shows it as text."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


class Writer:
    """Rows out as MTurk writes batch results: every cell quoted, CRLF between records, UTF-8."""

    def __init__(self, out: io.TextIOBase):
        self._csv = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")

    def header(self, names: list[str]) -> None:
        self._csv.writerow(names)

    def row(self, values: list[str]) -> None:
        self._csv.writerow([neutralise(value) for value in values])


def read_rows(data: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    """A small CSV read whole (a reviews file): (line, {column: cell}) for each record after the header.
    Raises BadRow for the header."""
    found = records([data])
    header: list[str] | None = None
    for record in found:
        if blank(record):
            continue
        if header is None:
            header = cells(record, first=True)
            continue
        try:
            values = cells(record)
        except BadRow as error:
            yield record.line, {"__error__": str(error)}
            continue
        yield record.line, dict(zip(header, values, strict=False))
    if header is None:
        raise BadRow("the file is empty")
