from django.db import migrations

INTRODUCTION = (
    "La charte de prévention de l'expulsion locative engage l'État, le Département et leurs "
    "partenaires à agir le plus tôt possible, dès le premier impayé de loyer, pour éviter "
    "l'expulsion des ménages locataires."
)


def create_homepage(apps, schema_editor):
    """Replace Wagtail's welcome page with the site's home page."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("pages.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    page_content_type = ContentType.objects.get(model="page", app_label="wagtailcore")
    Page.objects.filter(content_type=page_content_type, slug="home", depth=2).delete()
    homepage_content_type, _ = ContentType.objects.get_or_create(
        model="homepage", app_label="pages"
    )
    homepage = HomePage.objects.create(
        title="Prévention de l'expulsion locative",
        draft_title="Prévention de l'expulsion locative",
        slug="accueil",
        content_type=homepage_content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/accueil/",
        introduction=INTRODUCTION,
        locale=Locale.objects.order_by("pk").first(),
    )
    Site.objects.create(hostname="localhost", root_page=homepage, is_default_site=True)


def remove_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    HomePage = apps.get_model("pages.HomePage")
    HomePage.objects.filter(slug="accueil", depth=2).delete()
    ContentType.objects.filter(model="homepage", app_label="pages").delete()


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_initial")]
    operations = [migrations.RunPython(create_homepage, remove_homepage)]
