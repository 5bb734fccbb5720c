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
        tree = env.parse(source)
        names |= meta.find_undeclared_variables(tree)
        for ref in meta.find_referenced_templates(tree):
            if ref is None:
                return None
            todo.append(ref)
    return frozenset(names)
