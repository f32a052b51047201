"""Benchmark support, active only when settings.BENCHMARK is on (env BENCHMARK=1).

- ``ceiling`` view: a bare Django view rendering a small template behind the same middleware
  (sessions, auth, CSRF…) — the fastest any page can be; the benchmark reports every page's
  throughput as a share of it.
- ``QueryCountMiddleware``: answers each request with ``X-Query-Count`` (SQL statements run).
"""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.shortcuts import render


@login_required
def ceiling(request):
    return render(request, "bench/ceiling.html", {"user": request.user})


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = [0]

        def counter(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count[0])
        return response
