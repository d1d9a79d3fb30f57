"""The command line of the contract, run as a real subprocess."""

import json
import subprocess
import sys

import pytest
from matcher_helpers import check_hard_rules


def run(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "matcher", *args], input=stdin, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def instance_text():
    p = run("generate", "--companies", "60", "--mentors", "15", "--seed", "7")
    assert p.returncode == 0 and p.stderr == ""
    return p.stdout


def test_solve_file_to_output(tmp_path, instance_text):
    src, out = tmp_path / "in.json", tmp_path / "out.json"
    src.write_text(instance_text)
    p = run("solve", str(src), "-o", str(out), "--time-limit", "5", "--workers", "1")
    assert p.returncode == 0, p.stderr
    assert p.stdout == ""
    result = json.loads(out.read_text())
    check_hard_rules(json.loads(instance_text), result)
    assert result["status"] == "OPTIMAL" and result["version"] == 1


def test_solve_stdin_to_stdout(instance_text):
    p = run("solve", "-", stdin=instance_text)
    assert p.returncode == 0, p.stderr
    check_hard_rules(json.loads(instance_text), json.loads(p.stdout))


def test_invalid_input_exit_2_lines_and_no_output(tmp_path, instance_text):
    inst = json.loads(instance_text)
    inst["companies"][3]["lat"] = 123
    inst["mentors"][1]["id"] = inst["mentors"][0]["id"]
    src, out = tmp_path / "in.json", tmp_path / "out.json"
    src.write_text(json.dumps(inst))
    p = run("solve", str(src), "-o", str(out))
    assert p.returncode == 2
    assert p.stderr.splitlines() == [
        f'mentors[1].id: duplicate id "{inst["mentors"][0]["id"]}"',
        "companies[3].lat: must be between -90 and 90",
    ]
    assert not out.exists() and p.stdout == ""


def test_invalid_input_keeps_existing_output_untouched(tmp_path):
    out = tmp_path / "out.json"
    out.write_text("previous")
    p = run("solve", "-", "-o", str(out), stdin='{"version": 1, "mentors": [], "companies": 3}')
    assert p.returncode == 2 and p.stderr == "companies: must be a list\n"
    assert out.read_text() == "previous"


@pytest.mark.parametrize(
    "stdin, line",
    [
        (
            "{not json",
            "stdin: invalid JSON: Expecting property name enclosed in double quotes at line 1 column 2",
        ),
        ("", "stdin: invalid JSON: Expecting value at line 1 column 1"),
        ("[1]", "instance: must be a JSON object"),
        ('{"version": 2, "mentors": [], "companies": []}', "version: unsupported version 2 (must be 1)"),
    ],
)
def test_malformed_input(stdin, line):
    p = run("solve", "-", stdin=stdin)
    assert p.returncode == 2 and p.stderr.splitlines() == [line]
    assert "Traceback" not in p.stderr


def test_missing_file(tmp_path):
    p = run("solve", str(tmp_path / "nope.json"))
    assert p.returncode == 2
    assert p.stderr.splitlines() == [f"{tmp_path / 'nope.json'}: cannot read: No such file or directory"]


def test_bad_options():
    for limit in ("0", "-1", "inf", "nan"):
        refused = run("solve", "-", "--time-limit", limit, stdin="{}")
        assert refused.returncode == 2
        assert refused.stderr == "--time-limit: must be a positive number of seconds\n"
    assert run("solve", "-", "--workers", "x", stdin="{}").returncode == 2
    assert run("frobnicate").returncode == 2


def test_generate_is_deterministic_and_valid():
    a = run("generate", "--companies", "40", "--mentors", "10", "--seed", "3", "--scope", "nation")
    b = run("generate", "--companies", "40", "--mentors", "10", "--seed", "3", "--scope", "nation")
    c = run("generate", "--companies", "40", "--mentors", "10", "--seed", "4", "--scope", "nation")
    assert a.returncode == 0 and a.stdout == b.stdout != c.stdout
    p = run("solve", "-", stdin=a.stdout)
    assert p.returncode == 0, p.stderr
