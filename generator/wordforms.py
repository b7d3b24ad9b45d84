"""Stage 4, Word forms: each member's and each collective's own form as a DOCX to fill in Word or LibreOffice, and back.

``export_forms`` writes, for every subject of a unit that has its own form (``thanh_vien[].ban_kiem_diem``,
``to_chuc[].bao_cao``), a pre-filled DOCX in the Party document layout (Hướng dẫn 36-HD/VPTW): the identity as
text, every narrative section (a ``doan_van`` array of the schema) as an editable region, every level or
criterion-scale choice as checkboxes, and scores, dates and short texts as one-line fields. ``import_forms``
reads the filled documents back into the unit's forms, validates them and records where each value was typed
(``.hoso/nguon.json``).

How a document is marked, and why (checked against LibreOffice 7.4, ``soffice --convert-to docx``; see
tests/test_wordforms.py):

- Every line the import reads carries a **bookmark** named ``hoso_<hash of its JSON path>``: the heading of
  each narrative section (its paragraphs are the unmarked paragraphs that follow, up to the next marked
  paragraph or table), each one-line field, and each checkbox (``hoso_<hash>_<option>``); fixed lines carry
  ``hoso_s<n>`` so that they end a section. LibreOffice keeps bookmark names and positions through
  open-and-save; Word keeps them too.
- Word **content controls** (``w:sdt``) are there for the person filling in Word: a rich-text control around
  each section tagged with its JSON path (a key when the path is longer than Word's 64 characters), a
  plain-text control for each field, a ``w14:checkbox`` control for each box. LibreOffice 7.4 drops every
  ``w:tag``, turns a section control into a control around its first paragraph (or a FILLIN field when it
  has no alias) and nests checkbox controls, so the import never relies on them: checkboxes are read by
  their glyph (☐ empty; ☒ ☑ ✓ ✔ ✗ ✘ or a typed x ticked), placeholders by their text.
- A top-level **list of flat objects** (the QĐ 366 task ledger ``ket_qua_nhiem_vu``, the shortcomings of
  earlier reviews ``khac_phuc_truoc``: items whose every property is a text, number, date, yes/no or coded
  value) is a **table** under its marked heading: a header row of the items' schema titles (repeated on every
  page), a row-number column the import ignores, one row per item and ``EMPTY_ROWS`` empty rows; rows the
  member adds (Word or LibreOffice "insert row") are read, rows with every cell empty are dropped. A coded
  column shows the ruleset's label (``nhan`` table naming the codes; level names for levels) and takes the
  label or the code, compared loosely (NFC, case, spaces, and without diacritics when that is unambiguous);
  anything else is an error naming the row and column. Dates are dd/mm/yyyy, yes/no is «Có» or empty.
  The whole table is one field for the three-way merge below. A row shown exactly as an exported item is that
  item unchanged, so fields the table has no column for (not in the schema) survive only in such rows; any
  other row is built from its cells (a cell left as the item at the same position showed it keeps that
  item's typed value). Lists of objects holding lists (a leader's units with their own ledgers) are not
  exported and kept as they are. LibreOffice 7.4 keeps the table, its rows and the heading's bookmark.
- The document says which form it is in its **custom properties** (``hoso_tep``: the form file in the unit;
  the unit, the period, the registry entry, and a fingerprint of each exported value), which both editors keep,
  so a renamed file is still found, a document of another unit or period is refused, and a value the clerk
  changed in the form file after the export is not overwritten by an untouched section of the document.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from . import docx_format, provenance, registry
from .roster import table as roster_table
from .roster import vn_date as vn_day
from .errors import ConfigError
from .findings import Finding, child_path, show
from .load import clean, comment_block, dump_yaml, plain
from .output import publish, staging, time_stamp
from .period import Period
from .registry import BindingProblem, FormEntry
from .ruleset import Ruleset
from .schemawalk import Node
from .settings import LocalityError, load_settings
from .source import FolderSource, UnitInput
from .templating import BLANK_PLACE, TICKED, UNTICKED, date_line
from .validate import check_data, make_validator

RULE = "WORDFORM"
SCHEMA_RULE = "SCHEMA"
BASIS = "Phiếu Word của hoso (hoso forms export / import)"

OWN_FORMS = {"thanh_vien": "ban_kiem_diem", "to_chuc": "bao_cao"}
"""Keys of the unit file naming a subject's own form: the forms exported to Word."""
HEADER_KEYS = ("don_vi", "ky_danh_gia", "so_van_ban", "chu_ky")
"""Keys of a form printed in the document's header and signature, not as identity lines."""
NAME_KEYS = ("ho_ten", "ten")
"""Keys naming a person or a collective: an object of a form that has one says whose form it is (identity lines)."""
SUBTITLE = "phu_de"
"""A form's own subtitle, printed in brackets under the period (Mẫu 05: the local guidance's wording)."""
SIGNER = "nguoi_ky"
"""The key of a block's own signer: a block that has one is filled by others, after the writer's signature."""

FORMAT_VERSION = 1
PROP_VERSION = "hoso_phieu"
PROP_FILE = "hoso_tep"
PROP_UNIT = "hoso_don_vi"
PROP_PERIOD = "hoso_ky"
PROP_ENTRY = "hoso_bieu_mau"
PROP_SUBJECT = "hoso_ma"
PROP_FIELDS = "hoso_vung"
SYNC_FILE = "phieu_word.json"
"""In the unit's .hoso/ folder: for each form, the fingerprint of each value its document and the form last agreed on."""

MARK = "hoso_"
STATIC = MARK + "s"
PLACEHOLDER = "(Ghi nội dung tại đây; mỗi ý một đoạn)"
BLANK_VALUE = "……"
TICKS = "☒☑✓✔✗✘⊠"
WINGDINGS = {"F0FE": TICKED, "F0FD": TICKED, "F078": TICKED, "F0A8": UNTICKED, "F06F": UNTICKED, "F071": UNTICKED}
"""Boxes written as Wingdings symbols (``w:sym``) by other templates: their character code → the glyph they show."""
WORD_TAG_LIMIT = 64
LONG_TEXT = 300
"""A text field allowed more characters than this is a section of paragraphs joined by line breaks, not a line."""
MAX_DOCX_BYTES = 30 * 1024 * 1024
MAX_PART_BYTES = 60 * 1024 * 1024
DOCX_SUFFIXES = (".docx",)
OTHER_SUFFIXES = (".doc", ".odt", ".rtf", ".docm")

PARAGRAPHS, TEXT, LINE, NUMBER, INTEGER, DATE, CHOICE = "paragraphs", "text", "line", "number", "integer", "date", "choice"
TABLE, FLAG = "table", "flag"
"""A list of flat objects (a task ledger) shown as a Word table; a yes/no column of such a table."""
EMPTY_ROWS = 3
"""Empty rows after a table's filled ones, for new items (more by Word's "insert row")."""
ROW_NUMBER = "TT"
"""The heading of a table's first column: the row's number, for the reader (the import ignores it)."""
ROW_NUMBER_WIDTH = 8.0
FIXED_WIDTH = {DATE: 21.0, FLAG: 15.0, NUMBER: 15.0, INTEGER: 12.0}
"""Millimetres of a table's narrow columns (a date dd/mm/yyyy on one line at TABLE_SIZE); text columns share the rest."""
MIN_TEXT_WIDTH = 16.0
TABLE_SIZE = 10.5
GLYPH_YES = (TICKED,) + tuple(TICKS)
"""Besides the roster's yes/no words (rosters/danh_sach.yaml ``co``, ``khong``), a ticked box means yes in a table cell."""

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


# -- the plan of a form: its sections, fields and checkboxes, from its schema ---------------------------------
def key_of(json_path: str) -> str:
    """The bookmark that marks the field at ``json_path`` in a document (Word: a letter first, at most 40 characters)."""
    return MARK + hashlib.sha1(json_path.encode("utf-8")).hexdigest()[:10]


@dataclass(frozen=True)
class Field:
    """One value of a form that the document shows and the import reads back."""

    path: tuple[str, ...]
    kind: str
    title: str
    depth: int
    options: tuple[tuple[str, str], ...] = ()
    """For a choice: (value, label shown) of each box, in order."""
    columns: tuple["Column", ...] = ()
    """For a table: its columns, in schema order."""

    @property
    def json_path(self) -> str:
        out = "$"
        for step in self.path:
            out = child_path(out, step)
        return out

    @property
    def key(self) -> str:
        return key_of(self.json_path)

    def option_key(self, index: int) -> str:
        return f"{self.key}_{index}"

    @property
    def tag(self) -> str:
        """The content control's tag: the JSON path, or the key when Word could not hold the path."""
        return self.json_path if len(self.json_path) <= WORD_TAG_LIMIT else self.key


@dataclass(frozen=True)
class Column:
    """One column of a table: a property of the list's items."""

    name: str
    kind: str
    title: str
    options: tuple[tuple[str, str], ...] = ()
    """For a coded value: (code, label shown); the import takes either."""
    weight: float = 1.0

    def as_field(self) -> Field:
        return Field((self.name,), self.kind, self.title, 0, self.options)


@dataclass(frozen=True)
class Heading:
    """A fixed heading of a group of fields (an object of the schema with a title)."""

    title: str
    depth: int
    path: tuple[str, ...]


@lru_cache(maxsize=None)
def _common_def(name: str) -> dict:
    return registry.schema_registry()[registry.SCHEMA_BASE + "common.schema.json"].contents["$defs"][name]


def _is_paragraphs(node: Node) -> bool:
    # By value, not identity: the schema registry may be rebuilt (caches cleared) while a walked schema is kept.
    target = _common_def("doan_van")
    return any(part.schema is target or part.schema == target for part in node.parts())


_IDENTIFIER_NOTE = re.compile(r"\s*\([^()]*\b[a-z]+_[a-z0-9_]+\b[^()]*\)")


def clean_title(text: Any) -> str:
    """A schema title as a clerk reads it: notes naming data keys ("(… khac_phuc_truoc)") left out."""
    if not isinstance(text, str):
        return ""
    return " ".join(_IDENTIFIER_NOTE.sub("", text).split())


def _choice_options(node: Node, rs: Ruleset) -> tuple[tuple[str, str], ...]:
    """The boxes of a level or criterion-scale choice (values from the schema, names from the ruleset); () otherwise."""
    values = node.annotation("enum")
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
        return ()
    if set(values) <= set(rs.levels):
        return tuple((v, rs.level_name(v) or v) for v in values)
    if rs.scale and set(values) <= set(rs.scale):
        return tuple((v, v) for v in values)
    return ()


def _coded_options(node: Node, rs: Ruleset) -> tuple[tuple[str, str], ...]:
    """The (code, label) of a coded column: a level or scale word as a choice, else the ruleset's label table
    (``nhan``) that names every code (the one with exactly these codes first); the code itself when none does."""
    values = node.annotation("enum")
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
        return ()
    options = _choice_options(node, rs)
    if options:
        return options
    tables = [rs.vocabulary(name) for name in (rs.data.get("nhan") or {})]
    tables = [t for t in tables if set(values) <= set(t)]
    tables.sort(key=lambda t: len(t) != len(values))
    names = tables[0] if tables else {}
    return tuple((v, str(names.get(v) or v)) for v in values)


