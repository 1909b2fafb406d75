"""Roster rules: who counts in 应到, how headers and cells are read, and every kind of bad row."""
import pytest

from voting.domain import roster
from voting.domain.roster import (
    ACTIVE,
    LEFT,
    SUSPENDED,
    check_roster,
    clean_cell,
    clean_name,
    clean_number,
    counts_in_roster,
    header_field,
    parse_status,
    roster_changes,
    rows_from_table,
)

GROUPS = ["城东代表团", "城西代表团"]


@pytest.mark.parametrize(
    "status, suspended_counted, counts",
    [(ACTIVE, False, True), (SUSPENDED, False, False), (SUSPENDED, True, True), (LEFT, False, False), (LEFT, True, False)],
)
def test_who_counts_in_the_roster(status, suspended_counted, counts):
    assert counts_in_roster(status, suspended_counted) is counts


@pytest.mark.parametrize(
    "header, field",
    [
        ("姓名", "name"), ("Name", "name"), (" NAME ", "name"), ("*姓名", "name"), ("\ufeff姓名", "name"),
        ("代表证号", "number"), ("证号", "number"), ("编号", "number"), ("号码", "number"), ("Number", "number"),
        ("代表团", "group"), ("分组", "group"), ("小组", "group"), ("group", "group"), ("Delegation", "group"),
        ("状态", "status"), ("status", "status"), ("　状态　", "status"),
        ("序号", None), ("性别", None), ("", None),
    ],
)
def test_headers_are_recognised_in_chinese_and_english(header, field):
    assert header_field(header) == field


@pytest.mark.parametrize(
    "cell, status",
    [
        ("", ACTIVE), ("在任", ACTIVE), ("active", ACTIVE), ("Active", ACTIVE),
        ("暂停", SUSPENDED), ("暂停执行代表职务", SUSPENDED), ("suspended", SUSPENDED),
        ("离任", LEFT), ("已离任", LEFT), ("left", LEFT), (" 离任　", LEFT),
        ("退休", None), ("x", None),
    ],
)
def test_statuses_in_chinese_and_english(cell, status):
    assert parse_status(cell) == status


@pytest.mark.parametrize(
    "function, raw, cleaned",
    [
        (clean_cell, "  张三\t", "张三"),
        (clean_cell, "\u3000张三\u3000", "张三"),  # full-width spaces
        (clean_cell, "\ufeff张三", "张三"),  # a BOM glued to the first cell
        (clean_cell, "张\u200b三", "张三"),  # zero-width space
        (clean_cell, None, ""),
        (clean_name, "王\u3000五", "王五"),  # two-character names padded to line up
        (clean_name, "王 五", "王五"),
        (clean_name, "艾力·买买提", "艾力·买买提"),
        (clean_name, "Mary   Smith", "Mary Smith"),
        (clean_number, "１０００１", "10001"),  # full-width digits
        (clean_number, " A-01 ", "A-01"),
        (clean_number, "007", "007"),  # leading zeros are part of the number
    ],
)
def test_cells_are_trimmed(function, raw, cleaned):
    assert function(raw) == cleaned


def rows(*lines, header=("姓名", "代表证号", "代表团", "状态")):
    """Rows of header → cell; the first is file row 2."""
    return [dict(zip(header, line)) for line in lines]


def codes(check):
    return [(p.row, p.field, p.code) for p in check.problems]


def test_a_good_file_gives_every_person():
    check = check_roster(
        rows(("张三", "10001", "城东代表团", ""), ("李四", "10002", "", "暂停"), ("王五", "10003", "城西代表团", "离任")),
        GROUPS,
    )
    assert check.is_valid
    assert [(r.row, r.name, r.number, r.group, r.status) for r in check.rows] == [
        (2, "张三", "10001", "城东代表团", ACTIVE),
        (3, "李四", "10002", None, SUSPENDED),
        (4, "王五", "10003", "城西代表团", LEFT),
    ]


@pytest.mark.parametrize(
    "lines, problems",
    [
        ([("", "10001", "", "")], [(2, "name", "missing_name")]),
        ([("张三", "", "", "")], [(2, "number", "missing_number")]),
        ([("", "", "", "在任")], [(2, "name", "missing_name"), (2, "number", "missing_number")]),
        (
            [("张三", "10001", "", ""), ("李四", "10002", "", ""), ("王五", "10001", "", "")],
            [(4, "number", "duplicate_number")],
        ),
        ([("张三", "１０００１", "", ""), ("李四", "10001", "", "")], [(3, "number", "duplicate_number")]),
        ([("张三", "10001", "火星代表团", "")], [(2, "group", "unknown_group")]),
        ([("张三", "10001", "", "退休")], [(2, "status", "invalid_status")]),
        ([("张" * 101, "10001", "", "")], [(2, "name", "name_too_long")]),
        ([("张三", "1" * 51, "", "")], [(2, "number", "number_too_long")]),
        ([("张三", "100 01", "", "")], [(2, "number", "invalid_number")]),
        # Blank rows are skipped but keep their place: the bad row is row 4 in the file.
        ([("张三", "10001", "", ""), ("", "", "", ""), ("", "10002", "", "")], [(4, "name", "missing_name")]),
    ],
)
def test_every_kind_of_bad_row_is_reported_with_its_row_and_field(lines, problems):
    check = check_roster(rows(*lines), GROUPS)
    assert codes(check) == problems
    assert not check.is_valid


