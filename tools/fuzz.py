"""Fuzz the load and validate stages: mutate example forms and the demo unit, run hoso on each, count what escapes.

Every example form (tests/examples/valid/*.yaml, the forms of examples/demo) and every data
file of the demo unit (don_vi.yaml, dia_phuong.yaml, its forms) is mutated one way at a time:
keys that are not text, deep nesting, huge numbers, NaN and infinities, impossible dates, NFD
and zero-width text, control characters, wrong types, deleted, renamed and repeated keys, YAML
tags, other encodings, truncation, flipped bytes. Each input goes through ``hoso validate`` and
``hoso check`` in-process (a unit through ``hoso check``; a form that validates also through
``hoso render``), and must end with exit code 0 or 1, every error finding naming its file and a
JSON path starting with ``$``, and no exception.

    .venv/bin/python tools/fuzz.py                 # 10,000 inputs, seed 1
    .venv/bin/python tools/fuzz.py --n 500 --seed 7

Prints how many inputs were accepted and rejected, and each kind of escaped exception or broken
contract once, with a sample traceback, the file and the mutation. Exit code 1 if any escaped.
tests/test_fuzz.py drives the same mutations with hypothesis.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
import traceback
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo"
UNIT_DATA = ("don_vi.yaml", "dia_phuong.yaml")


def example_forms() -> list[Path]:
    """Every example form: the valid test examples and the demo unit's forms."""
    demo = sorted(p for p in DEMO.rglob("*.yaml") if p.name not in UNIT_DATA)
    return sorted((ROOT / "tests" / "examples" / "valid").glob("*.yaml")) + demo


def unit_files() -> list[str]:
    """The demo unit's data files, relative to the unit folder: manifest and locality first."""
    return list(UNIT_DATA) + [p.relative_to(DEMO).as_posix() for p in example_forms() if DEMO in p.parents]


# -- reading the originals without hoso (dates stay text, as hoso reads them) ------------------
class _Plain(yaml.SafeLoader):
    pass


_Plain.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read(text: str) -> Any:
    return yaml.load(text, Loader=_Plain)  # noqa: S506 - a SafeLoader


# -- mutations --------------------------------------------------------------------------------
CONTROL = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1b[31m", "\x1b]0;x\x07", "\x7f", "\x85", "\x9b",
           "\u2028", "\u2029", "\ud800", "\udfff", "\ufffe", "\uffff", "\ufdd0", "\U0001fffe", "\u202e", "\u2066", "\u200f",
           "\r", "\r\n", "\t", "\n"]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e"]
BAD_DATES = ["2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "2024-12-32", "0000-01-01", "2024-1-5",
             "2024-12-10T25:00", "2024-12-10T07:60", "2024-02-30T07:30", "2024-12-10T24:00", "2024-12-10 07:30",
             "2024-12-10T07:30+07:00", "2024-12-10T07:30:00Z", "2024-12-10T07:30:61", "2024-12-05\n", " 2024-12-05", "2024-W50-1",
             "20241205", "2024-12-05T", "9999-99-99", "2024-12-10T07:30garbage"]
WRONG = [None, True, False, 0, -1, 1.5, -0.0, "", " ", "abc", "HTXSNV", [], {}, [1, "a"], {"a": 1}, [[]], [{}], "x" * 5000,
         "Dòng một\nDòng hai", 2024, "2024", 10**15]
TAGS = ["!!binary aGVsbG8=", "!!set {a, b}", "!!timestamp 2024-01-01", "!!timestamp 2024-12-10T07:30:00Z", "!!omap [{a: 1}]",
        "!!pairs [{a: 1}]", "!!python/object:os.system ls", "!!python/name:os.system", "!!float 1e999", "!!int 0x7fffffff",
        "!!str 123", "!!null ''", "!!bool yes", "&neo 1", "*neo", "!custom x", "yes", "on", "0o17", "1:30", "0b1010", "~", "''",
        "|\n  văn bản\n", "'a''b'", "\"\\x00\"", "\"\\u202e\"", "\"\\U0001FFFE\"", "\"\\ud800\"", "\"\\e[31m\""]


