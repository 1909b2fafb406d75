"""The certified record and the chain checks, as pure functions (voting.domain.certificate)."""
from __future__ import annotations

import json
from datetime import datetime

import pytest

from voting.domain.ballots import MOTION, Rules
from voting.domain.certificate import (
    METHOD_NAMED_ELECTRONIC,
    METHOD_SECRET_ELECTRONIC,
    Link,
    build_record,
    canonical_json,
    first_problem,
    head_problem,
    result_differences,
    sha256_hex,
)
from voting.domain.outcomes import decide
from voting.domain.tally import count

from .builders import per_item_ballots

NOW = datetime(2025, 3, 18, 1, 32, 9)


def example_5a(secret: bool = True):
    """domain-rules §5.4 5-A decided: N=35, 实到 28, 赞成 17 反对 5 弃权 4 → 未通过."""
    rules = Rules(secret=secret)
    ballots = per_item_ballots({7: {"yes": 17, "no": 5, "abstain": 4}})
    tally = count(MOTION, rules, [7], ballots)
    result = decide(MOTION, rules, [(7, "关于……的决定（草案）")], tally, 35, 28, "standing_committee")
    return json.loads(canonical_json(result.to_dict())), tally


def record_of(result, sequence=1, previous=None, **overrides):
    """A record built from `result` with the fixed parts of these tests."""
    args = dict(
        sequence=sequence,
        previous_sha256=previous,
        body={"name": "XX市第十八届人民代表大会常务委员会", "kind": "standing_committee", "term": 18},
        meeting={"id": 3, "title": "第二十次会议", "date": "2025-03-18", "location": "第一会议室"},
        ballot={"id": 9, "position": 2, "title": "关于……的决定（草案）", "kind": MOTION},
        result=result,
        on_leave=5,
        ballots_count=result["cast"],
        ballots_digest=result["digest"],
        opened_at=datetime(2025, 3, 18, 1, 30),
        closed_at=datetime(2025, 3, 18, 1, 32, 5, 123456),
        certified_at=NOW,
        software_version="0.1.0",
        key_fingerprint="ab" * 32,
    )
    args.update(overrides)
    return build_record(**args)


def test_the_record_holds_what_section_8_1_lists():
    result, tally = example_5a()
    record = record_of(result)
    assert record["attendance"] == {
        "expected": 35, "present": 28, "on_leave": 5, "absent": 2, "quorum": {"required": 18, "met": True},
    }
    assert record["rule"] == {"pass_base": "roster", "threshold": "more_than_half", "base": 35, "needed": 18}
    assert record["method"] == METHOD_SECRET_ELECTRONIC
    item = record["items"][0]
    assert item["counts"] == {"yes": 17, "no": 5, "abstain": 4} and item["not_voted"] == 2
    assert item["outcome"] == "failed"
    assert record["ballots"] == {"count": 26, "digest": tally.digest}
    assert record["times"] == {
        "opened_at": "2025-03-18T01:30:00Z",
        "closed_at": "2025-03-18T01:32:05.123456Z",
        "certified_at": "2025-03-18T01:32:09Z",
    }
    assert record["software"] == {"name": "voting", "version": "0.1.0"}
    assert (record["sequence"], record["previous_sha256"]) == (1, None)
    assert record["body"]["name"] == "XX市第十八届人民代表大会常务委员会"


def test_a_named_ballot_is_recorded_as_named_but_without_names():
    result, _ = example_5a(secret=False)
    record = record_of(result)
    assert record["method"] == METHOD_NAMED_ELECTRONIC
    text = canonical_json(record).decode()
    assert "representative" not in text and "voter" not in text


def test_canonical_json_is_sorted_compact_utf8_and_float_free():
    result, _ = example_5a()
    data = canonical_json(record_of(result))
    assert data == json.dumps(json.loads(data), sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    assert "常务委员会".encode() in data  # UTF-8 kept, not \u escapes
    assert b": " not in data and b", " not in data

    def floats(value):
        if isinstance(value, float):
            return True
        if isinstance(value, dict):
            return any(floats(v) for v in value.values())
        if isinstance(value, list):
            return any(floats(v) for v in value)
        return False

    assert not floats(json.loads(data))  # rates are exact counts plus a display string


@pytest.mark.parametrize(
    "change, message",
    [
        (dict(ballots_count=25), "not counted from these ballots"),
        (dict(ballots_digest="sha256:" + "0" * 64), "not counted from these ballots"),
        (dict(sequence=2, previous=None), "only the first"),
        (dict(sequence=1, previous="ab" * 32), "only the first"),
        (dict(on_leave=8), "请假"),
    ],
)
def test_inconsistent_parts_are_refused(change, message):
    result, _ = example_5a()
    with pytest.raises(ValueError, match=message):
        record_of(result, **change)


def test_result_differences_name_every_changed_figure():
    stored, _ = example_5a()
    recount = json.loads(json.dumps(stored))
    assert result_differences(stored, recount) == []
    recount["items"][0]["counts"]["yes"] = 16
    recount["cast"] = 25
    assert result_differences(stored, recount) == ["cast: 26 ≠ 25", "items[0].counts.yes: 17 ≠ 16"]
    recount["items"].append({})
    assert result_differences(stored, recount)[-1] == "items: 1 entries ≠ 2 entries"


def chain(n: int) -> list[Link]:
    """n valid links: record k names k and the hash of record k-1."""
    links, previous = [], None
    for k in range(1, n + 1):
        record = canonical_json({"sequence": k, "previous_sha256": previous})
        links.append(Link(k, record, sha256_hex(record), previous))
        previous = sha256_hex(record)
    return links


def test_a_whole_chain_holds_and_its_head_matches():
    links = chain(4)
    assert first_problem(links) is None
    assert head_problem(links[-1], 4, links[-1].record_sha256) is None
    assert head_problem(None, 0, None) is None


def test_each_kind_of_damage_is_named_at_its_link():
    links = chain(4)
    edited = Link(2, links[1].record.replace(b'"sequence":2', b'"sequence":2 '), links[1].record_sha256,
                  links[1].previous_sha256)
    assert first_problem([links[0], edited, *links[2:]]) == (2, "record_hash_mismatch")
    assert first_problem([links[0], *links[2:]]) == (3, "missing_predecessor")
    assert first_problem(links[1:]) == (2, "missing_predecessor")
    forged_record = canonical_json({"sequence": 3, "previous_sha256": "f" * 64})
    forged = Link(3, forged_record, sha256_hex(forged_record), "f" * 64)
    assert first_problem([*links[:2], forged, links[3]]) == (3, "previous_hash_mismatch")
    moved = Link(3, links[2].record, links[2].record_sha256, links[1].previous_sha256)
    assert first_problem([*links[:2], moved]) == (3, "record_position_mismatch")
    assert head_problem(links[2], 4, links[3].record_sha256) == "missing_tail"
