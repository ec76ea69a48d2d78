"""The package layout: stage subpackages with a docstring each, and no import circles in monitor/."""

from __future__ import annotations

import ast
from pathlib import Path

import monitor

PKG = Path(monitor.__file__).resolve().parent


def module_name(path: Path) -> str:
    parts = path.relative_to(PKG.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, here: str, is_package: bool) -> set[str]:
    """Every module named by an import anywhere in ``tree`` (functions included), less ``if TYPE_CHECKING:``."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = here.split(".")
                anchor = parts if is_package else parts[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def import_graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in sorted(PKG.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        named = _imports(ast.parse(path.read_text(encoding="utf-8"), str(path)), name, path.name == "__init__.py")
        graph[name] = {m for m in named if m in files and m != name}  # packages count: importing runs them
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle as ``[a, b, ..., a]``, or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def dfs(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := dfs(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := dfs(node)):
            return cycle
    return None


def test_the_graph_sees_imports_at_any_depth() -> None:
    graph = import_graph()
    assert "monitor.store" in graph["monitor.pipeline"]
    assert "monitor.stance.onnx_backend" in graph["monitor.stance.encoder"]  # a function-level import
    assert "monitor.stance.encoder" not in graph["monitor.stance.onnx_backend"]  # only under TYPE_CHECKING
    assert "monitor.stance.training" in graph["monitor.desk.commands"]  # from monitor.stance import training
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_circles() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import circle: " + " -> ".join(cycle or [])


def test_every_stage_package_says_what_it_takes_and_gives() -> None:
    inits = sorted(PKG.glob("*/__init__.py"))
    assert {p.parent.name for p in inits} == {"desk", "ingest", "shifts", "stance", "statements"}
    for init in inits:
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), f"{init}: no docstring"


def test_all_lists_the_stage_packages_and_top_modules() -> None:
    top = {p.stem for p in PKG.glob("*.py") if not p.stem.startswith("_")}
    packages = {p.parent.name for p in PKG.glob("*/__init__.py")}
    assert sorted(monitor.__all__) == sorted(top | packages) == monitor.__all__


STAGES = ("ingest", "statements", "stance", "shifts", "desk")  # the order of the data flow


def test_imports_run_down_the_stages() -> None:
    """A stage may use the stages before it in the data flow, never one after it (ARCHITECTURE.md):
    statements may not import stance, stance may not import shifts, and so on."""
    def stage(module: str) -> int | None:
        parts = module.split(".")
        return STAGES.index(parts[1]) if len(parts) > 1 and parts[1] in STAGES else None

    upward = [(m, dep) for m, deps in import_graph().items() for dep in deps
              if stage(m) is not None and stage(dep) is not None and stage(dep) > stage(m)]  # type: ignore[operator]
    assert not upward, "imports against the data flow: " + ", ".join(f"{a} -> {b}" for a, b in sorted(upward))
