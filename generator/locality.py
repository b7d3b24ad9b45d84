"""Locality settings: the province/district choices layered over the bundled default (spec §0.3)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from .errors import ConfigError, InputError
from .load import load_yaml_file
from .registry import SCHEMA_BASE, schema_registry
from .resources import data_dir

DEFAULT_FILE = "mac_dinh.yaml"


def merge(base: dict, override: dict) -> dict:
    """Deep-merge two mappings; the override wins, nested mappings merge key by key."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def load_locality(path: str | Path | None = None) -> dict[str, Any]:
    """Load the bundled default locality, overlaid by the user's file when given.

    Raises ConfigError naming the file and the JSON path of a bad setting.
    """
    settings = load_yaml_file(data_dir("localities") / DEFAULT_FILE)
    source = "mặc định"
    if path is not None:
        shown = str(path)
        try:
            user = load_yaml_file(Path(path), shown)
        except InputError as exc:
            raise ConfigError(exc.message, file=shown) from None
        if not isinstance(user, dict):
            raise ConfigError("Tệp thiết lập địa phương phải là một bảng khóa: giá trị.", file=shown, json_path="$")
        settings = merge(settings, user)
        source = shown
    validator = Draft202012Validator(
        schema_registry()[SCHEMA_BASE + "locality.schema.json"].contents, registry=schema_registry()
    )
    error = next(iter(sorted(validator.iter_errors(settings), key=lambda e: e.json_path)), None)
    if error is not None:
        raise ConfigError(f"Thiết lập địa phương không hợp lệ: {error.message}", file=source, json_path=error.json_path)
    settings["_nguon"] = source
    return settings
