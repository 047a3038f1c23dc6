"""Cron: e-mail the reminders due today (N days before the deadline or the committee meeting)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.text import count_of
from monitoring.services import send_due_reminders


class Command(BaseCommand):
    help = (
        "Envoie les relances dues aujourd'hui pour les campagnes de bilan ouvertes "
        "(au plus une par partenaire et par jour : la commande peut être relancée sans risque)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Jour de référence (AAAA-MM-JJ), aujourd'hui par défaut."
        )

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(
                    f"Date invalide : « {options['date']} » (AAAA-MM-JJ)."
                ) from error
        report = send_due_reminders(today=today)
        self.stdout.write(f"{count_of(len(report.sent), 'relance envoyée', 'relances envoyées')}.")
        if report.already_sent:
            self.stdout.write(f"Déjà relancés ce jour : {', '.join(report.already_sent)}.")
        if report.without_recipient:
            self.stdout.write(f"Sans destinataire : {', '.join(report.without_recipient)}.")
