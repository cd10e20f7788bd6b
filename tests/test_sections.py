"""Section text: reading order across columns and pages, hyphens, bullets, furniture."""

import re


def by_title(guide, prefix):
    return next(p for p in guide.practices if p.title.startswith(prefix))


def test_column_break_joins_the_sentence_and_the_split_word(guide):
    practice = by_title(guide, "Future Industry Platform")
    assert practice.sections.resources == (
        "The Foundation employs about 30-40 people under full or part-time contracts and cooperates "
        "with external experts, especially in the area of advanced technologies. The Foundation "
        "financing is based on the annual subsidy established by the ministry for the implementation "
        "of the assumed goals."
    )


def test_bullets_become_dash_lines_and_paragraphs_blank_lines(guide):
    about = by_title(guide, "Future Industry Platform").sections.about
    assert about.split("\n\n")[1] == (
        "The Foundation supports:\n"
        "- digital transformation processes\n"
        "- implementation of digital products and services\n"
        "- introducing business models based on the latest solutions in the area of, among others, "
        "intelligent data analysis, automation and communication of machines and people with machines, "
        "process virtualization, as well as cybersecurity."
    )


def test_numbered_items_keep_their_numbers(guide):
    transfer = by_title(guide, "Access Innovation").sections.transfer
    lines = transfer.split("\n")
    assert [line[:4] for line in lines] == ["We c", "(1) ", "(2) ", "(3) "]
    assert lines[2].endswith("Higher Education Institutions / Research bodies – supporting SMEs to find the right support for their innovation / industry 4.0 requirements")


def test_section_continues_on_the_next_page(guide):
    transfer = by_title(guide, "Centr@tec").sections.transfer
    assert transfer.endswith(
        "This practice was shared in the RDAs national Forum ( June 2018 Santander, Spain) and "
        "aroused great interest for many Regional Agencies."
    )
    assert "One of our main goals is to create an Industry 4.0 ecosystem that involves SMEs." in transfer


def test_real_hyphens_stay_and_line_end_hyphens_go(guide):
    about = by_title(guide, "Future Industry Platform").sections.about
    assert "co-creating new values" in about
    assert "technological solutions. The Foundation strengthens the business ecosystem" in about
    agendas = by_title(guide, "Territorial Shared Agendas").sections.about
    assert "b) Work on the challenges defined, focusing on one phase of the solution: understand the global challenge," in agendas


def test_heading_variants_map_to_challenges(guide):
    assert by_title(guide, "Centr@tec").sections.challenges.startswith("We still find a lack of impact")
    assert by_title(guide, "GOSTOP").sections.challenges.startswith("The continuity of funding")


def test_no_page_furniture_or_bullet_glyphs_in_any_text(guide):
    for practice in guide.practices:
        for key, text in practice.sections.model_dump().items():
            if text is None:
                continue
            assert "SMARTY | Interreg Europe" not in text, (practice.id, key)
            assert "»" not in text, (practice.id, key)
            assert not re.search(r"REGIONAL PLATFORMS|DIGITAL INNOVATION HUBS FOR", text), (practice.id, key)
            assert "\n\n\n" not in text and not text.startswith((" ", "\n")), (practice.id, key)