def _columns(node: Node, rs: Ruleset) -> tuple[Column, ...]:
    """The columns of a list of flat objects (every property a text, number, date, yes/no or coded value); () for
    any other list (of texts, of objects holding lists)."""
    if "array" not in node.types():
        return ()
    items = node.items()
    props = items.properties() if items is not None else {}
    if not props:
        return ()
    out = []
    for name, sub in props.items():
        title = clean_title(sub.annotation("title")) or name
        options = _coded_options(sub, rs)
        if options:
            longest = max(len(label) for _, label in options)
            out.append(Column(name, CHOICE, title, options, 1.6 if longest > 20 else 1.0))
            continue
        if sub.types() == {"boolean"}:
            out.append(Column(name, FLAG, title))
            continue
        kind = _scalar_kind(sub)
        if kind is None:
            return ()
        out.append(Column(name, kind, title))
    # The first required text (what the item is: a task, a shortcoming) is the widest column.
    required = items.annotation("required") or []
    for i, col in enumerate(out):
        if col.kind in (TEXT, LINE) and col.name in required:
            out[i] = dataclasses.replace(col, weight=2.0)
            break
    return tuple(out)


def _scalar_kind(node: Node) -> str | None:
    types = node.types()
    if types & {"object", "array", "boolean"}:
        return None
    if "string" in types:
        if node.annotation("format") == "date":
            return DATE
        limit = node.annotation("maxLength")
        return TEXT if not isinstance(limit, int) or limit > LONG_TEXT else LINE
    if types == {"integer"}:
        return INTEGER
    if types <= {"number", "integer"} and types:
        return NUMBER
    return None


def _walk(props: dict[str, Node], path: tuple[str, ...], depth: int, rs: Ruleset, out: list) -> None:
    for name, sub in props.items():
        here = (*path, name)
        title = clean_title(sub.annotation("title"))
        if _is_paragraphs(sub):
            if title == _common_def("doan_van").get("title"):
                title = ""  # the definition's own name ("Các đoạn văn"), not a title of this section
            out.append(_titled(Field(here, PARAGRAPHS, title, depth), out))
            continue
        options = _choice_options(sub, rs)
        if options:
            out.append(_titled(Field(here, CHOICE, title, depth, options), out))
            continue
        columns = _columns(sub, rs) if not path else ()
        if columns:
            out.append(_titled(Field(here, TABLE, title, depth, columns=columns), out))
            continue
        if "object" in sub.types() and sub.properties():
            if title:
                out.append(Heading(title, depth, here))
            _walk(sub.properties(), here, depth + 1, rs, out)
            continue
        kind = _scalar_kind(sub)
        if kind and path:  # a top-level scalar is identity, not a field to fill
            out.append(_titled(Field(here, kind, title, depth), out))


def _titled(item: Field, out: list) -> Field:
    """An untitled field right under its group's heading takes the heading's place and title."""
    if item.title:
        return item
    if out and isinstance(out[-1], Heading) and out[-1].path == item.path[:-1]:
        heading = out.pop()
        return dataclasses.replace(item, title=heading.title, depth=heading.depth)
    return dataclasses.replace(item, title="Nội dung")


@lru_cache(maxsize=None)
def candidates(entry: FormEntry) -> tuple:
    """Every heading and field a form of ``entry`` may show, in schema order: the top-level sections that hold at
    least one narrative section or choice, and the top-level lists of flat objects (task ledgers, shortcomings of
    earlier reviews) as tables. The rest of the form is identity, printed as text, or lists of nested objects
    (a leader's units with their own task ledgers), which the document does not show."""
    rs = registry.ruleset(entry.ruleset)
    root = Node(registry.schema(entry), entry.schema_id)
    out: list = []
    for name, sub in root.properties().items():
        if name in HEADER_KEYS:
            continue
        part: list = []
        _walk({name: sub}, (), 0, rs, part)
        if any(isinstance(item, Field) and item.kind in (PARAGRAPHS, CHOICE, TABLE) for item in part):
            out += part
    return tuple(_drop_empty_headings(out))


def fields_by_key(entry: FormEntry) -> dict[str, Field]:
    return {item.key: item for item in candidates(entry) if isinstance(item, Field)}


def _sample(item: Field) -> Any:
    if item.kind == TABLE:
        return []
    return {PARAGRAPHS: ["x"], TEXT: "x", LINE: "x", NUMBER: 1, INTEGER: 1, DATE: "2026-01-01"}.get(item.kind) or (
        item.options[0][0] if item.options else "x")


def _put(data: dict, path: tuple[str, ...], value: Any) -> None:
    for step in path[:-1]:
        nxt = data.get(step)
        if not isinstance(nxt, dict):
            nxt = data[step] = {}
        data = nxt
    data[path[-1]] = value


def get_path(data: Any, path: tuple[str, ...]) -> Any:
    for step in path:
        data = data.get(step) if isinstance(data, dict) else None
    return data


@lru_cache(maxsize=None)
def _switches(entry: FormEntry) -> frozenset[str]:
    """The top-level keys of a form that may switch parts of its schema on or off: yes/no flags, coded values (role,
    kind) and the period. Their values, not a member's name or dates, decide which sections the document offers."""
    root = Node(registry.schema(entry), entry.schema_id)
    return frozenset(name for name, sub in root.properties().items()
                     if sub.types() == {"boolean"} or sub.annotation("enum") is not None or sub.annotation("const") is not None
                     or name == "ky_danh_gia")


def _identity_signature(entry: FormEntry, data: dict) -> str:
    kept = {k: v for k, v in data.items() if k in _switches(entry)}
    return json.dumps(kept, ensure_ascii=False, sort_keys=True, default=str)


@lru_cache(maxsize=256)
def _allowed_plan(entry: FormEntry, signature: str) -> tuple:
    """The candidates a form with these top-level values may hold: a field the schema forbids for it (``not``,
    ``false``: Mục I.3–I.5 in a Mẫu 2B, the CBCCVC block of a non-CBCCVC) is left out."""
    base = json.loads(signature)
    validator = make_validator(registry.schema(entry))

    def forbidding(data: dict) -> set:
        return {(tuple(e.absolute_path), e.validator) for e in validator.iter_errors(data)
                if e.validator in ("not", "false", None) or e.schema is False}

    before = forbidding(base)
    out = []
    for item in candidates(entry):
        if isinstance(item, Field):
            probe = json.loads(signature)
            _put(probe, item.path, _sample(item))
            if forbidding(probe) - before:
                continue
        out.append(item)
    return tuple(_drop_empty_headings(out))


def _drop_empty_headings(items: list) -> list:
    out: list = []
    for i, item in enumerate(items):
        if isinstance(item, Heading) and not any(isinstance(x, Field) and x.path[:len(item.path)] == item.path for x in items[i + 1:]):
            continue
        out.append(item)
    return out


def plan(entry: FormEntry, data: dict) -> tuple:
    """The headings and fields the document of ``data`` shows: what the schema allows for it, plus any field the
    form already holds (so nothing of it is hidden)."""
    allowed = _allowed_plan(entry, _identity_signature(entry, data))
    keys = {item.key for item in allowed if isinstance(item, Field)}
    extra = {item.key for item in candidates(entry) if isinstance(item, Field) and item.key not in keys
             and display(item, get_path(data, item.path)) not in (None, [], "")}
    if not extra:
        return allowed
    keys |= extra
    return tuple(_drop_empty_headings([x for x in candidates(entry) if isinstance(x, Heading) or x.key in keys]))


# -- what a value looks like in the document ----------------------------------------------------------------
def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def vn_number(value: Any) -> str:
    """8.5 → "8,5"; 28.0 → "28" (Vietnamese decimal comma)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace(".", ",")


def vn_date(value: Any) -> str:
    """An ISO date as dd/mm/yyyy (``roster.vn_date``); other text as it is, None as ""."""
    return "" if value is None else vn_day(value) if isinstance(value, str) else str(value)


def display(item: Field, value: Any) -> Any:
    """``value`` as the document shows it and as the import reads an untouched document back: a list of paragraphs,
    a text, or the chosen option (None when no box is ticked)."""
    if item.kind == PARAGRAPHS:
        items = value if isinstance(value, list) else [] if value is None else [value]
        out = []
        for x in items:
            if x is None or isinstance(x, (dict, list)):
                continue
            text = _nfc(str(x)).strip()
            if text:
                out.append(text)
        return out
    if item.kind == CHOICE:
        return value if any(value == v for v, _ in item.options) else None
    if item.kind == TABLE:
        rows = value if isinstance(value, list) else []
        return [[cell_text(col, row.get(col.name)) for col in item.columns] for row in rows if isinstance(row, dict)]
    if value is None or isinstance(value, (dict, list)):
        return ""
    if item.kind in (NUMBER, INTEGER):
        return vn_number(value)
    if item.kind == DATE:
        return vn_date(value)
    if item.kind == TEXT:
        return "\n".join(line.strip() for line in _nfc(str(value)).split("\n") if line.strip())
    return _nfc(str(value)).strip()


def cell_text(col: Column, value: Any) -> str:
    """A value of a table's cell as the document shows it: a coded value by its label, a date dd/mm/yyyy."""
    if col.kind == CHOICE:
        return next((label for code, label in col.options if code == value), "" if value is None else _nfc(str(value)).strip())
    if col.kind == FLAG:
        return roster_table().yes[0] if value is True else ""
    if isinstance(value, (dict, list)):
        return _nfc(json.dumps(value, ensure_ascii=False))
    return display(col.as_field(), value)


