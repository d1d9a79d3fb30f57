"""Demo data of the program year before the engagements: the 2027 cohort open for applications,
~200 applicants in every state (ineligible with reasons, inspected with checklists, scored by
the committee), mentor pairs with their routes, and evaluators with logins.

The inspection window is the two weeks around the day the demo is loaded, so past days show
finished checklists and the coming days offered and confirmed times. Loaded once (by the
cohort's name); loading again changes nothing.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlmodel import Session, col, select

import matcher
from webapp.accounts.models import Role, User
from webapp.accounts.passwords import hash_password
from webapp.core.clock import seoul_today, utcnow
from webapp.core.db import id_of
from webapp.directory.importing.brn import check_digit
from webapp.directory.models import Industry, Mentor, Municipality
from webapp.programs import evaluation, inspections
from webapp.programs.application_models import Application
from webapp.programs.eligibility import assess
from webapp.programs.evaluation_models import ConflictOfInterest, EvaluationAssignment
from webapp.programs.inspection_models import Inspection, InspectionPair, InspectionState
from webapp.programs.models import Cohort, CohortStatus, CohortTrack
from webapp.programs.rubrics import DEFAULT_CHECKLIST, DEFAULT_RUBRIC, weighted_total

COHORT_NAME = "2027년 전북-삼성 스마트공장 구축 지원사업"
N_APPLICANTS = 200
N_PAIRS = 10
EVALUATORS = [
    (f"evaluator{i}@demo.jbsf.kr", name)
    for i, name in enumerate(("김평가", "이심사", "박위원", "최검토", "정자문"), 1)
]
EVALUATOR_PASSWORD = "evaluator-2026"
TRACKS = [  # code, name, quota, revenue limit (KRW), staff limit, first time only, share of applicants
    ("JS1", "기초 (최초 지원)", 40, 5_000_000_000, 20, True, 0.5),
    ("JS2", "고도화 1", 20, None, None, False, 0.36),
    ("JS3", "고도화 2", 10, None, None, False, 0.14),
]
WORDS = ["정밀", "테크", "산업", "기계", "식품", "소재", "화학", "전자", "금속", "오토"]
PLACES = ["한울", "가온", "누리", "다솜", "라온", "마루", "바름", "새봄", "아라", "하람", "도담", "벼리"]
ROADS = ["산단로", "공단1길", "농공단지로", "혁신로", "팔복로"]


def _brn(rng: random.Random, n: int) -> str:
    first = f"{rng.randint(101, 899)}{rng.choice((81, 86, 87))}{n:04d}"
    return first + str(check_digit(first))


def _application(
    rng: random.Random, cohort: Cohort, n: int, place: Municipality, industries: list[str]
) -> Application:
    track = rng.choices([t[0] for t in TRACKS], weights=[t[-1] for t in TRACKS])[0]
    staff = rng.randint(5, 19) if track == "JS1" else rng.randint(12, 120)
    revenue_m = rng.randint(800, 4900) if track == "JS1" else rng.randint(3000, 40000)
    trouble = rng.random()
    if trouble < 0.05:
        revenue_m, staff = 6200, 26  # above the JS1 limits
    radius = 0.05 if place.kind == "city" else 0.09
    name = f"{rng.choice(PLACES)}{rng.choice(WORDS)}"
    return Application(
        cohort_id=id_of(cohort),
        business_reg_no=_brn(rng, n),
        company_name=f"(주){name}{n}",
        representative=rng.choice("김이박최정강조윤장임")
        + rng.choice(["민수", "지영", "성호", "은정", "태호"]),
        industry_code=rng.choice(industries),
        municipality_id=id_of(place),
        address=f"전북특별자치도 {place.name_ko} {rng.choice(ROADS)} {rng.randint(1, 300)}",
        lat=round(place.lat + rng.uniform(-radius, radius), 5),
        lon=round(place.lon + rng.uniform(-radius, radius), 5),
        revenue_krw=revenue_m * 1_000_000,
        employees=staff,
        previous_support=(track != "JS1" and rng.random() < 0.6) or (0.05 <= trouble < 0.08),
        other_project=0.08 <= trouble < 0.11,
        tax_arrears=0.11 <= trouble < 0.13,
        contact_name=rng.choice("김이박최정") + rng.choice(["과장", "대리", "부장"]),
        contact_phone=f"063-{rng.randint(200, 899)}-{rng.randint(1000, 9999)}",
        contact_email=f"apply{n:03d}@companies.jbsf.kr",
        track=track,
        consent_at=utcnow(),
        consent_version="2027-1",
        source="form" if n % 5 else "import",
    )


def load_program_demo(session: Session, mentors: list[Mentor]) -> list[tuple[str, str, str]]:
    """Load the program demo (once); returns the evaluators' logins (email, password, role)."""
    logins = [(email, EVALUATOR_PASSWORD, Role.evaluator.value) for email, _ in EVALUATORS]
    if session.exec(select(Cohort).where(Cohort.name == COHORT_NAME)).first() is not None:
        return logins
    rng = random.Random(2027)
    today = seoul_today()
    now = utcnow()
    cohort = Cohort(
        name=COHORT_NAME,
        year=2027,
        status=CohortStatus.applications_open.value,
        applications_open_at=now - timedelta(days=20),
        applications_close_at=now + timedelta(days=30),
        first_monday=_monday_after(today + timedelta(days=60)),
        weeks=44,
        min_per_municipality={"Muju": 1, "Jinan": 1, "Jangsu": 1},
        inspection_first_day=today - timedelta(days=7),
        inspection_last_day=today + timedelta(days=9),
    )
    session.add(cohort)
    session.flush()
    for code, name, quota, revenue, staff, first_only, _share in TRACKS:
        session.add(
            CohortTrack(
                cohort_id=id_of(cohort),
                code=code,
                name=name,
                quota=quota,
                max_revenue_krw=revenue,
                max_employees=staff,
                first_time_only=first_only,
            )
        )
    session.flush()
    places = list(session.exec(select(Municipality).order_by(col(Municipality.id))))
    weights = [4 if p.kind == "city" else 1 for p in places]
    industries = [i.code for i in session.exec(select(Industry))]
    applications = [
        _application(rng, cohort, n, rng.choices(places, weights=weights)[0], industries)
        for n in range(1, N_APPLICANTS + 1)
    ]
    session.add_all(applications)
    session.flush()
    for application in applications:
        assess(session, cohort, application)
    _inspections(session, cohort, mentors, rng)
    _committee(session, cohort, rng)
    return logins


