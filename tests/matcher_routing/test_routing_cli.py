"""`python -m matcher route` and `generate-route`: exit codes, output, nothing written on error."""

import json
import subprocess
import sys

from routing_helpers import check, euclid, shift, visit


def run(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "matcher", *args], input=stdin, capture_output=True, text=True, check=False
    )


def test_route_writes_a_valid_result(tmp_path):
    inst = euclid([shift("s1")], [visit("a", 3, 4), visit("b", 6, 8)])
    path, out = tmp_path / "in.json", tmp_path / "out.json"
    path.write_text(json.dumps(inst))
    p = run("route", str(path), "-o", str(out), "--time-limit", "1")
    assert p.returncode == 0, p.stderr
    assert check(inst, json.loads(out.read_text())) == []


def test_route_reads_standard_input():
    inst = euclid([shift("s1")], [visit("a", 3, 4)])
    p = run("route", "-", "--time-limit", "1", stdin=json.dumps(inst))
    assert p.returncode == 0
    assert check(inst, json.loads(p.stdout)) == []


def test_invalid_instance_exits_2_and_writes_nothing(tmp_path):
    inst = euclid([shift("s1")], [visit("a", 3, 4, windows=[[9, 1]], duration=-1)])
    path, out = tmp_path / "in.json", tmp_path / "out.json"
    path.write_text(json.dumps(inst))
    p = run("route", str(path), "-o", str(out))
    assert p.returncode == 2
    assert p.stderr.splitlines() == [
        "visits[0].duration: must be >= 0",
        "visits[0].windows[0]: open 9 is after close 1",
    ]
    assert not out.exists()
    assert "Traceback" not in p.stderr


def test_bad_json_and_missing_file(tmp_path):
    path = tmp_path / "in.json"
    path.write_text("{nope")
    p = run("route", str(path))
    assert p.returncode == 2 and "invalid JSON" in p.stderr and "Traceback" not in p.stderr
    p = run("route", str(tmp_path / "missing.json"))
    assert p.returncode == 2 and "cannot read" in p.stderr


def test_bad_time_limit():
    p = run("route", "-", "--time-limit", "0", stdin="{}")
    assert p.returncode == 2 and p.stderr.startswith("--time-limit:")


def test_generate_route_is_deterministic_and_valid():
    a = run("generate-route", "--visits", "12", "--days", "2", "--pairs", "3", "--seed", "7")
    b = run("generate-route", "--visits", "12", "--days", "2", "--pairs", "3", "--seed", "7")
    assert a.returncode == 0 and a.stdout == b.stdout
    inst = json.loads(a.stdout)
    assert len(inst["visits"]) == 12 and len(inst["shifts"]) == 6
    p = run("route", "-", "--time-limit", "2", stdin=a.stdout)
    assert p.returncode == 0
    result = json.loads(p.stdout)
    assert check(inst, result) == []
    assert result["unserved"] == []
