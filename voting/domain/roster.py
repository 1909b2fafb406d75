"""Who is on a body's roster, who counts in 应到, and what makes a roster file valid.

The roster rules here are pure (standard library only): the import action reads
a file into rows of header → cell text, and `check_roster` says, row by row,
what is wrong with them as codes with parameters; the caller translates them.
Row numbers are the ones the user sees in the spreadsheet: the header is row 1.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Collection, Iterable, Mapping, Sequence

ACTIVE = "active"  # 在任
SUSPENDED = "suspended"  # 暂停执行代表职务 (代表法 第61条)
LEFT = "left"  # 已离任 (resigned, recalled, deceased, moved away)
REPRESENTATIVE_STATUSES = (ACTIVE, SUSPENDED, LEFT)

# Column sizes of the representative table (voting.storage.models).
MAX_NAME_LENGTH = 100
MAX_NUMBER_LENGTH = 50
MAX_ROWS = 10_000  # the largest roster one import accepts (a provincial congress has under 1,000)

NAME, NUMBER, GROUP, STATUS = "name", "number", "group", "status"
FIELDS = (NAME, NUMBER, GROUP, STATUS)

# The headers clerks actually write, per field, best match first: when a file has
# both 代表证号 and 编号, the 代表证号 column is the number. These are input
# vocabulary to recognise, not text shown to anyone, so they live here as data.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    NAME: ("姓名", "代表姓名", "name"),
    NUMBER: ("代表证号", "证号", "编号", "号码", "number"),
    GROUP: ("代表团", "分组", "小组", "group", "delegation"),
    STATUS: ("状态", "status"),
}

# A blank status means 在任 (active).
STATUS_ALIASES: dict[str, str] = {
    "": ACTIVE,
    "在任": ACTIVE,
    "active": ACTIVE,
    "暂停": SUSPENDED,
    "暂停执行代表职务": SUSPENDED,
    "suspended": SUSPENDED,
    "离任": LEFT,
    "已离任": LEFT,
    "left": LEFT,
}

# Problem codes (the import action maps each to one translated message).
MISSING_COLUMN = "missing_column"  # params: column
EMPTY_ROSTER = "empty_roster"
TOO_MANY_ROWS = "too_many_rows"  # params: max
MISSING_NAME = "missing_name"
MISSING_NUMBER = "missing_number"
NAME_TOO_LONG = "name_too_long"  # params: max
NUMBER_TOO_LONG = "number_too_long"  # params: max
INVALID_NUMBER = "invalid_number"  # params: number
DUPLICATE_NUMBER = "duplicate_number"  # params: number, first_row
UNKNOWN_GROUP = "unknown_group"  # params: group
INVALID_STATUS = "invalid_status"  # params: status

HEADER_ROW = 1
FIRST_DATA_ROW = 2
HEADER_SEARCH_ROWS = 20  # a title line or two may sit above the header
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"  # BOM and zero-width characters Excel and Word leave behind
_SPACES = re.compile(r"\s+")
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff\uf900-\ufaff]) (?=[\u3400-\u9fff\uf900-\ufaff])")


def counts_in_roster(status: str, is_suspended_counted: bool = False) -> bool:
    """Whether a representative with `status` counts in 应到 (the body's current roster).

    ⚠ No source settles suspended members (domain-rules §2.3); the body decides.
    """
    if status == ACTIVE:
        return True
    if status == SUSPENDED:
        return is_suspended_counted
    return False


def clean_cell(value: object) -> str:
    """A cell as trimmed text: no BOM, zero-width characters or outer spaces (full-width 　 included)."""
    if value is None:
        return ""
    text = str(value)
    for char in _INVISIBLE:
        text = text.replace(char, "")
    return text.strip()


def clean_name(value: object) -> str:
    """A person's name: trimmed, runs of spaces made one, and no space between two Chinese
    characters (offices pad two-character names to line up: 王　五 is 王五)."""
    text = _SPACES.sub(" ", clean_cell(value))
    return _CJK_GAP.sub("", text)


def clean_number(value: object) -> str:
    """A 代表证号: trimmed, full-width digits and letters made ASCII (１０００１ is 10001)."""
    return unicodedata.normalize("NFKC", clean_cell(value)).strip()


def _header_key(header: object) -> str:
    """A header reduced to what identifies it: NFKC, lower case, no spaces or stars."""
    key = unicodedata.normalize("NFKC", clean_cell(header)).lower()
    return _SPACES.sub("", key).strip("*")


def header_field(header: object) -> str | None:
    """The field a column header names (NAME, NUMBER, GROUP, STATUS), or None for another column.

    Case, spaces, full-width forms and a required-marker star (*姓名) are ignored.
    """
    key = _header_key(header)
    for name, aliases in HEADER_ALIASES.items():
        if key in aliases:
            return name
    return None


def parse_status(value: object) -> str | None:
    """The status a cell says (blank means active), or None when it is not one we know."""
    key = _SPACES.sub("", unicodedata.normalize("NFKC", clean_cell(value))).lower()
    return STATUS_ALIASES.get(key)


def _is_blank(cells: Iterable[object]) -> bool:
    return all(not clean_cell(c) for c in cells)


def rows_from_table(table: Sequence[Sequence[object]]) -> list[dict[str, str]]:
    """Turn a sheet (a list of rows of cells) into rows of header → cell text.

    The header is the first row, among the first HEADER_SEARCH_ROWS, that names
    both a name and a number column; failing that, the first non-blank row.
    Rows above the header (a title such as 某市人大代表名单) come out as empty
    rows, so that for every returned row, its list index + 2 is still its row
    number in the file. Columns with a blank header are dropped; of two columns
    with the same header, the first wins.
    """
    header_index = None
    for index, cells in enumerate(table[:HEADER_SEARCH_ROWS]):
        found = {header_field(c) for c in cells}
        if NAME in found and NUMBER in found:
            header_index = index
            break
    if header_index is None:
        header_index = next((i for i, cells in enumerate(table) if not _is_blank(cells)), None)
    if header_index is None:
        return []
    columns: list[tuple[int, str]] = []
    seen: set[str] = set()
    for position, cell in enumerate(table[header_index]):
        header = clean_cell(cell)
        if header and header not in seen:
            seen.add(header)
            columns.append((position, header))
    rows: list[dict[str, str]] = [{} for _ in range(header_index)]
    for cells in table[header_index + 1:]:
        rows.append({h: clean_cell(cells[p]) if p < len(cells) else "" for p, h in columns})
    while rows and _is_blank(rows[-1].values()):
        rows.pop()  # trailing blank rows carry no one; keep the inner ones for the numbering
    return rows


@dataclass(frozen=True)
class RosterRow:
    """One valid person from the file. `group` None means no group.

    `has_group` / `has_status` say whether the row gave that field at all: a file
    without a status column leaves existing people's statuses as they are.
    """

    row: int
    name: str
    number: str
    group: str | None
    status: str
    has_group: bool = True
    has_status: bool = True
    is_new: bool = True  # no one in the body has this number yet


@dataclass(frozen=True)
class RowProblem:
    """What is wrong with one cell (or with the file, when `row` is None): a code and its parameters."""

    row: int | None
    field: str | None
    code: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class RosterCheck:
    """The valid rows and the problems, in file order. Import only when `problems` is empty."""

    rows: list[RosterRow]
    problems: list[RowProblem]

    @property
    def is_valid(self) -> bool:
        return not self.problems


def _columns(raw_rows: Sequence[Mapping[str, object]]) -> dict[str, list[str]]:
    """For each field, the headers that name it, best alias first (a row may lack some)."""
    headers: list[str] = []
    for raw in raw_rows:
        for header in raw:
            if header not in headers:
                headers.append(header)
    found: dict[str, list[str]] = {name: [] for name in FIELDS}
    for header in headers:
        name = header_field(header)
        if name is not None:
            found[name].append(header)
    for name, candidates in found.items():
        aliases = HEADER_ALIASES[name]
        candidates.sort(key=lambda h: aliases.index(_header_key(h)))
    return found


def _cell(raw: Mapping[str, object], headers: list[str]) -> tuple[bool, object]:
    """(whether the row has this field at all, its raw value) from the best header the row has."""
    for header in headers:
        if header in raw:
            return True, raw[header]
    return False, ""


def check_roster(
    raw_rows: Sequence[Mapping[str, object]],
    group_names: Collection[str],
    existing_numbers: Collection[str] = (),
) -> RosterCheck:
    """Validate rows of header → cell (list index 0 is file row 2) against the body's groups.

    Blank rows are skipped but keep their row number. Each problem names the row,
    the field and a code: missing_name, missing_number, name_too_long,
    number_too_long, invalid_number, duplicate_number (twice in this file; the
    later rows are flagged, pointing at the first), unknown_group (a group that
    is not one of `group_names`; a blank group means none), invalid_status. A
    file missing the name or number column gets one missing_column problem on
    row 1; no people at all is empty_roster; more than MAX_ROWS people is
    too_many_rows on the first row beyond. `existing_numbers` (the body's
    numbers now) only sets each row's `is_new`.
    """
    columns = _columns(raw_rows)
    problems: list[RowProblem] = []
    for name in (NAME, NUMBER):
        if not columns[name]:
            problems.append(RowProblem(HEADER_ROW, name, MISSING_COLUMN, {"column": name}))
    if problems:
        return RosterCheck(rows=[], problems=problems)

    groups = {clean_cell(g) for g in group_names}
    existing = set(existing_numbers)
    first_row_of: dict[str, int] = {}
    rows: list[RosterRow] = []
    people = 0
    for index, raw in enumerate(raw_rows):
        row = FIRST_DATA_ROW + index
        if _is_blank(raw.values()):
            continue
        people += 1
        if people > MAX_ROWS:
            problems.append(RowProblem(row, None, TOO_MANY_ROWS, {"max": MAX_ROWS}))
            break
        row_problems: list[RowProblem] = []

        name = clean_name(_cell(raw, columns[NAME])[1])
        if not name:
            row_problems.append(RowProblem(row, NAME, MISSING_NAME))
        elif len(name) > MAX_NAME_LENGTH:
            row_problems.append(RowProblem(row, NAME, NAME_TOO_LONG, {"max": MAX_NAME_LENGTH}))

        number = clean_number(_cell(raw, columns[NUMBER])[1])
        if not number:
            row_problems.append(RowProblem(row, NUMBER, MISSING_NUMBER))
        elif len(number) > MAX_NUMBER_LENGTH:
            row_problems.append(RowProblem(row, NUMBER, NUMBER_TOO_LONG, {"max": MAX_NUMBER_LENGTH}))
        elif any(c.isspace() or not c.isprintable() for c in number):
            row_problems.append(RowProblem(row, NUMBER, INVALID_NUMBER, {"number": number}))
        elif number in first_row_of:
            row_problems.append(
                RowProblem(row, NUMBER, DUPLICATE_NUMBER, {"number": number, "first_row": first_row_of[number]})
            )
        else:
            first_row_of[number] = row

        has_group, raw_group = _cell(raw, columns[GROUP])
        group = clean_cell(raw_group) or None
        if group is not None and group not in groups:
            row_problems.append(RowProblem(row, GROUP, UNKNOWN_GROUP, {"group": group}))

        has_status, raw_status = _cell(raw, columns[STATUS])
        status = parse_status(raw_status)
        if status is None:
            row_problems.append(RowProblem(row, STATUS, INVALID_STATUS, {"status": clean_cell(raw_status)}))

        if row_problems:
            problems.extend(row_problems)
            continue
        rows.append(
            RosterRow(
                row=row,
                name=name,
                number=number,
                group=group,
                status=status,
                has_group=has_group,
                has_status=has_status,
                is_new=number not in existing,
            )
        )
    if people == 0:
        problems.append(RowProblem(None, None, EMPTY_ROSTER))
    return RosterCheck(rows=rows, problems=problems)


def roster_changes(row: RosterRow, current: Mapping[str, object]) -> dict[str, tuple[object, object]]:
    """What re-importing `row` changes for the person on file now (`current` has name, group,
    status): field → (old, new). Fields the row does not give are left alone."""
    wanted = {NAME: row.name}
    if row.has_group:
        wanted[GROUP] = row.group
    if row.has_status:
        wanted[STATUS] = row.status
    return {k: (current.get(k), v) for k, v in wanted.items() if current.get(k) != v}
