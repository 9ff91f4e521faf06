"""Delimited files read in one pass: pandas' columns and types, and every row, error and
unclosed quote named by the line a chemist would open in an editor."""

from __future__ import annotations

import gzip
import io

import pandas as pd
import pytest

from athanor.core.errors import InputDataError
from athanor.store.readers import count_records, read_chunks


def _write(path, text: str):
    data = text.replace(",", "\t").encode() if path.suffix == ".tsv" else text.encode()
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
    return path


@pytest.mark.parametrize("name", ["in.csv", "in.csv.gz", "in.tsv"])
def test_rows_keep_their_file_lines_across_chunks(tmp_path, name):
    text = 'smiles,name\r\nCCO,a\r\n"CC","two\r\nlines"\r\n\r\nC,"x ""y"""\r\nCO,\r\n'
    path = _write(tmp_path / name, text)
    chunks = list(read_chunks(path, chunk_size=2, text=True))
    assert [n for chunk in chunks for n in chunk.lines] == [2, 3, 6, 7]
    frame = pd.concat([chunk.frame for chunk in chunks], ignore_index=True)
    assert frame["name"].tolist() == ["a", "two\r\nlines", 'x "y"', ""]
    assert count_records(path, "tsv" if name.endswith(".tsv") else "csv") == 4


def test_a_delimited_file_is_read_in_one_pass(tmp_path, monkeypatch):
    parsed = []
    read_csv = pd.read_csv

    def recording(source, *args, **kwargs):
        parsed.append(source)
        return read_csv(source, *args, **kwargs)

    monkeypatch.setattr(pd, "read_csv", recording)
    path = _write(tmp_path / "in.csv.gz", "smiles,v\n" + "CCO,1\n" * 5)
    assert sum(len(chunk.frame) for chunk in read_chunks(path, chunk_size=2)) == 5
    assert parsed and all(isinstance(source, io.StringIO) for source in parsed)


def test_a_bad_row_is_named_by_its_file_line_after_a_quoted_newline(tmp_path):
    path = _write(tmp_path / "bad.csv", 'smiles,b\n"C\nC",2\n\nCC,3,4\n')
    with pytest.raises(InputDataError, match="Expected 2 fields in line 5, saw 3"):
        list(read_chunks(path, chunk_size=1))


def test_an_unclosed_quote_is_named_by_the_line_it_opens_on(tmp_path):
    path = _write(tmp_path / "bad.csv", 'smiles,b\nCC,1\n\nC,"abc\nCC,2\n')
    with pytest.raises(InputDataError, match="EOF inside string starting at line 4"):
        list(read_chunks(path))


def test_extra_fields_on_the_first_row_are_an_error_not_an_index(tmp_path):
    # pandas alone would take the SMILES for an index and give the names as SMILES
    path = _write(tmp_path / "trailing.csv", "smiles,name\nCCO,ethanol,\nCC,ethane,\n")
    with pytest.raises(InputDataError, match="Expected 2 fields in line 2, saw 3"):
        list(read_chunks(path))


def test_a_line_of_other_whitespace_is_a_row_as_pandas_reads_it(tmp_path):
    path = _write(tmp_path / "feed.csv", "smiles,v\nCCO,1\n\x0c\nCC,2\n")
    (chunk,) = read_chunks(path)
    assert chunk.frame["smiles"].tolist() == ["CCO", "\x0c", "CC"]
    assert chunk.lines == [2, 3, 4]
    assert count_records(path, "csv") == 3
