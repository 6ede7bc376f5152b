"""Publishing the list of production locations of an agreement and year.

Which year, and when
--------------------
A company discloses, every year, the production locations it used the year before
(PRODUCT.md capability 2). ``Disclosure.year`` is the year the locations were used; the list
of year Y is published by the secretariat on or after the agreement's publication date
(``list_publication_month/day``, AGT: 4 July) of year Y + 1. So the garment demo's
"2,802 locations online since 4 July 2017" is the list of year 2016. ``PublishedList.year``
is Y, ``published_on`` the day it went public.

The snapshot holds the distinct registry facilities of the year's accepted disclosures with
name, address, city, province, country, facility type and public id — never a company.
Earlier years stay as they were; publishing a year again (``replace=True``) replaces that
year's list by a new one (with a new primary key, so cached search indexes of the old list
are simply never asked for again).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from covenant.core.audit import audit_record
from covenant.core.errors import ValidationFailed
from covenant.supplychain.models import (
    Disclosure,
    Facility,
    PublishedList,
    PublishedLocation,
)
from covenant.supplychain.selectors.published import published_search_text

if TYPE_CHECKING:
    from covenant.accounts.models import User
    from covenant.agreements.models import Agreement

BATCH = 2000


def publication_date(agreement: Agreement, year: int) -> dt.date:
    """The first day the list of `year` may be published: the agreement's publication date
    in the following year (29 February becomes 28 February in other years)."""
    month, day = agreement.list_publication_month, agreement.list_publication_day
    while True:
        try:
            return dt.date(year + 1, month, day)
        except ValueError:
            day -= 1


@dataclass(frozen=True)
class PublicationPreview:
    year: int
    disclosures: int  # accepted disclosures (companies) of the year
    locations: int  # distinct facilities the list would hold
    countries: int
    earliest: dt.date
    published: PublishedList | None


def _facility_ids(agreement: Agreement, year: int) -> list[int]:
    return sorted(
        set(
            Facility.objects.filter(
                contributions__disclosure__agreement=agreement,
                contributions__disclosure__year=year,
                contributions__disclosure__status=Disclosure.Status.ACCEPTED,
            ).values_list("pk", flat=True)
        )
    )


def disclosure_years(*, agreement: Agreement) -> list[int]:
    """Years with at least one accepted disclosure in the agreement."""
    return sorted(
        set(
            Disclosure.objects.filter(agreement=agreement, status=Disclosure.Status.ACCEPTED)
            .values_list("year", flat=True)
            .distinct()
        )
    )


def publication_preview(*, agreement: Agreement, year: int) -> PublicationPreview:
    """What publishing `year` now would publish (counts only, no company named)."""
    ids = _facility_ids(agreement, year)
    countries: set[str] = set()
    for start in range(0, len(ids), 5000):
        countries.update(
            Facility.objects.filter(pk__in=ids[start : start + 5000])
            .values_list("country", flat=True)
            .distinct()
        )
    return PublicationPreview(
        year=year,
        disclosures=Disclosure.objects.filter(
            agreement=agreement, year=year, status=Disclosure.Status.ACCEPTED
        ).count(),
        locations=len(ids),
        countries=len(countries),
        earliest=publication_date(agreement, year),
        published=PublishedList.objects.filter(agreement=agreement, year=year).first(),
    )


def published_list_publish(
    *,
    agreement: Agreement,
    year: int,
    actor: User | None,
    on: dt.date | None = None,
    replace: bool = False,
) -> PublishedList:
    """Publish the list of `year` (the locations used in that year) as of `on` (today by
    default): allowed from the publication date in year + 1 on, when the year has accepted
    disclosures. A year already published is refused unless `replace`. Permission (the
    agreement's secretariat) is checked by the caller's access helper."""
    today = timezone.localdate()
    on = on or today
    earliest = publication_date(agreement, year)
    if on > today:
        raise ValidationFailed(_("A list cannot be published on a future date."), field="on")
    if on < earliest:
        raise ValidationFailed(
            _("The list of %(year)s can be published from %(date)s on.")
            % {"year": year, "date": date_format(earliest)},
            field="year",
        )
    with transaction.atomic(durable=True):
        existing = PublishedList.objects.select_for_update().filter(agreement=agreement, year=year)
        old = existing.first()
        if old is not None and not replace:
            raise ValidationFailed(
                _("The list of %(year)s was published on %(date)s already.")
                % {"year": year, "date": date_format(old.published_on)},
                field="year",
            )
        ids = _facility_ids(agreement, year)
        if not ids:
            raise ValidationFailed(
                _("No company has an accepted disclosure for %(year)s yet.") % {"year": year},
                field="year",
            )
        if old is not None:
            old.locations.all().delete()
            old.delete()
        published = PublishedList.objects.create(
            agreement=agreement,
            year=year,
            published_on=on,
            published_by=actor if actor is not None and actor.pk else None,
            location_count=len(ids),
        )
        fields = (
            "pk",
            "public_id",
            "name",
            "address",
            "city",
            "province",
            "country",
            "facility_type",
        )
        for start in range(0, len(ids), BATCH):
            rows = Facility.objects.filter(pk__in=ids[start : start + BATCH]).values_list(*fields)
            PublishedLocation.objects.bulk_create(
                [
                    PublishedLocation(
                        published_list=published,
                        facility_id=pk,
                        public_id=public_id,
                        name=name,
                        address=address,
                        city=city,
                        province=province,
                        country=country,
                        facility_type=facility_type,
                        search_text=published_search_text(name, address, city, province),
                    )
                    for pk, public_id, name, address, city, province, country, facility_type in rows
                ],
                batch_size=BATCH,
            )
        audit_record(
            actor=actor,
            action="published_list.replaced" if old is not None else "published_list.published",
            obj=published,
            detail={"year": year, "locations": len(ids), "published_on": on.isoformat()},
        )
    return published