def fingerprint(shown: Any) -> str:
    return hashlib.sha1(json.dumps(shown, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()[:12]


# -- writing the document ------------------------------------------------------------------------------------
class _Writer:
    """Builds one document's body on a copy of its form's bundled template (styles, page numbers, page setup)."""

    def __init__(self, doc, fmt: dict):
        self.doc = doc
        self.fmt = fmt
        self.body = doc.element.body
        self.sect = self.body[-1] if self.body[-1].tag == qn("w:sectPr") else None
        width = docx_format.A4_WIDTH_MM - fmt["le_trai"] - fmt["le_phai"]
        self.columns = (round(width * 0.45, 1), round(width * 0.55, 1))
        """The two columns of the header and signature tables (HD 36: issuer left, Party name and date right)."""
        self._ids = 1000
        self._static = 0

    def next_id(self) -> str:
        self._ids += 1
        return str(self._ids)

    def add(self, element) -> None:
        if self.sect is not None:
            self.sect.addprevious(element)
        else:
            self.body.append(element)

    # paragraphs and runs
    def run(self, text: str, *, bold=False, italic=False, size=None, underline=False, color=None, font=None):
        r = OxmlElement("w:r")
        rpr = OxmlElement("w:rPr")
        if font:
            fonts = OxmlElement("w:rFonts")
            for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                fonts.set(qn(slot), font)
            rpr.append(fonts)
        if bold:
            rpr.append(OxmlElement("w:b"))
        if italic:
            rpr.append(OxmlElement("w:i"))
        if color:
            c = OxmlElement("w:color")
            c.set(qn("w:val"), color)
            rpr.append(c)
        if size:
            for tag in ("w:sz", "w:szCs"):
                s = OxmlElement(tag)
                s.set(qn("w:val"), str(round(size * 2)))
                rpr.append(s)
        if underline:
            u = OxmlElement("w:u")
            u.set(qn("w:val"), "single")
            rpr.append(u)
        if len(rpr):
            r.append(rpr)
        for i, line in enumerate(text.split("\n")):
            if i:
                r.append(OxmlElement("w:br"))
            for j, piece in enumerate(line.split("\t")):
                if j:
                    r.append(OxmlElement("w:tab"))
                if piece:
                    t = OxmlElement("w:t")
                    t.text = piece
                    t.set(qn("xml:space"), "preserve")
                    r.append(t)
        return r

    def para(self, *runs, align="both", first_line=0.0, after=6.0, before=0.0, keep_next=False, mark: str | None = None,
             keep_lines=False, hanging=0.0):
        p = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        if keep_next:
            ppr.append(OxmlElement("w:keepNext"))
        if keep_lines:
            ppr.append(OxmlElement("w:keepLines"))
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:before"), str(round(before * 20)))
        spacing.set(qn("w:after"), str(round(after * 20)))
        ppr.append(spacing)
        ind = OxmlElement("w:ind")
        if hanging:
            ind.set(qn("w:left"), str(round(hanging * 567)))
            ind.set(qn("w:hanging"), str(round(hanging * 567)))
        else:
            ind.set(qn("w:firstLine"), str(round(first_line * 567)))
        ppr.append(ind)
        jc = OxmlElement("w:jc")
        jc.set(qn("w:val"), align)
        ppr.append(jc)
        p.append(ppr)
        if mark:
            self.bookmark(p, mark)
        for r in runs:
            p.append(r)
        return p

    def bookmark(self, parent, name: str) -> None:
        number = self.next_id()
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), number)
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), number)
        parent.append(start)
        parent.append(end)

    def static(self) -> str:
        self._static += 1
        return f"{STATIC}{self._static:03d}"

    def line(self, *runs, **kw) -> None:
        """A fixed paragraph: marked, so that it ends the section above it."""
        self.add(self.para(*runs, mark=self.static(), **kw))

    # content controls
    def sdt(self, tag: str, alias: str | None, content: list, *, placeholder=False, plain_text=False):
        sdt = OxmlElement("w:sdt")
        pr = OxmlElement("w:sdtPr")
        if alias:
            a = OxmlElement("w:alias")
            a.set(qn("w:val"), alias[:120])
            pr.append(a)
        t = OxmlElement("w:tag")
        t.set(qn("w:val"), tag)
        pr.append(t)
        i = OxmlElement("w:id")
        i.set(qn("w:val"), self.next_id())
        pr.append(i)
        pr.append(_locked())
        if placeholder:
            pr.append(OxmlElement("w:showingPlcHdr"))
        if plain_text:
            pr.append(OxmlElement("w:text"))
        sdt.append(pr)
        body = OxmlElement("w:sdtContent")
        for el in content:
            body.append(el)
        sdt.append(body)
        return sdt

    def checkbox(self, tag: str, ticked: bool):
        sdt = OxmlElement("w:sdt")
        pr = OxmlElement("w:sdtPr")
        t = OxmlElement("w:tag")
        t.set(qn("w:val"), tag)
        pr.append(t)
        i = OxmlElement("w:id")
        i.set(qn("w:val"), self.next_id())
        pr.append(i)
        pr.append(_locked())
        box = etree.SubElement(pr, f"{{{W14}}}checkbox")
        checked = etree.SubElement(box, f"{{{W14}}}checked")
        checked.set(f"{{{W14}}}val", "1" if ticked else "0")
        for name, code in (("checkedState", "2612"), ("uncheckedState", "2610")):
            state = etree.SubElement(box, f"{{{W14}}}{name}")
            state.set(f"{{{W14}}}val", code)
            state.set(f"{{{W14}}}font", "MS Gothic")
        sdt.append(pr)
        body = OxmlElement("w:sdtContent")
        body.append(self.run(TICKED if ticked else UNTICKED, font="MS Gothic"))
        sdt.append(body)
        return sdt

    # tables
    def table(self, widths_mm: tuple[float, ...]):
        tbl = OxmlElement("w:tbl")
        pr = OxmlElement("w:tblPr")
        w = OxmlElement("w:tblW")
        w.set(qn("w:w"), str(round(sum(widths_mm) * 56.7)))
        w.set(qn("w:type"), "dxa")
        pr.append(w)
        jc = OxmlElement("w:jc")
        jc.set(qn("w:val"), "center")
        pr.append(jc)
        borders = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            el = OxmlElement(f"w:{edge}")
            el.set(qn("w:val"), "nil")
            borders.append(el)
        pr.append(borders)
        layout = OxmlElement("w:tblLayout")  # after the borders: Word refuses elements out of the schema's order
        layout.set(qn("w:type"), "fixed")
        pr.append(layout)
        mar = OxmlElement("w:tblCellMar")
        for edge in ("left", "right"):
            el = OxmlElement(f"w:{edge}")
            el.set(qn("w:w"), "0")
            el.set(qn("w:type"), "dxa")
            mar.append(el)
        pr.append(mar)
        tbl.append(pr)
        grid = OxmlElement("w:tblGrid")
        for width in widths_mm:
            col = OxmlElement("w:gridCol")
            col.set(qn("w:w"), str(round(width * 56.7)))
            grid.append(col)
        tbl.append(grid)
        tr = OxmlElement("w:tr")
        cells = []
        for width in widths_mm:
            tc = OxmlElement("w:tc")
            tcpr = OxmlElement("w:tcPr")
            tcw = OxmlElement("w:tcW")
            tcw.set(qn("w:w"), str(round(width * 56.7)))
            tcw.set(qn("w:type"), "dxa")
            tcpr.append(tcw)
            tc.append(tcpr)
            tr.append(tc)
            cells.append(tc)
        tbl.append(tr)
        self.add(tbl)
        return cells

    def grid(self, widths_mm: list[float]):
        """A bordered table of these columns (fixed widths), not yet placed in the body."""
        tbl = OxmlElement("w:tbl")
        pr = OxmlElement("w:tblPr")
        w = OxmlElement("w:tblW")
        w.set(qn("w:w"), str(round(sum(widths_mm) * 56.7)))
        w.set(qn("w:type"), "dxa")
        pr.append(w)
        borders = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            el = OxmlElement(f"w:{edge}")
            el.set(qn("w:val"), "single")
            el.set(qn("w:sz"), "4")
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
            borders.append(el)
        pr.append(borders)
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        pr.append(layout)
        mar = OxmlElement("w:tblCellMar")
        for edge in ("left", "right"):
            el = OxmlElement(f"w:{edge}")
            el.set(qn("w:w"), "57")
            el.set(qn("w:type"), "dxa")
            mar.append(el)
        pr.append(mar)
        tbl.append(pr)
        grid = OxmlElement("w:tblGrid")
        for width in widths_mm:
            col = OxmlElement("w:gridCol")
            col.set(qn("w:w"), str(round(width * 56.7)))
            grid.append(col)
        tbl.append(grid)
        return tbl

    def grid_row(self, tbl, widths_mm: list[float], texts: list[str], header: bool = False) -> None:
        tr = OxmlElement("w:tr")
        if header:
            trpr = OxmlElement("w:trPr")
            trpr.append(OxmlElement("w:cantSplit"))
            trpr.append(OxmlElement("w:tblHeader"))
            tr.append(trpr)
        for width, text in zip(widths_mm, texts):
            tc = OxmlElement("w:tc")
            tcpr = OxmlElement("w:tcPr")
            tcw = OxmlElement("w:tcW")
            tcw.set(qn("w:w"), str(round(width * 56.7)))
            tcw.set(qn("w:type"), "dxa")
            tcpr.append(tcw)
            if header:
                shade = OxmlElement("w:shd")
                shade.set(qn("w:val"), "clear")
                shade.set(qn("w:color"), "auto")
                shade.set(qn("w:fill"), "EDEDED")
                tcpr.append(shade)
            tc.append(tcpr)
            for line in (text.split("\n") if text else [""]):
                p = self.para(self.run(line, bold=header, size=TABLE_SIZE), align="center" if header else "left", after=0)
                mark = OxmlElement("w:rPr")  # what the member types in the cell takes the table's size, not the body's
                for tag in ("w:sz", "w:szCs"):
                    size = OxmlElement(tag)
                    size.set(qn("w:val"), str(round(TABLE_SIZE * 2)))
                    mark.append(size)
                p.find(qn("w:pPr")).append(mark)
                tc.append(p)
            tr.append(tc)
        tbl.append(tr)

    def cell_line(self, cell, *runs, mark: str | None = None) -> None:
        cell.append(self.para(*runs, align="center", after=0, mark=mark))


def _locked():
    """Word: the control cannot be deleted, its content can be edited (a section emptied stays a section)."""
    lock = OxmlElement("w:lock")
    lock.set(qn("w:val"), "sdtLocked")
    return lock


def _template_base(entry: FormEntry, fmt: dict) -> bytes:
    """The form's bundled template emptied of its body (styles, page-number header and section kept), in the
    locality's page setup and font: the base every exported document of the form starts from."""
    return _base_bytes(str(registry.template_path(entry)), json.dumps(fmt, sort_keys=True, default=str))


