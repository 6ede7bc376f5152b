"""Public pages for reporters (no account, no JavaScript needed): pick a location from the
published list or describe it, report, get a receipt code; follow up with the code. Every
response here is `no-store` and sends no referrer; the receipt code never appears in a URL."""

from __future__ import annotations

import time
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from covenant.agreements.access import access_agreement_public
from covenant.core.errors import ApplicationError, NotFound
from covenant.core.forms import add_error
from covenant.signals import access, conf, selectors, services, throttle
from covenant.signals.forms import ReceiptForm, ReporterAddForm, ReportForm
from covenant.signals.uploads import in_memory_uploads
from covenant.supplychain.selectors import published as published_selectors

SESSION_KEY = "signals_receipt"
SESSION_IDLE_SECONDS = 30 * 60


def _language(request: HttpRequest) -> str:
    allowed = dict(conf.languages())
    wanted = request.POST.get("lang") or request.GET.get("lang") or ""
    if wanted in allowed:
        return wanted
    current = (translation.get_language() or "en")[:2]
    return current if current in allowed else "en"


def reporter_page(view: Any) -> Any:
    """Activate the reporter's language (a setting lists them) and make the answer private."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        lang = _language(request)
        with translation.override(lang):
            request.LANGUAGE_CODE = lang
            try:
                response: HttpResponse = view(request, *args, lang=lang, **kwargs)
            except ApplicationError as exc:
                response = render(
                    request,
                    "signals/public_error.html",
                    {**_base_context(request, lang), "message": exc.message},
                    status=exc.status_code,
                )
        response["Cache-Control"] = "no-store"
        # Not "no-referrer": browsers then send "Origin: null" with the form and Django's
        # CSRF check refuses it. "same-origin" (the site's policy) leaks nothing elsewhere.
        response["Referrer-Policy"] = "same-origin"
        response["Content-Language"] = lang
        return response

    return wrapper


def _base_context(request: HttpRequest, lang: str) -> dict[str, Any]:
    links = []
    for code, name in conf.languages():
        query = request.GET.copy()
        query["lang"] = code
        query.pop("added", None)
        links.append((code, name, f"{request.path}?{query.urlencode()}"))
    return {"lang": lang, "languages": links}


def _countries() -> list[tuple[str, str]]:
    from covenant.matching.countries import country_codes, country_name

    return sorted(((c, country_name(c)) for c in country_codes()), key=lambda x: x[1])


def _read_uploads(files: list[Any]) -> list[services.Upload]:
    # Read one byte past the limit: the service then refuses the file by its size.
    return [
        services.Upload(name=f.name or "file", data=f.read(conf.MAX_ATTACHMENT_BYTES + 1))
        for f in files
    ]


# --- report ----------------------------------------------------------------------------------
@in_memory_uploads
@reporter_page
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, slug: str, lang: str) -> HttpResponse:
    agreement = access_agreement_public(slug=slug)
    context = {**_base_context(request, lang), "agreement": agreement}
    choice = (request.POST.get("location") or request.GET.get("location") or "").strip()[:20]
    if not choice:
        return _pick_location(request, agreement, context)
    unlisted = choice == "unlisted"
    location = None
    if not unlisted:
        location = access.published_location(agreement=agreement, public_id=choice)
    themes = [(t.code, t.name) for t in agreement.themes.all()]
    client = throttle.client_hash(request)
    status = 200
    countries = _countries()
    if request.method == "POST":
        form = ReportForm(
            request.POST, request.FILES, themes=themes, countries=countries, unlisted=unlisted
        )
        if form.is_valid():
            outcome = _gate(form, client)
            if outcome is None:
                data = form.cleaned_data
                try:
                    submitted = services.signal_submit(
                        agreement=agreement,
                        data=services.SignalInput(
                            public_id="" if unlisted else choice,
                            location_text=data.get("location_text", ""),
                            country=data.get("country", ""),
                            theme_codes=list(data["themes"]),
                            description=data["description"],
                            since=data["since"],
                            workers_affected=data["workers_affected"],
                            reporter_name=data["reporter_name"],
                            reporter_contact=data["reporter_contact"],
                            identity_shareable=data["identity_shareable"],
                            language=lang,
                            attachments=_read_uploads(data["attachments"]),
                        ),
                    )
                except ApplicationError as exc:
                    add_error(form, exc)
                    status = 422
                else:
                    return render(
                        request,
                        "signals/report_receipt.html",
                        {**context, "submitted": submitted},
                    )
            else:
                status = outcome
        else:
            status = 422
            if "form_token" in form.errors:
                form.add_error(
                    None,
                    _(
                        "This form was already sent or is too old. Check the details below and "
                        "send it again."
                    ),
                )
        form = _fresh_tokens(form, client)
    else:
        form = ReportForm(
            initial={"form_token": throttle.form_token_new(), **_pow_initial(client)},
            themes=themes,
            countries=countries,
            unlisted=unlisted,
        )
    context.update(
        form=form,
        location=location,
        unlisted=unlisted,
        choice=choice,
        pow=bool(form["pow_challenge"].value()),
        wait_minutes=max(1, throttle.seconds_until_token(client) // 60),
    )
    return render(request, "signals/report_form.html", context, status=status)


def _pow_initial(client: str) -> dict[str, str]:
    if throttle.needs_proof_of_work(client):
        return {"pow_challenge": throttle.pow_challenge_new(), "pow_solution": ""}
    return {"pow_challenge": "", "pow_solution": ""}


def _fresh_tokens(form: ReportForm, client: str) -> ReportForm:
    """The form shown again keeps what the person typed and its errors, with a new
    single-use token (and a challenge when the network's allowance is used up)."""
    data = form.data.copy()  # type: ignore[attr-defined]
    data["form_token"] = throttle.form_token_new()
    data["pow_challenge"] = _pow_initial(client)["pow_challenge"]
    data["pow_solution"] = ""
    form.data = data
    return form


def _gate(form: ReportForm, client: str) -> int | None:
    """None when the report may go on; else the status to answer with (errors on the form)."""
    if not throttle.form_token_use(form.cleaned_data["form_token"]):
        form.add_error(
            None,
            _(
                "This form was already sent or is too old. Check the details below and "
                "send it again."
            ),
        )
        return 409
    if throttle.take(client):
        throttle.under_hard_limit(client)
        return None
    challenge = form.cleaned_data.get("pow_challenge") or ""
    solution = form.cleaned_data.get("pow_solution") or ""
    if challenge and throttle.pow_verify(challenge, solution) and throttle.under_hard_limit(client):
        return None
    minutes = max(1, throttle.seconds_until_token(client) // 60)
    form.add_error(
        None,
        _(
            "Many reports were sent from your network recently. Your report is not lost: "
            "it is below. Send it again in about %(minutes)d minutes, or switch on "
            "JavaScript in your browser so that it can pass an automatic check now."
        )
        % {"minutes": minutes},
    )
    return 429


def _pick_location(request: HttpRequest, agreement: Any, context: dict[str, Any]) -> HttpResponse:
    q = request.GET.get("q", "").strip()[: published_selectors.MAX_QUERY_LENGTH]
    lists = published_selectors.published_lists(agreement)
    result = None
    if q and lists:
        result = published_selectors.published_search(lists[0], q=q, page_size=10)
    context.update(q=q, result=result, has_list=bool(lists))
    return render(request, "signals/report_pick.html", context)


# --- follow-up with the receipt code -----------------------------------------------------------
@reporter_page
@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest, lang: str) -> HttpResponse:
    context = _base_context(request, lang)
    client = throttle.client_hash(request)
    status = 200
    form = ReceiptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if throttle.code_attempts_blocked(client):
            form.add_error(
                "code",
                _(
                    "Too many wrong codes were tried from your network. Wait 15 minutes and "
                    "try again; check the code letter by letter."
                ),
            )
            status = 429
        else:
            signal = selectors.signal_by_receipt(form.cleaned_data["code"])
            if signal is None:
                services.receipt_attempt_failed(client_hash=client)
                form.add_error(
                    "code",
                    _("This code is not known. Check it letter by letter (dashes do not matter)."),
                )
                status = 404
            else:
                request.session.cycle_key()
                request.session[SESSION_KEY] = {"id": signal.pk, "t": time.time()}
                request.session.set_expiry(0)  # ends when the browser closes
                return redirect(f"{_url('signals:status')}?lang={lang}")
    elif request.method == "POST":
        status = 422
    context["form"] = form
    return render(request, "signals/follow_up.html", context, status=status)


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


def _session_signal(request: HttpRequest) -> Any:
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict) or time.time() - float(data.get("t", 0)) > SESSION_IDLE_SECONDS:
        request.session.pop(SESSION_KEY, None)
        return None
    try:
        signal = access.access_signal_reporter(signal_id=int(data["id"]))
    except (NotFound, KeyError, ValueError, TypeError):
        request.session.pop(SESSION_KEY, None)
        return None
    data["t"] = time.time()
    request.session[SESSION_KEY] = data
    return signal


