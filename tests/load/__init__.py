"""A bounded load test: simulated people of every role use a running site for a fixed time.

Each simulated person signs in with their own account, then loops until the deadline: opens the
pages their role works with and, now and then, submits a form (a repair request, a room, a
visitor at the gate, a parent's feedback). Every submitted form carries a marker of this run, so
at the end the rows in the database are counted against the forms the server accepted: none
may be lost and none may be made twice. Traffic goes only to the given base URL (127.0.0.1).

``python -m tests.load`` runs it from the command line (see ``__main__``); ``tests/test_faults_load.py``
runs a short version in the test suite.
"""
from __future__ import annotations

import random
import re
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from logistics.roles import Role

# How a crowd of N people splits over the roles (a school day: many teachers and parents).
WEIGHTS = {
    Role.TEACHER: 14, Role.PARENT: 10, Role.LOGISTICS_STAFF: 8, Role.GUARD: 4, Role.REPAIRER: 4,
    Role.LOGISTICS_DIRECTOR: 3, Role.CANTEEN_MANAGER: 3, Role.PRINCIPAL: 2, Role.ACCOUNTANT: 2,
}
WRITE_KINDS = ("repair", "room", "visitor", "feedback")


def role_mix(users: int) -> list[str]:
    """``users`` roles in the proportions of WEIGHTS (largest remainder), every writing role present."""
    total = sum(WEIGHTS.values())
    shares = {role: users * w / total for role, w in WEIGHTS.items()}
    counts = {role: int(s) for role, s in shares.items()}
    for role in sorted(shares, key=lambda r: shares[r] - counts[r], reverse=True)[: users - sum(counts.values())]:
        counts[role] += 1
    for must in (Role.TEACHER, Role.LOGISTICS_STAFF, Role.GUARD, Role.PARENT):
        if counts[must] == 0 and users >= 4:
            donor = max(counts, key=counts.get)
            counts[donor] -= 1
            counts[must] += 1
    return [role for role, n in counts.items() for _ in range(n)]


@dataclass
class Account:
    username: str
    role: str


@dataclass
class Context:
    """What the simulated people need to fill in forms (ids from the database)."""

    run_id: str
    rooms: list[int]
    building: int
    password: str


def prepare(school, *, users: int, password: str, run_id: str) -> tuple[list[Account], Context]:
    """Create (or reuse) one account per simulated person in ``school``; idempotent."""
    from django.contrib.auth.hashers import make_password

    from logistics.models import Building, Membership, Room, User

    building = Building.objects.filter(school=school).order_by("pk").first() or Building.objects.create(school=school, name="负载测试楼")
    rooms = list(Room.objects.filter(school=school).order_by("pk").values_list("pk", flat=True)[:20])
    if not rooms:
        rooms = [Room.objects.create(school=school, building=building, name="负载测试室", number="L1").pk]
    hashed = make_password(password)  # one hash for all: hashing 50 times would only slow the set-up
    accounts = []
    per_role = Counter()
    for role in role_mix(users):
        per_role[role] += 1
        username = f"load_{role}_{per_role[role]}"
        user, _ = User.objects.get_or_create(username=username, defaults={"full_name": f"负载{role}{per_role[role]}"})
        user.password = hashed
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        Membership.objects.get_or_create(user=user, school=school, role=role)
        accounts.append(Account(username, role))
    return accounts, Context(run_id=run_id, rooms=rooms, building=building.pk, password=password)


def stored_writes(run_id: str) -> dict[str, int]:
    """Rows of this run in the database, per kind of form."""
    from canteen.models import Feedback
    from logistics.models import Room
    from repairs.models import Repair
    from safety.models import Visitor

    return {
        "repair": Repair.objects.filter(description__startswith=f"[{run_id}]").count(),
        "room": Room.objects.filter(name__startswith=f"[{run_id}]").count(),
        "visitor": Visitor.objects.filter(purpose__startswith=f"[{run_id}]").count(),
        "feedback": Feedback.objects.filter(text__startswith=f"[{run_id}]").count(),
    }


