"""Creates the pages every public site must publish and the eviction procedure's stages.

Both stay editable in Wagtail; this migration only fills what is missing.
"""

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's path alphabet
STEPLEN = 4

HELP_INTRODUCTION = (
    "Plus on agit tôt, plus il est facile de trouver une solution. À chaque étape de la "
    "procédure, des professionnels peuvent vous aider gratuitement : n'attendez pas."
)
HELP_CONTACTS = (
    "- **ADIL 75** (Agence départementale d'information sur le logement) : conseils "
    "juridiques gratuits sur vos droits de locataire ou de propriétaire.\n"
    "- **Service social polyvalent (SSP)** de votre arrondissement : accompagnement, aides "
    "financières, dossier FSL.\n"
    "- **Point d'accès aux droits (PAD)** et **Maison de la justice et du droit (MJD)** : "
    "permanences d'avocats et de juristes.\n"
    "- **Point conseil budget (PCB)** : aide à la gestion d'un budget et des dettes."
)
STAGES = [
    (
        "Le premier impayé de loyer",
        "Le loyer ou les charges ne sont pas payés en entier. Le bailleur relance le "
        "locataire ; s'il perçoit l'aide au logement, la CAF est informée de l'impayé.",
        "- Contactez votre bailleur tout de suite et proposez un plan d'apurement.\n"
        "- Signalez tout changement de situation à la CAF pour que votre aide au logement "
        "soit maintenue.",
        "La CAF, le service social polyvalent (SSP), l'ADIL 75, le bailleur (bailleurs "
        "sociaux : chargé de pré-contentieux).",
    ),
    (
        "Le commandement de payer",
        "Un commissaire de justice (huissier) remet au locataire un commandement de payer "
        "(CDP) : il a deux mois pour régler sa dette. Le commandement est signalé à la "
        "CCAPEX.",
        "- Ne laissez pas passer les deux mois : demandez un rendez-vous au service social "
        "et constituez un dossier de Fonds de solidarité pour le logement (FSL).\n"
        "- En cas de dettes multiples, un dossier de surendettement peut être déposé auprès "
        "de la Banque de France (BDF).",
        "Le service social polyvalent (SSP), l'ADIL 75, la commission de surendettement de "
        "la Banque de France, les associations (FAP, FAPIL).",
    ),
    (
        "L'assignation devant le juge",
        "Le bailleur saisit le tribunal pour faire constater la résiliation du bail. "
        "L'assignation est transmise au préfet, qui fait réaliser un diagnostic social et "
        "financier de la situation du ménage.",
        "- Répondez à la demande de diagnostic social et financier.\n"
        "- Préparez l'audience : pièces justificatives, propositions de remboursement.",
        "Le service social polyvalent (SSP), l'ADIL 75, les permanences d'accès au droit "
        "(PAD, MJD).",
    ),
    (
        "L'audience et le jugement",
        "Le juge peut accorder des délais de paiement et suspendre la résiliation du bail, "
        "ou ordonner l'expulsion.",
        "- Allez à l'audience, même si vous avez commencé à rembourser : votre présence "
        "compte.\n"
        "- Demandez l'aide juridictionnelle pour être assisté d'un avocat.",
        "Les permanences d'avocats (PAD, MJD), l'ADIL 75, les associations.",
    ),
    (
        "Le commandement de quitter les lieux",
        "Après le jugement, un commissaire de justice délivre un commandement de quitter les "
        "lieux (CQL) : le locataire dispose en principe de deux mois.",
        "- Saisissez le juge de l'exécution (JEX) pour demander des délais.\n"
        "- Déposez une demande de logement social et, si vous êtes éligible, un recours DALO.",
        "Le service social polyvalent (SSP), l'ADIL 75, la commission de médiation DALO "
        "(COMED), le SIAO.",
    ),
    (
        "Le concours de la force publique",
        "Si le locataire reste dans le logement, le commissaire de justice demande au préfet "
        "le concours de la force publique (CFP). Une enquête est réalisée avant la décision. "
        "Aucune expulsion n'a lieu pendant la trêve hivernale, du 1er novembre au 31 mars.",
        "- Répondez à l'enquête de la préfecture de police et signalez votre situation "
        "(enfants, santé, ressources).\n"
        "- Continuez à payer le loyer courant.",
        "La Préfecture de police (PP), la CCAPEX, le service social polyvalent (SSP).",
    ),
    (
        "L'expulsion",
        "Lorsque le concours de la force publique est accordé, l'expulsion peut avoir lieu "
        "en présence d'un commissaire de justice et des forces de l'ordre.",
        "- Contactez le 115 ou le SIAO pour une solution d'hébergement.\n"
        "- Vos meubles et effets personnels doivent être inventoriés : demandez comment les "
        "récupérer.",
        "Le SIAO, le 115, le service social polyvalent (SSP).",
    ),
]

