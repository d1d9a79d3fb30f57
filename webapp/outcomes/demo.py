"""Demo outcomes: a completed 2025 cohort of 70 engagements (KPIs measured from raw figures, tasks
with placeholder before / after photos, answered surveys), so the province's dashboard shows real
distributions on the first start; and one engagement on site for the demo mentor and company, in
its last week, to try the KPI sheet, task logging and completion.

Written by key (cohort name, business number) and only once: loading again changes nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlmodel import Session, col, select

from webapp.accounts.models import User
from webapp.core.clock import SEOUL, seoul_today, utcnow
from webapp.core.db import id_of
from webapp.core.media.models import Photo
from webapp.core.media.storage import MediaStore
from webapp.directory.importing.brn import check_digit
from webapp.directory.models import Company, Mentor, Municipality
from webapp.engagements.models import Engagement, EngagementMember
from webapp.outcomes.demo_photos import VARIANTS, photo_pool
from webapp.outcomes.kpis import measure, parse_target
from webapp.outcomes.models import (
    EngagementOutcome,
    ImprovementTask,
    KpiChangeRequest,
    KpiIndicator,
    Survey,
    TaskArea,
)
from webapp.outcomes.tasks import PHOTO_OWNER
from webapp.programs.models import Cohort, CohortTrack

SEED = 2025
COHORT_NAME = "2025년 전북-삼성 스마트공장 구축 지원사업"
LIVE_COHORT_NAME = "2026년 전북-삼성 스마트공장 구축 지원사업"
FIRST_MONDAY = date(2025, 7, 7)
TRACKS = {"JS1": 40, "JS2": 20, "JS3": 10}
COMPANIES = sum(TRACKS.values())  # the completed cohort's companies, besides the directory's demo
INDUSTRIES = ["C10", "C20", "C22", "C24", "C25", "C25", "C26", "C28", "C29", "C29", "C30", "C30", "C33"]
PREFIXES = [
    "새봄",
    "다온",
    "한결",
    "가람",
    "누리",
    "보람",
    "이룸",
    "해솔",
    "라온",
    "미소",
    "나래",
    "한솔",
    "아름",
    "온새미",
]
SUFFIXES = ["정밀", "테크", "산업", "식품", "기계", "화학", "금속", "전자", "오토텍", "플라텍"]
AREA_WEIGHTS = {
    TaskArea.five_s: 30,
    TaskArea.layout: 15,
    TaskArea.logistics: 15,
    TaskArea.automation_jig: 12,
    TaskArea.quality: 14,
    TaskArea.safety: 8,
    TaskArea.data: 6,
}
TASKS = {
    TaskArea.five_s: ("공구 보관 위치 미지정, 작업대 위 공구 혼재", "공구 형상 보드 설치, 위치 표시"),
    TaskArea.layout: ("가공-조립 공정 간 운반 거리 과다(왕복 60m)", "설비 재배치로 운반 거리 18m로 단축"),
    TaskArea.logistics: ("자재 입고 구역 미구분, 선입선출 불가", "입고 구역 라인 표시, 선입선출 랙 설치"),
    TaskArea.automation_jig: ("수작업 위치 맞춤으로 사이클 타임 편차 큼", "위치 결정 지그 제작, 편차 해소"),
    TaskArea.quality: ("최종 검사 기준서 부재, 불량 판정 작업자별 상이", "한도 견본과 검사 기준서 게시"),
    TaskArea.safety: ("프레스 주변 안전 펜스 미설치", "안전 펜스와 비상 정지 스위치 설치"),
    TaskArea.data: ("생산 실적 수기 기록, 집계에 하루 소요", "바코드 실적 입력과 일일 집계표 도입"),
}
OWNERS = ["김반장", "이주임", "박대리", "최과장", "정조장", "강팀장"]
# Improvement drawn per indicator (signed change of the value; program-facts.md's reported results).
GAINS = {
    "productivity": (0.76, 0.35),
    "defect_rate": (-0.53, 0.2),
    "unit_cost": (-0.24, 0.1),
    "lead_time": (-0.39, 0.15),
    "on_time_delivery": (0.14, 0.08),
}


@dataclass
class OutcomesDemo:
    engagements: int
    tasks: int
    photos: int


def _brn(n: int) -> str:
    first = f"{300 + n:03d}89{n:04d}"  # the directory demo's numbers never have 89 in the middle
    return first + str(check_digit(first))


def _raw(
    kind: str, rng: random.Random, factor: float | None = None, base: dict | None = None
) -> dict[str, str]:
    """Raw figures for a measurement; with `factor` and `base`, the baseline changed by `factor`."""
    if kind == "productivity":
        hours = 160 if base is None else int(base["hours"])
        units = rng.randint(600, 4000) if base is None else round(int(base["units"]) * (1 + (factor or 0)))
        return {"units": str(max(units, 1)), "hours": str(hours)}
    if kind == "defect_rate":
        produced = rng.randint(2000, 20000) if base is None else int(base["produced"])
        share = (
            rng.uniform(0.02, 0.08)
            if base is None
            else int(base["defective"]) / produced * (1 + (factor or 0))
        )
        return {"defective": str(max(round(produced * share), 0)), "produced": str(produced)}
    if kind == "unit_cost":
        units = rng.randint(1000, 10000) if base is None else int(base["units"])
        cost = (
            rng.randint(5, 60) * 1000 * units
            if base is None
            else round(int(base["cost"]) * (1 + (factor or 0)))
        )
        return {"cost": str(max(cost, 1)), "units": str(units)}
    if kind == "lead_time":
        days = rng.randint(8, 30) if base is None else max(round(_days(base) * (1 + (factor or 0))), 1)
        ordered = date(2025, 6, 2) if base is None else date(2026, 2, 2)
        return {
            "ordered_on": ordered.isoformat(),
            "completed_on": (ordered + timedelta(days=days)).isoformat(),
        }
    shipments = rng.randint(40, 200) if base is None else int(base["shipments"])
    rate = (
        rng.uniform(0.6, 0.85)
        if base is None
        else min(int(base["on_time"]) / shipments * (1 + (factor or 0)), 1.0)
    )
    return {"on_time": str(round(shipments * rate)), "shipments": str(shipments)}


def _days(raw: dict) -> int:
    return (date.fromisoformat(raw["completed_on"]) - date.fromisoformat(raw["ordered_on"])).days


def _form(prefix: str, raw: dict[str, str]) -> dict[str, str]:
    return {f"{prefix}-{k}": v for k, v in raw.items()}


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), SEOUL).astimezone(UTC)


class _Builder:
    def __init__(self, session: Session, store: MediaStore, rng: random.Random):
        self.session, self.store, self.rng = session, store, rng
        self.pool = photo_pool()
        self.photos = 0

    def kpis(self, engagement: Engagement, kinds: list[str], with_actuals: bool) -> None:
        for kind in kinds:
            base = _raw(kind, self.rng)
            inputs, baseline = measure(kind, _form("b", base), "b")
            mean, spread = GAINS[kind]
            achieved = max(self.rng.gauss(mean, spread), -0.9)
            aimed = mean * self.rng.uniform(0.5, 1.1)
            target_raw = _raw(kind, self.rng, aimed, base)
            _, target = measure(kind, _form("t", target_raw), "t")
            if target == baseline:  # a target must move: nudge it one step the right way
                target = baseline * (Decimal("1.1") if mean > 0 else Decimal("0.9"))
            indicator = KpiIndicator(
                engagement_id=id_of(engagement), kind=kind, direction="higher" if mean > 0 else "lower",
                baseline_inputs=inputs, baseline=baseline, target=parse_target(str(target)),
            )  # fmt: skip
            if with_actuals:
                indicator.actual_inputs, indicator.actual = measure(
                    kind, _form("a", _raw(kind, self.rng, achieved, base)), "a"
                )
            self.session.add(indicator)

    def photo(self, task: ImprovementTask, after: bool) -> Photo:
        area = TaskArea(task.area)
        full, thumb = self.pool[(area, after, self.rng.randrange(VARIANTS))]
        photo = Photo(
            owner_kind=PHOTO_OWNER, owner_id=id_of(task), file_key=self.store.write(full, thumb),
            width=480, height=360, size_bytes=len(full), source_format="JPEG", original_name="demo.jpg",
        )  # fmt: skip
        self.session.add(photo)
        self.photos += 1
        return photo

    def tasks(self, engagement: Engagement, count: int, solved_share: float, upto: date) -> int:
        """`count` tasks found during the engagement, about `solved_share` of them solved by `upto`;
        written in three flushes (tasks, photos, links) to keep the demo quick."""
        areas, weights = list(AREA_WEIGHTS), list(AREA_WEIGHTS.values())
        span = max((upto - engagement.start_date).days - 7, 1)
        found = []
        for _ in range(count):
            area = self.rng.choices(areas, weights)[0]
            day = engagement.start_date + timedelta(days=self.rng.randint(0, span))
            task = ImprovementTask(
                engagement_id=id_of(engagement), area=area.value, description=TASKS[area][0],
                owner=self.rng.choice(OWNERS),
                due_on=min(day + timedelta(days=self.rng.randint(7, 28)), engagement.end_date),
                found_at=_at(day),
            )  # fmt: skip
            self.session.add(task)
            found.append((task, day, self.rng.random() < solved_share))
        self.session.flush()
        photos = [
            (task, self.photo(task, False), self.photo(task, True) if solved else None)
            for task, _, solved in found
        ]
        self.session.flush()
        for (task, day, _), (_, before, after) in zip(found, photos, strict=True):
            task.before_photo_id = before.id
            if after is not None:
                task.after_photo_id, task.state = after.id, "solved"
                task.close_note = TASKS[TaskArea(task.area)][1]
                task.closed_at = _at(min(day + timedelta(days=self.rng.randint(3, 21)), upto), 16)
        return count


def _company(
    session: Session, n: int, rng: random.Random, place: Municipality, track: str, cohort: Cohort
) -> Company:
    number = _brn(n)
    company = session.exec(select(Company).where(col(Company.business_reg_no) == number)).first()
    if company is None:
        code = rng.choice(INDUSTRIES)
        company = Company(
            business_reg_no=number,
            name=f"(주){PREFIXES[n % len(PREFIXES)]}{SUFFIXES[(n // 3) % len(SUFFIXES)]}{n:02d}",
            industry_code=code, municipality_id=id_of(place), lat=place.lat + rng.uniform(-0.05, 0.05),
            lon=place.lon + rng.uniform(-0.05, 0.05), status="completed", joined_on=date(2025, 3, 1),
            contact_name=rng.choice(OWNERS), contact_email=f"contact{n:02d}@cohort2025.jbsf.kr",
            cohort_id=cohort.id, track=track, score=rng.randint(60, 95),
        )  # fmt: skip
        session.add(company)
        session.flush()
    return company


def _surveys(session: Session, rng: random.Random, engagement: Engagement, address: str, today: date) -> None:
    due = {
        "week2": engagement.start_date + timedelta(days=14),
        "completion": engagement.end_date,
        "month6": engagement.end_date + timedelta(days=182),
        "month12": engagement.end_date + timedelta(days=365),
    }
    for kind, day in due.items():
        if day > today:
            continue  # the scheduler sends it when it is due
        survey = Survey(
            engagement_id=id_of(engagement), kind=kind, due_on=day, to_address=address, sent_at=_at(day, 9)
        )
        if rng.random() < 0.88:
            survey.answered_at = _at(day + timedelta(days=rng.randint(0, 5)), 14)
            if kind in ("week2", "completion"):
                survey.rating = rng.choices([2, 3, 4, 5], [3, 12, 40, 45])[0]
            if kind == "week2":
                survey.working_out = (survey.rating or 0) > 2
                survey.flagged = not survey.working_out
            if kind in ("month6", "month12"):
                survey.gains_kept = rng.choices(["kept", "partly", "lost"], [70, 25, 5])[0]
            survey.comment = rng.choice(
                ["", "", "현장 중심 지도가 큰 도움이 되었습니다.", "데이터 관리 후속 지원 희망"]
            )
        session.add(survey)


def _completed_cohort(session: Session, builder: _Builder, mentors: list[Mentor], today: date) -> int:
    rng = builder.rng
    cohort = Cohort(
        name=COHORT_NAME, year=2025, status="closed", first_monday=FIRST_MONDAY, weeks=44,
        default_engagement_weeks=8, default_team_size=2,
    )  # fmt: skip
    session.add(cohort)
    session.flush()
    for code, quota in TRACKS.items():
        session.add(CohortTrack(cohort_id=id_of(cohort), code=code, name=code, quota=quota))
    places = list(session.exec(select(Municipality).order_by(col(Municipality.id))))
    tracks = [code for code, quota in TRACKS.items() for _ in range(quota)]
    rng.shuffle(tracks)
    for n, track in enumerate(tracks, start=1):
        place = places[n - 1] if n <= len(places) else rng.choice(places)  # every city and county has some
        company = _company(session, n, rng, place, track, cohort)
        weeks = rng.choice([6, 8, 8, 8, 10])
        start_week = rng.randint(0, cohort.weeks - weeks)
        start = FIRST_MONDAY + timedelta(weeks=start_week)
        end = start + timedelta(weeks=weeks, days=-1)
        engagement = Engagement(
            cohort_id=id_of(cohort), company_id=id_of(company), start_week=start_week, weeks=weeks,
            start_date=start, end_date=end, state="completed", state_changed_at=_at(end, 17),
        )  # fmt: skip
        session.add(engagement)
        session.flush()
        for role, mentor in zip(
            ["lead", "member", "member"], rng.sample(mentors, rng.choice([2, 2, 3])), strict=False
        ):
            session.add(EngagementMember(engagement_id=id_of(engagement), mentor_id=id_of(mentor), role=role))
        kinds = [
            "productivity",
            "defect_rate",
            *rng.sample(["unit_cost", "lead_time", "on_time_delivery"], rng.randint(1, 2)),
        ]
        builder.kpis(engagement, kinds, with_actuals=True)
        builder.tasks(engagement, rng.randint(6, 12), 0.93, end)
        session.add(
            EngagementOutcome(
                engagement_id=id_of(engagement), targets_locked_at=_at(start + timedelta(days=4)),
                summary="3정5S와 레이아웃 개선으로 운반 거리를 줄이고, 실적 데이터 수집 체계를 갖추었습니다.",
                submitted_at=_at(end - timedelta(days=2)), signed_off_at=_at(end, 17),
            )
        )  # fmt: skip
        _surveys(session, rng, engagement, company.contact_email, today)
    return len(tracks)


def _live_engagement(session: Session, builder: _Builder, today: date) -> None:
    """The demo company's engagement, on site with the demo mentor as lead, in its last week."""
    company_id = session.exec(
        select(col(User.company_id)).where(col(User.email) == "company@demo.jbsf.kr")
    ).first()
    mentor_id = session.exec(
        select(col(User.mentor_id)).where(col(User.email) == "mentor@demo.jbsf.kr")
    ).first()
    if company_id is None or mentor_id is None:
        return
    cohort = session.exec(select(Cohort).where(col(Cohort.year) == today.year)).first()
    if cohort is None:
        monday = date(today.year, 1, 1) + timedelta(days=(7 - date(today.year, 1, 1).weekday()) % 7)
        cohort = Cohort(
            name=LIVE_COHORT_NAME, year=today.year, status="running", first_monday=monday, weeks=52
        )
        session.add(cohort)
        session.flush()
    live = session.exec(
        select(Engagement).where(
            col(Engagement.cohort_id) == cohort.id,
            col(Engagement.company_id) == company_id,
            col(Engagement.state) != "cancelled",
        )
    ).first()
    if live is not None:
        return  # the engagements' demo planned this company already: leave its plan alone
    this_monday = today - timedelta(days=today.weekday())
    start = this_monday - timedelta(weeks=7)
    engagement = Engagement(
        cohort_id=id_of(cohort), company_id=company_id,
        start_week=max((start - cohort.first_monday).days // 7, 0),
        weeks=8, start_date=start, end_date=start + timedelta(weeks=8, days=-1), state="on_site",
    )  # fmt: skip
    session.add(engagement)
    session.flush()
    session.add(EngagementMember(engagement_id=id_of(engagement), mentor_id=mentor_id, role="lead"))
    builder.kpis(engagement, ["productivity", "defect_rate", "lead_time"], with_actuals=False)
    session.add(
        EngagementOutcome(engagement_id=id_of(engagement), targets_locked_at=_at(start + timedelta(days=3)))
    )
    builder.tasks(engagement, 6, 0.6, today)
    session.flush()
    first = session.exec(select(KpiIndicator).where(col(KpiIndicator.engagement_id) == engagement.id)).first()
    if first is not None and first.target is not None:
        session.add(
            KpiChangeRequest(
                indicator_id=id_of(first), old_target=first.target, new_target=first.target * Decimal("0.95"),
                reason="주요 설비(사출기 2호기) 고장으로 3주간 가동 중지", requested_at=utcnow(),
            )
        )  # fmt: skip
    company = session.get(Company, company_id)
    session.add(
        Survey(
            engagement_id=id_of(engagement), kind="week2", due_on=start + timedelta(days=14),
            to_address=company.contact_email if company else "", sent_at=_at(start + timedelta(days=14), 9),
            answered_at=_at(start + timedelta(days=15), 11), rating=2, working_out=False, flagged=True,
            comment="멘토 방문 시간이 생산 일정과 자주 겹칩니다.",
        )
    )  # fmt: skip


def load_outcomes_demo(session: Session, store: MediaStore, mentors: list[Mentor]) -> OutcomesDemo | None:
    """The demo outcomes (once: nothing happens when the 2025 cohort is there already)."""
    if (
        session.exec(select(Cohort).where(col(Cohort.name) == COHORT_NAME)).first() is not None
        or len(mentors) < 3
    ):
        return None
    builder = _Builder(session, store, random.Random(SEED))
    today = seoul_today()
    count = _completed_cohort(session, builder, mentors, today)
    _live_engagement(session, builder, today)
    session.flush()
    tasks = session.exec(select(col(ImprovementTask.id))).all()
    return OutcomesDemo(engagements=count, tasks=len(tasks), photos=builder.photos)
