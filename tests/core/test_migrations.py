import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import webapp.core.registry  # noqa: F401
from webapp.ops import migrate

BACKENDS = ("sqlite", "postgres")


def _tables(engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}


def _empty(engine) -> None:
    migrate.downgrade(engine, "base")
    assert _tables(engine) == set()


def test_migration_matches_models_exactly(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []
    assert _tables(engine) == set(SQLModel.metadata.tables)


def test_upgrade_downgrade_upgrade_round_trip(engine):
    assert "company" in _tables(engine)
    _empty(engine)
    migrate.upgrade(engine)
    assert _tables(engine) == set(SQLModel.metadata.tables)
