"""The layout rules of webapp/ (README, docs/architecture.md): a small root, no import cycles,
the environment read in one place."""

from __future__ import annotations

import ast
from pathlib import Path

WEBAPP = Path(__file__).resolve().parents[1] / "webapp"
NOT_PYTHON = {"templates", "static", "translations", "samples", "__pycache__"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(WEBAPP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in WEBAPP.rglob("*.py")}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The webapp modules `name` imports, anywhere in the file (inside functions too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join([*parts[: len(parts) - node.level + 1], base])
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name and target != "webapp":
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, set(modules)) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_of_webapp_imports_one_that_imports_it_back():
    assert cycles(import_graph()) == []


def test_the_root_of_webapp_holds_at_most_15_modules_and_packages():
    entries = [p.name for p in WEBAPP.iterdir() if p.name not in NOT_PYTHON]
    assert all(name.endswith(".py") or (WEBAPP / name / "__init__.py").exists() for name in entries), entries
    assert len(entries) <= 15, sorted(entries)


def test_the_environment_is_read_in_config_only():
    allowed = {WEBAPP / "config.py", WEBAPP / "ops" / "backup.py"}  # backup passes it on to pg_dump
    readers = [
        str(p.relative_to(WEBAPP))
        for p in WEBAPP.rglob("*.py")
        if p not in allowed and ("os.environ" in p.read_text() or "getenv" in p.read_text())
    ]
    assert readers == []


def test_the_time_is_read_from_the_clock_only():
    """webapp.core.clock gives UTC now and Seoul's date; the server's local date is never used."""
    clock = WEBAPP / "core" / "clock.py"
    readers = [
        str(p.relative_to(WEBAPP))
        for p in WEBAPP.rglob("*.py")
        if p != clock and any(call in p.read_text() for call in ("date.today", "datetime.now(", "ZoneInfo("))
    ]
    assert readers == []


def test_the_audit_log_is_written_by_its_one_writer():
    writer = WEBAPP / "core" / "audit.py"
    writers = [
        str(p.relative_to(WEBAPP))
        for p in WEBAPP.rglob("*.py")
        if p != writer and "AuditLog(" in p.read_text()
    ]
    assert writers == ["core/models.py"]  # where the table is defined
