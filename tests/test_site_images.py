"""glassnet_site.images: the sizes the build gives figures and lesson plots."""

import io

import matplotlib.pyplot as plt
import numpy as np
import pytest

from glassnet_site.images import css_size, png_size, svg_size


def test_png_size_reads_width_and_height_from_the_header():
    buffer = io.BytesIO()
    plt.imsave(buffer, np.zeros((7, 13, 3)), format="png")
    assert png_size(buffer.getvalue()) == (13, 7)


def test_png_size_rejects_data_that_is_not_a_png():
    with pytest.raises(ValueError, match="not a PNG"):
        png_size(b"GIF89a" + bytes(30))


def test_svg_size_reads_points_and_css_size_converts_them_to_pixels():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="432pt" height="216.5pt">'
    assert svg_size(svg) == (432.0, 216.5)
    assert css_size(svg, "svg") == (576, 289)  # 1 pt = 4/3 px


def test_css_size_of_a_png_figure_is_half_its_pixels():
    buffer = io.BytesIO()
    plt.imsave(buffer, np.zeros((20, 40, 3)), format="png")
    assert css_size(buffer.getvalue(), "png") == (20, 10)


def test_svg_size_rejects_an_svg_without_a_size_in_points():
    with pytest.raises(ValueError, match="size in points"):
        svg_size(b'<svg width="100%">')
