"""Create a partner contributor account: a user in the group, member of one organisation."""

import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from charter.models import Partner
from engagements.services import partner_contributor_create


class Command(BaseCommand):
    help = (
        "Crée un compte « contributeur partenaire » rattaché à une organisation partenaire "
        "(désignée par son identifiant d'URL ou son sigle)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="identifiant de connexion")
        parser.add_argument("--partner", required=True, help="identifiant d'URL ou sigle")
        parser.add_argument("--email", required=True)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--no-password",
            action="store_true",
            help="ne pas demander de mot de passe (l'utilisateur devra le réinitialiser)",
        )

    def handle(self, *args, **options):
        partners = Partner.objects.filter(
            Q(slug=options["partner"]) | Q(short_name__iexact=options["partner"])
        )
        if partners.count() != 1:
            raise CommandError(f"Partenaire introuvable ou ambigu : « {options['partner']} ».")
        partner = partners.get()
        password = None
        if not options["no_password"]:
            password = getpass.getpass("Mot de passe : ")
            if password != getpass.getpass("Mot de passe (confirmation) : "):
                raise CommandError("Les deux mots de passe ne correspondent pas.")
        try:
            user = partner_contributor_create(
                username=options["username"],
                email=options["email"],
                partner=partner,
                password=password,
                first_name=options["first_name"],
                last_name=options["last_name"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Compte « {user.get_username()} » créé : contributeur de « {partner.name} »."
            )
        )
