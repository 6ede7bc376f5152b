from __future__ import annotations

import datetime as dt

import factory

from covenant.accounts.models import Role, User
from covenant.agreements.models import (
    Agreement,
    Brand,
    Membership,
    MembershipEvent,
    Organisation,
    Signatory,
    Theme,
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    type = Organisation.Type.COMPANY


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    slug = factory.Sequence(lambda n: f"agreement-{n}")
    sector = "Garment and textile"
    name_en = factory.Sequence(lambda n: f"Agreement {n}")
    name_nl = factory.Sequence(lambda n: f"Convenant {n}")
    signed_on = dt.date(2016, 7, 4)
    ends_on = dt.date(2021, 7, 4)
    secretariat = factory.SubFactory(OrganisationFactory, type=Organisation.Type.SECRETARIAT)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    agreement = factory.SubFactory(AgreementFactory)
    code = factory.Sequence(lambda n: f"theme-{n}")
    name_en = factory.Sequence(lambda n: f"Theme {n}")
    name_nl = factory.Sequence(lambda n: f"Thema {n}")


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand

    company = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Brand {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    """An active membership with its two history events (applied, active)."""

    class Meta:
        model = Membership
        skip_postgeneration_save = True

    agreement = factory.SubFactory(AgreementFactory)
    company = factory.SubFactory(OrganisationFactory)
    status = Membership.Status.ACTIVE
    applied_on = dt.date(2016, 6, 1)
    joined_on = dt.date(2016, 7, 4)

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        if not create:
            return
        MembershipEvent.objects.create(
            membership=self, from_status="", to_status="applied", effective_on=self.applied_on
        )
        if self.joined_on:
            MembershipEvent.objects.create(
                membership=self,
                from_status="applied",
                to_status="active",
                effective_on=self.joined_on,
            )


class SignatoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signatory

    agreement = factory.SubFactory(AgreementFactory)
    organisation = factory.SubFactory(OrganisationFactory, type=Organisation.Type.NGO)
    kind = Signatory.Kind.PARTY


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


def user_with_role(org: Organisation, role: str, **kwargs) -> User:
    user = UserFactory(**kwargs)
    Role.objects.create(user=user, organisation=org, role=role)
    return user
