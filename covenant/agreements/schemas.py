"""Input and output schemas of the agreements API (covenant/agreements/api.py).

Conventions, the same in every endpoint:
- Money and measured values (turnover, market size, target baseline/value/progress) are
  **decimal strings** in output (`"1250000"`, `"12.50"`), so no client loses precision to
  floating point; in input they may be a JSON number or a numeric string.
- Percentages (coverage, shares, targets) are JSON numbers.
- Dates are ISO 8601 (`2024-07-04`) and must lie between 1990 and 2100.
- Input objects reject unknown fields (422), so a misspelt field is never silently ignored.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from covenant.agreements import selectors
from covenant.agreements.models import (
    Commitment,
    CommitmentTarget,
    Membership,
    Organisation,
    Signatory,
)

MIN_YEAR, MAX_YEAR = 1990, 2100
MAX_AMOUNT = Decimal("1e15")
MAX_NUMBER = Decimal("1e12")

Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]


def _date_in_range(value: dt.date) -> dt.date:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise PydanticCustomError(
            "date_range",
            "Date must lie between {min} and {max}.",
            {"min": MIN_YEAR, "max": MAX_YEAR},
        )
    return value


BoundedDate = Annotated[dt.date, AfterValidator(_date_in_range)]


def _decimal_str(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int | float):
        return format(Decimal(str(value)), "f")
    return value


DecimalStr = Annotated[str, BeforeValidator(_decimal_str)]


def _cents_str(value: Any) -> Any:
    if isinstance(value, Decimal | int | float):
        return format(Decimal(str(value)).quantize(Decimal("0.01")), "f")
    return value


# Target values are stored with two decimals: show them so whether just written or read back.
CentsStr = Annotated[str, BeforeValidator(_cents_str)]

EndReason = Literal["left", "bankruptcy", "excluded", "merged"]
MembershipStatus = Literal["applied", "active", "associated", "suspended", "ended", "rejected"]
OrganisationType = Literal[
    "company",
    "trade_union",
    "ngo",
    "trade_association",
    "government",
    "supporter",
    "secretariat",
    "committee",
]
SignatoryKind = Literal["party", "supporter"]
AuditKind = Literal["change", "read", "security"]


class InputSchema(Schema):
    """Base of every request body: unknown fields are an error."""

    model_config = ConfigDict(extra="forbid")


# --- agreements ----------------------------------------------------------------------
class AgreementListOut(Schema):
    slug: str
    sector: str
    name_en: str
    name_nl: str
    status: str
    signed_on: dt.date | None
    ends_on: dt.date | None
    member_count: int = Field(description="Companies that are a member today.")


class ThemeOut(Schema):
    code: str
    sort_order: int
    name_en: str
    name_nl: str
    description_en: str
    description_nl: str
    joint_aims_en: str
    joint_aims_nl: str
    expected_measures_en: str
    expected_measures_nl: str


class DueDiligenceStepOut(Schema):
    number: int
    name_en: str
    name_nl: str
    description_en: str
    description_nl: str


class CoverageTargetOut(Schema):
    year: int
    target_percent: float


class AgreementOut(Schema):
    slug: str
    sector: str
    name_en: str
    name_nl: str
    short_name: str
    description_en: str
    description_nl: str
    status: str
    signed_on: dt.date | None
    ends_on: dt.date | None
    secretariat: str = Field(description="Slug of the secretariat organisation.")
    committee: str | None = Field(description="Slug of the complaints committee, if any.")
    facility_taxonomy: str
    list_publication_month: int
    list_publication_day: int
    themes: list[ThemeOut]
    dd_steps: list[DueDiligenceStepOut]
    coverage_targets: list[CoverageTargetOut]

    @staticmethod
    def resolve_secretariat(obj: Any) -> str:
        return str(obj.secretariat.slug)

    @staticmethod
    def resolve_committee(obj: Any) -> str | None:
        return obj.committee.slug if obj.committee_id else None


class BrandOut(Schema):
    id: int
    name: str


class MemberOut(Schema):
    company: str = Field(description="Slug of the company.")
    name: str
    status: Literal["active", "associated", "suspended"]
    joined_on: dt.date | None
    brands: list[str]

    @staticmethod
    def resolve_company(obj: Membership) -> str:
        return obj.company.slug

    @staticmethod
    def resolve_name(obj: Membership) -> str:
        return obj.company.name

    @staticmethod
    def resolve_brands(obj: Membership) -> list[str]:
        return [brand.name for brand in obj.company.brands.all()]


class SignatoryQuery(Schema):
    kind: SignatoryKind | None = Field(None, description="Only parties or only supporters.")


class SignatoryOut(Schema):
    organisation: str = Field(description="Slug of the organisation.")
    name: str
    type: str
    kind: str
    joined_on: dt.date | None
    declaration: str

    @staticmethod
    def resolve_organisation(obj: Signatory) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_name(obj: Signatory) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_type(obj: Signatory) -> str:
        return obj.organisation.type


class YearCountsOut(Schema):
    year: int
    joined: int
    left: int
    left_by_reason: dict[str, int]
    members_at_end: int


# --- coverage ------------------------------------------------------------------------
class CoveragePointOut(Schema):
    on: dt.date
    label: str
    companies: int = Field(description="Member companies on that date (public).")
    reporting: int | None = Field(
        description="Members that reported turnover; null when the point is suppressed."
    )
    coverage_percent: float | None = Field(
        description="Members' share of the national market; null when suppressed or no market size."
    )
    target_percent: float | None
    suppressed: bool

    @staticmethod
    def resolve_reporting(obj: Any) -> int | None:
        # An exact count below the minimum group size would tell who reported.
        return None if obj.suppressed else obj.reporting


class CoverageOut(Schema):
    min_group_size: int = Field(
        description="Figures over fewer reporting companies than this are suppressed."
    )
    points: list[CoveragePointOut]


class CompanyCoverageQuery(Schema):
    year: Year


class CompanyCoverageOut(Schema):
    company: str
    name: str
    year: int
    amount_eur: DecimalStr | None = Field(description="Whole euros as a decimal string.")
    share_percent: float | None

    @staticmethod
    def resolve_company(obj: Any) -> str:
        return str(obj.company.slug)

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.company.name)


class MarketSizeIn(InputSchema):
    amount_eur: Decimal = Field(
        ..., gt=0, lt=MAX_AMOUNT, decimal_places=2, description="Euros; number or numeric string."
    )
    source: str = Field("", max_length=300)


class MarketSizeOut(Schema):
    year: int
    amount_eur: DecimalStr = Field(description="Whole euros as a decimal string.")
    source: str
    updated_at: dt.datetime


# --- memberships ---------------------------------------------------------------------
class MembershipListQuery(Schema):
    status: MembershipStatus | None = None


class MembershipListOut(Schema):
    id: int
    company: str
    name: str
    status: str
    applied_on: dt.date
    joined_on: dt.date | None
    ended_on: dt.date | None
    end_reason: str
    sister_initiative: str
    brand_count: int

    @staticmethod
    def resolve_company(obj: Membership) -> str:
        return obj.company.slug

    @staticmethod
    def resolve_name(obj: Membership) -> str:
        return obj.company.name


class MembershipApplyIn(InputSchema):
    company: str = Field(..., min_length=1, max_length=220, description="Slug of the company.")
    applied_on: BoundedDate | None = Field(
        None, description="Only the secretariat may backdate; for a company it is today."
    )
    note: str = Field("", max_length=2000)


class MembershipEventOut(Schema):
    from_status: str
    to_status: str
    effective_on: dt.date
    reason: str
    note: str
    created_at: dt.datetime


class MembershipOut(Schema):
    id: int
    agreement: str
    company: str
    status: str
    applied_on: dt.date
    joined_on: dt.date | None
    ended_on: dt.date | None
    end_reason: str
    sister_initiative: str
    merged_into: str | None
    events: list[MembershipEventOut]

    @staticmethod
    def resolve_agreement(obj: Membership) -> str:
        return obj.agreement.slug

    @staticmethod
    def resolve_company(obj: Membership) -> str:
        return obj.company.slug

    @staticmethod
    def resolve_merged_into(obj: Membership) -> str | None:
        return obj.merged_into.slug if obj.merged_into_id and obj.merged_into else None

    @staticmethod
    def resolve_events(obj: Membership) -> list[Any]:
        return list(selectors.membership_history(obj))


class MembershipApproveIn(InputSchema):
    effective_on: BoundedDate | None = None
    sister_initiative: str = Field(
        "", max_length=200, description="Set for an associated member (mutual recognition)."
    )
    note: str = Field("", max_length=2000)


class MembershipRejectIn(InputSchema):
    note: str = Field("", max_length=2000)


class MembershipSuspendIn(InputSchema):
    note: str = Field(..., min_length=1, max_length=2000, description="Why it is suspended.")
    effective_on: BoundedDate | None = None


class MembershipReinstateIn(InputSchema):
    effective_on: BoundedDate | None = None
    note: str = Field("", max_length=2000)


class MembershipEndIn(InputSchema):
    reason: EndReason
    effective_on: BoundedDate | None = None
    note: str = Field("", max_length=2000)
    merged_into: str | None = Field(
        None, max_length=220, description="Slug of the company it merged into (reason merged)."
    )

    @field_validator("merged_into")
    @classmethod
    def _merged_into_only_when_merged(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value and info.data.get("reason") != "merged":
            raise PydanticCustomError(
                "merged_into", "merged_into is only given when the reason is 'merged'."
            )
        return value


# --- organisations and brands --------------------------------------------------------
class OrganisationListQuery(Schema):
    type: OrganisationType | None = None
    q: str = Field("", max_length=100, description="Part of the name or of a brand name.")
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


class OrganisationListOut(Schema):
    slug: str
    name: str
    type: str
    country: str
    city: str


class PublicMembershipOut(Schema):
    agreement: str
    status: str
    joined_on: dt.date | None

    @staticmethod
    def resolve_agreement(obj: Membership) -> str:
        return obj.agreement.slug


class SignatureOut(Schema):
    agreement: str
    kind: str
    joined_on: dt.date | None
    left_on: dt.date | None
    declaration: str

    @staticmethod
    def resolve_agreement(obj: Signatory) -> str:
        return obj.agreement.slug


class OrganisationOut(Schema):
    slug: str
    name: str
    type: str
    country: str
    city: str
    website: str
    description: str
    brands: list[BrandOut]
    memberships: list[PublicMembershipOut] = Field(description="Current memberships only.")
    signatures: list[SignatureOut]

    @staticmethod
    def resolve_brands(obj: Organisation) -> list[Any]:
        return list(obj.brands.all())

    @staticmethod
    def resolve_memberships(obj: Organisation) -> list[Any]:
        return list(selectors.organisation_public_memberships(obj))

    @staticmethod
    def resolve_signatures(obj: Organisation) -> list[Any]:
        return list(selectors.organisation_signatures(obj))


class BrandIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=200)


# --- turnover ------------------------------------------------------------------------
class TurnoverIn(InputSchema):
    amount_eur: Decimal = Field(
        ..., ge=0, lt=MAX_AMOUNT, decimal_places=2, description="Euros; number or numeric string."
    )


class TurnoverOut(Schema):
    year: int
    amount_eur: DecimalStr = Field(description="Whole euros as a decimal string.")
    updated_at: dt.datetime


# --- commitments ---------------------------------------------------------------------
class ProgressOut(Schema):
    year: int
    value: CentsStr = Field(description="Decimal string with two decimals.")
    note: str


class TargetOut(Schema):
    id: int
    description: str
    indicator: str
    baseline: CentsStr = Field(description="Decimal string with two decimals.")
    target_value: CentsStr = Field(description="Decimal string with two decimals.")
    unit: str
    due_year: int
    theme: str | None = Field(description="Code of the agreement theme, if any.")
    progress: list[ProgressOut]

    @staticmethod
    def resolve_theme(obj: CommitmentTarget) -> str | None:
        return obj.theme.code if obj.theme_id and obj.theme else None


class CommitmentOut(Schema):
    agreement: str
    organisation: str
    organisation_name: str
    why_at_table: str
    contribution: str
    mandate: str
    expectations: str
    updated_at: dt.datetime
    targets: list[TargetOut]

    @staticmethod
    def resolve_agreement(obj: Commitment) -> str:
        return obj.signatory.agreement.slug

    @staticmethod
    def resolve_organisation(obj: Commitment) -> str:
        return obj.signatory.organisation.slug

    @staticmethod
    def resolve_organisation_name(obj: Commitment) -> str:
        return obj.signatory.organisation.name


class CommitmentIn(InputSchema):
    """Only the fields sent are changed; null clears a field."""

    why_at_table: str | None = Field(None, max_length=5000)
    contribution: str | None = Field(None, max_length=5000)
    mandate: str | None = Field(None, max_length=5000)
    expectations: str | None = Field(None, max_length=5000)


Number = Annotated[
    Decimal,
    Field(gt=-MAX_NUMBER, lt=MAX_NUMBER, decimal_places=2, description="Number or numeric string."),
]


class TargetIn(InputSchema):
    description: str = Field(..., min_length=1, max_length=500)
    indicator: str = Field(..., min_length=1, max_length=300)
    baseline: Number = Decimal(0)
    target_value: Number
    unit: str = Field("", max_length=50)
    due_year: Year
    theme: str | None = Field(None, max_length=40, description="Code of a theme of the agreement.")


class ProgressIn(InputSchema):
    value: Number
    note: str = Field("", max_length=2000)


# --- audit ---------------------------------------------------------------------------
class AuditQuery(Schema):
    action: str = Field("", max_length=80, description="Action, or its start (`membership.`).")
    organisation: str = Field("", max_length=220, description="Slug of the organisation.")
    kind: AuditKind | None = None
    limit: int = Field(100, ge=1, le=500)


class AuditEventOut(Schema):
    id: int
    created_at: dt.datetime
    actor_name: str
    kind: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    organisation: str | None
    detail: dict[str, Any]

    @staticmethod
    def resolve_organisation(obj: Any) -> str | None:
        return obj.organisation.slug if obj.organisation_id and obj.organisation else None
