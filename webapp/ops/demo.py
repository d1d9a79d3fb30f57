"""Realistic demo data: ~60 mentors and 300 companies spread over North Jeolla.

Everything is generated from a fixed seed and written by key (business number, email), so
loading twice gives the same records, never duplicates.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path

from sqlmodel import Session, col, select

from matcher import reference
from webapp.accounts.models import Role, User
from webapp.accounts.service import create_user
from webapp.core.db import id_of
from webapp.core.media.storage import MediaStore
from webapp.directory.importing.brn import check_digit
from webapp.directory.models import (
    Company,
    CompanySize,
    CompanyStatus,
    Mentor,
    MentorAvailability,
    MentorExclusion,
    MentorIndustry,
    Municipality,
)
from webapp.directory.reference_data import seed_reference_data
from webapp.engagements.demo import load_engagements_demo
from webapp.outcomes.demo import load_outcomes_demo
from webapp.programs.demo import load_program_demo

SEED = 2026
N_MENTORS = 60
N_COMPANIES = 300
PROVINCE_KO = "전북특별자치도"

# Rough share of manufacturers per KSIC division in the province (demo only).
INDUSTRY_WEIGHTS = {
    "C10": 12,
    "C11": 2,
    "C12": 0.2,
    "C13": 2,
    "C14": 1,
    "C15": 1,
    "C16": 1,
    "C17": 2,
    "C18": 1,
    "C19": 0.5,
    "C20": 6,
    "C21": 2,
    "C22": 8,
    "C23": 4,
    "C24": 4,
    "C25": 14,
    "C26": 5,
    "C27": 3,
    "C28": 7,
    "C29": 12,
    "C30": 10,
    "C31": 2,
    "C32": 2,
    "C33": 2,
    "C34": 2,
}
INDUSTRY_SUFFIX = {
    "C10": "식품",
    "C11": "음료",
    "C13": "섬유",
    "C14": "어패럴",
    "C17": "제지",
    "C20": "화학",
    "C21": "바이오",
    "C22": "플라스틱",
    "C23": "세라믹",
    "C24": "금속",
    "C25": "정밀",
    "C26": "전자",
    "C27": "메디칼",
    "C28": "전기",
    "C29": "기계",
    "C30": "오토텍",
}
NAME_PREFIXES = [
    "한빛",
    "대성",
    "세진",
    "동양",
    "삼화",
    "미래",
    "태양",
    "새만금",
    "호남",
    "금강",
    "유진",
    "대한",
    "우진",
    "성원",
    "진성",
    "한울",
    "청운",
    "보성",
    "신영",
    "정우",
    "동진",
    "효성",
    "광명",
    "일신",
    "서해",
    "남부",
    "백제",
    "모악",
    "만경",
    "덕진",
]
SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = [
    "민수",
    "영호",
    "성진",
    "정훈",
    "상철",
    "재원",
    "동현",
    "기태",
    "명수",
    "현우",
    "승호",
    "광수",
    "태식",
    "병철",
    "종민",
    "영수",
    "진호",
    "경태",
    "용석",
    "철민",
]
ROADS = ["산업단지로", "공단로", "첨단로", "과학로", "테크노로", "중앙로", "농공단지길"]

DEMO_MENTOR, DEMO_COMPANY = "mentor@demo.jbsf.kr", "company@demo.jbsf.kr"
DEMO_LOGINS = [
    ("coordinator@demo.jbsf.kr", "coordinator-2026", Role.coordinator),
    (DEMO_MENTOR, "mentor-2026", Role.mentor),
    (DEMO_COMPANY, "company-2026", Role.company),
]


@dataclass
class DemoSummary:
    mentors: int
    companies: int
    logins: list[tuple[str, str, str]]


def _jitter(rng: random.Random, lat: float, lon: float, radius_km: float) -> tuple[float, float]:
    r = radius_km * math.sqrt(rng.random())
    angle = rng.random() * 2 * math.pi
    dlat = r * math.cos(angle) / 111.0
    dlon = r * math.sin(angle) / (111.0 * math.cos(math.radians(lat)))
    return round(lat + dlat, 5), round(lon + dlon, 5)


def _brn(rng: random.Random, taken: set[str]) -> str:
    while True:
        first = f"{rng.randint(101, 899)}{rng.randint(81, 88)}{rng.randint(0, 9999):04d}"
        number = first + str(check_digit(first))
        if number not in taken:
            taken.add(number)
            return number


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _place(rng, municipality: Municipality) -> tuple[float, float, str]:
    radius = 5.0 if municipality.kind == "city" else 9.0
    lat, lon = _jitter(rng, municipality.lat, municipality.lon, radius)
    address = f"{PROVINCE_KO} {municipality.name_ko} {rng.choice(ROADS)} {rng.randint(1, 480)}"
    return lat, lon, address


def _mentor_rows(rng: random.Random, places: list[Municipality], weights: list[float]) -> list[dict]:
    codes, code_weights = list(INDUSTRY_WEIGHTS), list(INDUSTRY_WEIGHTS.values())
    rows = []
    for n in range(1, N_MENTORS + 1):
        home = rng.choices(places, weights)[0]
        lat, lon, address = _place(rng, home)
        industries: dict[str, int] = {}
        while len(industries) < rng.choice([1, 2, 2, 3, 3, 4]):
            code = rng.choices(codes, code_weights)[0]
            industries.setdefault(code, rng.randint(80, 100) if not industries else rng.randint(40, 85))
        rows.append(
            dict(
                email=f"mentor{n:03d}@mentors.jbsf.kr",
                name=_person(rng),
                phone=f"010-{rng.randint(2000, 9999)}-{rng.randint(1000, 9999)}",
                municipality=home,
                address=address,
                lat=lat,
                lon=lon,
                capacity=rng.choice([3, 4, 4, 5, 5, 6]),
                industries=industries,
            )
        )
    return rows


def _company_rows(rng: random.Random, places: list[Municipality], weights: list[float]) -> list[dict]:
    codes, code_weights = list(INDUSTRY_WEIGHTS), list(INDUSTRY_WEIGHTS.values())
    statuses = (
        [CompanyStatus.applied] * 12
        + [CompanyStatus.active] * 5
        + [CompanyStatus.completed, CompanyStatus.completed, CompanyStatus.withdrawn]
    )
    sizes = [CompanySize.micro, CompanySize.small, CompanySize.small, CompanySize.small, CompanySize.medium]
    taken: set[str] = set()
    used_names: set[str] = set()
    rows = []
    for _ in range(N_COMPANIES):
        where = rng.choices(places, weights)[0]
        code = rng.choices(codes, code_weights)[0]
        lat, lon, address = _place(rng, where)
        name = f"{rng.choice(NAME_PREFIXES)}{INDUSTRY_SUFFIX.get(code, '산업')}"
        while name in used_names:
            name = f"{rng.choice(NAME_PREFIXES)}{name}"
        used_names.add(name)
        size = rng.choice(sizes)
        employees = {"micro": rng.randint(3, 9), "small": rng.randint(10, 49), "medium": rng.randint(50, 299)}
        rows.append(
            dict(
                business_reg_no=_brn(rng, taken),
                name=f"(주){name}",
                industry_code=code,
                municipality=where,
                address=address,
                lat=lat,
                lon=lon,
                size=size.value,
                employees=employees[size.value],
                priority=rng.choices([1, 2, 3, 4, 5], [50, 25, 12, 8, 5])[0],
                status=rng.choice(statuses).value,
                joined_on=date(2025, 3, 1) + timedelta(days=rng.randint(0, 600)),
                contact_name=_person(rng),
                contact_phone=f"063-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
            )
        )
    return rows


def _demo_availability(session: Session, rng: random.Random, mentor: Mentor) -> None:
    """Weekdays 09:00-18:00, some mentors only mornings, most with one weekday kept free."""
    for old in session.exec(select(MentorAvailability).where(MentorAvailability.mentor_id == mentor.id)):
        session.delete(old)
    session.flush()  # deleted before the new windows go in: the database refuses overlaps
    free_day = rng.choice([None, 0, 2, 4, 4])
    ends = time(13) if rng.random() < 0.2 else time(18)
    for weekday in range(5):
        if weekday != free_day:
            session.add(
                MentorAvailability(mentor_id=id_of(mentor), weekday=weekday, starts=time(9), ends=ends)
            )


def _upsert(session: Session, model, key: str, value: str, fields: dict):
    record = session.exec(select(model).where(getattr(model, key) == value)).first() or model(**{key: value})
    for name, field_value in fields.items():
        setattr(record, name, field_value)
    session.add(record)
    return record


DEMO_EXCLUSIONS = ("대표이사가 멘토의 전 직장 동료", "멘토의 가족이 운영하는 거래처")


def _demo_exclusions(session: Session, mentors: list[Mentor], companies: list[Company]) -> None:
    """Two conflicts of interest, so the company page's "never this mentor" shows one."""
    for mentor, company, reason in zip(mentors[1:], companies[:2], DEMO_EXCLUSIONS, strict=False):
        if session.get(MentorExclusion, (mentor.id, company.id)) is None:
            session.add(MentorExclusion(mentor_id=id_of(mentor), company_id=id_of(company), reason=reason))


