"""Storing photos in a transaction, serving them only to those the owner allows, backing them up."""

from pathlib import Path

import pytest
from sqlmodel import Session, select

from tests.media.images import phone_jpeg, png
from tests.support.web import api
from webapp.accounts.models import User
from webapp.accounts.security import new_api_token
from webapp.core.db import session_scope
from webapp.core.media.images import MediaError
from webapp.core.media.models import Photo
from webapp.core.media.service import register_owner, save_photo
from webapp.core.media.storage import MediaStore

BACKENDS = ("sqlite", "postgres")

# A test owner: a company sees the photos whose owner_id is its id; coordinators see all.
register_owner("test_company", lambda _s, v, owner_id: v.role == "coordinator" or v.company_id == owner_id)


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_a_saved_photo_keeps_its_files_a_rolled_back_one_leaves_none(engine, tmp_path):
    store = MediaStore(tmp_path / "media")
    with session_scope(engine) as session:
        kept = save_photo(session, store, png(), owner_kind="test_company", owner_id=1, user_id=None)
    assert {p.name for p in _files(store.root)} == {f"{kept.file_key}.jpg", f"{kept.file_key}.thumb.jpg"}

    with pytest.raises(RuntimeError), session_scope(engine) as session:
        save_photo(session, store, png(), owner_kind="test_company", owner_id=1, user_id=None)
        raise RuntimeError("the rest of the change failed")
    assert len(_files(store.root)) == 2  # only the first photo's files
    with Session(engine) as session:
        assert [p.file_key for p in session.exec(select(Photo))] == [kept.file_key]


def test_a_refused_upload_writes_nothing(engine, tmp_path):
    store = MediaStore(tmp_path / "media")
    with pytest.raises(MediaError), session_scope(engine) as session:
        save_photo(session, store, b"not a photo", owner_kind="test_company", owner_id=1, user_id=None)
    assert not store.root.exists()


def test_storage_keys_are_random_and_checked(tmp_path):
    store = MediaStore(tmp_path)
    keys = {store.write(b"a", b"b") for _ in range(20)}
    assert len(keys) == 20
    with pytest.raises(ValueError):
        store.path("../../etc/passwd")


def _photo_of(web_app, company_id: int) -> int:
    with session_scope(web_app.extensions["engine"]) as session:
        photo = save_photo(
            session,
            MediaStore(web_app.config["MEDIA_ROOT"]),
            phone_jpeg(1200, 900),
            owner_kind="test_company",
            owner_id=company_id,
            user_id=None,
        )
        return photo.id


def test_photos_are_served_only_to_whom_the_owner_allows(web_app, world, clients):
    photo_id = _photo_of(web_app, world.companies[0])
    for who in ("company_a", "coordinator"):
        for suffix in ("", "/thumb"):
            response = clients[who].get(f"/media/{photo_id}{suffix}")
            assert response.status_code == 200, who
            assert response.mimetype == "image/jpeg" and response.data[:2] == b"\xff\xd8"
            assert "private" in response.headers["Cache-Control"]
    for who in ("company_b", "mentor_a"):
        assert clients[who].get(f"/media/{photo_id}").status_code == 404
    assert web_app.test_client().get(f"/media/{photo_id}").status_code == 401
    assert clients["coordinator"].get("/media/999999").status_code == 404


def test_api_token_bearers_get_photos_under_the_same_rule(web_app, world):
    photo_id = _photo_of(web_app, world.companies[0])
    with session_scope(web_app.extensions["engine"]) as session:
        tokens = {
            key: new_api_token(session, session.exec(select(User).where(User.email == email)).one())
            for key, email in world.users.items()
            if key in ("company_a", "company_b")
        }
    assert api(web_app, tokens["company_a"]).get(f"/media/{photo_id}").status_code == 200
    assert api(web_app, tokens["company_b"]).get(f"/media/{photo_id}").status_code == 404
    assert api(web_app, "jbsf_wrong").get(f"/media/{photo_id}").status_code == 401


def test_backup_and_restore_carry_the_photos(web_app, world, tmp_path):
    runner = web_app.test_cli_runner()
    media = Path(web_app.config["MEDIA_ROOT"])
    photo_id = _photo_of(web_app, world.companies[0])
    before = {p.relative_to(media): p.read_bytes() for p in _files(media)}
    target = tmp_path / "backup.tar"
    assert runner.invoke(args=["db", "backup", str(target)]).exit_code == 0

    for path in _files(media):  # a bad day: the volume is lost, and the row too
        path.unlink()
    with session_scope(web_app.extensions["engine"]) as session:
        session.delete(session.get(Photo, photo_id))

    result = runner.invoke(args=["db", "restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    assert {p.relative_to(media): p.read_bytes() for p in _files(media)} == before
    with Session(web_app.extensions["engine"]) as session:
        assert session.get(Photo, photo_id) is not None
