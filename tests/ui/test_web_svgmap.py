"""The SVG map: valid SVG, every place, point and line drawn inside the picture, text escaped."""

import xml.etree.ElementTree as ET

from webapp.ui.boundaries import areas, municipality_at
from webapp.ui.svgmap import (
    HEIGHT,
    OTHER,
    PALETTE,
    WIDTH,
    Line,
    Outline,
    Place,
    Point,
    Projection,
    palette,
    render,
)

SVG = "{http://www.w3.org/2000/svg}"
PLACES = [
    Place("전주시", 35.824, 127.148),
    Place("Gunsan", 35.968, 126.737),
    Place("Namwon", 35.416, 127.390),
]


def test_draws_places_points_and_lines_as_valid_svg():
    points = [
        Point("company", 35.9, 126.9, PALETTE[0], "A <&> B", 7),
        Point("mentor", 35.5, 127.3, "#000", "M", 7),
    ]
    lines = [Line(35.5, 127.3, 35.9, 126.9, PALETTE[0], "M → A", 7)]
    root = ET.fromstring(str(render(PLACES, points, lines, title="Map")))
    assert root.tag == f"{SVG}svg"
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert labels == ["전주시", "Gunsan", "Namwon"]
    assert len(root.findall(f".//{SVG}line")) == 1
    assert len(root.findall(f".//{SVG}rect")) == 1  # the mentor
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert "A <&> B" in titles  # escaped in the markup, intact once parsed
    for element in root.iter():
        for x_attr, y_attr in (("cx", "cy"), ("x", "y"), ("x1", "y1"), ("x2", "y2")):
            if x_attr in element.attrib:
                assert 0 <= float(element.attrib[x_attr]) <= WIDTH
                assert 0 <= float(element.attrib[y_attr]) <= HEIGHT


def test_projection_keeps_north_up_and_east_right():
    project = Projection([(p.lat, p.lon) for p in PLACES])
    gunsan, namwon = project(35.968, 126.737), project(35.416, 127.390)
    assert gunsan[0] < namwon[0] and gunsan[1] < namwon[1]


def test_an_empty_map_still_renders():
    assert ET.fromstring(str(render([])))


def test_industry_colours_come_from_the_colour_blind_safe_palette():
    codes = [f"C{n}" for n in range(10, 20)]
    colours = palette(codes)
    assert [colours[c] for c in codes[:7]] == list(PALETTE) and {colours[c] for c in codes[7:]} == {OTHER}


def test_the_municipalities_are_drawn_from_their_boundaries():
    outlines = [Outline(a.name_ko, tuple(r for p in a.polygons for r in p)) for a in areas()]
    root = ET.fromstring(str(render(PLACES, outlines=outlines)))
    paths = root.findall(f".//{SVG}path")
    assert len(paths) == 14 and {p.find(f"{SVG}title").text for p in paths} >= {"전주시", "군산시", "무주군"}
    assert all(p.attrib["d"].startswith("M") and p.attrib["d"].count("L") > 50 for p in paths)


def test_point_in_municipality():
    assert municipality_at(35.8242, 127.1480) == "전주시"  # Jeonju city hall
    assert municipality_at(35.9676, 126.7366) == "군산시"
    assert municipality_at(35.4358, 126.7019) == "고창군"
    assert municipality_at(37.5665, 126.9780) is None  # Seoul
    assert municipality_at(35.70, 126.20) is None  # the Yellow Sea
