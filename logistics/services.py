"""Writes of the shared core: notifications, the current school."""
from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from logistics.bulk import insert_returning
from logistics.models import EmailState, Notification, TaskHeartbeat
from logistics.roles import Role

log = logging.getLogger(__name__)


def notify(recipient, *, text, school=None, url: str = "", key: str | None = None, email: bool = True) -> Notification | None:
    """Put a message in ``recipient``'s inbox; return it, or None when ``key`` was already used.

    ``text`` may be a lazy translation; it is rendered in the recipient's language.
    ``key`` makes the call idempotent per recipient (e.g. ``"safety:inspection:42:2026-11-22"``):
    run a reminder twice, or on two workers, and the person still gets one message.
    E-mail is queued through the notification row itself (an outbox): a sweep sends pending
    e-mails, so nothing is lost when the broker is down.
    """
    if recipient is None or not recipient.is_active:
        return None
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        rendered = str(text)[:500]
    state = EmailState.PENDING if (email and recipient.email) else EmailState.NONE
    try:
        with transaction.atomic():
            note = Notification.objects.create(
                recipient=recipient, school=school, text=rendered, url=url, dedupe_key=key, email_state=state
            )
    except IntegrityError:
        if key is None:
            raise
        return None
    if state == EmailState.PENDING:
        transaction.on_commit(lambda: queue_task("logistics.tasks.send_notification_email", note.pk))
    return note


def notice(recipient, *, school_id, key: str, text, url: str = "") -> dict | None:
    """One in-app notification as a row for ``send_notices`` — the same row ``logistics.services.notify``
    writes, rendered in the recipient's language; None for an inactive recipient."""
    if recipient is None or not recipient.is_active:
        return None
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        rendered = str(text)[:500]
    return {
        "recipient_id": recipient.pk, "school_id": school_id, "text": rendered, "url": url[:300], "dedupe_key": key[:200],
        "email_state": EmailState.PENDING if recipient.email else EmailState.NONE, "read_at": None,
    }


def send_notices(rows: list[dict | None], *, now=None) -> int:
    """Insert the notices whose (recipient, key) is new, in one statement; return how many were new.

    A key already used (by an earlier run, or by another worker at this very moment) is skipped by
    the unique constraint. E-mails of the new ones leave through the notification outbox
    (``logistics.tasks.heartbeat`` sends pending e-mails every minute).
    """
    now = now or timezone.now()
    unique = {(r["recipient_id"], r["dedupe_key"]): r for r in rows if r}
    ordered = [{**unique[k], "created_at": now} for k in sorted(unique)]  # one order for every worker: no deadlocks
    return len(insert_returning(Notification, ordered, ignore_conflicts=True))


def notify_role(school, role: str, *, text, url: str = "", key: str | None = None, email: bool = True) -> list:
    """Notify every active member holding ``role`` in ``school``."""
    from logistics.selectors import members_with_role

    return [n for u in members_with_role(school, role) if (n := notify(u, text=text, school=school, url=url, key=key, email=email))]


_broker_down_until = 0.0  # monotonic time; not business data: only spares requests a known-dead broker


def queue_task(name: str, *args, **kwargs) -> bool:
    """Send a task to the broker; never let a broker outage break the request.

    Work queued this way must also be picked up by a periodic sweep (the outbox pattern), so a
    task that could not be queued is done on the next sweep instead of being lost. The web never
    waits for a result (``ignore_result``: no result-backend subscription, which would retry for
    ~20 s against a dead Redis), and after one failure this process stops trying for
    ``settings.BROKER_RETRY_AFTER`` seconds (30), so an outage costs one request ~0.6 s, not every request.
    """
    import time
    from importlib import import_module

    from logistics.celery import app

    global _broker_down_until
    eager = app.conf.task_always_eager
    if not eager and time.monotonic() < _broker_down_until:
        return False
    try:
        if eager:  # tests and single-process set-ups: run it here (import the module that registers it)
            import_module(name.rsplit(".", 1)[0])
            app.tasks[name].apply(args=args, kwargs=kwargs)
        else:
            app.send_task(name, args=args, kwargs=kwargs, ignore_result=True)
        return True
    except Exception:  # broker down: the sweep catches up
        if not eager:
            _broker_down_until = time.monotonic() + getattr(settings, "BROKER_RETRY_AFTER", 30.0)
        log.warning("could not queue %s; the periodic sweep will do it", name, exc_info=True)
        return False


def send_notification_email(notification_id: int) -> bool:
    """Send one pending notification e-mail, at most once (claimed with a conditional update)."""
    claimed = Notification.objects.filter(pk=notification_id, email_state=EmailState.PENDING).update(
        email_state=EmailState.SENDING
    )
    if not claimed:
        return False
    note = Notification.objects.select_related("recipient").get(pk=notification_id)
    url = note.url if note.url.startswith("http") else settings.SITE_URL.rstrip("/") + (note.url or "/")
    try:
        send_mail(
            subject=note.text[:80],
            message=f"{note.text}\n\n{url}",
            from_email=None,
            recipient_list=[note.recipient.email],
        )
    except Exception:
        log.exception("e-mail for notification %s failed", notification_id)
        Notification.objects.filter(pk=notification_id).update(email_state=EmailState.FAILED)
        return False
    Notification.objects.filter(pk=notification_id).update(email_state=EmailState.SENT)
    return True


def send_pending_emails(limit: int = 200) -> int:
    """Outbox sweep: send e-mails still pending (e.g. queued while the broker was down)."""
    ids = list(Notification.objects.filter(email_state=EmailState.PENDING).values_list("pk", flat=True)[:limit])
    return sum(1 for pk in ids if send_notification_email(pk))


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


def mark_all_read(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def beat(name: str, detail: str = "") -> None:
    """Record that a scheduled job ran now."""
    TaskHeartbeat.objects.update_or_create(name=name, defaults={"last_run_at": timezone.now(), "detail": detail[:300]})


__all__ = ["notify", "notify_role", "queue_task", "send_pending_emails", "mark_read", "mark_all_read", "beat", "Role"]