@dataclass
class Report:
    seconds: float = 0.0
    ramp: float = 0.0
    users: int = 0
    statuses: Counter = field(default_factory=Counter)
    exceptions: Counter = field(default_factory=Counter)
    latencies: list = field(default_factory=list)
    accepted: Counter = field(default_factory=Counter)   # forms the server answered with a redirect
    refused: Counter = field(default_factory=Counter)    # forms answered with the form again (an error)
    stored: dict = field(default_factory=dict)
    server_errors: list = field(default_factory=list)    # (method, path, status) of every 5xx
    denied: Counter = field(default_factory=Counter)     # (role, path) of every 403/404: a scenario bug
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def errors_5xx(self) -> int:
        return sum(n for code, n in self.statuses.items() if code >= 500)

    @property
    def lost(self) -> dict:
        return {k: self.accepted[k] - self.stored.get(k, 0) for k in WRITE_KINDS if self.accepted[k] != self.stored.get(k, 0)}

    @property
    def ok(self) -> bool:
        return (self.errors_5xx == 0 and not self.exceptions and not self.lost and not self.refused and not self.denied
                and self.requests > 0)

    def summary(self) -> str:
        lat = sorted(self.latencies) or [0.0]
        p95 = lat[min(len(lat) - 1, int(len(lat) * 0.95))]
        lines = [
            f"load test: {self.users} simulated users, arriving over {self.ramp:.0f}s, then all together; {self.seconds:.0f}s in all",
            f"  requests: {self.requests} ({self.requests / max(self.seconds, 1e-9):.1f}/s); "
            f"median {statistics.median(lat) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {lat[-1] * 1000:.0f} ms",
            f"  statuses: {dict(sorted(self.statuses.items()))}; 5xx: {self.errors_5xx}; client errors/timeouts: {dict(self.exceptions) or 0}",
            "  writes accepted → stored: " + ", ".join(f"{k} {self.accepted[k]} → {self.stored.get(k, '?')}" for k in WRITE_KINDS),
            f"  lost or doubled writes: {self.lost or 0}; refused forms: {dict(self.refused) or 0}",
            f"  result: {'OK' if self.ok else 'FAILED'}",
        ]
        if self.denied:
            lines.append(f"  403/404 (a page the scenario should not open): {dict(self.denied)}")
        if self.server_errors:
            lines.append(f"  5xx: {self.server_errors[:10]}")
        return "\n".join(lines)


CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REPAIR_LINK = re.compile(r'href="/repairs/(\d+)/"')


