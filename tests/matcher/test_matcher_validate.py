"""Invalid input: one `record.field: message` line per problem, via matcher.validate/solve."""

import copy

import pytest

import matcher


def base():
    return {
        "version": 1,
        "mentors": [
            {
                "id": "m-001",
                "lat": 35.8242,
                "lon": 127.1480,
                "capacity": 2,
                "industries": {"C29": 100, "C28": 60},
                "exclude": ["c-003"],
            },
            {"id": "m-002", "lat": 35.9676, "lon": 126.7366, "capacity": 1, "industries": {"C25": 80}},
        ],
        "companies": [
            {
                "id": "c-001",
                "lat": 35.9676,
                "lon": 126.7366,
                "industry": "C29",
                "priority": 1,
                "municipality": "Gunsan",
                "pinned_mentor": None,
            },
            {"id": "c-002", "lat": 35.8242, "lon": 127.1480, "industry": "C28"},
            {"id": "c-003", "lat": 35.9483, "lon": 126.9576, "industry": "C29", "priority": 3},
            {"id": "c-004", "lat": 35.9483, "lon": 126.9576, "industry": "C25"},
        ],
        "params": {"max_distance_km": 80},
    }


def errors_after(change):
    inst = base()
    change(inst)
    return matcher.validate(inst)


def test_valid_instance_has_no_errors():
    assert matcher.validate(base()) == []


def test_contract_examples():
    def bad(inst):
        inst["companies"][3]["lat"] = 91
        inst["mentors"][1]["id"] = "m-001"

    assert errors_after(bad) == [
        'mentors[1].id: duplicate id "m-001"',
        "companies[3].lat: must be between -90 and 90",
    ]


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda i: i.update(version=2), "version: unsupported version 2 (must be 1)"),
        (lambda i: i.update(version=True), "version: unsupported version True (must be 1)"),
        (lambda i: i.pop("version"), "version: is required (must be 1)"),
        (lambda i: i.pop("mentors"), "mentors: is required"),
        (lambda i: i.update(companies={}), "companies: must be a list"),
        (lambda i: i["companies"].append(7), "companies[4]: must be an object"),
        (lambda i: i["mentors"][0].update(id=""), "mentors[0].id: must be a non-empty string"),
        (lambda i: i["mentors"][0].update(id=5), "mentors[0].id: must be a non-empty string"),
        (lambda i: i["companies"][0].pop("id"), "companies[0].id: is required"),
        (lambda i: i["companies"][1].update(lat="35.1"), "companies[1].lat: must be a number"),
        (lambda i: i["companies"][1].update(lon=True), "companies[1].lon: must be a number"),
        (lambda i: i["companies"][1].update(lon=float("nan")), "companies[1].lon: must be a number"),
        (lambda i: i["companies"][1].update(lon=-180.5), "companies[1].lon: must be between -180 and 180"),
        (lambda i: i["companies"][1].pop("lat"), "companies[1].lat: is required"),
        (lambda i: i["mentors"][0].update(capacity=-1), "mentors[0].capacity: must be at least 0"),
        (lambda i: i["mentors"][0].update(capacity=2.5), "mentors[0].capacity: must be an integer"),
        (lambda i: i["mentors"][0].update(capacity=True), "mentors[0].capacity: must be an integer"),
        (
            lambda i: i["mentors"][0].update(industries=["C29"]),
            "mentors[0].industries: must be an object mapping KSIC division to fit",
        ),
        (
            lambda i: i["mentors"][0]["industries"].update(C30=0),
            "mentors[0].industries.C30: fit must be an integer between 1 and 100",
        ),
        (
            lambda i: i["mentors"][0]["industries"].update(C30=True),
            "mentors[0].industries.C30: fit must be an integer between 1 and 100",
        ),
        (
            lambda i: i["mentors"][0]["industries"].update(X1=5),
            "mentors[0].industries: must be a KSIC division code (letter + two digits, e.g. C29), got 'X1'",
        ),
        (
            lambda i: i["mentors"][0].update(exclude="c-001"),
            "mentors[0].exclude: must be a list of company ids",
        ),
        (
            lambda i: i["mentors"][0].update(exclude=[1]),
            "mentors[0].exclude[0]: must be a company id (string)",
        ),
        (
            lambda i: i["companies"][2].update(industry="c29"),
            "companies[2].industry: must be a KSIC division code (letter + two digits, e.g. C29), got 'c29'",
        ),
        (lambda i: i["companies"][2].update(priority=6), "companies[2].priority: must be between 1 and 5"),
        (lambda i: i["companies"][2].update(priority=2.0), "companies[2].priority: must be an integer"),
        (
            lambda i: i["companies"][2].update(municipality=3),
            "companies[2].municipality: must be a string or null",
        ),
        (
            lambda i: i["params"].update(max_distance_km=1001),
            "params.max_distance_km: must be between 0 and 1000",
        ),
        (lambda i: i["params"].update(max_distance_km="80"), "params.max_distance_km: must be a number"),
        (lambda i: i.update(params=[]), "params: must be an object"),
        (
            lambda i: i["params"].update(max_municipalities_per_mentor=0),
            "params.max_municipalities_per_mentor: must be at least 1",
        ),
        (lambda i: i["params"].update(min_load=-1), "params.min_load: must be at least 0"),
        (lambda i: i["params"].update(stability=1.5), "params.stability: must be an integer"),
    ],
)
def test_one_problem_one_line(change, expected):
    assert errors_after(change) == [expected]


