"""The annual report as a ministry would publish it, checked on the rendered pages.

The PDF is turned into text with word positions (pdftotext -bbox) and its
first page into an image (pdftoppm), and the tests assert what a reader sees:
a cover with the title and the publisher, a colophon, a running header that
always names the chapter the page is in, and no text outside the page's
margins.
"""

import re
import shutil
import subprocess
from html import unescape

import pytest
from django.utils import translation

from followup import pdf
from followup.selectors import reports as report_selectors
from tests.conftest import service_missing

MARGIN_PT = 20 / 25.4 * 72  # print.css: 20 mm left and right


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        service_missing(f"{name} (poppler-utils) is not installed")
    return path


@pytest.fixture
def english_report(world, tmp_path):
    with translation.override("en"):
        data = report_selectors.report_data(round=world["round"])
        content = pdf.report_pdf_render(round=world["round"], data=data)
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return path, data


def pages_text(path) -> list[str]:
    out = subprocess.run([_tool("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return out.stdout.split("\f")[:-1]


def chapter_headings(data) -> list[str]:
    goals = [f"Goal {g.number}: {g.title}" for g in data.goals]
    return ["Contents", "Summary", "Problem areas", *goals, "About the figures"]


def test_the_cover_and_the_colophon_say_what_it_is_and_who_publishes_it(english_report, tmp_path):
    path, data = english_report
    cover, colophon, contents = pages_text(path)[:3]
    # the cover: the partnership, the title with the year, the publisher
    assert "Partnership for Green Public Procurement" in cover
    assert f"POGI annual report {data.year}" in cover
    assert "Published by Miljøstyrelsen" in cover
    # the colophon, on its own page: publisher, date, contact, method and licence
    for word in ("Colophon", "Publisher", "Published", "Contact", "The figures", "Licence", "CC-BY-4.0"):
        assert word in colophon, word
    assert "Contents" in contents
    # and the cover as an image: the title block sits below the top quarter, on an otherwise white page
    from PIL import Image, ImageOps

    subprocess.run(
        [_tool("pdftoppm"), "-r", "40", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")], check=True
    )
    image = Image.open(next(tmp_path.glob("p-*.png"))).convert("L")
    ink = ImageOps.invert(image).point(lambda v: 255 if v > 60 else 0).getbbox()
    assert ink is not None, "the cover is blank"
    assert ink[1] > image.height * 0.2, "the title starts at the top edge instead of on a cover"


def test_the_running_header_names_the_chapter_each_page_is_in(english_report):
    path, data = english_report
    headings = chapter_headings(data)
    current = None
    checked = 0
    for number, text in enumerate(pages_text(path), start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        header = re.split(r"\s{2,}", lines[0])
        if len(header) < 2 or header[-1] != f"POGI annual report {data.year}":
            continue  # the cover and the colophon carry no running header
        body = lines[1:]
        first = re.split(r"\s{2,}", body[0])[0] if body else ""
        expected = first if first in headings else current
        assert header[0] == expected, f"page {number}: the header says {header[0]!r}, the page is in {expected!r}"
        for line in body:
            if line in headings:
                current = line
        checked += 1
    assert checked >= 4


def test_no_text_runs_outside_the_margins(english_report):
    path, _data = english_report
    out = subprocess.run([_tool("pdftotext"), "-bbox", str(path), "-"], capture_output=True, text=True, check=True)
    outside = []
    for page_number, page in enumerate(re.findall(r'<page width="([\d.]+)"[^>]*>(.*?)</page>', out.stdout, re.S), 1):
        width, words = float(page[0]), page[1]
        for x_min, x_max, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>(.*?)</word>', words
        ):
            if float(x_min) < MARGIN_PT - 1 or float(x_max) > width - MARGIN_PT + 1:
                outside.append((page_number, unescape(word), round(float(x_min)), round(float(x_max))))
    assert not outside, f"text outside the margins: {outside[:10]}"


def test_links_print_as_text_and_goals_are_named_on_the_chart(english_report, tmp_path):
    path, data = english_report
    pages = pages_text(path)
    # the chart's axis names each goal by number and title, not by number alone
    for goal in data.goals:
        assert pdf.chart_label(goal.number, goal.title) in "\n".join(pages)
    # the summary's table links each goal to its chapter, but nothing on that page prints blue
    from PIL import Image

    summary = next(n for n, text in enumerate(pages, 1) if f"per goal, {data.year}" in text)
    subprocess.run(
        [_tool("pdftoppm"), "-r", "60", "-png", "-f", str(summary), "-l", str(summary), str(path), str(tmp_path / "s")],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("s-*.png"))).convert("RGB")
    blue = sum(1 for r, g, b in image.get_flattened_data() if b > r + 60 and b > g + 40)
    assert blue < 20, f"{blue} blue pixels on the summary page: links print in colour"
    assert pdf.chart_label(9, "Træbaserede kontorartikler og tryksager") == "9 Træbaserede kontorartikle…"


def test_characters_beyond_the_body_font_print_in_the_answers_pdf(response_a, tmp_path):
    # given an answer whose challenges carry an emoji and symbols the body font has no glyphs for
    from tests.factories import GoalAnswerFactory

    listed = subprocess.run(["fc-list", ":family=Symbola"], capture_output=True, text=True, check=False).stdout
    if not listed.strip():
        service_missing("the fallback font Symbola is not installed (apt-get install fonts-symbola)")

    version = response_a.round.goal_versions.first()
    GoalAnswerFactory(response=response_a, goal_version=version, status="partly", challenges="Genbrug ♻ og 🌱 ✓")
    # when the member's answers are printed
    path = tmp_path / "answers.pdf"
    path.write_bytes(pdf.response_pdf_render(response=response_a))
    # then the text is in the PDF with a fallback font for the characters the body font lacks
    text = subprocess.run([_tool("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Genbrug ♻ og 🌱 ✓" in text
    fonts = subprocess.run([_tool("pdffonts"), str(path)], capture_output=True, text=True, check=True).stdout
    assert "Symbola" in fonts, fonts
