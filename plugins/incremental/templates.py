"""Which context names a template can read: its own and those of every template it extends,
includes or imports, found by Jinja's own static analysis (jinja2.meta)."""

from jinja2 import TemplateNotFound, meta


def referenced_names(env, name):
    """The context names the template `name` and its whole tree read, or None when the tree
    cannot be known statically (a template chosen at render time): then every name counts."""
    names = set()
    seen = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            source, _, _ = env.loader.get_source(env, current)
        except TemplateNotFound:
            return None
        found, refs = _analyse(env, source)
        names |= found
        for ref in refs:
            if ref is None:
                return None
            todo.append(ref)
    return frozenset(names)


_ANALYSED = {}  # (extensions, source) -> (names, referenced templates), for the process


def _analyse(env, source):
    """One template's own names and references. A base template or a macro file is in the
    tree of every page template: it is parsed once (parsing took a second of a cold build)."""
    key = (tuple(sorted(env.extensions)), source)
    known = _ANALYSED.get(key)
    if known is None:
        tree = env.parse(source)
        refs = tuple(meta.find_referenced_templates(tree))
        known = _ANALYSED[key] = (frozenset(meta.find_undeclared_variables(tree)), refs)
    return known
