"""Exports keep what people typed as text: a value such as ``=HYPERLINK(...)`` or ``=cmd|...``
must never become a formula in the workbook or the CSV file a colleague opens (formula injection).

- ``text_cells(ws, values)``: the values for ``ws.append()``; strings openpyxl would store as a
  formula (they start with "=") are written as text cells instead. Works with write-only sheets.
- ``csv_row(values)``: the values for ``csv.writer.writerow()``; text starting with = + - @ or a
  tab/carriage return gets a leading apostrophe, as spreadsheet programs expect.
"""
from __future__ import annotations

CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text_cells(ws, values) -> list:
    from openpyxl.cell import WriteOnlyCell

    out = []
    for value in values:
        if isinstance(value, str) and value.startswith("="):
            cell = WriteOnlyCell(ws, value=value)
            cell.data_type = "s"
            out.append(cell)
        else:
            out.append(value)
    return out


def csv_row(values) -> list:
    return [f"'{v}" if isinstance(v, str) and v.startswith(CSV_FORMULA_START) else v for v in values]
