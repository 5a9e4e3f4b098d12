"""Network pictures: valid SVG, internal-use banner, escaped text, deterministic layout."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from gbo.groups.pictures import BANNER, draw_group_svg

SVG = "{http://www.w3.org/2000/svg}"


def test_a_group_is_drawn_with_one_circle_per_member_and_one_line_per_link() -> None:
    members = ["per_aaaa1111", "per_bbbb2222", "per_cccc3333"]
    edges = [
        ("per_aaaa1111", "per_bbbb2222", "shared_offence"),
        ("per_bbbb2222", "per_cccc3333", "shared_victim"),
    ]
    svg = draw_group_svg("grp_0123456789abcdef", members, edges)
    root = ET.fromstring(svg)
    assert len(root.findall(f"{SVG}circle")) == 3
    lines = [line for line in root.findall(f"{SVG}line") if line.find(f"{SVG}title") is not None]
    assert len(lines) == 2
    assert BANNER in svg
    assert draw_group_svg("grp_0123456789abcdef", members, edges) == svg  # deterministic


def test_text_is_escaped_and_a_single_member_is_centred() -> None:
    svg = draw_group_svg("grp_<&>", ["per_<x>"], [])
    root = ET.fromstring(svg)  # parses, so the markup characters were escaped
    circle = root.find(f"{SVG}circle")
    assert circle is not None
    assert "&lt;&amp;&gt;" in svg