def load_demo_data(session: Session, media_root: Path | None = None) -> DemoSummary:
    """The directory's demo records and logins; with `media_root` (where photos go), the outcomes'
    demo too (a completed cohort with photos: `demo load` passes it, most tests do not)."""
    seed_reference_data(session)
    rng = random.Random(SEED)
    weight_of = {row["name_en"]: row["demo_weight"] for row in reference.municipalities()}
    places = list(session.exec(select(Municipality).order_by(col(Municipality.id))))
    weights = [weight_of[m.name_en] for m in places]

    mentors = []
    for row in _mentor_rows(rng, places, weights):
        industries = row.pop("industries")
        municipality = row.pop("municipality")
        mentor = _upsert(
            session,
            Mentor,
            "email",
            row.pop("email"),
            dict(row, municipality_id=municipality.id, active=True),
        )
        session.flush()
        for old in session.exec(select(MentorIndustry).where(MentorIndustry.mentor_id == mentor.id)):
            session.delete(old)
        session.flush()
        for code, fit in industries.items():
            session.add(MentorIndustry(mentor_id=mentor.id, industry_code=code, fit=fit))
        _demo_availability(session, rng, mentor)
        mentors.append(mentor)

    companies: list[Company] = []
    for row in _company_rows(rng, places, weights):
        municipality = row.pop("municipality")
        company = _upsert(
            session,
            Company,
            "business_reg_no",
            row.pop("business_reg_no"),
            dict(
                row,
                municipality_id=municipality.id,
                contact_email=f"contact{len(companies) + 1:03d}@companies.jbsf.kr",
            ),
        )
        companies.append(company)
    session.flush()

    _demo_exclusions(session, mentors, companies)

    links = {
        Role.coordinator: {},
        Role.mentor: {"mentor_id": mentors[0].id},
        Role.company: {"company_id": next(c.id for c in companies if c.status == CompanyStatus.applied)},
    }
    for email, password, role in DEMO_LOGINS:
        if session.exec(select(User).where(User.email == email)).first() is None:
            create_user(
                session,
                email=email,
                password=password,
                role=role.value,
                display_name=role.value.title(),
                **links[role],
            )
    load_engagements_demo(session, mentors, companies, links[Role.company]["company_id"])
    if media_root is not None:
        load_outcomes_demo(session, MediaStore(media_root), mentors)
    program_logins = load_program_demo(session, mentors)
    return DemoSummary(
        mentors=len(mentors),
        companies=len(companies),
        logins=[(email, password, role.value) for email, password, role in DEMO_LOGINS] + program_logins[:1],
    )
