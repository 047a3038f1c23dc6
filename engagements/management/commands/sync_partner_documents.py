"""Give every partner its evidence collection and group (after a demo load or a data import)."""

from django.core.management.base import BaseCommand

from charter.models import Partner
from engagements.documents import (
    partner_documents_retire,
    partner_documents_sync,
    partner_members_sync,
)


class Command(BaseCommand):
    help = (
        "Crée ou met à jour la collection « Justificatifs » et le groupe de chaque partenaire "
        "(droits, restriction de lecture, membres) ; archive ceux des partenaires supprimés."
    )

    def handle(self, *args, **options):
        partners = list(Partner.objects.order_by("pk"))
        for partner in partners:
            partner_documents_sync(partner=partner)
        partner_members_sync()
        retired = partner_documents_retire()
        self.stdout.write(
            f"{len(partners)} partenaire(s) à jour ; {retired} espace(s) de partenaires "
            "supprimés archivé(s)."
        )
