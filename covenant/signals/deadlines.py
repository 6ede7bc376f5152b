"""Stages and deadlines of a signal, from the agreement's settings (SignalSettings; the
defaults when it has none): acknowledge within 7 days of receipt, forward within 14, company
response within 30 of forwarding, outcome within 90 of receipt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from covenant.agreements.models import Agreement
from covenant.signals.models import Signal, SignalForward, SignalSettings

STAGE_LABELS = {
    "acknowledge": _("Acknowledge"),
    "forward": _("Forward"),
    "response": _("Company response"),
    "outcome": _("Outcome"),
}
ENDED = (Signal.Status.NOT_MEMBER, Signal.Status.INADMISSIBLE, Signal.Status.CLOSED)


def settings_for(agreement: Agreement) -> SignalSettings:
    found = SignalSettings.objects.filter(agreement=agreement).first()
    return found or SignalSettings(agreement=agreement)


@dataclass
class Stage:
    key: str
    due: dt.datetime
    done_at: dt.datetime | None
    overdue: bool

    @property
    def label(self) -> str:
        return str(STAGE_LABELS[self.key])


@dataclass
class SignalDeadlines:
    signal: Signal
    stages: list[Stage] = field(default_factory=list)

    @property
    def overdue(self) -> bool:
        return any(s.overdue for s in self.stages)

    @property
    def overdue_stages(self) -> list[Stage]:
        return [s for s in self.stages if s.overdue]

    @property
    def next_due(self) -> Stage | None:
        open_stages = [s for s in self.stages if s.done_at is None]
        return min(open_stages, key=lambda s: s.due) if open_stages else None


def stages_of(
    signal: Signal,
    conf: SignalSettings,
    forwards: list[SignalForward],
    now: dt.datetime,
) -> list[Stage]:
    ended = signal.closed_at if signal.status in ENDED else None
    received = signal.created_at
    out = [
        Stage(
            "acknowledge",
            received + dt.timedelta(days=conf.acknowledge_days),
            signal.acknowledged_at or ended,
            False,
        ),
        Stage(
            "forward",
            received + dt.timedelta(days=conf.forward_days),
            signal.forwarded_at or ended,
            False,
        ),
    ]
    if signal.forwarded_at is not None:
        responded = [f.responded_at for f in forwards]
        done = max(responded) if responded and all(responded) else None  # type: ignore[type-var]
        out.append(
            Stage(
                "response",
                signal.forwarded_at + dt.timedelta(days=conf.response_days),
                done or ended,
                False,
            )
        )
    out.append(Stage("outcome", received + dt.timedelta(days=conf.outcome_days), ended, False))
    for stage in out:
        stage.overdue = stage.done_at is None and now > stage.due
    return out


def with_deadlines(
    signals: Iterable[Signal], now: dt.datetime | None = None
) -> list[SignalDeadlines]:
    signals = list(signals)
    now = now or timezone.now()
    confs: dict[int, SignalSettings] = {}
    forwards: dict[int, list[SignalForward]] = {}
    for f in SignalForward.objects.filter(signal__in=signals):
        forwards.setdefault(f.signal_id, []).append(f)
    out = []
    for signal in signals:
        if signal.agreement_id not in confs:
            confs[signal.agreement_id] = settings_for(signal.agreement)
        out.append(
            SignalDeadlines(
                signal=signal,
                stages=stages_of(
                    signal, confs[signal.agreement_id], forwards.get(signal.pk, []), now
                ),
            )
        )
    return out
