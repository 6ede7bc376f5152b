from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from covenant.agreements import selectors


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "agreements/home.html", {"agreements": selectors.agreement_list()})