class Placeholders:
    """Tokens dumped as plain scalars and replaced afterwards by text no dumper would write."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        token = f"ZZPLACEHOLDER{len(self.texts)}ZZ"
        self.texts[token] = text
        return token

    def apply(self, text: str) -> str:
        for token, value in self.texts.items():
            text = text.replace(f'"{token}"', value).replace(f"'{token}'", value).replace(token, value)
        return text


@dataclass
class Tree:
    """The parsed data of one file, with helpers to pick a place to mutate."""

    data: Any
    rng: random.Random

    def nodes(self) -> list[tuple[Any, Any, str]]:
        """Every (container, key, path) below the root, iteratively."""
        out, todo = [], [(self.data, "$")]
        while todo:
            node, path = todo.pop()
            items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
            for key, value in items:
                here = f"{path}.{key}" if isinstance(node, dict) else f"{path}[{key}]"
                out.append((node, key, here))
                todo.append((value, here))
        return out

    def pick(self, want: Callable[[Any, Any], bool] = lambda c, k: True) -> tuple[Any, Any, str] | None:
        found = [n for n in self.nodes() if want(n[0], n[1])]
        return self.rng.choice(found) if found else None

    def dicts(self) -> list[tuple[dict, str]]:
        out = [(self.data, "$")] if isinstance(self.data, dict) else []
        return out + [(c[k], p) for c, k, p in self.nodes() if isinstance(c[k], dict)]


def _is_text(c, k) -> bool:
    return isinstance(c[k], str)


def _is_leaf(c, k) -> bool:
    return not isinstance(c[k], (dict, list))


def _insert(rng: random.Random, text: str, extra: str) -> str:
    at = rng.randint(0, len(text))
    return text[:at] + extra + text[at:]


def m_non_string_key(t: Tree, ph: Placeholders, json_out: bool) -> str:
    container, path = t.rng.choice(t.dicts()) if t.dicts() else ({}, "$")
    key = t.rng.choice([1, 0, -7, None, True, False, 2.5, "LIST", "MAP", "BIGINT"])
    if key == "LIST":
        key = ph("[a, b]")
    elif key == "MAP":
        key = ph("{a: 1}")
    elif key == "BIGINT":
        key = ph("9" * t.rng.choice([25, 5000]))
    container[key] = t.rng.choice(["x", 1, None, [], {"a": 1}])
    return f"{path} + khóa {key!r}"


def m_deep(t: Tree, ph: Placeholders, json_out: bool) -> str:
    spot = t.pick()
    depth = t.rng.choice([63, 64, 65, 66, 100, 500, 1000, 5000, 100_000])
    kind = t.rng.choice(["list", "map", "mixed"])
    if kind == "list":
        text = "[" * depth + "]" * depth
    elif kind == "map":
        text = ('{"a": ' if json_out else "{a: ") * depth + "1" + "}" * depth
    else:
        text = ('[{"a": ' if json_out else "[{a: ") * (depth // 2) + "1" + "}]" * (depth // 2)
    if spot is None:
        t.data = {"x": ph(text)}
        return f"$ ← lồng {depth} tầng ({kind})"
    c, k, p = spot
    c[k] = ph(text)
    return f"{p} ← lồng {depth} tầng ({kind})"


def m_huge_number(t: Tree, ph: Placeholders, json_out: bool) -> str:
    spot = t.pick(lambda c, k: isinstance(c[k], (int, float)) and not isinstance(c[k], bool)) or t.pick(_is_leaf)
    if spot is None:
        return "không có chỗ"
    digits = t.rng.choice([15, 16, 17, 20, 21, 100, 4300, 4301, 10_000])
    text = t.rng.choice(["9" * digits, "-" + "9" * digits, "1" + "0" * digits, "0." + "0" * digits + "1", "1" + "0" * digits + ".5",
                         "1.0e+999", "-1.0e+999", "1.0e-999", "1e400", "0x" + "f" * digits, "1_000_000_000_000_000_000", "9007199254740993"])
    if json_out and not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?", text):
        text = "9" * digits
    c, k, p = spot
    c[k] = ph(text)
    return f"{p} ← {text[:30]}… ({len(text)} ký tự)"


def m_non_finite(t: Tree, ph: Placeholders, json_out: bool) -> str:
    spot = t.pick(lambda c, k: isinstance(c[k], (int, float)) and not isinstance(c[k], bool)) or t.pick(_is_leaf)
    if spot is None:
        return "không có chỗ"
    text = t.rng.choice(["NaN", "Infinity", "-Infinity"] if json_out else [".nan", ".NaN", ".inf", "-.inf", "+.INF", ".Inf"])
    c, k, p = spot
    c[k] = ph(text)
    return f"{p} ← {text}"


def m_bad_date(t: Tree, ph: Placeholders, json_out: bool) -> str:
    dated = lambda c, k: isinstance(c[k], str) and re.match(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", c[k])  # noqa: E731
    spot = t.pick(dated) or t.pick(_is_leaf)
    if spot is None:
        return "không có chỗ"
    c, k, p = spot
    c[k] = t.rng.choice(BAD_DATES)
    return f"{p} ← {c[k]!r}"


def m_nfd(t: Tree, ph: Placeholders, json_out: bool) -> str:
    count = 0
    for c, k, _ in t.nodes():
        if isinstance(c[k], str) and t.rng.random() < 0.5:
            c[k] = unicodedata.normalize("NFD", c[k])
            count += 1
    return f"{count} chuỗi NFD"


def m_zero_width(t: Tree, ph: Placeholders, json_out: bool) -> str:
    spot = t.pick(_is_text)
    if spot is None:
        return "không có chỗ"
    c, k, p = spot
    char = t.rng.choice(ZERO_WIDTH)
    c[k] = _insert(t.rng, c[k], char)
    return f"{p} + U+{ord(char):04X}"


def m_control(t: Tree, ph: Placeholders, json_out: bool) -> str:
    char = t.rng.choice(CONTROL)
    if t.rng.random() < 0.25 and t.dicts():  # in a key
        d, p = t.rng.choice(t.dicts())
        if d:
            key = t.rng.choice(list(d))
            if isinstance(key, str):
                d[_insert(t.rng, key, char)] = d.pop(key)
                return f"{p} khóa {key!r} + {char!r}"
    spot = t.pick(_is_text) or t.pick(_is_leaf)
    if spot is None:
        return "không có chỗ"
    c, k, p = spot
    c[k] = _insert(t.rng, c[k] if isinstance(c[k], str) else "x", char)
    return f"{p} + {char!r}"


def m_wrong_type(t: Tree, ph: Placeholders, json_out: bool) -> str:
    spot = t.pick()
    if spot is None:
        return "không có chỗ"
    c, k, p = spot
    c[k] = t.rng.choice(WRONG)
    if isinstance(c[k], (list, dict)):
        c[k] = json.loads(json.dumps(c[k]))
    return f"{p} ← {repr(c[k])[:40]}"


def m_delete_key(t: Tree, ph: Placeholders, json_out: bool) -> str:
    spot = t.pick(lambda c, k: isinstance(c, dict))
    if spot is None:
        return "không có chỗ"
    c, k, p = spot
    del c[k]
    return f"xóa {p}"


def m_rename_key(t: Tree, ph: Placeholders, json_out: bool) -> str:
    spot = t.pick(lambda c, k: isinstance(c, dict) and isinstance(k, str) and k)
    if spot is None:
        return "không có chỗ"
    c, k, p = spot
    i = t.rng.randrange(len(k))
    new = t.rng.choice([k + "s", k[:i] + k[i + 1:], k[:i] + k[i:i + 2][::-1] + k[i + 2:], k.upper(), k.replace("_", "-"), " " + k, "đ" + k])
    if new in c:
        return "không đổi"
    c[new] = c.pop(k)
    return f"{p} → {new!r}"


def m_long_text(t: Tree, ph: Placeholders, json_out: bool) -> str:
    spot = t.pick(_is_text) or t.pick(_is_leaf)
    if spot is None:
        return "không có chỗ"
    c, k, p = spot
    size = t.rng.choice([301, 2001, 100_000, 1_000_000])
    c[k] = ("Nội dung dài " * (size // 13 + 1))[:size]
    return f"{p} ← {size} ký tự"


def m_yaml_tag(t: Tree, ph: Placeholders, json_out: bool) -> str:
    spot = t.pick()
    if spot is None:
        return "không có chỗ"
    c, k, p = spot
    tag = t.rng.choice(TAGS)
    if t.rng.random() < 0.2 and t.dicts():
        d, dp = t.rng.choice(t.dicts())
        d[ph("<<")] = {"a": 1}
        return f"{dp} + khóa gộp <<"
    c[k] = ph(tag if "\n" not in tag else "'văn bản'")
    return f"{p} ← {tag!r}"


def m_other_number(t: Tree, ph: Placeholders, json_out: bool) -> str:
    spot = t.pick(lambda c, k: isinstance(c[k], (int, float)) and not isinstance(c[k], bool))
    if spot is None:
        return "không có số"
    c, k, p = spot
    c[k] = t.rng.choice([0, -1, 1, 2, 3, 7, 100, 101, 10**6, 10**9, 0.5, 2.25, -0.5, c[k] + 1, c[k] - 1, c[k] * 10])
    return f"{p} ← {c[k]!r}"


def m_other_date(t: Tree, ph: Placeholders, json_out: bool) -> str:
    dated = lambda c, k: isinstance(c[k], str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9:]+)?", c[k])  # noqa: E731
    spots = [n for n in t.nodes() if dated(n[0], n[1])]
    if not spots:
        return "không có ngày"
    c, k, p = t.rng.choice(spots)
    if t.rng.random() < 0.3 and len(spots) > 1:  # swap two dates: order rules see the other way round
        c2, k2, p2 = t.rng.choice(spots)
        c[k], c2[k2] = c2[k2], c[k]
        return f"đổi chỗ {p} và {p2}"
    day = t.rng.choice(["1900-01-01", "1999-12-31", "2023-12-31", "2024-01-01", "2024-02-29", "2024-06-30", "2024-12-31",
                        "2025-01-01", "2025-02-28", "2099-12-31", "0001-01-01", "9999-12-31"])
    c[k] = day + (c[k][10:] if len(c[k]) > 10 else "")
    return f"{p} ← {c[k]!r}"


def m_other_text(t: Tree, ph: Placeholders, json_out: bool) -> str:
    texts = [n for n in t.nodes() if isinstance(n[0][n[1]], str)]
    if not texts:
        return "không có chữ"
    c, k, p = t.rng.choice(texts)
    pool = sorted({n[0][n[1]] for n in texts})
    c[k] = t.rng.choice(pool + ["", " ", "khong_co", "HTXSNV", "HTTNV", "HTNV", "KHTNV", "lanh_dao", "0", "-"])
    return f"{p} ← {c[k][:40]!r}"


def m_list_items(t: Tree, ph: Placeholders, json_out: bool) -> str:
    spot = t.pick(lambda c, k: isinstance(c[k], list))
    if spot is None:
        return "không có danh sách"
    c, k, p = spot
    items = c[k]
    how = t.rng.choice(["lap", "xoa", "dao", "rong"])
    if how == "lap" and items:
        items.append(json.loads(json.dumps(t.rng.choice(items))))
    elif how == "xoa" and items:
        del items[t.rng.randrange(len(items))]
    elif how == "dao":
        t.rng.shuffle(items)
    else:
        c[k] = []
    return f"{p}: {how}"


DATA_MUTATIONS: dict[str, Callable[[Tree, Placeholders, bool], str]] = {
    "so_khac": m_other_number,
    "ngay_khac": m_other_date,
    "chu_khac": m_other_text,
    "muc_danh_sach": m_list_items,
    "khoa_khong_phai_chu": m_non_string_key,
    "long_sau": m_deep,
    "so_qua_lon": m_huge_number,
    "nan_vo_han": m_non_finite,
    "ngay_khong_co_that": m_bad_date,
    "chu_nfd": m_nfd,
    "ky_tu_do_rong_0": m_zero_width,
    "ky_tu_dieu_khien": m_control,
    "sai_kieu": m_wrong_type,
    "xoa_khoa": m_delete_key,
    "doi_ten_khoa": m_rename_key,
    "chu_rat_dai": m_long_text,
    "the_yaml": m_yaml_tag,
}


def t_duplicate_key(text: str, rng: random.Random) -> tuple[str, str]:
    lines = text.split("\n")
    keyed = [i for i, line in enumerate(lines) if re.match(r"\s*(- )?[A-Za-z_][\w]*:", line) and not line.lstrip().startswith("#")]
    if not keyed:
        return text + "\nbieu_mau: x\nbieu_mau: y\n", "thêm khóa trùng ở gốc"
    i = rng.choice(keyed)
    line = lines[i]
    copy = re.sub(r"^(\s*)- ", r"\1  ", line)  # the copy of a list item's first key is a sibling key
    lines.insert(i + 1, copy)
    return "\n".join(lines), f"lặp dòng {i + 1}: {line.strip()[:40]}"


def t_raw_control(text: str, rng: random.Random) -> tuple[str, str]:
    char = rng.choice(CONTROL + ZERO_WIDTH)
    return _insert(rng, text, char), f"chèn {char!r} vào văn bản thô"


def t_truncate(text: str, rng: random.Random) -> tuple[str, str]:
    at = rng.randint(0, len(text))
    return text[:at], f"cắt ở ký tự {at}"


def t_root(text: str, rng: random.Random) -> tuple[str, str]:
    new = rng.choice(["[]", "[1, 2]", "'chỉ một dòng'", "null", "42", "---\n---\n", "--- a\n--- b\n", "{}", "~", "!!binary aGVsbG8=",
                      text + "\n---\n" + text, "%YAML 1.2\n---\n" + text, "%TAG ! tag:x,2024:\n---\n" + text])
    return new, f"gốc ← {new[:30]!r}"


TEXT_MUTATIONS: dict[str, Callable[[str, random.Random], tuple[str, str]]] = {
    "trung_khoa": t_duplicate_key,
    "ky_tu_tho": t_raw_control,
    "cat_ngan": t_truncate,
    "goc_la": t_root,
}

ENCODINGS = ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig", "cp1258", "latin-1", "utf-8+nul", "flip"]


def b_encoding(text: str, rng: random.Random) -> tuple[bytes, str]:
    enc = rng.choice(ENCODINGS)
    if enc == "utf-8+nul":
        raw = text.encode("utf-8")
        at = rng.randint(0, len(raw))
        return raw[:at] + b"\x00" + raw[at:], "byte NUL"
    if enc == "flip":
        raw = bytearray(text.encode("utf-8"))
        for _ in range(rng.randint(1, 5)):
            if raw:
                raw[rng.randrange(len(raw))] = rng.randrange(256)
        return bytes(raw), "đổi byte ngẫu nhiên"
    return text.encode(enc, errors="replace"), f"bảng mã {enc}"


MUTATIONS = [*DATA_MUTATIONS, *TEXT_MUTATIONS, "bang_ma"]


def mutate(text: str, name: str, rng: random.Random) -> tuple[bytes, str, bool]:
    """Apply mutation ``name`` to a YAML file's text: (new bytes, what was done, written as JSON)."""
    if name == "bang_ma":
        raw, what = b_encoding(text, rng)
        return raw, what, False
    if name in TEXT_MUTATIONS:
        new, what = TEXT_MUTATIONS[name](text, rng)
        return new.encode("utf-8", errors="surrogatepass"), what, False
    tree = Tree(_read(text), rng)
    ph = Placeholders()
    json_out = rng.random() < 0.25 and name not in ("the_yaml",)
    what = DATA_MUTATIONS[name](tree, ph, json_out)
    if json_out:
        try:
            out = json.dumps(tree.data, ensure_ascii=rng.random() < 0.5, indent=rng.choice([None, 2]), allow_nan=True)
        except (TypeError, ValueError):
            json_out = False
    if not json_out:
        out = yaml.safe_dump(tree.data, allow_unicode=rng.random() < 0.8, sort_keys=False, width=10**9,
                             default_flow_style=rng.choice([False, None]))
    return ph.apply(out).encode("utf-8", errors="surrogatepass"), what, json_out


