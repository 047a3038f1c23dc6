from wagtail.snippets.models import register_snippet

from .viewsets import LexiconEntryViewSet

register_snippet(LexiconEntryViewSet)
