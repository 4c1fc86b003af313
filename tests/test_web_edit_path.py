"""An officer's edit from the browser to the file: a save and a restore go one way, over the
paper as the user saw it; the library refuses a text with problems; a restore kept as a
draft is in the audit log; a save builds the paper once."""

from __future__ import annotations

import html as markup
import re

import pytest
import web
from web import PASSWORD, PUBLIC

WHERE = f"data/narrative/{PUBLIC}.yaml"


@pytest.fixture
def root():
    root = web.project()
    yield root
    from reportgen.web.models import Version

    web.reset_file(WHERE)
    Version.objects.filter(path=WHERE, draft=True).delete()  # the editor would open one


def client_for(name: str):
    from django.test import Client

    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


def editor_form(client) -> dict[str, str]:
    """The editor's form fields as the page has them."""
    page = client.get(f"/papers/{PUBLIC}/").content.decode()
    fields = {}
    for match in re.finditer(r'<textarea id="([^"]+)" name="\1"[^>]*>(.*?)</textarea>', page, re.S):
        fields[match.group(1)] = markup.unescape(match.group(2))
    for match in re.finditer(r'<input type="text" id="([^"]+)" name="\1" value="([^"]*)"', page):
        fields[match.group(1)] = markup.unescape(match.group(2))
    start = re.search(r'<textarea name="start"[^>]*>(.*?)</textarea>', page, re.S)
    fields["start"] = markup.unescape(start.group(1))
    fields["base"] = re.search(r'name="base" value="([0-9a-f]+)"', page).group(1)
    return fields


def saved_summary(client, summary: str) -> None:
    form = editor_form(client)
    form["summary"] = summary
    assert client.post(f"/papers/{PUBLIC}/save", form).status_code == 302


def restore_form(client, number: int) -> dict[str, str]:
    """What the versions page's button for `number` sends."""
    page = client.get(f"/papers/{PUBLIC}/versions/").content.decode()
    action = f"/papers/{PUBLIC}/versions/{number}/restore"
    form = re.search(rf'<form[^>]*action="{re.escape(action)}">(.*?)</form>', page, re.S)
    assert form, f"no button to restore version {number}"
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.group(1)))


def newest_version():
    from reportgen.web.models import Version

    return Version.objects.filter(path=WHERE).order_by("-number").first()


def it_refuses_a_restore_over_someone_elses_save_and_keeps_both_texts(root) -> None:
    from reportgen.web.models import AuditEntry

    officer, clerk = client_for("officer"), client_for("clerk")
    saved_summary(officer, "The summary to go back to.")
    wanted = newest_version().number
    saved_summary(officer, "The officer's later summary.")
    seen = restore_form(officer, wanted)  # the officer opens the versions page
    saved_summary(clerk, "The clerk's summary.")  # then the clerk saves
    refused = officer.post(f"/papers/{PUBLIC}/versions/{wanted}/restore", seen)
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Someone else saved this paper" in page and "The clerk&#x27;s summary." in page
    path = root / WHERE
    assert "The clerk's summary." in path.read_text()
    kept = newest_version()
    assert kept.draft and "The summary to go back to." in kept.text
    assert AuditEntry.objects.filter(action="restore refused", username="officer").exists()


def it_restores_over_the_paper_the_user_saw(root) -> None:
    officer = client_for("officer")
    saved_summary(officer, "The summary to go back to.")
    wanted = newest_version().number
    saved_summary(officer, "The officer's later summary.")
    restored = officer.post(
        f"/papers/{PUBLIC}/versions/{wanted}/restore", restore_form(officer, wanted)
    )
    assert restored.status_code == 302
    assert "The summary to go back to." in (root / WHERE).read_text()
    assert newest_version().note == f"version {wanted} restored"


def it_sends_a_restore_from_an_out_of_date_page_back_to_the_versions(root) -> None:
    officer = client_for("officer")
    saved_summary(officer, "The summary to go back to.")
    wanted = newest_version().number
    before = (root / WHERE).read_text()
    sent = officer.post(f"/papers/{PUBLIC}/versions/{wanted}/restore")  # no `base`
    assert sent.status_code == 302 and sent["Location"].endswith(f"/papers/{PUBLIC}/versions/")
    assert (root / WHERE).read_text() == before


def it_audits_a_restore_kept_as_a_draft(root) -> None:
    from reportgen.web.models import AuditEntry
    from reportgen.web.service import keep_version

    officer = client_for("officer")
    saved_summary(officer, "A summary.")
    text = (root / WHERE).read_text().replace("summary:", "sumary:", 1)
    bad = keep_version(WHERE, text.encode(), None, "a version with a problem today").number
    saved_summary(officer, "A later summary.")
    before = (root / WHERE).read_text()
    restored = officer.post(f"/papers/{PUBLIC}/versions/{bad}/restore", restore_form(officer, bad))
    assert restored.status_code == 302
    assert (root / WHERE).read_text() == before
    kept = newest_version()
    assert kept.draft and kept.note == f"version {bad} restored as a draft"
    entry = AuditEntry.objects.filter(action="restore as draft", username="officer").last()
    assert entry is not None and entry.target == WHERE and entry.detail == f"version {bad}"


def it_builds_the_paper_once_for_a_save(root, monkeypatch) -> None:
    from reportgen.jobs import build

    built = []
    render_report = build.render_report

    def counted(*args, **kwargs):
        built.append(args[1])
        return render_report(*args, **kwargs)

    monkeypatch.setattr(build, "render_report", counted)
    saved_summary(client_for("officer"), "A summary saved once.")
    assert len(built) == 1


def it_parses_and_renders_a_save_once_and_the_download_after_it_not_at_all(
    root, monkeypatch
) -> None:
    """The path of an edit: the save from the browser reads the officer's text once (the
    bounded YAML reader) and renders the paper once; the editor after it reads it once
    more (its boxes) and renders nothing; the download serves the bytes the save built."""
    from reportgen.inputs import yamlfile
    from reportgen.word import render

    parsed, rendered = [], []
    parse, render_docx = yamlfile._parse, render.render

    def counted_parse(path, name, text):
        parsed.append(text)
        return parse(path, name, text)

    def counted_render(*args, **kwargs):
        rendered.append(args[0])
        return render_docx(*args, **kwargs)

    monkeypatch.setattr(yamlfile, "_parse", counted_parse)
    monkeypatch.setattr(render, "render", counted_render)
    officer = client_for("officer")
    form = editor_form(officer)
    form["summary"] = "A summary the officer saved once."
    parsed.clear(), rendered.clear()
    assert officer.post(f"/papers/{PUBLIC}/save", form).status_code == 302
    saved = (root / WHERE).read_text(encoding="utf-8")
    assert "A summary the officer saved once." in saved
    assert [text for text in parsed if text == saved] == [saved]
    assert len(rendered) == 1
    rendered.clear()
    # The editor it goes back to reads the saved text once more, for the form's boxes.
    assert officer.get(f"/papers/{PUBLIC}/").status_code == 200
    assert [text for text in parsed if text == saved] == [saved, saved]
    download = officer.get(f"/papers/{PUBLIC}/download.docx")
    assert download.status_code == 200 and download.content[:2] == b"PK"
    assert rendered == []