# -- running ----------------------------------------------------------------------------------
@dataclass
class Outcome:
    """What one command did with one input: exit code, or the exception that escaped, or a broken contract."""

    command: str
    exit_code: int | None = None
    error: str | None = None
    trace: str | None = None
    seconds: float = 0.0


def invoke(args: list[str]) -> Outcome:
    """Run ``hoso ARGS`` in-process; check the contract of exit codes and findings."""
    from click.testing import CliRunner

    from generator.cli import main

    start = time.perf_counter()
    out = Outcome(args[0])
    try:
        result = CliRunner().invoke(main, args, catch_exceptions=False)
    except Exception as exc:  # noqa: BLE001 - counting them is the point
        out.error = f"{type(exc).__name__}: {str(exc)[:200]}"
        out.trace = traceback.format_exc()
        out.seconds = time.perf_counter() - start
        return out
    out.seconds = time.perf_counter() - start
    out.exit_code = result.exit_code
    problem = contract_problem(args, result.exit_code, result.stdout, result.stderr)
    if problem:
        out.error = problem
        out.trace = f"$ hoso {' '.join(args)}\n--- stdout ---\n{result.stdout[-3000:]}\n--- stderr ---\n{result.stderr[-3000:]}"
    return out


def contract_problem(args: list[str], code: int, stdout: str, stderr: str) -> str | None:
    """What is wrong with a run's result, or None: exit 0 or 1; JSON output; every error finding located."""
    if code not in (0, 1):
        return f"mã thoát {code}"
    if "Traceback" in stdout or "Traceback" in stderr:
        return "có Traceback trong kết quả"
    if "--format" not in args:
        return None
    try:
        report, _ = json.JSONDecoder().raw_decode(stdout)  # render prints its file list after the JSON
    except ValueError:
        # A HosoError the CLI printed (a bad locality file): one "Lỗi: …" line per problem.
        if code == 1 and stderr.strip() and all(line.startswith("Lỗi: ") for line in stderr.strip().split("\n")):
            return None
        return "kết quả không phải JSON"
    for f in report.get("findings", []):
        if f["severity"] == "error" and not (f.get("file") and str(f.get("json_path", "")).startswith("$") and f.get("rule_id") and f.get("message_vi")):
            return f"phát hiện thiếu tệp hoặc đường dẫn JSON: {json.dumps(f, ensure_ascii=False)[:300]}"
    if code == 1 and not any(f["severity"] == "error" for f in report.get("findings", [])):
        return "mã thoát 1 mà không có lỗi nào"
    return None


