"""The demo's contacts directory: national services only, each cited from a public source.

No number is invented: every contact below names the public page its details come from
(`source_url`). Local services (the ADIL, the social services of a département, the SIAO…) are
for the secretariat to add, with their own source.
"""

from .models import Contact, HelpStagePage

# (name, fields, titles of the stages where the service helps)
NATIONAL_CONTACTS = [
    (
        "115 — urgence hébergement (Samu social)",
        {
            "what_they_do": (
                "Le numéro d'urgence pour toute personne sans hébergement ou qui va le perdre, "
                "notamment après une expulsion : écoute, orientation vers un hébergement "
                "d'urgence, un accueil de jour ou les services sociaux. Il répond dans toutes "
                "les langues."
            ),
            "phone": "115",
            "phone_note": "appel gratuit, même sans forfait",
            "hours": "24 h/24, 7 jours sur 7, toute l'année",
            "territory": "France entière",
            "source_url": "https://refugies.info/fr/demarche/62503d59664c115fa5121c6a",
        },
        ("Le concours de la force publique", "L'expulsion"),
    ),
    (
        "SOS Loyers impayés (ANIL)",
        {
            "what_they_do": (
                "Le numéro national pour les locataires qui ont du mal à payer leur loyer et "
                "pour les propriétaires face à un impayé : il vous met en relation avec un "
                "conseiller juriste de l'agence départementale d'information sur le logement "
                "(ADIL) proche de chez vous — vos droits, les démarches, les aides possibles, "
                "selon le stade de la procédure."
            ),
            "phone": "0 805 160 075",
            "phone_note": "appel gratuit",
            "website": "https://www.anil.org/",
            "territory": "France métropolitaine (outre-mer : l'ADIL du département)",
            "source_url": "http://www.unccas.org/un-numero-pour-prevenir-les-expulsions",
        },
        (
            "Le premier impayé de loyer",
            "Le commandement de payer",
            "L'assignation devant le juge",
            "L'audience et le jugement",
            "Le commandement de quitter les lieux",
        ),
    ),
]


def load_help_contacts(*, report=None) -> None:
    """Create or update the national contacts of the demo and link them to their stages."""
    for name, fields, stage_titles in NATIONAL_CONTACTS:
        contact = Contact.objects.filter(name=name).first()
        outcome = "unchanged"
        if contact is None:
            contact, outcome = Contact(name=name, **fields), "created"
        elif any(getattr(contact, key) != value for key, value in fields.items()):
            for key, value in fields.items():
                setattr(contact, key, value)
            outcome = "updated"
        if outcome != "unchanged":
            contact.full_clean()
            contact.save()
        stages = set(HelpStagePage.objects.filter(title__in=stage_titles))
        if set(contact.stages.all()) != stages:
            contact.stages.set(stages)
            contact.save()  # after the links: its post_save invalidates the cached public pages
            outcome = "updated" if outcome == "unchanged" else outcome
        if report is not None:
            report.count("contacts de l'annuaire", outcome)
