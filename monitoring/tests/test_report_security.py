"""The annual report embeds only its own charts, never a server file or URL (issue #12, item 1)."""

import io
import zipfile

import pytest

from monitoring.models import Decision
from monitoring.report import render_report_docx
from monitoring.tests import test_report
from publishing.tests import pandoc_fixtures as fx

pytestmark = pytest.mark.django_db

second_campaign = test_report.second_campaign
http_server, hostile_text, pandoc_processes = fx.http_server, fx.hostile_text, fx.pandoc_processes


def test_annual_report_embeds_only_its_own_charts(
    second_campaign, hostile_text, http_server, pandoc_processes
):
    decision = Decision.objects.filter(meeting__record__campaign=second_campaign).first()
    decision.text = hostile_text
    decision.save()

    data = render_report_docx(second_campaign)

    media, content = fx.media_and_text(data)
    # Its own charts: by orientation, by partner, and the test indicator, all PNG.
    assert len(media) == 3
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert all(archive.read(name).startswith(b"\x89PNG") for name in media)
    assert fx.CANARY.encode() not in content
    assert http_server[1] == []
    assert [p.args for p in pandoc_processes if "--sandbox" not in p.args] == []
