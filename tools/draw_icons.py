"""Draw the Teams app icons into manifest/: a 192×192 colour icon and a 32×32 white-on-transparent outline.

Run with the development environment: `.venv/bin/python tools/draw_icons.py`.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

MANIFEST = Path(__file__).resolve().parents[1] / "manifest"
ACCENT = (31, 78, 121, 255)  # the manifest's accentColor, #1F4E79
WHITE = (255, 255, 255, 255)


def _shield(size: float, inset: float) -> list[tuple[float, float]]:
    """A shield outline (protection) inside a square of the given size."""
    left, right, top = inset, size - inset, inset
    shoulder, bottom = size * 0.55, size - inset
    middle = size / 2
    return [
        (left, top + size * 0.08),
        (middle, top),
        (right, top + size * 0.08),
        (right, shoulder),
        (middle, bottom),
        (left, shoulder),
    ]


def _tick(size: float) -> list[tuple[float, float]]:
    return [(size * 0.33, size * 0.47), (size * 0.46, size * 0.60), (size * 0.68, size * 0.36)]


def draw_colour(path: Path) -> None:
    scale = 4  # draw large, then shrink, for smooth edges
    size = 192 * scale
    image = Image.new("RGBA", (size, size), ACCENT)
    draw = ImageDraw.Draw(image)
    draw.polygon(_shield(size, size * 0.18), fill=WHITE)
    draw.line(_tick(size), fill=ACCENT, width=int(size * 0.07), joint="curve")
    image.resize((192, 192), Image.Resampling.LANCZOS).save(path)


def draw_outline(path: Path) -> None:
    scale = 8
    size = 32 * scale
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.polygon(_shield(size, size * 0.06), outline=WHITE, width=int(size * 0.08))
    draw.line(_tick(size), fill=WHITE, width=int(size * 0.09), joint="curve")
    small = image.resize((32, 32), Image.Resampling.LANCZOS)
    # Teams wants pure white on transparent: keep only the alpha channel's shape.
    white = Image.new("L", small.size, 255)
    Image.merge("RGBA", (white, white, white, small.getchannel("A"))).save(path)


if __name__ == "__main__":
    draw_colour(MANIFEST / "color.png")
    draw_outline(MANIFEST / "outline.png")
    print(f"icons written to {MANIFEST}")