def test_a_duplicate_number_points_at_the_first_row():
    check = check_roster(rows(("张三", "10001", "", ""), ("李四", "10001", "", "")), GROUPS)
    assert check.problems[0].params == {"number": "10001", "first_row": 2}


def test_an_unknown_group_and_a_bad_status_are_named_in_the_problem():
    check = check_roster(rows(("张三", "10001", "火星代表团", "退休")), GROUPS)
    assert [p.params for p in check.problems] == [{"group": "火星代表团"}, {"status": "退休"}]


@pytest.mark.parametrize(
    "header, missing",
    [(("姓名", "代表团"), ["number"]), (("编号", "代表团"), ["name"]), (("序号", "性别"), ["name", "number"])],
)
def test_a_file_without_a_name_or_number_column_says_so_on_row_1(header, missing):
    check = check_roster(rows(("a", "b"), header=header), GROUPS)
    assert [(p.row, p.code, p.params["column"]) for p in check.problems] == [(1, "missing_column", m) for m in missing]


def test_no_people_at_all_is_a_problem():
    assert codes(check_roster(rows(("", "", "", "")), GROUPS)) == [(None, None, "empty_roster")]


def test_too_many_rows_is_reported_on_the_first_row_beyond(monkeypatch):
    monkeypatch.setattr(roster, "MAX_ROWS", 3)
    check = check_roster(rows(*[(f"代表{i}", str(i), "", "") for i in range(5)]), GROUPS)
    assert codes(check) == [(5, None, "too_many_rows")]


def test_existing_numbers_mark_who_is_new():
    check = check_roster(rows(("张三", "10001", "", ""), ("李四", "10002", "", "")), GROUPS, existing_numbers={"10002"})
    assert [(r.number, r.is_new) for r in check.rows] == [("10001", True), ("10002", False)]


def test_the_best_number_header_wins_when_a_file_has_two():
    check = check_roster(rows(("张三", "1", "10001"), header=("姓名", "编号", "代表证号")), GROUPS)
    assert check.rows[0].number == "10001"


def test_a_file_without_group_or_status_columns_leaves_those_alone():
    check = check_roster(rows(("张三", "10001"), header=("name", "number")), GROUPS)
    person = check.rows[0]
    assert (person.has_group, person.has_status, person.status) == (False, False, ACTIVE)
    assert roster_changes(person, {"name": "张三", "group": "城东代表团", "status": SUSPENDED}) == {}


@pytest.mark.parametrize(
    "current, changes",
    [
        ({"name": "张三", "group": "城东代表团", "status": ACTIVE}, {}),
        ({"name": "张叁", "group": "城东代表团", "status": ACTIVE}, {"name": ("张叁", "张三")}),
        ({"name": "张三", "group": None, "status": LEFT}, {"group": (None, "城东代表团"), "status": (LEFT, ACTIVE)}),
    ],
)
def test_re_import_changes_only_what_differs(current, changes):
    person = check_roster(rows(("张三", "10001", "城东代表团", "在任")), GROUPS).rows[0]
    assert roster_changes(person, current) == changes


def test_table_finds_the_header_below_a_title_and_keeps_file_row_numbers():
    table = [
        ["某市第十六届人民代表大会代表名单", "", ""],
        ["", "", ""],
        ["序号", "姓名", "代表证号"],
        ["1", "张三", "10001"],
        ["", "", ""],
        ["2", "", "10002"],
        ["", "", ""],
        [],
    ]
    check = check_roster(rows_from_table(table), GROUPS)
    assert [r.row for r in check.rows] == [4]
    assert codes(check) == [(6, "name", "missing_name")]  # row 6 as Excel shows it


def test_table_ignores_blank_and_repeated_headers_and_short_rows():
    table = [["姓名", "", "代表证号", "姓名"], ["张三", "x", "10001", "李四"], ["王五"]]
    assert rows_from_table(table) == [{"姓名": "张三", "代表证号": "10001"}, {"姓名": "王五", "代表证号": ""}]


def test_an_empty_table_has_no_rows():
    assert rows_from_table([]) == [] and rows_from_table([["", ""], []]) == []
