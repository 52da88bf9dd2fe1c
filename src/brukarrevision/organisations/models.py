from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A performing user organisation, or a client (a tenant)."""

    class Kind(models.TextChoices):
        PERFORMER = "performer", _("user organisation (performs audits)")
        MUNICIPALITY = "municipality", _("municipality")
        REGION = "region", _("region")
        BUS_GROUP = "bus_group", _("BUS group")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_client(self) -> bool:
        return self.kind != self.Kind.PERFORMER


class County(models.TextChoices):
    """Sweden's 21 counties (län), for comparing audits across the country."""

    STOCKHOLM = "AB", "Stockholms län"
    UPPSALA = "C", "Uppsala län"
    SODERMANLAND = "D", "Södermanlands län"
    OSTERGOTLAND = "E", "Östergötlands län"
    JONKOPING = "F", "Jönköpings län"
    KRONOBERG = "G", "Kronobergs län"
    KALMAR = "H", "Kalmar län"
    GOTLAND = "I", "Gotlands län"
    BLEKINGE = "K", "Blekinge län"
    SKANE = "M", "Skåne län"
    HALLAND = "N", "Hallands län"
    VASTRA_GOTALAND = "O", "Västra Götalands län"
    VARMLAND = "S", "Värmlands län"
    OREBRO = "T", "Örebro län"
    VASTMANLAND = "U", "Västmanlands län"
    DALARNA = "W", "Dalarnas län"
    GAVLEBORG = "X", "Gävleborgs län"
    VASTERNORRLAND = "Y", "Västernorrlands län"
    JAMTLAND = "Z", "Jämtlands län"
    VASTERBOTTEN = "AC", "Västerbottens län"
    NORRBOTTEN = "BD", "Norrbottens län"


class Unit(models.Model):
    """A verksamhet under a client: the thing that is audited."""

    class ServiceType(models.TextChoices):
        PSYCHIATRY = "psychiatry", _("psychiatry")
        SOCIAL_SERVICES = "social_services", _("social services")
        ADDICTION = "addiction", _("addiction care")
        LSS = "lss", _("disability support (LSS)")
        CHILD_YOUTH = "child_youth", _("children and young people")
        OTHER = "other", _("other")

    client = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="units", verbose_name=_("client")
    )
    name = models.CharField(_("name"), max_length=200)
    service_type = models.CharField(_("service type"), max_length=20, choices=ServiceType.choices)
    municipality = models.CharField(_("municipality"), max_length=100)
    county = models.CharField(_("county"), max_length=2, choices=County.choices, blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["client", "name"], name="unit_name_unique_per_client")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.client_id and not self.client.is_client:
            raise ValidationError({"client": _("Units belong to a client organisation.")})


class Membership(models.Model):
    """A role a person holds in an organisation (a unit contact also names the unit)."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("coordinator")
        AUDITOR = "auditor", _("auditor")
        CLIENT_CONTACT = "client_contact", _("client contact")
        UNIT_CONTACT = "unit_contact", _("unit contact")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role", "unit"], name="membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"

    def clean(self):
        performer_roles = {self.Role.COORDINATOR, self.Role.AUDITOR}
        if not self.organisation_id:
            return
        if (self.role in performer_roles) == self.organisation.is_client:
            raise ValidationError({"role": _("This role does not fit this kind of organisation.")})
        if self.role == self.Role.UNIT_CONTACT:
            if not self.unit_id or self.unit.client_id != self.organisation_id:
                raise ValidationError({"unit": _("Choose a unit of this organisation.")})
        elif self.unit_id:
            raise ValidationError({"unit": _("Only unit contacts are tied to a unit.")})