@lru_cache(maxsize=32)
def _base_bytes(template: str, fmt_json: str) -> bytes:
    fmt = json.loads(fmt_json)
    doc = docx.Document(template)
    # The template's thumbnail shows its Jinja source, and Word 2010's stylesWithEffects part only doubles the size.
    for rels in (doc.part.package.rels, doc.part.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype.rsplit("/", 1)[-1] in ("thumbnail", "stylesWithEffects"):
                rels.pop(rid)
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    docx_format.apply_page_setup(doc, {"top": fmt["le_tren"], "bottom": fmt["le_duoi"], "left": fmt["le_trai"],
                                       "right": fmt["le_phai"]}, mirror=fmt["in_hai_mat"])
    docx_format.set_style_font(doc.styles["Normal"], fmt["phong_chu"], fmt["co_chu"])
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


@dataclass
class _FormJob:
    """One form to export: whose it is, where it lives, its data and binding."""

    code: str
    name: str
    data: dict
    entry: FormEntry
    ruleset: Ruleset


def build_document(job: _FormJob, unit_data: dict, settings: dict) -> bytes:
    """The DOCX of one form, pre-filled with what the form already holds."""
    fmt = settings["the_thuc"]
    doc = docx.Document(io.BytesIO(_template_base(job.entry, fmt)))
    w = _Writer(doc, fmt)
    data = job.data
    items = plan(job.entry, data)
    shown: dict[str, str] = {}

    _write_header(w, job, unit_data, settings)
    _write_identity(w, job)
    w.line(w.run("Hướng dẫn điền phiếu: ghi nội dung vào dưới từng tiêu đề (mỗi ý một đoạn); chọn một ô của mỗi lựa chọn "
                 f"(bấm vào ô, hoặc thay {UNTICKED} bằng {TICKED} hay chữ x); ghi số, ngày (ngày/tháng/năm) sau dấu hai chấm. "
                 "Không xóa, không sửa các tiêu đề và các ô.", italic=True, size=11, color="595959"), after=6)
    # The writer signs before the blocks others fill and sign (chi ủy, thủ trưởng, cấp ủy: each has its own signer).
    signed_by_others = {item.path[0] for item in items if isinstance(item, Field) and SIGNER in item.path}
    signed = False
    for item in items:
        if not signed and item.path[0] in signed_by_others:
            _write_signature(w, job)
            signed = True
        if isinstance(item, Heading):
            w.line(w.run(item.title, bold=True, italic=item.depth >= 2), keep_next=True, before=4, after=3)
            continue
        value = display(item, get_path(data, item.path))
        shown[item.key] = fingerprint(value)
        _write_field(w, item, value)
    if not signed:
        _write_signature(w, job)
    for cell in w.body.iter(qn("w:tc")):
        if cell.find(qn("w:p")) is None:  # Word needs a paragraph in every cell
            cell.append(w.para(after=0))
    _set_properties(doc, job, unit_data, shown)
    buffer = io.BytesIO()
    doc.save(buffer)
    return docx_format.stable_zip(buffer.getvalue())


def _upper(text: Any) -> str:
    return str(text).upper() if text else BLANK_PLACE


def _write_header(w: _Writer, job: _FormJob, unit_data: dict, settings: dict) -> None:
    data, entry = job.data, job.entry
    label = (settings.get("nhan_bieu_mau") or {}).get(entry.ruleset, {}).get(entry.key, entry.label)
    if label:
        w.line(w.run(label, size=12), align="right", after=0)
    issuer = data.get("don_vi") if isinstance(data.get("don_vi"), dict) else {}
    left, right = w.table(w.columns)
    w.cell_line(left, w.run(_upper(issuer.get("cap_tren"))), mark=w.static())
    w.cell_line(left, w.run(_upper(issuer.get("ten")), bold=True))
    w.cell_line(left, w.run("*"))
    number = data.get("so_van_ban") if isinstance(data.get("so_van_ban"), dict) else None
    if number and number.get("ky_hieu"):
        w.cell_line(left, w.run(f"Số {number.get('so') or '…'}-{number['ky_hieu']}"))
    w.cell_line(right, w.run("ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, size=15, underline=True))
    w.cell_line(right, w.run(""))
    unit_issuer = unit_data.get("don_vi") if isinstance(unit_data.get("don_vi"), dict) else {}
    place = data.get("dia_danh") or unit_issuer.get("dia_danh") or settings["the_thuc"].get("dia_danh") or BLANK_PLACE
    w.cell_line(right, w.run(f"{place}, {date_line(_date_or_none(data.get('ngay_lap')), settings['the_thuc']['dem_tat_ca_thang'])}",
                             italic=True))
    w.line(w.run(""), after=6)
    title, _, note = entry.name.partition(" (")
    w.line(w.run(title.upper(), bold=True, size=16), align="center", after=0)
    period = _period(data)
    if period is not None:
        phrase = period.phrase_vi
        w.line(w.run(phrase[:1].upper() + phrase[1:], bold=True), align="center", after=0)
    subtitle = data.get(SUBTITLE)
    if isinstance(subtitle, str) and subtitle.strip():
        note = subtitle.strip()
    if note:
        note = note.rstrip(")")
        w.line(w.run(f"({note[:1].upper()}{note[1:]})", italic=True), align="center", after=0)
    w.line(w.run(""), after=6)


def _date_or_none(value: Any) -> str | None:
    if isinstance(value, str):
        try:
            dt.date.fromisoformat(value)
            return value
        except ValueError:
            return None
    return None


def _period(data: dict) -> Period | None:
    period = data.get("ky_danh_gia")
    if isinstance(period, dict) and isinstance(period.get("nam"), int):
        quarter = period.get("quy")
        return Period(period["nam"], quarter if isinstance(quarter, int) else None)
    return None


def _write_identity(w: _Writer, job: _FormJob) -> None:
    root = Node(registry.schema(job.entry), job.entry.schema_id)
    content = {item.path[0] for item in candidates(job.entry)}
    for name, sub in root.properties().items():
        value = job.data.get(name)
        if name in HEADER_KEYS or name in content or not isinstance(value, dict):
            continue
        leaves = sub.properties()
        if not any(key in leaves for key in NAME_KEYS):  # a block of the document (a confirmation), not whose form it is
            continue
        for key, leaf in leaves.items():
            text = value.get(key)
            if not isinstance(text, str) or not text.strip():
                continue
            label = clean_title(leaf.annotation("title")) or key
            shown = vn_date(text) if leaf.annotation("format") == "date" else text
            w.line(w.run(f"{label}: "), w.run(shown, bold=key in NAME_KEYS), align="left", after=2)


def _write_field(w: _Writer, item: Field, value: Any) -> None:
    if item.kind in (PARAGRAPHS, TEXT):
        w.add(w.para(w.run(item.title, bold=True, italic=item.depth >= 2), keep_next=True, before=4, after=3, mark=item.key))
        paragraphs = value if item.kind == PARAGRAPHS else (value.split("\n") if value else [])
        if paragraphs:
            content = [w.para(w.run(text), first_line=1.0, after=6) for text in paragraphs]
        else:
            content = [w.para(w.run(PLACEHOLDER, italic=True, color="808080"), first_line=1.0, after=6)]
        w.add(w.sdt(item.tag, item.title, content, placeholder=not paragraphs))
        return
    if item.kind == CHOICE:
        _write_choice(w, item, value)
        return
    if item.kind == TABLE:
        _write_table(w, item, value)
        return
    runs = [w.run(f"{item.title}: ")]
    control = w.sdt(item.tag, item.title, [w.run(value or BLANK_VALUE, bold=bool(value), color=None if value else "808080")],
                    placeholder=not value, plain_text=True)
    w.add(w.para(*runs, control, align="left", first_line=0.0, after=3, mark=item.key))


def _write_choice(w: _Writer, item: Field, value: Any) -> None:
    """The boxes of a choice: on the label's line when they fit, else one per line; in one paragraph either way, so
    that the label never stays at the foot of a page without its boxes."""
    inline = sum(len(label) + 4 for _, label in item.options) + len(item.title) <= 70
    p = w.para(w.run(f"{item.title}:", bold=True), align="left", after=3, mark=item.key, keep_lines=True,
               hanging=0.0 if inline else 1.0)
    for i, (option, label) in enumerate(item.options):
        p.append(w.run("   " if inline else "\n"))
        w.bookmark(p, item.option_key(i))
        p.append(w.checkbox(_option_tag(item, i, option), value == option))
        p.append(w.run(f" {label}"))
    w.add(p)


def _write_table(w: _Writer, item: Field, rows: list[list[str]]) -> None:
    """A list of flat objects as a table: its heading (marked: the import finds the table after it) with how to fill
    it, a header row repeated on every page, one row per item and a few empty rows for new items."""
    notes = [f"«{col.title}» ghi một trong: " + "; ".join(label for _, label in col.options) + "."
             for col in item.columns if col.kind == CHOICE]
    notes += [f"«{col.title}» ghi «{roster_table().yes[0]}» hoặc để trống." for col in item.columns if col.kind == FLAG]
    if any(col.kind == DATE for col in item.columns):
        notes.append("Ngày ghi ngày/tháng/năm.")
    hint = ("Mỗi dòng một mục; thêm dòng nếu cần (bấm chuột phải vào một hàng của bảng, chọn chèn hàng); "
            "dòng để trống không được nhập; không sửa dòng tiêu đề của bảng. " + " ".join(notes))
    w.add(w.para(w.run(item.title, bold=True, italic=item.depth >= 2), w.run("\n" + hint, italic=True, size=11, color="595959"),
                 align="left", keep_next=True, before=4, after=3, mark=item.key))
    width = docx_format.A4_WIDTH_MM - w.fmt["le_trai"] - w.fmt["le_phai"]
    fixed = [FIXED_WIDTH.get(col.kind) for col in item.columns]
    rest = width - ROW_NUMBER_WIDTH - sum(x for x in fixed if x)
    # Text columns share the rest by their weight plus what the rows already hold (a filled column gets more room).
    filled = [sum(len(row[c]) for row in rows) if not x else 0 for c, x in enumerate(fixed)]
    weights = [col.weight + (3.0 * n / sum(filled) if sum(filled) else 0.0) for col, n in zip(item.columns, filled)]
    total = sum(wt for wt, x in zip(weights, fixed) if not x) or 1.0
    shares = [x or rest * wt / total for wt, x in zip(weights, fixed)]
    short = [max(0.0, MIN_TEXT_WIDTH - w_) if not x else 0.0 for w_, x in zip(shares, fixed)]
    if sum(short):  # a narrow text column takes room from the columns wider than the least width
        spare = [max(0.0, w_ - MIN_TEXT_WIDTH) if not x else 0.0 for w_, x in zip(shares, fixed)]
        shares = [w_ + short[c] - (sum(short) * spare[c] / sum(spare) if sum(spare) else 0.0) for c, w_ in enumerate(shares)]
    widths = [ROW_NUMBER_WIDTH] + [round(w_, 1) for w_ in shares]
    tbl = w.grid(widths)
    w.grid_row(tbl, widths, [ROW_NUMBER] + [col.title for col in item.columns], header=True)
    for n, row in enumerate(rows, start=1):
        w.grid_row(tbl, widths, [str(n)] + list(row))
    for _ in range(EMPTY_ROWS):
        w.grid_row(tbl, widths, [""] * len(widths))
    w.add(tbl)
    w.line(w.run(""), after=3)  # ends the table: text typed under it is outside every section


def _option_tag(item: Field, index: int, option: str) -> str:
    tag = f"{item.json_path}={option}"
    return tag if len(tag) <= WORD_TAG_LIMIT else item.option_key(index)


def _write_signature(w: _Writer, job: _FormJob) -> None:
    data = job.data
    w.line(w.run(""), after=6)
    _, right = w.table(w.columns)
    sign = data.get("chu_ky") if isinstance(data.get("chu_ky"), dict) else None
    person = data.get("ca_nhan") if isinstance(data.get("ca_nhan"), dict) else {}
    if sign:
        w.cell_line(right, w.run(str(sign.get("quyen_han") or "").upper(), bold=True), mark=w.static())
        w.cell_line(right, w.run(str(sign.get("chuc_vu") or "").upper(), bold=True))
        name = sign.get("ho_ten") or ""
    else:
        w.cell_line(right, w.run("NGƯỜI TỰ KIỂM ĐIỂM", bold=True), mark=w.static())
        w.cell_line(right, w.run("(Ký, ghi rõ họ tên)", italic=True, size=12))
        name = person.get("ho_ten") or ""
    for _ in range(3):
        w.cell_line(right, w.run(""))
    w.cell_line(right, w.run(str(name), bold=True))


def _custom_xml(props: dict[str, str]) -> bytes:
    root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})
    for pid, (name, value) in enumerate(props.items(), start=2):
        prop = etree.SubElement(root, f"{{{CUSTOM_NS}}}property", fmtid=CUSTOM_FMTID, pid=str(pid), name=name)
        etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _set_properties(doc, job: _FormJob, unit_data: dict, shown: dict[str, str]) -> None:
    data = job.data
    who = (get_path(data, ("ca_nhan", "ho_ten")) or get_path(data, ("tap_the", "ten")) or job.code)
    period = _period(data)
    docx_format.set_properties(
        doc, title=f"{job.entry.name} — {who}", subject=f"{who} — {period.label_vi if period else ''}",
        keywords=f"{job.entry.key}; {job.entry.ruleset}; phiếu Word", author="hoso",
        comments=f"Phiếu điền của {job.name}; nhập lại bằng: hoso forms import",
    )
    doc.core_properties.identifier = job.name
    day = _date_or_none(data.get("ngay_lap"))
    stamp = dt.datetime.fromisoformat(day) if day else dt.datetime(period.year if period else 2000, 1, 1)
    doc.core_properties.created = doc.core_properties.modified = stamp
    doc.core_properties.revision = 1
    props = {
        PROP_VERSION: str(FORMAT_VERSION),
        PROP_FILE: job.name,
        PROP_SUBJECT: job.code,
        PROP_UNIT: str(get_path(unit_data, ("don_vi", "ten")) or ""),
        PROP_PERIOD: str(period) if period else "",
        PROP_ENTRY: f"{job.entry.ruleset}/{job.entry.key}",
        PROP_FIELDS: json.dumps(shown, ensure_ascii=False, sort_keys=True),
    }
    part = Part(PackURI("/docProps/custom.xml"), CUSTOM_CT, _custom_xml(props), doc.part.package)
    doc.part.package.relate_to(part, RT.CUSTOM_PROPERTIES)


# -- the unit's forms ------------------------------------------------------------------------------------------
def _finding(file: Any, message: str, json_path: str = "$", severity: str = "error", origin: str = "", rule: str = RULE) -> Finding:
    return Finding(rule, severity, str(file), json_path, message, BASIS, origin=origin)


def _read_unit(unit_dir: Path, shared: tuple[Path, ...] = ()) -> tuple[list[Finding], UnitInput | None]:
    manifest = unit_dir / "don_vi.yaml"
    if not manifest.is_file():
        return [_finding(manifest, "Không có tệp đơn vị don_vi.yaml trong thư mục này.")], None
    found = FolderSource(unit_dir, shared).read()
    if found.manifest is None:
        return [Finding(SCHEMA_RULE, "error", found.shown, p.json_path, p.message, BASIS) for p in found.problems], None
    if not isinstance(found.manifest, dict):
        return [_finding(found.shown, "Tệp đơn vị phải là một bảng khóa: giá trị.")], None
    return [], found


def own_forms(manifest: dict) -> Iterator[tuple[str, str, str]]:
    """(subject kind, subject code, form name) of every subject's own form the unit file names."""
    for kind, key in OWN_FORMS.items():
        rows = manifest.get(kind)
        for i, row in enumerate(rows if isinstance(rows, list) else []):
            if isinstance(row, dict) and isinstance(row.get(key), str) and row[key]:
                code = row.get("ma") if isinstance(row.get("ma"), str) and row.get("ma") else f"{kind}_{i + 1}"
                yield kind, code, row[key]


def _bind(name: str, named, shown: str) -> tuple[list[Finding], _FormJob | None, dict | None]:
    if named.refused:
        return [_finding(shown, f"Không đọc biểu mẫu {name}: {named.refused}.")], None, None
    if not named.exists:
        return [_finding(shown, f"Không có tệp biểu mẫu {name} mà tệp đơn vị ghi.")], None, None
    if named.problems:
        return [Finding(SCHEMA_RULE, "error", str(named.path), p.json_path, p.message, BASIS) for p in named.problems], None, None
    data = named.data
    if not isinstance(data, dict):
        return [_finding(named.path, "Nội dung tệp biểu mẫu phải là một bảng khóa: giá trị.")], None, None
    try:
        binding = registry.bind(data)
    except BindingProblem as exc:
        return [Finding(SCHEMA_RULE, "error", str(named.path), exc.json_path, exc.message, BASIS)], None, None
    return [], _FormJob("", name, data, binding.entry, binding.ruleset), data


def _settings(unit: UnitInput, key: str, locality_file: Path | None, cache: dict) -> dict:
    if key not in cache:
        path = locality_file
        if path is None and unit.locality is not None and unit.locality.path is not None and unit.locality.exists:
            path = unit.locality.path
        cache[key] = load_settings(key, path)
    return cache[key]


def export_forms(unit_dir: Path, out_dir: Path, *, locality_file: Path | None = None,
                 shared: tuple[Path, ...] = ()) -> tuple[list[Finding], list[Path]]:
    """Write ``<out_dir>/<code>.docx`` for every member and collective of the unit with its own form.

    A form that cannot be read or bound is reported and left out; the others are written (staged, then
    published: a changed file's old version is kept under ``_phien_ban_truoc/``). Returns the findings and
    the written files. Never raises for bad input; ConfigError for an unusable locality file comes back as findings.
    """
    unit_dir, out_dir = Path(unit_dir), Path(out_dir)
    findings, unit = _read_unit(unit_dir, tuple(Path(p) for p in shared))
    if unit is None:
        return findings, []
    documents: dict[str, bytes] = {}
    settings_cache: dict = {}
    used: set[str] = set()
    for _, code, name in own_forms(unit.manifest):
        named = unit.forms.get(name)
        if named is None:
            continue
        problems, job, _ = _bind(name, named, unit.shown)
        findings += problems
        if job is None:
            continue
        job.code = code
        filename = _file_name(code, used)
        try:
            settings = _settings(unit, job.ruleset.key, locality_file, settings_cache)
        except LocalityError as exc:
            return findings + exc.findings, []
        except ConfigError as exc:
            return findings + [_finding(exc.file or unit.shown, exc.message)], []
        documents[filename] = build_document(job, unit.manifest, settings)
    if not documents:
        if not any(f.severity == "error" for f in findings):
            findings.append(_finding(unit.shown, "Đơn vị không có biểu mẫu riêng nào của đảng viên hay tập thể để xuất ra phiếu Word "
                                                 "(thanh_vien[].ban_kiem_diem, to_chuc[].bao_cao).", severity="warning"))
        return findings, []
    with staging(out_dir) as stage:
        for filename, content in documents.items():
            (stage / filename).write_bytes(content)
        written = publish(stage, out_dir, list(documents))
    return findings, written


_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


def _file_name(code: str, used: set[str]) -> str:
    base = _SAFE_NAME.sub("_", unicodedata.normalize("NFKD", code).encode("ascii", "ignore").decode()).strip("._") or "phieu"
    name, n = base, 1
    while name.lower() in used:
        n += 1
        name = f"{base}_{n}"
    used.add(name.lower())
    return name + ".docx"


# -- reading a document --------------------------------------------------------------------------------------
@dataclass
class _Para:
    """One paragraph as read: the hoso marks in it and the text after each (the first piece has mark None)."""

    segments: list[tuple[str | None, str]]
    in_table: bool = False

    @property
    def text(self) -> str:
        return "".join(text for _, text in self.segments)

    @property
    def marks(self) -> list[str]:
        return [m for m, _ in self.segments if m]


@dataclass
class _Table:
    """A table: marked (one of hoso's fixed tables) or the member's own, with its rows' texts."""

    marked: bool
    rows: list[str]
    cells: list[list[str]] = field(default_factory=list)
    """Every row's cells, in order (a cell's paragraphs joined by line breaks), empty ones too."""


@dataclass
class FilledDocument:
    """A DOCX as the import sees it: its custom properties and its body as paragraphs and tables in order."""

    path: Path
    props: dict[str, str]
    blocks: list


class _Reader:
    """Walks a document body in reading order, through content controls, keeping hoso's bookmarks."""

    def __init__(self):
        self.blocks: list = []
        self.pending: list[str] = []

    def block(self, parent, in_table: bool = False) -> None:
        for child in parent:
            tag = _local(child)
            if tag == "p":
                self.paragraph(child, in_table)
            elif tag == "tbl":
                self.table(child)
            elif tag in ("sdt",):
                content = child.find(f"{{{W}}}sdtContent")
                if content is not None:
                    self.block(content, in_table)
            elif tag in ("sdtContent", "customXml", "ins", "moveTo"):
                self.block(child, in_table)
            elif tag == "bookmarkStart":
                name = child.get(f"{{{W}}}name") or ""
                if name.startswith(MARK):
                    self.pending.append(name)

    def paragraph(self, p, in_table: bool) -> None:
        segments: list[list] = [[None, []]]
        for name in self.pending:
            segments.append([name, []])
        self.pending = []
        self.inline(p, segments)
        self.blocks.append(_Para([(m, "".join(parts)) for m, parts in segments if m or parts], in_table))

    def inline(self, el, segments: list[list]) -> None:
        for child in el:
            tag = _local(child)
            if tag == "r":
                out = segments[-1][1]
                for rc in child:
                    rtag = _local(rc)
                    if rtag == "t":
                        out.append(rc.text or "")
                    elif rtag == "tab":
                        out.append("\t")
                    elif rtag in ("br", "cr"):
                        out.append("\n")
                    elif rtag == "noBreakHyphen":
                        out.append("-")
                    elif rtag == "sym":
                        out.append(WINGDINGS.get((rc.get(f"{{{W}}}char") or "").upper(), ""))
            elif tag == "bookmarkStart":
                name = child.get(f"{{{W}}}name") or ""
                if name.startswith(MARK):
                    segments.append([name, []])
            elif tag in ("sdt", "sdtContent", "hyperlink", "ins", "smartTag", "customXml", "fldSimple", "moveTo", "dir", "bdo"):
                self.inline(child, segments)

    def table(self, tbl) -> None:
        marked = any((b.get(f"{{{W}}}name") or "").startswith(MARK) for b in tbl.iter(f"{{{W}}}bookmarkStart"))
        rows, grid = [], []
        for tr in tbl.iter(f"{{{W}}}tr"):
            cells, every = [], []
            for tc in _row_cells(tr):
                sub = _Reader()
                sub.block(tc, True)
                lines = [b.text.strip() for b in sub.blocks if isinstance(b, _Para) and b.text.strip()]
                text = " ".join(lines)
                if text:
                    cells.append(text)
                every.append("\n".join(lines))
            if cells:
                rows.append("; ".join(cells))
            grid.append(every)
        self.blocks.append(_Table(marked, rows, grid))


def _row_cells(tr) -> list:
    """The cells of a table row, through the content controls Word or LibreOffice may put around them."""
    out = []
    for child in tr:
        tag = _local(child)
        if tag == "tc":
            out.append(child)
        elif tag in ("sdt", "sdtContent", "customXml"):
            out += _row_cells(child.find(f"{{{W}}}sdtContent") if tag == "sdt" and child.find(f"{{{W}}}sdtContent") is not None else child)
    return out


def _local(el) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)


