"""Test data of the help for households: contacts and stage pages built per test."""

import factory

from assistance.models import Contact, HelpStagePage
from assistance.selectors import help_index


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Permanence d'accès au droit n° {n}")
    what_they_do = "Conseils juridiques gratuits aux locataires."
    phone = "01 23 45 67 89"
    territory = "Département de test"

    @factory.post_generation
    def stages(self, create, extracted, **kwargs):
        if create and extracted:
            self.stages.set(extracted)


def add_stage(*, title: str, **fields) -> HelpStagePage:
    """A published stage page at the end of the help page."""
    values = {"description": "Ce qui se passe.", "what_to_do": "Ce qu'il faut faire.", **fields}
    stage = HelpStagePage(title=title, **values)
    help_index().add_child(instance=stage)
    stage.save_revision().publish()
    return stage
