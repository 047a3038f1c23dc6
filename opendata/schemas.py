"""Table Schemas (frictionless / data.gouv.fr) of the published CSV files."""

from charter.choices import PartnerKind
from engagements.choices import CommitmentStatus
from monitoring.choices import IndicatorKind

from .selectors import LICENCE, LICENCE_URL


def _f(name: str, type_: str, title: str, required: bool = False, **extra) -> dict:
    field = {"name": name, "type": type_, "title": title}
    if type_ == "date":
        field["format"] = "default"
    if required:
        field["constraints"] = {"required": True}
    field.update(extra)
    return field


# Enum constraints come from the TextChoices: a new status or category is never forgotten here.
STATUSES = list(CommitmentStatus.values)
KINDS = list(PartnerKind.values)
INDICATOR_KINDS = list(IndicatorKind.values)

DATASETS = {
    "engagements": {
        "title": "Engagements des partenaires",
        "description": "Un engagement par ligne : partenaire, action de la charte, statut, "
        "avancement, échéance, point d'avancement publié par le partenaire et sa date.",
        "primaryKey": "id",
        "fields": [
            _f(
                "id",
                "integer",
                "Identifiant de l'engagement",
                True,
                constraints={"required": True, "unique": True},
            ),
            _f(
                "code",
                "string",
                "Code stable : charte/action/partenaire/rang",
                True,
                constraints={"required": True, "unique": True},
            ),
            _f("charte", "string", "Identifiant de la charte", True),
            _f("orientation", "integer", "Numéro de l'orientation"),
            _f("orientation_titre", "string", "Titre de l'orientation"),
            _f("action", "string", "Code de l'action", True),
            _f("action_titre", "string", "Titre de l'action", True),
            _f("partenaire", "string", "Identifiant du partenaire porteur", True),
            _f("partenaire_nom", "string", "Nom du partenaire porteur", True),
            _f(
                "partenaires_associes",
                "string",
                "Identifiants des partenaires associés à l'engagement, séparés par « ; » "
                "(vide si aucun). L'engagement est compté une fois, chez son porteur (le porteur "
                "« signataires » désigne l'ensemble des signataires)",
            ),
            _f("rang", "integer", "Rang de l'engagement pour le partenaire et l'action", True),
            _f("engagement", "string", "Texte de l'engagement (Markdown)", True),
            _f(
                "statut",
                "string",
                "Statut (code)",
                True,
                constraints={"required": True, "enum": STATUSES},
            ),
            _f("statut_libelle", "string", "Statut"),
            _f(
                "avancement",
                "integer",
                "Avancement (%)",
                True,
                constraints={"required": True, "minimum": 0, "maximum": 100},
            ),
            _f("echeance", "date", "Échéance"),
            _f(
                "point_avancement",
                "string",
                "Point d'avancement rédigé par le partenaire (Markdown), public",
            ),
            _f(
                "point_avancement_date",
                "date",
                "Date du point d'avancement : celle du dernier point d'avancement, ou celle "
                "de sa rédaction si elle précède le passage à « Réalisé » ou « Abandonné » "
                "(vide s'il n'y en a jamais eu)",
            ),
            _f("en_retard", "boolean", "En retard (échéance passée, non réalisé)", True),
            _f("justificatif_url", "string", "Lien vers un justificatif publié", format="uri"),
            _f("mis_a_jour_le", "date", "Date de dernière mise à jour", True),
        ],
    },
    "partenaires": {
        "title": "Partenaires signataires",
        "description": "Les organisations signataires ou engagées dans une charte publiée.",
        "primaryKey": "identifiant",
        "fields": [
            _f(
                "identifiant",
                "string",
                "Identifiant stable",
                constraints={"required": True, "unique": True},
            ),
            _f("nom", "string", "Nom", True),
            _f("sigle", "string", "Sigle ou nom court", True),
            _f(
                "categorie",
                "string",
                "Catégorie (code)",
                constraints={"required": True, "enum": KINDS},
            ),
            _f("categorie_libelle", "string", "Catégorie"),
            _f("site_internet", "string", "Site internet", format="uri"),
        ],
    },
    "lexique": {
        "title": "Lexique et sigles",
        "description": "Les sigles et termes du lexique de chaque charte publiée.",
        "primaryKey": "id",
        "fields": [
            _f("id", "integer", "Identifiant", constraints={"required": True, "unique": True}),
            _f("charte", "string", "Identifiant de la charte", True),
            _f("sigle", "string", "Sigle ou terme", True),
            _f("definition", "string", "Définition", True),
        ],
    },
    "indicateurs": {
        "title": "Indicateurs d'évaluation : valeurs annuelles",
        "description": "Des nombres agrégés, jamais de données personnelles ; les effectifs "
        "inférieurs au seuil de secret statistique sont masqués.",
        "primaryKey": "id",
        "fields": [
            _f(
                "id",
                "integer",
                "Identifiant de la valeur",
                constraints={"required": True, "unique": True},
            ),
            _f("indicateur_id", "integer", "Identifiant de l'indicateur", True),
            _f("indicateur", "string", "Indicateur", True),
            _f("unite", "string", "Unité"),
            _f(
                "nature",
                "string",
                "Nature",
                constraints={"required": True, "enum": INDICATOR_KINDS},
            ),
            _f(
                "annee",
                "integer",
                "Année",
                constraints={"required": True, "minimum": 1990, "maximum": 2100},
            ),
            _f("valeur", "number", "Valeur (vide si masquée ou qualitative)"),
            _f("valeur_masquee", "boolean", "Valeur masquée (secret statistique)", True),
            _f("commentaire", "string", "Commentaire qualitatif"),
            _f("source", "string", "Source"),
            _f("date_de_la_donnee", "date", "Date de la donnée"),
        ],
    },
}


# How the CSV files protect spreadsheet users from formula injection (core.spreadsheets).
CSV_TEXT_NOTE = (
    "Dans le fichier CSV, une valeur d'une colonne de type texte (string) qui commence par =, +, "
    "-, @, une tabulation ou un saut de ligne est précédée d'une apostrophe (') pour qu'un tableur "
    "ne l'exécute pas comme une formule : retirez cette apostrophe initiale pour retrouver le "
    "texte saisi. Les colonnes numériques (integer, number), les dates et les booléens ne sont "
    "jamais modifiés (-3 reste le nombre -3). Le JSON et l'API donnent le texte sans apostrophe."
)


def table_schema(name: str) -> dict:
    """The Table Schema of one dataset."""
    dataset = DATASETS[name]
    return {
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "name": name,
        "title": dataset["title"],
        "description": f"{dataset['description']} {CSV_TEXT_NOTE}",
        "licenses": [{"name": "etalab-2.0", "title": LICENCE, "path": LICENCE_URL}],
        "missingValues": [""],
        "primaryKey": dataset["primaryKey"],
        "fields": dataset["fields"],
    }


def field_names(name: str) -> list[str]:
    return [field["name"] for field in DATASETS[name]["fields"]]