@dataclass
class Report:
    """Counts over a fuzzing run and one sample per kind of escape."""

    inputs: int = 0
    accepted: int = 0
    rejected: int = 0
    escaped: int = 0
    by_mutation: Counter = field(default_factory=Counter)
    escapes: dict[str, tuple[int, str, str, str]] = field(default_factory=dict)
    slowest: tuple[float, str] = (0.0, "")

    def record(self, label: str, mutation: str, outcomes: list[Outcome]) -> None:
        self.inputs += 1
        self.by_mutation[mutation] += 1
        bad = [o for o in outcomes if o.error]
        for o in outcomes:
            if o.seconds > self.slowest[0]:
                self.slowest = (o.seconds, f"{o.command} {label}")
        if bad:
            self.escaped += 1
            for o in bad:
                key = f"{o.command}: {_signature(o)}"
                count, *rest = self.escapes.get(key, (0, label, mutation, o.trace or ""))
                self.escapes[key] = (count + 1, *rest)
        elif all(o.exit_code == 0 for o in outcomes):
            self.accepted += 1
        else:
            self.rejected += 1

    def text(self) -> str:
        lines = [
            f"Đầu vào: {self.inputs}; chấp nhận (mã 0): {self.accepted}; bị từ chối với phát hiện (mã 1): {self.rejected}; "
            f"ngoại lệ lọt ra hoặc sai hợp đồng: {self.escaped}",
            "Theo đột biến: " + ", ".join(f"{k} {v}" for k, v in sorted(self.by_mutation.items())),
            f"Chậm nhất: {self.slowest[0]:.2f} s ({self.slowest[1]})",
        ]
        for key, (count, label, mutation, trace) in sorted(self.escapes.items(), key=lambda kv: -kv[1][0]):
            lines += ["", f"=== {count} lần: {key}", f"Ví dụ: {label} [{mutation}]", trace.rstrip()]
        return "\n".join(lines)


