"""Background tasks of the signals app: thin, take ids, idempotent enough to re-run (an
e-mail may be sent twice after a crash, never with the reporter's data in it)."""

from __future__ import annotations

from django_tasks import task

from covenant.signals import notify


@task()
def notify_signal(signal_id: int, event: str) -> int:
    """E-mail the people concerned about `event` of a signal; returns e-mails sent."""
    return notify.send(signal_id=signal_id, event=event)


@task()
def signals_daily() -> str:
    """The daily run (reminders and retention) as a task, for deployments that schedule
    tasks rather than commands."""
    from covenant.signals import services
    from covenant.signals.throttle import form_tokens_purge

    reminders = services.deadlines_remind()
    result = services.signals_retention()
    purged = form_tokens_purge()
    return (
        f"{reminders} reminders, {result.warned} warned, {result.anonymised} anonymised, "
        f"{purged} form tokens forgotten"
    )
