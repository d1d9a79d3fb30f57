"""SQLite is set up for concurrent writers (web server and scheduler side by side)."""


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(engine):
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