def _signature(o: Outcome) -> str:
    """The kind of an escape: exception type and the innermost frame of hoso's code."""
    if o.trace and "Traceback" in o.trace:
        frames = re.findall(r'File "([^"]+)", line (\d+), in (\w+)', o.trace)
        mine = [f for f in frames if "/generator/" in f[0]] or frames
        where = f"{Path(mine[-1][0]).name}:{mine[-1][1]} {mine[-1][2]}" if mine else "?"
        return f"{o.error.split(':')[0]} ở {where}"
    return (o.error or "")[:80]


def run_form(path: Path, mutation: str, rng: random.Random, work: Path, render: bool = True) -> tuple[str, list[Outcome]]:
    """Mutate one example form into ``work`` and run validate and check (and render when it validates)."""
    raw, what, as_json = mutate(path.read_text(encoding="utf-8"), mutation, rng)
    target = work / (path.stem + (".json" if as_json else ".yaml"))
    target.write_bytes(raw)
    outcomes = [invoke(["validate", "--format", "json", str(target)]), invoke(["check", "--format", "json", str(target)])]
    if render and outcomes[0].exit_code == 0:
        outcomes.append(invoke(["render", "--format", "json", str(target), "-o", str(work / "out")]))
        shutil.rmtree(work / "out", ignore_errors=True)
    return f"{path.relative_to(ROOT)} ({what})", outcomes


