"""Cron: close the review campaigns whose deadline has passed and freeze their snapshot."""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.text import count_of
from monitoring.models import ReviewCampaign
from monitoring.services import campaign_close, close_due_campaigns


class Command(BaseCommand):
    help = (
        "Clôture les campagnes de bilan dont la date limite est passée (ou celle indiquée par "
        "--campagne) et fige l'état des engagements. Sans effet si rien n'est à clôturer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--campagne", type=int, help="Identifiant d'une campagne à clôturer.")
        parser.add_argument(
            "--date", help="Jour de référence (AAAA-MM-JJ), aujourd'hui par défaut."
        )

    def handle(self, *args, **options):
        if options["campagne"]:
            campaign = ReviewCampaign.objects.filter(pk=options["campagne"]).first()
            if campaign is None:
                raise CommandError(f"Aucune campagne n° {options['campagne']}.")
            if not campaign.is_open:
                self.stdout.write(f"La campagne {campaign.year} est déjà clôturée.")
                return
            try:
                closed = [campaign_close(campaign=campaign, user=None)]
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        else:
            today = timezone.localdate()
            if options["date"]:
                try:
                    today = datetime.date.fromisoformat(options["date"])
                except ValueError as error:
                    raise CommandError(f"Date invalide : « {options['date']} ».") from error
            closed = close_due_campaigns(today=today)
        for campaign in closed:
            count = len(campaign.snapshot.get("commitments", {}))
            frozen = count_of(count, "engagement figé", "engagements figés")
            self.stdout.write(f"Campagne {campaign.year} clôturée : {frozen}.")
        if not closed:
            self.stdout.write("Aucune campagne à clôturer.")
