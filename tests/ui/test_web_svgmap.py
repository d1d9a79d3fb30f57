"""The SVG map: valid SVG, every place, point and line drawn inside the picture, text escaped."""

import xml.etree.ElementTree as ET

from webapp.ui.svgmap import HEIGHT, WIDTH, Line, Place, Point, Projection, industry_color, render

SVG = "{http://www.w3.org/2000/svg}"
PLACES = [
    Place("전주시", 35.824, 127.148),
    Place("Gunsan", 35.968, 126.737),
    Place("Namwon", 35.416, 127.390),
]


def test_draws_places_points_and_lines_as_valid_svg():
    points = [
        Point("company", 35.9, 126.9, industry_color("C29"), "A <&> B"),
        Point("mentor", 35.5, 127.3, industry_color("C10"), "M"),
    ]
    lines = [Line(35.5, 127.3, 35.9, 126.9, industry_color("C29"), "M → A")]
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


def test_industry_colours_are_stable_and_distinct():
    colours = {industry_color(f"C{n}") for n in range(10, 35)}
    assert len(colours) == 25
    assert industry_color("C29") == industry_color("C29")
    assert all(len(c) == 7 and c.startswith("#") for c in colours)