def run_unit(unit: Path, rel: str, mutation: str, rng: random.Random) -> tuple[str, list[Outcome]]:
    """Mutate one data file of a copy of the demo unit, run check on the unit, put the file back."""
    path = unit / rel
    original = path.read_bytes()
    try:
        raw, what, _ = mutate(original.decode("utf-8"), mutation, rng)
        path.write_bytes(raw)
        return f"examples/demo/{rel} ({what})", [invoke(["check", "--format", "json", str(unit)])]
    finally:
        path.write_bytes(original)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="số đầu vào (mặc định 10000)")
    parser.add_argument("--seed", type=int, default=1, help="hạt giống ngẫu nhiên (mặc định 1)")
    parser.add_argument("--unit-share", type=float, default=0.2, help="tỷ lệ đầu vào đột biến đơn vị mẫu (mặc định 0.2)")
    parser.add_argument("--no-render", action="store_true", help="không chạy render cho biểu mẫu hợp lệ")
    args = parser.parse_args(argv)
    sys.setrecursionlimit(1000)  # the default: deep data must be refused, not survived by a bigger stack
    rng = random.Random(args.seed)
    forms, files = example_forms(), unit_files()
    report = Report()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="hoso-fuzz-") as tmp:
        os.environ["HOSO_DEBUG"] = "1"  # a defect raises (and is counted) instead of becoming exit 70 and a log file
        os.environ["HOSO_DATA"] = str(Path(tmp) / "du_lieu")  # numbering registers and logs stay in the temporary folder
        work, unit = Path(tmp) / "bieu_mau", Path(tmp) / "don_vi"
        work.mkdir()
        shutil.copytree(DEMO, unit)
        for i in range(args.n):
            mutation = rng.choice(MUTATIONS)
            sub = random.Random(rng.getrandbits(64))
            if rng.random() < args.unit_share:
                rel = files[0] if rng.random() < 0.5 else rng.choice(files)
                label, outcomes = run_unit(unit, rel, mutation, sub)
            else:
                label, outcomes = run_form(rng.choice(forms), mutation, sub, work, render=not args.no_render)
            report.record(label, mutation, outcomes)
            if (i + 1) % 500 == 0:
                print(f"… {i + 1}/{args.n} ({time.perf_counter() - started:.0f} s): {report.escaped} lọt ra", file=sys.stderr, flush=True)
    print(f"hoso fuzz: --n {args.n} --seed {args.seed} --unit-share {args.unit_share} ({time.perf_counter() - started:.0f} s)")
    print(report.text())
    return 1 if report.escaped else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
