"""Print the system's health: database, broker, queue length, scheduled jobs, last disclosures."""
from __future__ import annotations

from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from logistics.health import check_broker, check_database
from logistics.models import EmailState, Notification, School, TaskHeartbeat

STUCK_AFTER_MINUTES = 10


def queue_length() -> int | None:
    """Messages waiting in the default Celery queue (Redis broker only)."""
    if not settings.REDIS_URL:
        return None
    import redis

    from logistics.celery import app

    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2)
    return int(client.llen(app.conf.task_default_queue or "celery"))


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        now = timezone.localtime()
        db_ok, db = check_database()
        broker_ok, broker = check_broker()
        self.stdout.write(f"time:      {now:%Y-%m-%d %H:%M:%S %Z}")
        self.stdout.write(f"database:  {'ok' if db_ok else 'DOWN'} ({db})")
        self.stdout.write(f"broker:    {'ok' if broker_ok else 'DOWN'} ({broker})")
        try:
            length = queue_length()
        except Exception as exc:  # the broker may be down: say so
            length = f"unknown ({type(exc).__name__})"
        self.stdout.write(f"queue:     {length if length is not None else 'n/a (embedded broker)'}")
        self.write_outbox()
        self.stdout.write("scheduled jobs (last run):")
        for beat in TaskHeartbeat.objects.order_by("name"):
            age = int((timezone.now() - beat.last_run_at).total_seconds())
            self.stdout.write(f"  {beat.name:<40} {timezone.localtime(beat.last_run_at):%Y-%m-%d %H:%M:%S} ({age}s ago) {beat.detail}")
        self.stdout.write("last finance disclosure per school:")
        try:
            last_disclosure = import_module("procurement.selectors").last_disclosure
        except (ModuleNotFoundError, AttributeError) as exc:  # say so rather than stay silent
            self.stdout.write(f"  unavailable ({exc})")
        else:
            for school in School.objects.order_by("name"):
                report = last_disclosure(school)
                self.stdout.write(f"  {school.name:<30} {report if report else '—'}")
        if not (db_ok and broker_ok):
            raise SystemExit(1)

    def write_outbox(self):
        """E-mails waiting (sent by the heartbeat sweep), failed, and stuck: a worker died while sending
        one (it is never sent twice, so it stays "sending": look at it by hand)."""
        from django.db.models import Count, Min

        stale = timezone.now() - timedelta(minutes=STUCK_AFTER_MINUTES)
        rows = {r["email_state"]: r for r in Notification.objects.exclude(email_state=EmailState.NONE)
                .values("email_state").annotate(n=Count("pk"), oldest=Min("created_at"))}
        pending = rows.get(EmailState.PENDING, {"n": 0, "oldest": None})
        oldest = f", oldest {int((timezone.now() - pending['oldest']).total_seconds())}s" if pending["oldest"] else ""
        stuck = Notification.objects.filter(email_state=EmailState.SENDING, created_at__lt=stale).count()
        failed = rows.get(EmailState.FAILED, {"n": 0})["n"]
        self.stdout.write(f"e-mail:    {pending['n']} pending{oldest}; {failed} failed; "
                          f"{stuck} stuck sending > {STUCK_AFTER_MINUTES} min")
