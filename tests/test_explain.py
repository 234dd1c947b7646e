"""Why is this a statement: rule ids on statements and `newsroom show --explain`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from index.extract import find_statements
from index.records import Actor
from reader.cli import EXIT_OK, main


def test_each_statement_records_its_rule_and_its_speaker_rule() -> None:
    body = '"We will not stop," Smith said. "Never."\nHe added that the talks had failed.'
    smith = Actor(
        "John Smith", "person", ("Smith",), tuple(m.span() for m in re.finditer("Smith", body))
    )
    found = {s.text: s for s in find_statements(body, [smith])}
    first = found["We will not stop"]
    assert (first.rule, first.speaker_rule) == ("verb.postposed-quote", "name")
    assert found["Never."].rule == "continuation.after"
    added = found["the talks had failed"]
    assert (added.rule, added.speaker_rule) == ("verb.preposed-clause", "pronoun")


def test_rule_ids_stay_out_of_the_json_and_out_of_equality() -> None:
    body = "Smith said the talks had failed."
    (st,) = find_statements(body, [Actor("Smith", "person", (), ((0, 5),))])
    assert set(st.to_json()) == {
        "speaker",
        "text",
        "kind",
        "act",
        "cue",
        "start",
        "end",
        "utterance",
    }
    from dataclasses import replace

    assert replace(st, rule="other", speaker_rule="other") == st


def test_show_explain_prints_the_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.txt"
    path.write_text(
        "Talks fail\n\nJohn Smith said the talks had failed on Monday.\n", encoding="utf-8"
    )
    assert main(["show", str(path), "--explain"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "statement rule: verb.preposed-clause; speaker rule: name" in out
    assert "the talks had failed" in out