@in_memory_uploads
@reporter_page
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest, lang: str) -> HttpResponse:
    signal = _session_signal(request)
    if signal is None:
        return redirect(f"{_url('signals:follow_up')}?lang={lang}")
    form = ReporterAddForm(request.POST or None, request.FILES or None)
    code = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.signal_reporter_add(
                    signal=signal,
                    text=form.cleaned_data["body"],
                    attachments=_read_uploads(form.cleaned_data["attachments"]),
                )
            except ApplicationError as exc:
                add_error(form, exc)
                code = 422
            else:
                return redirect(f"{_url('signals:status')}?lang={lang}&added=1")
        else:
            code = 422
    context = {
        **_base_context(request, lang),
        "view": selectors.reporter_view(signal),
        "form": form,
        "added": request.GET.get("added") == "1",
    }
    return render(request, "signals/status.html", context, status=code)


@reporter_page
@require_http_methods(["POST"])
def leave(request: HttpRequest, lang: str) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()
    return redirect(f"{_url('signals:follow_up')}?lang={lang}")


urlpatterns = [
    path("agreements/<slug:slug>/report/", report, name="report"),
    path("report/follow-up/", follow_up, name="follow_up"),
    path("report/follow-up/status/", status, name="status"),
    path("report/follow-up/leave/", leave, name="leave"),
]


def statistics_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Public figures about the agreement's signals per year (suppressed below the minimum
    group size): the use of the list that the evaluation asked for, made visible."""
    from covenant.matching.countries import country_name
    from covenant.signals.statistics import signal_statistics, signal_years

    agreement = access_agreement_public(slug=slug)
    years = signal_years(agreement)
    try:
        year = int(request.GET.get("year", "")) if request.GET.get("year") else None
    except ValueError:
        year = None
    if year not in years:
        year = years[0] if years else None
    figures = signal_statistics(agreement, year) if year is not None else None
    countries = [(country_name(c), v) for c, v in figures.by_country] if figures is not None else []
    return render(
        request,
        "signals/statistics.html",
        {
            "agreement": agreement,
            "years": years,
            "year": year,
            "figures": figures,
            "countries": countries,
        },
    )


urlpatterns.append(
    path("agreements/<slug:slug>/signals/statistics/", statistics_page, name="statistics")
)
