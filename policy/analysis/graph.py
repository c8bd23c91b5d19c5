"""The predicate dependency graph of a program, and the graph algorithms every stage
shares (recursion, strongly connected components, reachability): one copy of each.
"""
from __future__ import annotations

from policy.analysis.cache import analysis
from policy.lang.program import Program, dependencies


def is_recursive(component: set, graph: dict) -> bool:
    """A strongly connected component is recursive: several members, or one reading itself."""
    name = next(iter(component))
    return len(component) > 1 or name in graph.get(name, ())


def strongly_connected(graph: dict) -> list:
    """Tarjan's algorithm, iterative: the strongly connected components of `graph`."""
    index, low, on_stack, stack, components = {}, {}, set(), [], []
    counter = 0
    for root in list(graph):
        if root in index:
            continue
        work = [(root, iter(graph.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    components.append(component)
            elif child not in index:
                index[child] = low[child] = counter
                counter += 1
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(graph.get(child, ()))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return components


def reachable(graph: dict, starts) -> set:
    """Every node `starts` lead to in `graph`, the starts included."""
    seen, stack = set(), list(starts)
    while stack:
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            stack.extend(graph.get(name, ()))
    return seen


@analysis
def dependency_graph(program: Program) -> dict:
    """head predicate -> set of body predicates (positive and negative alike)."""
    graph = {}
    for rule in program.rules:
        targets = graph.setdefault(rule.head.predicate, set())
        for predicate, _, _ in dependencies(rule):
            targets.add(predicate)
            graph.setdefault(predicate, set())
    return graph
