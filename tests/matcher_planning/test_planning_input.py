"""Invalid input (one `record.field: message` line each, exit 2, nothing written), pin checks,
the command line and the generator."""

import json
import subprocess
import sys

import pytest
from planning_helpers import company, instance, mentor

import matcher
from matcher.planning import validate_plan


def errors(inst: dict) -> list[str]:
    return validate_plan(inst)


@pytest.mark.parametrize(
    ("change", "line"),
    [
        ({"horizon_weeks": 0}, "horizon_weeks: must be between 1 and 104"),
        ({"version": 2}, "version: unsupported version 2 (must be 1)"),
        ({"mentors": {}}, "mentors: must be a list"),
    ],
)
def test_top_level(change, line):
    assert line in errors(instance([mentor("a")], [company("c")]) | change)


@pytest.mark.parametrize(
    ("fields", "line"),
    [
        ({"weeks": 7}, "companies[0].weeks: must be between 1 and 6"),
        ({"score": 0}, "companies[0].score: must be between 1 and 100"),
        ({"team_size": 6}, "companies[0].team_size: must be between 1 and 5"),
        ({"skills": ["Quality"]}, "companies[0].skills[0]: must be a non-empty lowercase string"),
        ({"industry": "29"}, "companies[0].industry: must be a KSIC division code"),
        (
            {"earliest_week": 5},
            "companies[0].latest_end_week: window weeks 5-5 is shorter than the engagement",
        ),
        ({"pinned": 3}, "companies[0].pinned: must be null or an object"),
        ({"weeks": 2.0}, "companies[0].weeks: must be an integer"),
    ],
)
def test_company_fields(fields, line):
    found = errors(instance([mentor("a")], [company("c", **fields)]))
    assert any(e.startswith(line) for e in found), found


@pytest.mark.parametrize(
    ("fields", "line"),
    [
        ({"unavailable_weeks": [6]}, "mentors[0].unavailable_weeks[0]: must be a week between 0 and 5"),
        ({"max_concurrent": -1}, "mentors[0].max_concurrent: must be at least 0"),
        ({"industries": {"C29": 101}}, "mentors[0].industries.C29: fit must be an integer between 1 and 100"),
        ({"exclude": "c"}, "mentors[0].exclude: must be a list of strings"),
    ],
)
def test_mentor_fields(fields, line):
    assert line in errors(instance([mentor("a", **fields)], [company("c")]))


def test_params():
    found = errors(instance([mentor("a")], [company("c")], max_commute_km=1001, quotas={"JS1": -1}))
    assert "params.max_commute_km: must be between 0 and 1000" in found
    assert "params.quotas.JS1: must be an integer >= 0" in found


def pin(start: int, *mentors: str) -> dict:
    return {"start_week": start, "mentors": list(mentors)}


@pytest.mark.parametrize(
    ("companies", "line"),
    [
        ([company("c", pinned=pin(0, "x"))], 'companies[0].pinned.mentors[0]: unknown mentor "x"'),
        (
            [company("c", team_size=2, pinned=pin(0, "a", "a"))],
            'companies[0].pinned.mentors[1]: mentor "a" repeated',
        ),
        (
            [company("c", team_size=2, pinned=pin(0, "a"))],
            "companies[0].pinned.mentors: team of 1 mentors, team_size is 2",
        ),
        (
            [company("x", pinned=pin(0, "b"))],
            "companies[0].pinned.mentors: excluded by b (conflict of interest)",
        ),
        (
            [company("c", pinned=pin(5, "a"))],
            "companies[0].pinned.start_week: start week 5 outside its window",
        ),
        (
            [company("c", industry="C10", pinned=pin(0, "a"))],
            "companies[0].pinned.mentors: no member of industry C10",
        ),
        (
            [company("c", pinned=pin(2, "b"))],
            'companies[0].pinned.mentors[0]: mentor "b" is unavailable in week 3',
        ),
        (
            [company("c", pinned=pin(0, "a")), company("d", pinned=pin(1, "a"))],
            'companies[1].pinned.mentors[0]: mentor "a" is over max_concurrent 1 in week 1 counting all pins',
        ),
        (
            [company("c", track="JS1", pinned=pin(0, "a")), company("d", track="JS1", pinned=pin(0, "b"))],
            "companies[1].pinned: pins exceed the quota of track 'JS1' (1)",
        ),
    ],
)
def test_pin_checks(companies, line):
    mentors = [mentor("a"), mentor("b", exclude=["x"], unavailable_weeks=[3])]
    found = errors(instance(mentors, companies, quotas={"JS1": 1}))
    assert any(e.startswith(line) for e in found), found


def test_pin_beyond_commute_is_kept():
    far = mentor("a", lat=37.5665, lon=126.978)  # Seoul
    result = matcher.plan(instance([far], [company("c", pinned=pin(1, "a"))]), time_limit=5, workers=1)
    (e,) = result["engagements"]
    assert (e["start_week"], e["mentors"], e["reasons"][0]) == (
        1,
        ["a"],
        "pinned (running or agreed engagement)",
    )
    assert result["status"] == "OPTIMAL"


def test_invalid_raises():
    with pytest.raises(matcher.InvalidInstance) as err:
        matcher.plan({"version": 1})
    assert "horizon_weeks: is required" in err.value.errors


def run_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "matcher", *args], input=stdin, capture_output=True, text=True
    )


def test_cli_invalid_writes_nothing(tmp_path):
    out = tmp_path / "r.json"
    bad = instance([mentor("a", max_concurrent="1")], [company("c", score=101)])
    done = run_cli("plan", "-", "-o", str(out), stdin=json.dumps(bad))
    assert done.returncode == 2 and not out.exists()
    assert done.stderr.splitlines() == [
        "mentors[0].max_concurrent: must be an integer",
        "companies[0].score: must be between 1 and 100",
    ]
    assert run_cli("plan", "-", stdin="{").returncode == 2


def test_cli_plan_and_generate(tmp_path):
    done = run_cli("generate-plan", "--companies", "8", "--mentors", "4", "--weeks", "20", "--seed", "5")
    again = run_cli("generate-plan", "--companies", "8", "--mentors", "4", "--weeks", "20", "--seed", "5")
    assert done.returncode == 0 and done.stdout == again.stdout
    path = tmp_path / "i.json"
    path.write_text(done.stdout)
    result = run_cli("plan", str(path), "-o", str(tmp_path / "r.json"), "--time-limit", "5", "--workers", "1")
    assert result.returncode == 0 and result.stdout == ""
    plan = json.loads((tmp_path / "r.json").read_text())
    assert plan["status"] in ("OPTIMAL", "FEASIBLE") and plan["bound"] >= plan["objective"]
    for limit in ("0", "inf", "nan"):  # an endless search is no time limit
        refused = run_cli("plan", str(path), "--time-limit", limit, "--workers", "0")
        assert refused.returncode == 2
        assert refused.stderr.splitlines() == [
            "--time-limit: must be a positive number of seconds",
            "--workers: must be at least 1",
        ]