class Person(threading.Thread):
    """One simulated person: signs in, then works through their pages until the deadline."""

    def __init__(self, base: str, account: Account, ctx: Context, report: Report, deadline: float, seed: int):
        super().__init__(daemon=True, name=account.username)
        self.base, self.account, self.ctx, self.report, self.deadline = base, account, ctx, report, deadline
        self.rand = random.Random(seed)
        self.n = 0

    # --- HTTP with bookkeeping -------------------------------------------------------------------
    def request(self, method: str, path: str, **kwargs):
        t = time.monotonic()
        try:
            response = self.session.request(method, f"{self.base}{path}", allow_redirects=False, timeout=60, **kwargs)
        except Exception as exc:  # a connection reset or a timeout is a failure too
            with self.report.lock:
                self.report.exceptions[type(exc).__name__] += 1
            return None
        elapsed = time.monotonic() - t
        with self.report.lock:
            self.report.statuses[response.status_code] += 1
            self.report.latencies.append(elapsed)
            if response.status_code >= 500:
                self.report.server_errors.append((method, path, response.status_code))
            elif response.status_code in (403, 404):
                self.report.denied[(self.account.role, path.split("?")[0])] += 1
        return response

    def get(self, path: str):
        return self.request("GET", path)

    def submit(self, kind: str | None, path: str, data: dict, form_page: str | None = None):
        page = self.get(form_page or path)
        match = CSRF_RE.search(page.text) if page is not None else None
        if match is None:
            return None
        response = self.request("POST", path, data={**data, "csrfmiddlewaretoken": match.group(1)},
                                headers={"Referer": f"{self.base}{form_page or path}"})
        if kind and response is not None:
            with self.report.lock:
                if response.status_code == 302:
                    self.report.accepted[kind] += 1
                elif response.status_code < 500:
                    self.report.refused[kind] += 1
        return response

    def marker(self) -> str:
        self.n += 1
        return f"[{self.ctx.run_id}] {self.account.username}#{self.n}"

    # --- what each role does -----------------------------------------------------------------------
    def iteration(self):
        role = self.account.role
        if role == Role.TEACHER:
            self.get("/")
            self.get("/repairs/mine/")
            if self.rand.random() < 0.4:
                self.submit("repair", "/repairs/new/", {"room": self.rand.choice(self.ctx.rooms), "description": self.marker() + " 灯不亮",
                                                        "urgency": self.rand.choice(["urgent", "normal", "low"])})
            else:
                self.get("/canteen/")
        elif role == Role.LOGISTICS_STAFF:
            inbox = self.get("/repairs/?status=submitted")
            ids = REPAIR_LINK.findall(inbox.text) if inbox is not None and inbox.status_code == 200 else []
            if ids:
                pk = self.rand.choice(ids[:10])
                self.submit(None, f"/repairs/{pk}/take/", {}, form_page=f"/repairs/{pk}/")  # two staff may race: one wins
            self.get(self.rand.choice(["/assets/", "/safety/hazards/", "/safety/", "/assets/store/", "/rooms/"]))
            if self.rand.random() < 0.15:
                self.submit("room", "/rooms/new/", {"building": self.ctx.building, "name": self.marker(), "number": f"L{self.n}", "kind": "special"})
        elif role == Role.GUARD:
            self.get("/safety/visitors/")
            if self.rand.random() < 0.5:
                self.submit("visitor", "/safety/visitors/new/", {"name": f"访客{self.n}", "id_last4": f"{self.rand.randint(0, 9999):04d}",
                                                                 "phone": "13800000000", "visiting": "后勤处", "purpose": self.marker()})
        elif role == Role.PARENT:
            self.get("/canteen/")
            if self.rand.random() < 0.3:
                self.submit("feedback", "/canteen/feedback/new/", {"kind": "suggestion", "text": self.marker() + " 希望多些蔬菜"})
            else:
                self.get("/canteen/feedback/")
        elif role == Role.REPAIRER:
            self.get("/")
            self.get("/repairs/mine/")
        elif role == Role.LOGISTICS_DIRECTOR:
            self.get(self.rand.choice(["/", "/repairs/", "/repairs/stats/", "/procurement/", "/safety/hazards/", "/assets/write-offs/"]))
        elif role == Role.PRINCIPAL:
            self.get(self.rand.choice(["/", "/procurement/dashboard/", "/procurement/"]))
        elif role == Role.CANTEEN_MANAGER:
            self.get(self.rand.choice(["/", "/canteen/menus/", "/canteen/samples/", "/canteen/receiving/", "/canteen/feedback/"]))
        elif role == Role.ACCOUNTANT:
            self.get(self.rand.choice(["/", "/procurement/", "/canteen/accounts/", "/procurement/disclosures/"]))

    def run(self):
        import requests

        self.session = requests.Session()
        login = self.submit(None, "/accounts/login/", {"username": self.account.username, "password": self.ctx.password})
        if login is None or login.status_code != 302:
            with self.report.lock:
                self.report.exceptions["login failed"] += 1
            return
        while time.monotonic() < self.deadline:
            self.iteration()
            time.sleep(self.rand.uniform(0.2, 1.0))  # a person reads the page before the next click


def run(base: str, accounts: list[Account], ctx: Context, *, seconds: float, seed: int = 1, spawn_per_second: float = 2.0) -> Report:
    """Drive the site at ``base`` with one thread per account; count stored writes.

    People arrive ``spawn_per_second`` at a time (as locust's spawn rate: 50 sign-ins in the same
    second would only measure the password hash, PBKDF2 by design ~0.5-1.5 s of CPU each here),
    then all of them keep working together for ``seconds``."""
    report = Report(users=len(accounts))
    started = time.monotonic()
    ramp = len(accounts) / spawn_per_second
    deadline = started + ramp + seconds
    people = [Person(base, a, ctx, report, deadline, seed * 1000 + i) for i, a in enumerate(accounts)]
    for p in people:
        p.start()
        time.sleep(1 / spawn_per_second)
    for p in people:
        p.join(timeout=seconds + ramp + 120)
    report.seconds = time.monotonic() - started
    report.ramp = ramp
    report.stored = stored_writes(ctx.run_id)
    return report
