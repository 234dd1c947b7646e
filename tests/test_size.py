"""The size limits of the house (tools/check_size.py): modules up to 500 lines, functions up to 80."""

from __future__ import annotations

from pathlib import Path

from tools import check_size


def test_no_module_or_function_over_the_limits() -> None:
    failing, _reported = check_size.check()
    assert failing == [], "\n".join(failing)


def test_the_check_finds_a_long_module_and_a_long_function(tmp_path: Path) -> None:
    package = tmp_path / "index"
    package.mkdir()
    body = "\n".join(f"    x{i} = {i}" for i in range(85))
    (package / "big.py").write_text(
        '"""A module too long."""\n\n\ndef long() -> None:\n' + body + "\n" + "\n" * 450
    )
    (package / "small.py").write_text('"""Small."""\n\n\ndef short() -> None:\n    pass\n')
    failing, reported = check_size.check(tmp_path)
    assert reported == []
    assert [line.split(":")[0] for line in failing] == ["index/big.py", "index/big.py"]
    assert "539 lines" in failing[0] and "long: 86 lines" in failing[1]
