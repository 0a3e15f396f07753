import html

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.template import Context, Template
from django.urls import reverse
from wagtail.images import get_image_model

from tests.factories import ImageCreditFactory, ImageFactory
from wagtail_iln.credits.licences import LICENCES, LICENCES_BY_CODE
from wagtail_iln.models import ImageCredit

CREDIT_TAG = Template("{% load wagtail_iln_tags %}{% image_credit image %}")


def render_credit(image):
    return BeautifulSoup(CREDIT_TAG.render(Context({"image": image})), "html.parser")


@pytest.mark.django_db
def test_credit_line_links_title_to_source_and_licence_to_deed():
    credit = ImageCreditFactory()
    line = render_credit(credit.image)
    assert line.get_text() == "Photo: 'Start' by eko, CC BY-NC-SA 2.0"
    links = {a.get_text(): a["href"] for a in line.find_all("a")}
    assert links == {
        "Start": "https://www.flickr.com/photos/eko/4528528308/",
        "CC BY-NC-SA 2.0": "https://creativecommons.org/licenses/by-nc-sa/2.0/",
    }
    assert str(credit) == "Photo: 'Start' by eko, CC BY-NC-SA 2.0"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("title", "creator", "licence", "source_url", "text"),
    [
        ("", "eko", "cc-by-4.0", "", "Photo by eko, CC BY 4.0"),
        ("Start", "", "cc0-1.0", "", "Photo: 'Start', CC0 1.0"),
        ("", "", "public-domain", "", "Photo: public domain"),
        ("Start", "eko", "all-rights-reserved", "", "Photo: 'Start' by eko, all rights reserved"),
    ],
)
def test_credit_line_without_some_parts(title, creator, licence, source_url, text):
    credit = ImageCreditFactory(
        title=title, creator=creator, licence=licence, source_url=source_url
    )
    line = render_credit(credit.image)
    assert line.get_text() == text
    deed = LICENCES_BY_CODE[licence].url
    assert [a["href"] for a in line.find_all("a")] == ([deed] if deed else [])


@pytest.mark.django_db
def test_credit_line_escapes_what_editors_typed():
    credit = ImageCreditFactory(
        title="<script>alert(1)</script>",
        creator='"><img src=x onerror=alert(1)>',
        source_url="https://example.org/?a=1&b=2",
    )
    rendered = CREDIT_TAG.render(Context({"image": credit.image}))
    assert "<script>" not in rendered
    assert "<img" not in rendered
    line = BeautifulSoup(rendered, "html.parser")
    assert line.find("a")["href"] == "https://example.org/?a=1&b=2"
    assert html.unescape(line.get_text()).startswith("Photo: '<script>alert(1)</script>' by ")


@pytest.mark.django_db
def test_image_without_credit_renders_nothing():
    assert CREDIT_TAG.render(Context({"image": ImageFactory()})) == ""
    assert CREDIT_TAG.render(Context({"image": None})) == ""


@pytest.mark.django_db
def test_alt_text_comes_from_the_image_then_its_credit():
    template = Template("{% load wagtail_iln_tags %}{{ image|iln_alt }}")
    credit = ImageCreditFactory(image__title="IMG_0042.jpg", title="Start")
    image = credit.image
    assert template.render(Context({"image": image})) == "Start"
    image.description = "A sunny reading room with tall windows"
    image.save()
    image = get_image_model().objects.get(pk=image.pk)
    assert template.render(Context({"image": image})) == image.description
    assert template.render(Context({"image": ImageFactory(title="Stacks")})) == "Stacks"


def test_every_licence_links_to_its_official_deed():
    codes = {licence.code for licence in LICENCES}
    for version in ("2.0", "4.0"):
        for kind in ("by", "by-sa", "by-nd", "by-nc", "by-nc-sa", "by-nc-nd"):
            licence = LICENCES_BY_CODE[f"cc-{kind}-{version}"]
            assert licence.url == f"https://creativecommons.org/licenses/{kind}/{version}/"
    assert {"cc0-1.0", "public-domain", "all-rights-reserved"} <= codes
    assert LICENCES_BY_CODE["cc0-1.0"].url == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert LICENCES_BY_CODE["all-rights-reserved"].url == ""


@pytest.mark.django_db
class TestImageCreditAdmin:
    list_url = reverse("wagtailsnippets_wagtail_iln_imagecredit:list")
    add_url = reverse("wagtailsnippets_wagtail_iln_imagecredit:add")

    def test_list_shows_thumbnail_and_credit_columns(self, admin_client):
        ImageCreditFactory(image__title="Reading room")
        response = admin_client.get(self.list_url)
        assert response.status_code == 200
        page = BeautifulSoup(response.content, "html.parser")
        row = page.select_one("tbody tr")
        assert ".fill-80x60." in row.find("img")["src"]
        assert "Reading room" in row.get_text()
        assert "eko" in row.get_text()
        assert "CC BY-NC-SA 2.0" in row.get_text()

    def test_list_is_searchable_and_filterable(self, admin_client):
        ImageCreditFactory(creator="eko", licence="cc-by-4.0")
        ImageCreditFactory(creator="Ana", licence="cc0-1.0")
        found = admin_client.get(self.list_url, {"q": "ana"})
        assert "Ana" in found.content.decode()
        assert "eko" not in found.content.decode()
        filtered = admin_client.get(self.list_url, {"licence": "cc-by-4.0"})
        assert "eko" in filtered.content.decode()
        assert "Ana" not in filtered.content.decode()

    def test_editor_credits_an_image_with_the_chooser(self, admin_client):
        image = ImageFactory()
        form = admin_client.get(self.add_url).content.decode()
        assert 'id="id_image-chooser"' in form
        response = admin_client.post(
            self.add_url,
            {
                "image": image.pk,
                "title": "Window seat",
                "creator": "Mia",
                "licence": "cc-by-sa-4.0",
                "source_url": "https://example.org/window",
            },
        )
        assert response.status_code == 302
        credit = ImageCredit.objects.get(image=image)
        assert str(credit) == "Photo: 'Window seat' by Mia, CC BY-SA 4.0"

    def test_a_second_credit_for_the_same_image_is_refused(self, admin_client):
        credit = ImageCreditFactory()
        response = admin_client.post(
            self.add_url,
            {"image": credit.image.pk, "title": "Again", "licence": "cc0-1.0"},
        )
        assert response.status_code == 200
        assert "already exists" in response.content.decode()
        assert ImageCredit.objects.count() == 1

    def test_bad_url_and_licence_are_refused(self, admin_client):
        response = admin_client.post(
            self.add_url,
            {"image": ImageFactory().pk, "licence": "cc-by-99", "source_url": "not a url"},
        )
        assert response.status_code == 200
        form = response.context["form"]
        assert set(form.errors) == {"licence", "source_url"}
        assert ImageCredit.objects.count() == 0

    def test_editor_without_permission_is_refused(self, client, django_user_model):
        user = django_user_model.objects.create_user("editor", password="pw")
        user.groups.add(Group.objects.get(name="Editors"))
        client.force_login(user)
        assert client.get(self.list_url).status_code == 302
        user.user_permissions.add(
            Permission.objects.get(codename="view_imagecredit"),
        )
        assert client.get(self.list_url).status_code == 200
        assert client.get(self.add_url).status_code == 302