@pytest.mark.parametrize(
    "change, expected",
    [
        (
            lambda i: i["companies"][0].update(pinned_mentor="m-404"),
            'companies[0].pinned_mentor: unknown mentor "m-404"',
        ),
        (
            lambda i: i["companies"][0].update(pinned_mentor="m-002"),
            'companies[0].pinned_mentor: mentor "m-002" does not serve industry C29',
        ),
        (
            lambda i: i["companies"][2].update(pinned_mentor="m-001"),
            'companies[2].pinned_mentor: mentor "m-001" excludes this company',
        ),
        (
            lambda i: i["companies"][0].update(pinned_mentor=7),
            "companies[0].pinned_mentor: must be a string or null",
        ),
    ],
)
def test_bad_pins(change, expected):
    assert errors_after(change) == [expected]


def test_over_capacity_pin_names_the_company_that_does_not_fit():
    def pin(inst):
        inst["mentors"][0]["capacity"] = 1
        inst["companies"][0]["pinned_mentor"] = "m-001"
        inst["companies"][1]["pinned_mentor"] = "m-001"

    errors = errors_after(pin)
    assert len(errors) == 1 and errors[0].startswith(
        'companies[1].pinned_mentor: mentor "m-001" is over capacity'
    )


def test_pin_beyond_distance_is_valid():
    inst = base()
    inst["companies"][0].update(lat=37.5, lon=127.0, pinned_mentor="m-001")
    assert matcher.validate(inst) == []


def test_all_problems_reported_and_unknown_fields_ignored():
    inst = base()
    inst["companies"][0]["lat"] = 100
    inst["companies"][1]["lon"] = None
    inst["mentors"][1]["capacity"] = "2"
    inst["mentors"][0]["nickname"] = "ignored"
    inst["extra"] = {"anything": 1}
    assert matcher.validate(inst) == [
        "mentors[1].capacity: must be an integer",
        "companies[0].lat: must be between -90 and 90",
        "companies[1].lon: must be a number",
    ]


def test_optional_fields_accept_null_and_defaults():
    inst = base()
    inst["mentors"][1]["exclude"] = None
    inst["companies"][1].update(priority=None, municipality=None, pinned_mentor=None)
    inst["params"] = None
    assert matcher.validate(inst) == []


def test_not_an_object():
    assert matcher.validate([]) == ["instance: must be a JSON object"]


def test_solve_raises_invalid_instance_with_errors():
    inst = copy.deepcopy(base())
    inst["companies"][3]["lat"] = -91
    with pytest.raises(matcher.InvalidInstance) as e:
        matcher.solve(inst)
    assert e.value.errors == ["companies[3].lat: must be between -90 and 90"]