def _monday_after(day):
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _inspections(session: Session, cohort: Cohort, mentors: list[Mentor], rng: random.Random) -> None:
    """Ten pairs (the demo mentor's first) over the window, routed, then some days lived through."""
    days = [d.isoformat() for d in inspections.window_days(session, cohort)]
    for i in range(N_PAIRS):
        session.add(
            InspectionPair(
                cohort_id=id_of(cohort),
                mentor_a_id=id_of(mentors[2 * i]),
                mentor_b_id=id_of(mentors[2 * i + 1]),
                start_from="home" if i % 3 == 2 else "technopark",
                days=days,
            )
        )
    session.flush()
    run = inspections.start_routing(session, cohort, None)
    first_day = cohort.inspection_first_day
    assert first_day is not None
    plan = inspections.build_plan(session, cohort, offer_after=first_day - timedelta(days=1))
    result = matcher.route(plan.instance, time_limit=1.0)
    inspections.store_routes(session, cohort, run, plan, result, notify=False)
    today = seoul_today()
    checklist_keys = [item["key"] for item in DEFAULT_CHECKLIST]
    notes = [
        "수작업 위주",
        "설비 노후",
        "실적 수기 기록",
        "대표 의지 높음",
        "공정 흐름 양호",
        "데이터 미수집",
    ]
    for inspection in session.exec(select(Inspection).where(Inspection.cohort_id == cohort.id)):
        if inspection.day < today:
            scores = {k: rng.randint(1, 5) for k in checklist_keys}
            inspection.checklist = {k: {"score": v, "note": rng.choice(notes)} for k, v in scores.items()}
            mean = sum(scores.values()) / len(scores)
            inspection.recommendation = (
                "recommend" if mean >= 3.2 else "conditional" if mean >= 2.4 else "not_recommended"
            )
            inspection.summary = "현장 확인 결과 스마트공장 도입 준비도를 위와 같이 평가함."
            inspection.state = InspectionState.done.value
            inspection.checked_at = utcnow()
        elif rng.random() < 0.55:
            inspection.state = InspectionState.confirmed.value
        elif rng.random() < 0.1:
            inspection.state = InspectionState.declined.value
            inspection.decline_note = "다음 주 목요일 오후가 좋습니다"
        session.add(inspection)
    session.flush()


def _committee(session: Session, cohort: Cohort, rng: random.Random) -> None:
    """Five evaluators with logins, a declared conflict, three per inspected application, most scored."""
    password_hash = hash_password(EVALUATOR_PASSWORD)  # scrypt is slow on purpose: once for all five
    members = [
        User(email=email, password_hash=password_hash, role=Role.evaluator.value, display_name=name)
        for email, name in EVALUATORS
    ]
    session.add_all(members)
    session.flush()
    inspected = session.exec(
        select(Application)
        .join(Inspection, Inspection.application_id == Application.id)  # type: ignore[arg-type]
        .where(Inspection.cohort_id == cohort.id, Inspection.state == InspectionState.done.value)
        .order_by(col(Application.id))
    ).all()
    if inspected:
        session.add(
            ConflictOfInterest(
                evaluator_id=id_of(members[0]),
                business_reg_no=inspected[0].business_reg_no,
                reason="전 재직 회사",
            )
        )
    session.flush()
    evaluation.auto_assign(session, cohort, by_id=id_of(members[0]), panel=3)  # commits
    by_id = {a.id: a for a in inspected}
    totals: dict[int, list[float]] = {}
    for assignment in session.exec(select(EvaluationAssignment)):
        if assignment.application_id not in by_id or rng.random() < 0.2:
            continue
        base = rng.randint(55, 90)
        assignment.scores = {c["key"]: max(0, min(100, base + rng.randint(-8, 8))) for c in DEFAULT_RUBRIC}
        assignment.total = weighted_total(DEFAULT_RUBRIC, assignment.scores)
        assignment.submitted_at = utcnow()
        session.add(assignment)
        totals.setdefault(assignment.application_id, []).append(assignment.total)
    for application_id, scored in totals.items():
        by_id[application_id].score = round(sum(scored) / len(scored), 2)
        session.add(by_id[application_id])
    session.flush()
