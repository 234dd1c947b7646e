"""The user's settings: `$XDG_CONFIG_HOME/newsroom/config.toml`, the environment and flags."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - 3.10 only
    import tomli as tomllib

CONFIG_NAME = "config.toml"
# A binding id (`quit`, `feed.down`) maps to one key or several, comma-separated.
_BINDING_ID = re.compile(r"^[a-z][a-z0-9_.-]*$")
_KEY = re.compile(r"^[A-Za-z0-9_+]+$")
_DIRECTIVE = re.compile(r"%[-_0^#]?(.|$)")
_STRFTIME = set("aAwdbBmyYHIpMSfzZjUWcxXGuVeklsnthDFrRTCgP%")

# (key, default, environment variable or None, what it is)
SETTINGS: tuple[tuple[str, str, str | None, str], ...] = (
    (
        "library",
        "",
        "NEWSROOM_LIBRARY",
        "library folder or postgresql:// URL opened without --library",
    ),
    ("theme", "textual-dark", "NEWSROOM_THEME", "colour theme (ctrl+p > theme; remembered)"),
    ("pager", "", "NEWSROOM_PAGER", "program `o` opens the source file in ($PAGER, less)"),
    ("date_format", "%Y-%m-%d", "NEWSROOM_DATE_FORMAT", "strftime format of dates in the feed"),
    ("pipe_command", "", "NEWSROOM_PIPE", "default command for `|` (pipe the article)"),
    ("user", "", "NEWSROOM_USER", "whose read/starred marks in a shared (PostgreSQL) library"),
    (
        "read_url",
        "",
        "NEWSROOM_READ_URL",
        "hot standby of the shared library: reads go there, writes and marks to the primary",
    ),
    ("jobs", "", "NEWSROOM_JOBS", "parse processes of an ingest, at least 1 (empty: one per core)"),
)
DEFAULTS = {key: default for key, default, _, _ in SETTINGS}
ORIGINS = ("default", "file", "env", "flag")


@dataclass(frozen=True)
class Config:
    """Effective settings; `origins[key]` says where each value came from."""

    path: Path
    values: Mapping[str, str]
    origins: Mapping[str, str]
    keys: Mapping[str, str] = field(default_factory=dict)
    keys_origin: Mapping[str, str] = field(default_factory=dict)
    # One line each: a bad value (named with its key and the file), an unreadable file.
    errors: tuple[str, ...] = ()

    def get(self, key: str) -> str:
        return self.values.get(key, DEFAULTS.get(key, ""))

    @property
    def library(self) -> Path | None:
        value = self.get("library")
        return Path(value).expanduser() if value else None

    @property
    def pager(self) -> list[str]:
        import shlex

        for spec in (self.get("pager"), os.environ.get("PAGER", ""), "less"):
            try:
                words = shlex.split(spec)
            except ValueError:
                continue
            if words:
                return words
        return ["less"]


def config_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "newsroom"


def config_path(env: Mapping[str, str] | None = None) -> Path:
    return config_dir(env) / CONFIG_NAME


def parse_keymap(spec: str | None) -> dict[str, str]:
    """`"help=f1;quit=ctrl+x"` -> {"help": "f1", "quit": "ctrl+x"}; bad parts are ignored."""
    keymap = {}
    for part in (spec or "").split(";"):
        binding_id, sep, keys = part.partition("=")
        if sep and binding_id.strip() and keys.strip():
            keymap[binding_id.strip()] = keys.strip()
    return keymap


def check_value(key: str, value: object) -> str | None:
    """Why `value` is no good for `key` (None when it is)."""
    if not isinstance(value, str):
        return f"expected a string, got {type(value).__name__}"
    if "\n" in value or "\x00" in value:
        return "must be one line"
    if key == "date_format":
        if not value.strip():
            return "must not be empty"
        unknown = sorted({d for d in _DIRECTIVE.findall(value) if d not in _STRFTIME})
        if unknown or "%" not in value:
            return f'not a strftime date format like "%Y-%m-%d" ({value!r})'
        try:
            sample = datetime(2024, 12, 31, 23, 59).strftime(value)
        except (ValueError, OSError) as exc:
            return f"not a strftime format ({exc})"
        if not sample.strip() or len(sample) > 32 or "\n" in sample:
            return "a date in this format is empty, longer than 32 characters or several lines"
    if key == "jobs":
        from index import jobs

        try:
            jobs.check(value)
        except ValueError as exc:
            return str(exc)
    if key == "theme" and not value.strip():
        return "must not be empty"
    return None


def check_keys(keys: Mapping[str, object]) -> tuple[dict[str, str], list[str]]:
    """The usable (binding id -> keys) pairs and one problem line per bad one."""
    good: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, value in keys.items():
        if not _BINDING_ID.match(binding_id):
            problems.append(f"keys.{binding_id}: not a binding id")
            continue
        if not isinstance(value, str) or not value.strip():
            problems.append(f'keys.{binding_id}: expected keys like "f1" or "j,down"')
            continue
        parts = [p.strip() for p in value.split(",")]
        if not all(parts) or not all(_KEY.match(p) for p in parts):
            problems.append(f'keys.{binding_id}: {value!r} is not a key list like "j,down"')
            continue
        good[binding_id] = ",".join(parts)
    return good, problems


def _read_file(path: Path) -> tuple[dict[str, Any], list[str]]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}, []
    except OSError as exc:
        return {}, [f"{path}: cannot be read ({exc.strerror or exc}); using the defaults"]
    try:
        return tomllib.loads(raw.decode("utf-8")), []
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        reason = " ".join(str(exc).split())
        return {}, [f"{path}: not valid TOML ({reason}); using the defaults"]


def load_config(
    path: Path | None = None,
    env: Mapping[str, str] | None = None,
    flags: Mapping[str, str | None] | None = None,
) -> Config:
    """Defaults, then the file, then NEWSROOM_* variables, then command-line flags."""
    env = os.environ if env is None else env
    path = config_path(env) if path is None else path
    data, errors = _read_file(path)
    values = dict(DEFAULTS)
    origins = dict.fromkeys(DEFAULTS, "default")
    known = {key for key, *_ in SETTINGS} | {"keys"}
    for key in data:
        if key not in known:
            errors.append(f"{path}: {key}: unknown setting (known: {', '.join(sorted(known))})")
    for key, _, variable, _ in SETTINGS:
        if key in data:
            problem = check_value(key, data[key])
            if problem:
                errors.append(f"{path}: {key}: {problem}; using the default")
            else:
                values[key], origins[key] = data[key], "file"
        if variable and env.get(variable):
            problem = check_value(key, env[variable])
            if problem:
                errors.append(f"${variable}: {problem}; ignored")
            else:
                values[key], origins[key] = env[variable], "env"
        flag = (flags or {}).get(key)
        if flag:
            values[key], origins[key] = flag, "flag"
    keys: dict[str, str] = {}
    keys_origin: dict[str, str] = {}
    table = data.get("keys", {})
    if not isinstance(table, dict):
        errors.append(f'{path}: keys: expected a table ([keys] binding-id = "key")')
        table = {}
    good, problems = check_keys(table)
    errors.extend(f"{path}: {p}; ignored" for p in problems)
    keys.update(good)
    keys_origin.update(dict.fromkeys(good, "file"))
    from_env = parse_keymap(env.get("NEWSROOM_KEYS"))
    good, problems = check_keys(from_env)
    errors.extend(f"$NEWSROOM_KEYS: {p}; ignored" for p in problems)
    keys.update(good)
    keys_origin.update(dict.fromkeys(good, "env"))
    return Config(path, values, origins, keys, keys_origin, tuple(errors))


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def save_setting(path: Path, key: str, value: str) -> None:
    """Set top-level `key = "value"` in the file, keeping every other line as it is."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        lines = []
    line = f"{key} = {_toml_string(value)}"
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for i, old in enumerate(lines):
        if old.lstrip().startswith("["):  # top-level keys come before the first table
            lines.insert(i, line)
            break
        if pattern.match(old):
            lines[i] = line
            break
    else:
        lines.append(line)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(temporary, path)


def describe(config: Config) -> list[str]:
    """`newsroom config`: the path, then `key = value  # origin` per setting and key."""
    exists = "" if config.path.exists() else "  (not there yet: defaults in use)"
    out = [f"# {config.path}{exists}"]
    for key, _, variable, about in SETTINGS:
        origin = config.origins.get(key, "default")
        where = f"env ${variable}" if origin == "env" and variable else origin
        out.append(f"{key} = {_toml_string(config.get(key))}  # {where}: {about}")
    out.append("[keys]")
    for binding_id, keys in sorted(config.keys.items()):
        origin = config.keys_origin.get(binding_id, "file")
        where = "env $NEWSROOM_KEYS" if origin == "env" else origin
        out.append(f"{binding_id} = {_toml_string(keys)}  # {where}")
    return out