ACCESSIBILITY = """\
Les services éditeurs s'engagent à rendre ce site accessible conformément à l'article 47 de la \
loi n° 2005-102 du 11 février 2005.

## État de conformité

Ce site est **non conforme** au référentiel général d'amélioration de l'accessibilité (RGAA) \
version 4.1 : aucun audit de conformité n'a encore été réalisé.

## Contenus non accessibles

Les documents à télécharger (DOCX) peuvent ne pas être entièrement accessibles ; leur contenu \
est disponible en HTML sur ce site.

## Établissement de cette déclaration d'accessibilité

Les pages publiques sont vérifiées automatiquement (axe-core) à chaque modification du site, \
sur écran de téléphone et d'ordinateur.

## Retour d'information et contact

Si vous n'arrivez pas à accéder à un contenu ou à un service, contactez le secrétariat de la \
CCAPEX pour être orienté vers une alternative accessible.

## Voies de recours

Si vous constatez un défaut d'accessibilité vous empêchant d'accéder à un contenu et que vous \
n'obtenez pas de réponse satisfaisante, vous pouvez écrire au Défenseur des droits, utiliser \
son formulaire de contact, ou lui écrire (gratuit, sans timbre) : Défenseur des droits, Libre \
réponse 71120, 75342 Paris CEDEX 07.
"""
LEGAL_NOTICE = """\
## Éditeur

Ce site est édité par les co-pilotes de la charte de prévention de l'expulsion locative : \
l'État (préfecture) et le Département.

## Directeur de la publication

Le préfet et le président du Conseil départemental, ou leurs représentants.

## Hébergement

À compléter par le service qui déploie la plateforme (nom, adresse et téléphone de l'hébergeur).

## Réutilisation des contenus

Les données publiées sur la page « Données ouvertes » sont réutilisables sous Licence \
Ouverte 2.0 (Etalab).
"""
PERSONAL_DATA = """\
## Aucune donnée sur les ménages

Ce site ne contient aucune donnée personnelle sur les ménages locataires : les indicateurs \
publiés sont des nombres agrégés, et les plus petits effectifs sont masqués.

## Comptes des partenaires

Seuls les comptes des agents des organisations partenaires (nom, adresse électronique) sont \
enregistrés, pour la mise à jour de leurs engagements. Ils ne sont jamais affichés sur le site \
public. Responsables du traitement : les co-pilotes de la charte.

## Cookies

Le site public ne dépose aucun cookie de mesure d'audience. Un cookie de session n'est déposé \
que pour les personnes connectées à l'espace d'administration.

## Vos droits

Vous pouvez exercer vos droits d'accès, de rectification et d'effacement auprès du \
secrétariat de la CCAPEX, et saisir la CNIL.
"""
SITEMAP_INTRO = "Toutes les pages du site, dans l'ordre de la charte."

EDITORIAL_PAGES = [
    # (model, slug, title, field, text)
    ("standardpage", "accessibilite", "Déclaration d'accessibilité", "body", ACCESSIBILITY),
    ("standardpage", "mentions-legales", "Mentions légales", "body", LEGAL_NOTICE),
    ("standardpage", "donnees-personnelles", "Données personnelles", "body", PERSONAL_DATA),
    ("sitemappage", "plan-du-site", "Plan du site", "introduction", SITEMAP_INTRO),
]


def _child_path(parent, last_child_path):
    if last_child_path is None:
        return parent.path + ALPHABET[0] * (STEPLEN - 1) + ALPHABET[1]
    step = last_child_path[-STEPLEN:]
    number = 0
    for char in step:
        number = number * len(ALPHABET) + ALPHABET.index(char)
    number += 1
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return parent.path + digits.rjust(STEPLEN, ALPHABET[0])


def create_content(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    HomePage = apps.get_model("pages.HomePage")
    ProcedureStage = apps.get_model("pages.ProcedureStage")
    SiteSettings = apps.get_model("pages.SiteSettings")
    # Created here so that no public GET ever writes (Wagtail creates a missing setting on read).
    if not SiteSettings.objects.exists():
        SiteSettings.objects.create()
    home = HomePage.objects.filter(depth=2).first()
    if home is None:
        return
    if not home.help_introduction and not home.help_contacts:
        home.help_introduction = HELP_INTRODUCTION
        home.help_contacts = HELP_CONTACTS
        home.save(update_fields=["help_introduction", "help_contacts"])
    if not ProcedureStage.objects.filter(page=home).exists():
        ProcedureStage.objects.bulk_create(
            ProcedureStage(
                page=home,
                sort_order=index,
                title=title,
                description=description,
                what_to_do=what_to_do,
                who_helps=who_helps,
            )
            for index, (title, description, what_to_do, who_helps) in enumerate(STAGES)
        )
    children = Page.objects.filter(path__startswith=home.path, depth=home.depth + 1)
    for model_name, slug, title, field, text in EDITORIAL_PAGES:
        if children.filter(slug=slug).exists():
            continue
        model = apps.get_model("pages", model_name)
        content_type, _ = ContentType.objects.get_or_create(app_label="pages", model=model_name)
        last = children.order_by("-path").values_list("path", flat=True).first()
        model.objects.create(
            title=title,
            draft_title=title,
            slug=slug,
            content_type=content_type,
            path=_child_path(home, last),
            depth=home.depth + 1,
            numchild=0,
            url_path=f"{home.url_path}{slug}/",
            live=True,
            locale_id=home.locale_id,
            show_in_menus=False,
            **{field: text},
        )
        Page.objects.filter(pk=home.pk).update(numchild=children.count())


def remove_content(apps, schema_editor):
    HomePage = apps.get_model("pages.HomePage")
    Page = apps.get_model("wagtailcore.Page")
    home = HomePage.objects.filter(depth=2).first()
    if home is None:
        return
    slugs = [slug for _model, slug, _title, _field, _text in EDITORIAL_PAGES]
    Page.objects.filter(path__startswith=home.path, depth=home.depth + 1, slug__in=slugs).delete()
    count = Page.objects.filter(path__startswith=home.path, depth=home.depth + 1).count()
    Page.objects.filter(pk=home.pk).update(numchild=count)


class Migration(migrations.Migration):
    dependencies = [("pages", "0003_site_settings_procedure_stages_sitemap")]
    operations = [migrations.RunPython(create_content, remove_content)]
