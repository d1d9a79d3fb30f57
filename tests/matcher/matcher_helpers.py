"""Independent re-implementation of the contract for tests: value of a pair, hard-rule checks and
an exhaustive brute-force optimum for tiny instances."""

import math


def haversine_km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def value(company, mentor):
    d = haversine_km(company["lat"], company["lon"], mentor["lat"], mentor["lon"])
    fit = mentor["industries"][company["industry"]]
    return company.get("priority", 1) * (10000 + 10 * fit - math.floor(d))


def allowed(company, mentor, max_km):
    if company.get("pinned_mentor") == mentor["id"]:
        return True
    if company["industry"] not in mentor["industries"]:
        return False
    if company["id"] in mentor.get("exclude", []):
        return False
    return haversine_km(company["lat"], company["lon"], mentor["lat"], mentor["lon"]) <= max_km


def check_hard_rules(instance, result):
    """Asserts every contract rule on a result; returns {company id: mentor id}."""
    mentors = {m["id"]: m for m in instance["mentors"]}
    companies = {c["id"]: c for c in instance["companies"]}
    max_km = instance.get("params", {}).get("max_distance_km", 80)
    seen = [a["company"] for a in result["assignments"]] + [u["company"] for u in result["unassigned"]]
    assert sorted(seen) == sorted(companies), "every company exactly once"
    load = {}
    total = 0
    chosen = {}
    for a in result["assignments"]:
        c, m = companies[a["company"]], mentors[a["mentor"]]
        assert allowed(c, m, max_km), a
        assert a["value"] == value(c, m)
        assert a["fit"] == m["industries"][c["industry"]]
        assert abs(a["distance_km"] - haversine_km(c["lat"], c["lon"], m["lat"], m["lon"])) <= 0.006
        assert a["reasons"] and all(isinstance(r, str) for r in a["reasons"])
        load[m["id"]] = load.get(m["id"], 0) + 1
        total += a["value"]
        chosen[c["id"]] = m["id"]
    for mid, n in load.items():
        assert n <= mentors[mid]["capacity"]
    for c in instance["companies"]:
        if c.get("pinned_mentor"):
            assert chosen.get(c["id"]) == c["pinned_mentor"]
    for u in result["unassigned"]:
        assert isinstance(u["reason"], str) and u["reason"]
    assert result["objective"] == total
    assert result["bound"] >= result["objective"]
    if (
        result["status"] == "OPTIMAL"
        and not instance.get("params", {}).get("stability")
        and not instance.get("params", {}).get("min_load")
    ):
        assert result["bound"] == result["objective"]
    return chosen


def spans(instance, chosen):
    """Distinct municipalities (trimmed, case-folded; missing ones not counted) per mentor."""
    munis = {}
    for c in instance["companies"]:
        name = (c.get("municipality") or "").strip().casefold()
        if c["id"] in chosen and name:
            munis.setdefault(chosen[c["id"]], set()).add(name)
    return {m: len(g) for m, g in munis.items()}


def filled_slots(instance, chosen, k):
    load = {}
    for mid in chosen.values():
        load[mid] = load.get(mid, 0) + 1
    return sum(min(load.get(m["id"], 0), k) for m in instance["mentors"] if m["capacity"] >= k)


def kept(instance, chosen):
    return sum(
        1
        for c in instance["companies"]
        if c.get("current_mentor")
        and not c.get("pinned_mentor")
        and chosen.get(c["id"]) == c["current_mentor"]
        and allowed(
            c,
            next(m for m in instance["mentors"] if m["id"] == c["current_mentor"]),
            instance.get("params", {}).get("max_distance_km", 80),
        )
    )


def brute_force(instance, accept=lambda chosen: True, score=lambda chosen, total: total):
    """Best `score` (default: the objective) over all assignments satisfying the hard rules and
    `accept`; None when none does."""
    mentors = instance["mentors"]
    comps = instance["companies"]
    max_km = instance.get("params", {}).get("max_distance_km", 80)
    options = []
    for c in comps:
        if c.get("pinned_mentor"):
            options.append([c["pinned_mentor"]])
        else:
            options.append([None] + [m["id"] for m in mentors if allowed(c, m, max_km)])
    by_id = {m["id"]: m for m in mentors}
    best = [None]

    def rec(i, load, total, chosen):
        if i == len(comps):
            if accept(chosen):
                value_ = score(chosen, total)
                if best[0] is None or value_ > best[0]:
                    best[0] = value_
            return
        for mid in options[i]:
            if mid is None:
                rec(i + 1, load, total, chosen)
                continue
            if load.get(mid, 0) >= by_id[mid]["capacity"]:
                continue
            load[mid] = load.get(mid, 0) + 1
            chosen[comps[i]["id"]] = mid
            rec(i + 1, load, total + value(comps[i], by_id[mid]), chosen)
            del chosen[comps[i]["id"]]
            load[mid] -= 1

    rec(0, {}, 0, {})
    return best[0]
