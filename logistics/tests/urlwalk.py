"""Every route of the project, with placeholder arguments, for access tests."""
from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver


def iter_routes(resolver=None, prefix="", namespace=""):
    """Yield (name, route, converters) for every named URL pattern."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from iter_routes(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern), entry.pattern.converters


def placeholder_path(route: str, converters: dict, value: int = 999999) -> str:
    """The route with every <param> filled in (ints with ``value``)."""
    import re

    def fill(match):
        conv, name = (match.group(1) or "str"), match.group(2)
        if conv == "int":
            return str(value)
        if conv == "path":
            return "x"
        if conv == "slug":
            return "x"
        if conv == "uuid":
            return "00000000-0000-0000-0000-000000000000"
        return "2026-01" if "month" in name else "x"

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route).lstrip("^").rstrip("$")