class Unreadable(Exception):
    """A file that is not a DOCX hoso can read; the message is Vietnamese."""


def read_document(path: Path) -> FilledDocument:
    """Open a DOCX and read its properties and body. Raises Unreadable (Vietnamese message) for a damaged file."""
    try:
        if path.stat().st_size > MAX_DOCX_BYTES:
            raise Unreadable(f"Tệp quá lớn (trên {MAX_DOCX_BYTES // (1024 * 1024)} MB) cho một phiếu.")
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                raise Unreadable("Tệp không phải văn bản Word (.docx): không có word/document.xml.")
            props = _custom_props(_part(archive, "docProps/custom.xml")) if "docProps/custom.xml" in names else {}
            root = etree.fromstring(_part(archive, "word/document.xml"), _PARSER)
    except Unreadable:
        raise
    except (zipfile.BadZipFile, etree.XMLSyntaxError, OSError, KeyError, ValueError) as exc:
        raise Unreadable(f"Không mở được tệp Word (tệp hỏng hoặc không phải .docx): {show(exc, 120)}") from None
    body = root.find(f"{{{W}}}body")
    reader = _Reader()
    if body is not None:
        reader.block(body)
    return FilledDocument(path, props, reader.blocks)


def _part(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise Unreadable(f"Phần {name} của tệp quá lớn.")
    return archive.read(name)


def _custom_props(xml: bytes) -> dict[str, str]:
    root = etree.fromstring(xml, _PARSER)
    out = {}
    for prop in root.iter(f"{{{CUSTOM_NS}}}property"):
        name = prop.get("name")
        if name and name.startswith(MARK):
            out[name] = "".join(prop.itertext())
    return out


# -- interpreting a document against its form's plan ----------------------------------------------------------
@dataclass
class Reading:
    """What a document holds for each field (by key), and what is wrong with its structure."""

    values: dict[str, Any] = field(default_factory=dict)
    problems: list[tuple[str, str, str]] = field(default_factory=list)
    """(severity, key or "", message)"""
    row_numbers: dict[str, list[int]] = field(default_factory=dict)
    """For a table: the row of the document (1 = first row under the header) of each row read."""


def _strip_placeholders(text: str) -> str:
    return _nfc(text.replace(PLACEHOLDER, "")).strip()


def interpret(doc: FilledDocument, items: dict[str, Field]) -> Reading:
    """Read each field of ``items`` (key → field) from the document's blocks."""
    reading = Reading()
    seen: dict[str, int] = {}
    current: Field | None = None
    collected: list[str] = []
    options: dict[str, dict[int, list[str]]] = {}
    after = ""  # the title of the last marked line, for stray text
    awaiting: Field | None = None  # a table's heading was read: its table comes next

    def close() -> None:
        nonlocal current, collected
        if current is not None:
            if current.kind == PARAGRAPHS:
                reading.values[current.key] = collected
            else:
                reading.values[current.key] = "\n".join(x for x in collected)
        current, collected = None, []

    for block in doc.blocks:
        if isinstance(block, _Table) and awaiting is not None and not block.marked:
            _table_rows(awaiting, block, reading)
            awaiting = None
            continue
        if isinstance(block, _Table):
            if block.marked:
                close()
                after = ""
                continue
            if current is not None and block.rows:
                collected += [_nfc(r).strip() for r in block.rows if r.strip()]
                reading.problems.append(("warning", current.key, "Bảng trong mục này được đọc thành các đoạn văn, mỗi hàng một đoạn "
                                                                "(các ô cách nhau dấu chấm phẩy)."))
            elif block.rows:
                reading.problems.append(("warning", "", f"Bảng nằm ngoài các mục của phiếu{_after(after)} không được nhập: "
                                                        f"«{show(block.rows[0])}»."))
            continue
        marks = block.marks
        if not marks:
            text = _strip_placeholders(block.text)
            if block.in_table or not text:
                continue
            if current is not None:
                collected.append(text)
            else:
                reading.problems.append(("warning", "", f"Đoạn văn nằm ngoài các mục của phiếu{_after(after)} không được nhập: «{show(text)}»."))
            continue
        close()
        awaiting = None
        head = marks[0]
        base = _base_key(head)
        item = items.get(base)
        after = item.title if item else ""
        for mark in marks:
            if mark in items or _base_key(mark) != mark:
                seen[mark] = seen.get(mark, 0) + 1
        if item is None:
            continue
        lead = block.segments[0][1].strip() if block.segments[0][0] is None else ""
        if lead:
            reading.problems.append(("warning", item.key, f"Chữ gõ trước tiêu đề của mục không được nhập: «{show(lead)}»; "
                                                          "ghi nội dung vào dưới tiêu đề."))
        if head == item.key and item.kind in (PARAGRAPHS, TEXT):
            current = item
            own = _nfc("".join(text for _, text in block.segments[1 if lead else 0:])).strip()
            rest = _after_title(own, item.title)
            if rest:
                collected.append(rest)
            elif own and not own.startswith(item.title) and _strip_placeholders(own):
                reading.problems.append(("warning", item.key, f"Dòng tiêu đề của mục đã bị sửa thành «{show(own)}»; chữ trên dòng này "
                                                              "không được nhập (ghi nội dung vào dưới tiêu đề)."))
        elif head == item.key and item.kind == TABLE:
            awaiting = item
        elif head == item.key and item.kind != CHOICE:
            reading.values[item.key] = _scalar_text(block, item, reading)
        for mark, text in block.segments:
            if mark and _base_key(mark) != mark and _base_key(mark) in items:
                index = int(mark.rsplit("_", 1)[1])
                options.setdefault(_base_key(mark), {}).setdefault(index, []).append(text)
    close()
    for key, count in seen.items():
        if count > 1 and _base_key(key) in items:
            reading.problems.append(("error", _base_key(key), "Mục này có mặt hai lần trong phiếu (tiêu đề hoặc ô bị chép lại); "
                                                            "giữ một, xóa bản chép."))
    for key, item in items.items():
        if item.kind == CHOICE:
            reading.values[key] = _choice_value(item, options.get(key, {}), reading)
    return reading


def _norm(text: str) -> str:
    """Text compared loosely: NFC, case folded, spaces collapsed, trailing punctuation dropped."""
    return " ".join(_nfc(text).casefold().split()).rstrip(" .;,")


def _table_rows(item: Field, block: _Table, reading: Reading) -> None:
    """The rows of a table under its heading: header rows (the first, and any repeating it) and rows with every
    cell empty left out, the row-number column dropped."""
    header = [_norm(ROW_NUMBER)] + [_norm(col.title) for col in item.columns]
    width = len(item.columns) + 1
    rows, numbers = [], []
    for n, cells in enumerate(block.cells):
        if n == 0 or [_norm(c) for c in cells] == header:
            continue
        texts = [_nfc(c).strip() for c in cells]
        if not any(texts[1:]):
            continue
        if len(texts) != width:
            reading.problems.append(("error", item.key, f"Hàng {n} của bảng có {len(texts)} ô, bảng cần {width} ô "
                                                        "(ô bị gộp hoặc tách); sửa lại hàng này như các hàng khác."))
            continue
        rows.append(texts[1:])
        numbers.append(n)
    reading.values[item.key] = rows
    reading.row_numbers[item.key] = numbers


def _after(title: str) -> str:
    return f" (sau mục «{short_title(title)}»)" if title else ""


def _base_key(mark: str) -> str:
    head, sep, tail = mark.rpartition("_")
    return head if sep and tail.isdigit() and head.startswith(MARK) and len(head) > len(MARK) + 1 else mark


def _after_title(text: str, title: str) -> str:
    text = _nfc(text).strip()
    if text.startswith(title):
        return _strip_placeholders(text[len(title):].lstrip(" :.-–"))
    return ""


def _scalar_text(block: _Para, item: Field, reading: Reading) -> Any:
    text = _nfc(block.text).strip()
    if text.startswith(item.title):
        rest = text[len(item.title):].lstrip()
        if rest.startswith(":"):
            rest = rest[1:]
    elif ":" in text:
        rest = text.split(":", 1)[1]
    else:
        reading.problems.append(("error", item.key, "Không tìm thấy dấu hai chấm sau tên mục; ghi lại dòng này theo dạng «tên mục: giá trị»."))
        return _MISSING
    rest = rest.strip()
    if rest.startswith(BLANK_VALUE):
        rest = rest[len(BLANK_VALUE):].strip()
    if rest.endswith(BLANK_VALUE):
        rest = rest[:-len(BLANK_VALUE)].strip()
    return "" if set(rest) <= set(". …") else rest


def _choice_value(item: Field, found: dict[int, list[str]], reading: Reading) -> Any:
    if not found:
        return _MISSING
    ticked, missing = [], []
    for i, (option, label) in enumerate(item.options):
        texts = found.get(i)
        if not texts:
            missing.append(label)
            continue
        state = _box(texts[0])
        if state is None:
            missing.append(label)
        elif state:
            ticked.append(option)
    if missing:
        reading.problems.append(("error", item.key, f"Thiếu ô đánh dấu của lựa chọn: {', '.join(missing)} (ô bị xóa); "
                                                    "xuất lại phiếu hoặc chép lại ô " + UNTICKED + "."))
        return _MISSING
    if len(ticked) > 1:
        names = [label for option, label in item.options if option in ticked]
        reading.problems.append(("error", item.key, f"Đánh dấu {len(ticked)} ô ({', '.join(names)}); chỉ được chọn một."))
        return _MISSING
    return ticked[0] if ticked else None


def _box(text: str) -> bool | None:
    """True for a ticked box at the start of ``text``, False for an empty one, None when there is no box."""
    stripped = text.lstrip()
    if not stripped:
        return None
    first = stripped[0]
    if first == UNTICKED:
        return False
    if first in TICKS:
        return True
    if first in "xX" and (len(stripped) == 1 or not stripped[1].isalnum()):
        return True
    return None


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


_MISSING = _Missing()
"""A field whose marks are not in the document (deleted, damaged): its value in the form is kept."""


# -- parsing what was typed ---------------------------------------------------------------------------------------
_NUMBER = re.compile(r"([+-]?\d+(?:[.,]\d+)?)\s*(?:điểm)?\s*(?:/\s*\d+(?:[.,]\d+)?\s*(?:điểm)?)?")
_DATE_VN = re.compile(r"(?:ngày\s*)?(\d{1,2})\s*(?:/|-|\.|\s+tháng\s+)\s*(\d{1,2})\s*(?:/|-|\.|\s+năm\s+)\s*(\d{4})", re.IGNORECASE)
_DATE_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_value(item: Field, shown: Any) -> tuple[Any, str | None]:
    """The form value of what the document shows for ``item``, or (None, Vietnamese reason) when it cannot be read."""
    if item.kind == PARAGRAPHS:
        return list(shown), None
    if item.kind == CHOICE:
        return shown, None
    text = (shown or "").strip()
    if not text:
        return None, None
    if item.kind in (TEXT, LINE):
        return text, None
    if item.kind in (NUMBER, INTEGER):
        match = _NUMBER.fullmatch(text)
        if not match:
            return None, f"«{show(text)}» không phải là một số (viết số thập phân với dấu phẩy, ví dụ 8,5)."
        raw = match.group(1).replace(",", ".")
        number = float(raw)
        return (int(number) if number.is_integer() else number), None
    if item.kind == DATE:
        match = _DATE_VN.fullmatch(text)
        if match:
            day, month, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        else:
            iso = _DATE_ISO.fullmatch(text)
            if not iso:
                return None, f"«{show(text)}» không phải là ngày (viết ngày/tháng/năm, ví dụ 07/12/2026)."
            year, month, day = int(iso.group(1)), int(iso.group(2)), int(iso.group(3))
        try:
            return dt.date(year, month, day).isoformat(), None
        except ValueError:
            return None, f"«{show(text)}» không phải là ngày có thật."
    return text, None


@dataclass
class _Cell:
    """A filled cell of a table as imported: where it goes, where it was typed, what is wrong with it."""

    json_path: str
    where: str
    problem: str = ""


def parse_table(item: Field, rows: list[list[str]], current: Any, numbers: list[int]) -> tuple[list, list[_Cell]]:
    """The items of a table as the document shows them, and each filled cell (with its problem, if any).

    A row shown exactly as an item of the form was exported (any item, so rows moved or deleted around it do not
    matter) is that item, unchanged: fields the table has no column for (not in the schema) are kept only there.
    Any other row is built from its cells; a cell left as the item at the same position shows it keeps that item's
    value as written (a ``false`` flag, a whole number). Coded cells take the label or the code, loosely."""
    old = [row for row in current if isinstance(row, dict)] if isinstance(current, list) else []
    shown = [[cell_text(col, row.get(col.name)) for col in item.columns] for row in old]
    used: set[int] = set()
    items: list = []
    cells: list[_Cell] = []
    for i, row in enumerate(rows):
        number = numbers[i] if i < len(numbers) else i + 1
        base = f"{item.json_path}[{len(items)}]"
        same = next((j for j, s in enumerate(shown) if s == row and j not in used), None)
        if same is not None:
            used.add(same)
            items.append(json.loads(json.dumps(old[same])))
            cells += [_Cell(child_path(base, col.name), f"hàng {number}, cột «{col.title}»") for col, text in zip(item.columns, row) if text]
            continue
        near = old[i] if i < len(old) else {}
        near_shown = shown[i] if i < len(shown) else []
        new: dict = {}
        for c, (col, text) in enumerate(zip(item.columns, row)):
            cell = _Cell(child_path(base, col.name), f"hàng {number}, cột «{col.title}»")
            if c < len(near_shown) and near_shown[c] == text and col.name in near:
                new[col.name] = near[col.name]
            elif text:
                value, cell.problem = _parse_cell(col, text)
                if not cell.problem and value is not None:
                    new[col.name] = value
            if text:
                cells.append(cell)
        items.append(new)
    return items, cells


def _plain(text: str) -> str:
    """``_norm`` without diacritics (đ → d), for a label typed without them."""
    folded = unicodedata.normalize("NFD", _norm(text).replace("đ", "d"))
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def _parse_cell(col: Column, text: str) -> tuple[Any, str]:
    if col.kind == CHOICE:
        for match in (_norm, _plain):
            typed = match(text)
            hits = {code for code, label in col.options if typed in (match(label), match(code))}
            if len(hits) == 1:
                return hits.pop(), ""
        labels = "; ".join(f"«{label}»" for _, label in col.options)
        return None, f"«{show(text)}» không phải một giá trị của cột; ghi một trong: {labels}."
    if col.kind == FLAG:
        typed, words = _norm(text), roster_table()
        if typed in {_norm(w) for w in (*words.yes, *GLYPH_YES)}:
            return True, ""
        if typed in {_norm(w) for w in (*words.no, UNTICKED)}:
            return False, ""
        return None, f"«{show(text)}» không phải «{words.yes[0]}» hay «{words.no[0]}»; ghi «{words.yes[0]}» hoặc để trống."
    value, problem = parse_value(col.as_field(), text)
    return value, problem or ""


# -- importing ---------------------------------------------------------------------------------------------------
def short_title(title: str, limit: int = 60) -> str:
    if len(title) <= limit:
        return title
    cut = title[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + " …"


@dataclass
class _Outcome:
    """What importing one document into its form came to."""

    name: str
    doc: Path
    findings: list[Finding] = field(default_factory=list)
    data: dict | None = None
    changed: list[Field] = field(default_factory=list)
    origins: dict[str, str] = field(default_factory=dict)
    agreed: dict[str, str] = field(default_factory=dict)
    """Field key → fingerprint of the value the document and the form now both hold (the base of the next import)."""
    managed: list[str] = field(default_factory=list)
    original_text: str = ""
    path: Path | None = None


def _origin(doc_label: str, item: Field) -> str:
    return f"{doc_label}, mục «{short_title(item.title)}»"


def _doc_label(doc: Path, docs_dir: Path, unit_dir: Path) -> str:
    try:
        return doc.resolve().relative_to(unit_dir.resolve()).as_posix()
    except ValueError:
        return f"{docs_dir.name}/{doc.name}" if docs_dir.name else doc.name


def import_forms(unit_dir: Path, docs_dir: Path, *, dry_run: bool = False) -> tuple[list[Finding], list[str], list[Path]]:
    """Read every DOCX of ``docs_dir`` (a folder, or one .docx file) back into the unit's forms.

    Each document is matched to its form by its properties (not its file name), read section by section, merged
    into the form (every field the document does not show is kept), validated against the form's schema and
    reported with the document, the JSON path and where it was typed. A document with an error changes nothing;
    the others are written together with ``.hoso/nguon.json`` (staged, then published; old versions kept under
    ``_phien_ban_truoc/``), and ``.hoso/phieu_word.json`` notes what each form and its document now agree on, so
    that a document sent back again after more changes is merged against that. With ``dry_run`` nothing is written.
    Returns (findings, change lines, the form files written).
    """
    unit_dir, docs_dir = Path(unit_dir), Path(docs_dir)
    findings, unit = _read_unit(unit_dir)
    if unit is None:
        return findings, [], []
    if docs_dir.is_file():
        listed, docs_dir = [docs_dir], docs_dir.parent
    elif docs_dir.is_dir():
        listed = sorted(docs_dir.iterdir())
    else:
        return findings + [_finding(docs_dir, "Không có thư mục (hay tệp) phiếu Word này.")], [], []
    forms = {name: code for _, code, name in own_forms(unit.manifest)}
    docs, others = [], []
    for path in listed:
        if path.name.startswith(("~$", ".")) or not path.is_file():
            continue
        suffix = path.suffix.lower()
        if suffix in DOCX_SUFFIXES:
            docs.append(path)
        elif suffix in OTHER_SUFFIXES:
            others.append(path)
    for path in others:
        findings.append(_finding(path, "Tệp không phải dạng .docx: mở bằng Word hoặc LibreOffice rồi lưu lại dạng Word (.docx) để nhập."))
    if not docs:
        findings.append(_finding(docs_dir, "Thư mục không có phiếu Word (.docx) nào để nhập.", severity="warning"))
        return findings, [], []

    read: list[tuple[Path, FilledDocument]] = []
    for path in docs:
        try:
            read.append((path, read_document(path)))
        except Unreadable as exc:
            findings.append(_finding(path, str(exc)))
    by_form: dict[str, list[FilledDocument]] = {}
    unit_name = str(get_path(unit.manifest, ("don_vi", "ten")) or "")
    unit_period = _period(unit.manifest)
    for path, doc in read:
        problem = _identify(doc, forms, unit_name, unit_period)
        if problem:
            findings.append(_finding(path, problem))
            continue
        by_form.setdefault(doc.props[PROP_FILE], []).append(doc)
    outcomes: list[_Outcome] = []
    synced = read_synced(unit_dir)
    for name, group in sorted(by_form.items()):
        if len(group) > 1:
            names = ", ".join(d.path.name for d in group)
            for doc in group:
                findings.append(_finding(doc.path, f"Có {len(group)} phiếu của cùng biểu mẫu {name} ({names}); "
                                                   "chỉ để lại một phiếu trong thư mục rồi nhập lại."))
            continue
        outcome = _import_one(unit, unit_dir, docs_dir, name, group[0], synced.get(name, {}))
        findings += outcome.findings
        outcomes.append(outcome)

    lines, to_write = [], []
    for o in outcomes:
        blocked = any(f.severity == "error" for f in o.findings)
        if blocked:
            lines.append(f"{o.name}: không ghi vì phiếu {o.doc.name} có lỗi.")
        elif not o.changed:
            lines.append(f"{o.name}: không có thay đổi (phiếu {o.doc.name}).")
        else:
            titles = ", ".join(f"«{short_title(item.title, 40)}»" for item in o.changed[:5]) + (", …" if len(o.changed) > 5 else "")
            verb = "sẽ được cập nhật" if dry_run else "được cập nhật"
            lines.append(f"{o.name}: {len(o.changed)} mục {verb}: {titles} (từ phiếu {o.doc.name}).")
            to_write.append(o)
    if dry_run or not to_write:
        return findings, lines, []
    return findings, lines, _write(unit_dir, to_write, synced)


def _identify(doc: FilledDocument, forms: dict[str, str], unit_name: str, unit_period: Period | None) -> str | None:
    props = doc.props
    if PROP_VERSION not in props or PROP_FILE not in props:
        return ("Không phải phiếu do hoso xuất ra (không có thông tin biểu mẫu trong thuộc tính tệp); "
                "dùng phiếu tạo bằng `hoso forms export`, hoặc chép nội dung sang phiếu đó.")
    try:
        version = int(props[PROP_VERSION])
    except ValueError:
        version = -1
    if version != FORMAT_VERSION:
        return f"Phiếu theo dạng {show(props[PROP_VERSION])} mà phiên bản hoso này không đọc được; xuất lại phiếu."
    if props.get(PROP_UNIT, "") != unit_name:
        return f"Phiếu của đơn vị khác («{show(props.get(PROP_UNIT, ''))}», không phải «{show(unit_name)}»)."
    if unit_period is not None and props.get(PROP_PERIOD) != str(unit_period):
        return f"Phiếu của kỳ đánh giá khác ({show(props.get(PROP_PERIOD, ''))}, đơn vị đang ở {unit_period.label_vi})."
    if props[PROP_FILE] not in forms:
        return (f"Phiếu của biểu mẫu {show(props[PROP_FILE])} (mã {show(props.get(PROP_SUBJECT, ''))}) mà tệp đơn vị không còn ghi; "
                "kiểm tra danh sách đảng viên, tập thể trong don_vi.yaml.")
    return None


def _import_one(unit: UnitInput, unit_dir: Path, docs_dir: Path, name: str, doc: FilledDocument,
                agreed: dict[str, str]) -> _Outcome:
    outcome = _Outcome(name, doc.path)
    named = unit.forms.get(name)
    problems, job, data = _bind(name, named, unit.shown) if named is not None else ([], None, None)
    if job is None:
        outcome.findings += [dataclasses.replace(f, message_vi=f"Không nhập được phiếu {doc.path.name}: {f.message_vi}") for f in problems] or [
            _finding(doc.path, f"Không đọc được biểu mẫu {name} của phiếu này.")]
        return outcome
    outcome.path = named.path
    if not _inside_unit(named.path, unit_dir):
        outcome.findings.append(_finding(doc.path, f"Biểu mẫu {name} nằm ngoài thư mục đơn vị: hoso không ghi vào đó."))
        return outcome
    entry = job.entry
    if doc.props.get(PROP_ENTRY) != f"{entry.ruleset}/{entry.key}":
        outcome.findings.append(_finding(doc.path, f"Phiếu được xuất cho mẫu {show(doc.props.get(PROP_ENTRY, ''))}, nay biểu mẫu {name} là "
                                                   f"{entry.ruleset}/{entry.key} ({entry.label or entry.name}); xuất lại phiếu."))
        return outcome
    try:
        exported: dict[str, str] = json.loads(doc.props.get(PROP_FIELDS) or "{}")
        if not isinstance(exported, dict):
            raise ValueError
    except ValueError:
        exported = {}
        outcome.findings.append(_finding(doc.path, "Thuộc tính hoso_vung của phiếu bị hỏng; mọi mục của phiếu được coi là đã sửa.", severity="warning"))
    known = fields_by_key(entry)
    items = {key: known[key] for key in exported if key in known} or {item.key: item for item in plan(entry, data) if isinstance(item, Field)}
    reading = interpret(doc, items)
    label = _doc_label(doc.path, docs_dir, unit_dir)
    shown_doc = str(doc.path)
    for severity, key, message in reading.problems:
        item = items.get(key)
        outcome.findings.append(_finding(shown_doc, message, item.json_path if item else "$", severity,
                                         _origin(label, item) if item else label))
    new = json.loads(json.dumps(data))
    for key, item in items.items():
        outcome.managed.append(item.json_path)
        current = get_path(data, item.path)
        got = reading.values.get(key, _MISSING)
        if got is _MISSING:
            if not any(k == key for _, k, _ in reading.problems):
                lost = display(item, current) not in ([], "", None)
                outcome.findings.append(_finding(
                    shown_doc, f"Mục «{short_title(item.title)}» không còn trong phiếu (tiêu đề hoặc ô bị xóa)"
                    + ("; dữ liệu đã có của mục được giữ nguyên, nhưng phiếu không được nhập: chép lại mục này từ phiếu mới xuất." if lost
                       else "; mục chưa có dữ liệu nên bỏ qua."),
                    item.json_path, "error" if lost else "warning", _origin(label, item)))
            continue
        mine = display(item, current)
        if got == mine:
            outcome.agreed[key] = fingerprint(got)
            # Empty too: a section still to be written is written in this document (check's finding points there).
            outcome.origins[item.json_path] = _origin(label, item)
            if item.kind == TABLE:
                _, cells = parse_table(item, got, current, reading.row_numbers.get(key, []))
                outcome.origins.update({c.json_path: f"{_origin(label, item)}, {c.where}" for c in cells})
            continue
        # Three-way: a section the document left as exported keeps the form's value (the clerk may have changed it
        # since); a section the document changed takes the document's value when the form still holds what the
        # document was made from, or what an earlier import of a document agreed on; else both changed it.
        made_from = exported.get(key)
        if made_from is not None and fingerprint(got) == made_from:
            continue
        cells: list[_Cell] = []
        if item.kind == TABLE:
            value, cells = parse_table(item, got, current, reading.row_numbers.get(key, []))
            problems = [(c.json_path, f"{c.where}: {c.problem}", f"{_origin(label, item)}, {c.where}") for c in cells if c.problem]
        else:
            value, problem = parse_value(item, got)
            problems = [(item.json_path, problem, _origin(label, item))] if problem else []
        same = not problems and (value == current or (value in (None, []) and display(item, current) in (None, [], "")))
        if not same and made_from is not None and fingerprint(mine) not in (made_from, agreed.get(key)):
            outcome.findings.append(_finding(
                shown_doc, f"Mục «{short_title(item.title)}» đã được sửa cả trong phiếu và trong tệp {name} sau khi xuất phiếu; "
                "hoso không chọn thay: sửa tay tệp biểu mẫu, hoặc xuất lại phiếu rồi điền lại.", item.json_path, "error", _origin(label, item)))
            continue
        for json_path, problem, origin in problems:
            outcome.findings.append(_finding(shown_doc, f"Mục «{short_title(item.title)}», {problem}" if item.kind == TABLE
                                             else f"Mục «{short_title(item.title)}»: {problem}", json_path, "error", origin))
        if problems:
            continue
        outcome.agreed[key] = fingerprint(got)
        outcome.origins[item.json_path] = _origin(label, item)
        outcome.origins.update({c.json_path: f"{_origin(label, item)}, {c.where}" for c in cells})
        if same:
            continue  # written differently (28,0 for 28; a label in capitals), the same value
        _assign(new, item, value)
        outcome.changed.append(item)
    if any(f.severity == "error" for f in outcome.findings) or not outcome.changed:
        return outcome
    cleaned, problems = clean(new)
    for p in problems:
        outcome.findings.append(_finding(shown_doc, p.message, p.json_path, "error",
                                         provenance.origin_of({i.json_path: _origin(label, i) for i in items.values()}, p.json_path)))
    if problems:
        return outcome
    where = {item.json_path: _origin(label, item) for item in items.values()}
    outcome.findings += _validation(shown_doc, str(named.path), data, cleaned, where, set(outcome.managed))
    outcome.data = cleaned
    try:
        outcome.original_text = named.path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        outcome.original_text = ""
    return outcome


def _inside_unit(path: Path | None, unit_dir: Path) -> bool:
    if path is None:
        return False
    try:
        path.resolve().relative_to(unit_dir.resolve())
        return True
    except ValueError:
        return False


def _assign(data: dict, item: Field, value: Any) -> None:
    path = item.path
    if value is None or (item.kind == PARAGRAPHS and value == []):
        parent = get_path(data, path[:-1]) if len(path) > 1 else data
        if not isinstance(parent, dict) or path[-1] not in parent:
            return
        if item.kind == PARAGRAPHS:
            parent[path[-1]] = []
            return
        del parent[path[-1]]
        for depth in range(len(path) - 1, 0, -1):  # a group emptied by the document goes with its last value
            holder = get_path(data, path[:depth - 1]) if depth > 1 else data
            if isinstance(holder, dict) and holder.get(path[depth - 1]) == {}:
                del holder[path[depth - 1]]
            else:
                break
        return
    _put(data, path, value)


def _validation(shown_doc: str, shown_form: str, before: dict, after: dict, origins: dict[str, str], managed: set[str]) -> list[Finding]:
    """Schema findings of the merged form, on the document when they concern what it shows, else on the form file.

    A form is filled over several rounds, so an error for something still missing, that the form did not have
    either (a section of a skeleton not written yet), or an error the form already had, is a warning ("chưa hoàn
    chỉnh"): the document made nothing worse. Any other error (a wrong value, a section emptied that had text)
    blocks the file."""
    found, _ = check_data(shown_doc, after)
    old: set | None = None
    out = []
    for f in found:
        if f.severity == "error":
            unfinished = _empty(_at(after, f.json_path)) and _empty(_at(before, f.json_path))
            if not unfinished:
                if old is None:
                    earlier, _ = check_data(shown_doc, before)
                    old = {(e.json_path, e.message_vi) for e in earlier if e.severity == "error"}
                unfinished = (f.json_path, f.message_vi) in old
            if unfinished:
                f = dataclasses.replace(f, severity="warning", message_vi="Biểu mẫu chưa hoàn chỉnh: " + f.message_vi)
        mine = any(provenance.inside(f.json_path, p) or provenance.inside(p, f.json_path) for p in managed)
        origin = provenance.origin_of(origins, f.json_path) if mine else ""
        out.append(dataclasses.replace(f, file=shown_doc if mine else shown_form, origin=origin))
    return out


_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]")


def _at(data: Any, json_path: str) -> Any:
    """The value at a JSON path as findings write it (``$.a.b[2]``, ``$.a['x-y']``); None when it is not there."""
    pos = 1
    while pos < len(json_path):
        match = _STEP.match(json_path, pos)
        if match is None:
            return None
        name, index, quoted = match.groups()
        if index is not None:
            data = data[int(index)] if isinstance(data, list) and int(index) < len(data) else None
        else:
            key = name if name is not None else quoted.replace("\\'", "'").replace("\\\\", "\\")
            data = data.get(key) if isinstance(data, dict) else None
        pos = match.end()
    return data


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == "" or value == {}


def form_bytes(data: dict, suffix: str, original_text: str = "") -> bytes:
    """A form file's bytes: its leading comment block kept, the data written as ``hoso`` writes YAML (or JSON)."""
    if suffix == ".json":
        return (json.dumps(plain(data), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    header = "".join(line + "\n" for line in comment_block(original_text))
    return (header + dump_yaml(data)).encode("utf-8")


def _write(unit_dir: Path, outcomes: list[_Outcome], synced: dict[str, dict[str, str]]) -> list[Path]:
    """Publish the changed forms with the two records of ``.hoso/``; ``synced``: the record as read before the import."""
    origins = provenance.read(unit_dir)
    names = []
    stamp = time_stamp()
    with staging(unit_dir) as stage:
        for o in outcomes:
            rel = o.path.resolve().relative_to(unit_dir.resolve()).as_posix()
            target = stage / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(form_bytes(o.data, o.path.suffix.lower(), o.original_text))
            names.append(rel)
            paths = origins.setdefault(rel, {})
            for key in [k for k in paths if any(provenance.inside(k, m) for m in o.managed)]:
                del paths[key]
            paths.update(o.origins)
            if not paths:
                del origins[rel]
        nguon = stage / provenance.FOLDER / provenance.FILE
        nguon.parent.mkdir(parents=True, exist_ok=True)
        nguon.write_bytes(provenance.content(origins))
        names.append(f"{provenance.FOLDER}/{provenance.FILE}")
        for o in outcomes:
            synced[o.name] = {**synced.get(o.name, {}), **o.agreed}
        (stage / provenance.FOLDER / SYNC_FILE).write_bytes(
            (json.dumps({"phien_ban": 1, "tep": {k: dict(sorted(v.items())) for k, v in sorted(synced.items())}},
                        ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
        names.append(f"{provenance.FOLDER}/{SYNC_FILE}")
        published = publish(stage, unit_dir, names, stamp)
    return published[:len(outcomes)]  # the forms; the two records of .hoso/ go with them


def read_synced(unit_dir: Path) -> dict[str, dict[str, str]]:
    """What the forms and their documents last agreed on, by form file and field key (``.hoso/phieu_word.json``)."""
    try:
        data = json.loads((unit_dir / provenance.FOLDER / SYNC_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("tep") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return {}
    return {str(k): {str(a): str(b) for a, b in v.items()} for k, v in files.items() if isinstance(v, dict)}
