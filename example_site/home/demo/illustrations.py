"""Simple illustrations drawn with Pillow, so the demo ships no third-party images.

Each function returns a 1600x900 RGB image; ``jpeg_bytes`` encodes one.
The drawings are deterministic: the same code always draws the same picture.
"""

import io
import random

from PIL import Image, ImageDraw, ImageFilter

SIZE = (1600, 900)
WIDTH, HEIGHT = SIZE

BOOK_COLOURS = [
    (178, 58, 72),
    (40, 96, 144),
    (226, 167, 46),
    (52, 120, 88),
    (120, 72, 140),
    (214, 108, 62),
    (32, 62, 80),
    (196, 186, 160),
    (92, 140, 160),
    (150, 40, 50),
]


def _mix(a, b, t):
    return tuple(round(a[i] + (b[i] - a[i]) * t) for i in range(3))


def _gradient(draw, box, top, bottom):
    x0, y0, x1, y1 = box
    span = max(y1 - y0, 1)
    for y in range(y0, y1):
        draw.line([(x0, y), (x1, y)], fill=_mix(top, bottom, (y - y0) / span))


def _glow(image, centre, radius, colour, strength=160):
    """A soft pool of light, e.g. under a lamp."""
    layer = Image.new("L", image.size, 0)
    ImageDraw.Draw(layer).ellipse(
        [
            centre[0] - radius,
            centre[1] - radius * 0.6,
            centre[0] + radius,
            centre[1] + radius * 0.6,
        ],
        fill=strength,
    )
    layer = layer.filter(ImageFilter.GaussianBlur(radius / 2.5))
    image.paste(Image.new("RGB", image.size, colour), (0, 0), layer)


def _shelf(draw, rng, box, shelf_colour=(110, 72, 44), rows=5):
    """A bookcase filling ``box``: shelves of books of varied size and colour."""
    x0, y0, x1, y1 = box
    draw.rectangle(box, fill=shelf_colour)
    row_height = (y1 - y0) // rows
    inner = _mix(shelf_colour, (0, 0, 0), 0.45)
    for row in range(rows):
        top = y0 + row * row_height + 14
        bottom = y0 + (row + 1) * row_height - 6
        draw.rectangle([x0 + 14, top, x1 - 14, bottom], fill=inner)
        x = x0 + 18
        while x < x1 - 40:
            width = rng.randint(14, 30)
            height = rng.randint(int((bottom - top) * 0.62), bottom - top - 4)
            colour = rng.choice(BOOK_COLOURS)
            if rng.random() < 0.07:
                x += rng.randint(10, 30)  # a gap where a book is on loan
                continue
            draw.rectangle([x, bottom - height, x + width, bottom], fill=colour)
            band = _mix(colour, (255, 240, 200), 0.45)
            draw.rectangle(
                [x + 2, bottom - height + 10, x + width - 2, bottom - height + 14], fill=band
            )
            x += width + rng.randint(1, 3)
        draw.rectangle(
            [x0 + 8, bottom, x1 - 8, bottom + 8], fill=_mix(shelf_colour, (255,) * 3, 0.12)
        )


def reading_room():
    """A reading room at dusk: a tall arched window between bookcases, lamps on a long table."""
    rng = random.Random(1)
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    _gradient(draw, (0, 0, WIDTH, 640), (238, 226, 204), (214, 196, 168))
    _gradient(draw, (0, 640, WIDTH, HEIGHT), (150, 104, 70), (98, 64, 42))

    # The window: a dusk sky, a distant skyline and glazing bars.
    window = (560, 90, 1040, 600)
    sky = Image.new("RGB", (window[2] - window[0], window[3] - window[1]))
    sky_draw = ImageDraw.Draw(sky)
    _gradient(sky_draw, (0, 0, sky.width, sky.height), (62, 58, 120), (246, 160, 96))
    for i in range(14):
        w = rng.randint(24, 60)
        h = rng.randint(40, 170)
        x = i * 36 - 10
        sky_draw.rectangle([x, sky.height - h, x + w, sky.height], fill=(58, 50, 82))
        for wy in range(sky.height - h + 10, sky.height - 8, 18):
            if rng.random() < 0.35:
                sky_draw.rectangle([x + 6, wy, x + 12, wy + 6], fill=(255, 214, 120))
    mask = Image.new("L", sky.size, 0)
    mask_draw = ImageDraw.Draw(mask)
    radius = sky.width // 2
    mask_draw.ellipse([0, 0, sky.width, 2 * radius], fill=255)
    mask_draw.rectangle([0, radius, sky.width, sky.height], fill=255)
    image.paste(sky, window[:2], mask)
    frame = (236, 230, 218)
    draw.arc(
        [window[0], window[1], window[2], window[1] + 2 * radius], 180, 360, fill=frame, width=14
    )
    draw.line([(window[0], window[1] + radius), (window[0], window[3])], fill=frame, width=14)
    draw.line([(window[2], window[1] + radius), (window[2], window[3])], fill=frame, width=14)
    centre_x = (window[0] + window[2]) // 2
    draw.line([(centre_x, window[1]), (centre_x, window[3])], fill=frame, width=10)
    for y in range(window[1] + radius, window[3], 110):
        draw.line([(window[0], y), (window[2], y)], fill=frame, width=8)
    draw.rectangle(
        [window[0] - 30, window[3], window[2] + 30, window[3] + 24], fill=(226, 218, 204)
    )

    _shelf(draw, rng, (40, 110, 500, 640))
    _shelf(draw, rng, (1100, 110, 1560, 640))

    # A long table with green reading lamps and their pools of light.
    for x in (330, 800, 1270):
        _glow(image, (x, 700), 240, (255, 222, 150), strength=120)
    draw = ImageDraw.Draw(image)
    draw.rectangle([120, 700, 1480, 740], fill=(92, 54, 32))
    draw.rectangle([160, 740, 190, 900], fill=(72, 42, 26))
    draw.rectangle([1410, 740, 1440, 900], fill=(72, 42, 26))
    for x in (330, 800, 1270):
        draw.rectangle([x - 4, 640, x + 4, 700], fill=(180, 150, 70))
        draw.polygon(
            [(x - 70, 650), (x + 70, 650), (x + 46, 612), (x - 46, 612)], fill=(28, 110, 74)
        )
        draw.rectangle([x - 40, 694, x + 40, 702], fill=(180, 150, 70))
        draw.rectangle([x + 90, 684, x + 190, 700], fill=(240, 236, 226))
    return image


def bookshelves():
    """A wall of books, floor to ceiling, with a plant and a rolling ladder."""
    rng = random.Random(2)
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    _gradient(draw, (0, 0, WIDTH, HEIGHT), (60, 44, 34), (34, 24, 20))
    _shelf(draw, rng, (0, 0, WIDTH, HEIGHT), shelf_colour=(126, 84, 52), rows=4)
    # A rolling ladder leaning on the shelves.
    wood = (196, 150, 96)
    draw.line([(1080, 0), (1180, HEIGHT)], fill=wood, width=18)
    draw.line([(1220, 0), (1320, HEIGHT)], fill=wood, width=18)
    for y in range(60, HEIGHT, 110):
        offset = y * 100 // HEIGHT
        draw.line([(1080 + offset, y), (1220 + offset, y)], fill=wood, width=12)
    # A potted plant on a shelf.
    pot_top = 3 * HEIGHT // 4 - 70
    draw.polygon(
        [(240, pot_top), (330, pot_top), (318, pot_top + 64), (252, pot_top + 64)],
        fill=(196, 98, 60),
    )
    for angle in range(7):
        dx = (angle - 3) * 34
        draw.ellipse(
            [285 + dx - 24, pot_top - 120 + abs(dx) // 2, 285 + dx + 24, pot_top + 6],
            fill=(62, 132 + angle * 8, 78),
        )
    return image


def window_view():
    """Looking out of a library window onto hills, with books and a mug on the sill."""
    rng = random.Random(3)
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    _gradient(draw, (0, 0, WIDTH, HEIGHT), (225, 232, 226), (200, 210, 204))
    pane = (220, 80, 1380, 700)
    _gradient(draw, pane, (126, 186, 226), (222, 238, 240))
    # Sun and hills.
    _glow(image, (1060, 260), 180, (255, 246, 210), strength=200)
    draw = ImageDraw.Draw(image)
    draw.ellipse([1010, 210, 1110, 310], fill=(255, 236, 170))
    for i, (colour, base) in enumerate(
        [((122, 170, 128), 560), ((86, 140, 100), 610), ((58, 110, 80), 660)]
    ):
        points = [(pane[0], pane[3])]
        for x in range(pane[0], pane[2] + 1, 40):
            points.append((x, base - 60 * abs(((x + i * 300) % 900) / 450 - 1) - rng.randint(0, 8)))
        points.append((pane[2], pane[3]))
        draw.polygon(points, fill=colour)
    for _ in range(18):
        x = rng.randint(pane[0] + 20, pane[2] - 20)
        y = rng.randint(600, 680)
        draw.ellipse([x - 18, y - 40, x + 18, y + 4], fill=(40, 92, 62))
        draw.rectangle([x - 3, y, x + 3, y + 16], fill=(82, 60, 40))
    # Frame and glazing bars.
    frame = (248, 246, 240)
    draw.rectangle(pane, outline=frame, width=26)
    draw.line(
        [((pane[0] + pane[2]) // 2, pane[1]), ((pane[0] + pane[2]) // 2, pane[3])],
        fill=frame,
        width=18,
    )
    draw.line([(pane[0], 380), (pane[2], 380)], fill=frame, width=14)
    # The sill, a stack of books and a mug.
    draw.rectangle([160, 700, 1440, 750], fill=(236, 232, 222))
    draw.rectangle([0, 750, WIDTH, HEIGHT], fill=(180, 170, 156))
    y = 700
    for width, colour in [(300, (40, 96, 144)), (270, (178, 58, 72)), (320, (226, 167, 46))]:
        draw.rectangle([360, y - 34, 360 + width, y], fill=colour)
        draw.rectangle([364, y - 30, 372, y - 4], fill=(245, 240, 228))
        y -= 34
    draw.rounded_rectangle([900, 610, 990, 700], radius=10, fill=(214, 108, 62))
    draw.arc([970, 630, 1030, 680], 270, 90, fill=(214, 108, 62), width=12)
    return image


def study_desk():
    """A desk at night: an open book under a lamp, notes and a stack of books."""
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    _gradient(draw, (0, 0, WIDTH, 560), (30, 44, 74), (46, 62, 96))
    _gradient(draw, (0, 560, WIDTH, HEIGHT), (120, 80, 52), (84, 54, 34))
    _glow(image, (800, 640), 520, (255, 214, 140), strength=150)
    draw = ImageDraw.Draw(image)
    # The lamp.
    draw.rectangle([1080, 560, 1180, 580], fill=(40, 40, 44))
    draw.line([(1130, 560), (1060, 330)], fill=(40, 40, 44), width=14)
    draw.line([(1060, 330), (930, 380)], fill=(40, 40, 44), width=12)
    draw.polygon([(880, 360), (990, 330), (1010, 420), (900, 450)], fill=(190, 40, 52))
    # An open book.
    draw.polygon([(560, 640), (800, 610), (800, 760), (560, 790)], fill=(250, 246, 236))
    draw.polygon([(800, 610), (1040, 640), (1040, 790), (800, 760)], fill=(242, 236, 222))
    for i in range(7):
        draw.line([(590, 660 + i * 16), (770, 636 + i * 16)], fill=(160, 156, 150), width=3)
        draw.line([(830, 636 + i * 16), (1010, 660 + i * 16)], fill=(160, 156, 150), width=3)
    # A stack of books and a notebook with a pencil.
    y = 600
    for width, colour in [(320, (52, 120, 88)), (290, (120, 72, 140)), (340, (40, 96, 144))]:
        draw.rectangle([150, y - 40, 150 + width, y], fill=colour)
        y -= 40
    draw.rectangle([1180, 660, 1420, 820], fill=(226, 167, 46))
    draw.line([(1200, 840), (1440, 760)], fill=(40, 40, 44), width=10)
    # Stars in the window behind.
    rng = random.Random(4)
    for _ in range(60):
        x, y = rng.randint(0, WIDTH), rng.randint(0, 300)
        draw.ellipse([x, y, x + 3, y + 3], fill=(230, 230, 200))
    return image


def reading_nook():
    """A reading nook under a staircase: an armchair, a floor lamp and a small shelf."""
    rng = random.Random(5)
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    _gradient(draw, (0, 0, WIDTH, 700), (246, 236, 214), (226, 210, 180))
    _gradient(draw, (0, 700, WIDTH, HEIGHT), (170, 120, 80), (120, 82, 54))
    # The underside of the staircase, step by step.
    for step in range(9):
        x = 620 + step * 110
        y = 660 - step * 74
        draw.rectangle([x, 0, x + 110, y], fill=(122, 84, 58))
        draw.rectangle([x, y - 14, x + 118, y], fill=(150, 108, 74))
    draw.rectangle([1610 - 20, 0, WIDTH, HEIGHT], fill=(122, 84, 58))
    _shelf(draw, rng, (1120, 420, 1500, 700), shelf_colour=(150, 108, 74), rows=2)
    # A floor lamp and its light.
    _glow(image, (420, 520), 300, (255, 226, 160), strength=140)
    draw = ImageDraw.Draw(image)
    draw.line([(470, 240), (470, 790)], fill=(50, 46, 44), width=10)
    draw.ellipse([420, 780, 520, 810], fill=(50, 46, 44))
    draw.polygon([(400, 250), (540, 250), (510, 180), (430, 180)], fill=(232, 200, 120))
    # The armchair with a cushion and an open book.
    draw.rounded_rectangle([560, 520, 960, 820], radius=60, fill=(40, 110, 120))
    draw.rounded_rectangle([520, 600, 620, 830], radius=40, fill=(30, 92, 102))
    draw.rounded_rectangle([900, 600, 1000, 830], radius=40, fill=(30, 92, 102))
    draw.rounded_rectangle([630, 660, 890, 760], radius=30, fill=(50, 128, 138))
    draw.ellipse([700, 560, 820, 650], fill=(226, 167, 46))
    draw.polygon([(720, 700), (770, 690), (770, 730), (720, 740)], fill=(250, 246, 236))
    draw.polygon([(770, 690), (820, 700), (820, 740), (770, 730)], fill=(242, 236, 222))
    # A round rug.
    draw.ellipse([380, 820, 1180, 900], fill=(178, 58, 72))
    return image


def mural():
    """A children's library wall painted with a mural: hills, a sun, a tree of books."""
    rng = random.Random(6)
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    _gradient(draw, (0, 0, WIDTH, 720), (120, 200, 230), (200, 236, 240))
    draw.ellipse([120, 80, 320, 280], fill=(255, 210, 80))
    for i, colour in enumerate([(120, 190, 110), (80, 160, 100), (52, 130, 90)]):
        base = 520 + i * 70
        points = [(0, 720)]
        for x in range(0, WIDTH + 1, 50):
            points.append((x, base - 80 * abs(((x + i * 400) % 1000) / 500 - 1)))
        points.append((WIDTH, 720))
        draw.polygon(points, fill=colour)
    # A tree whose leaves are books.
    draw.rectangle([770, 300, 830, 720], fill=(120, 80, 50))
    for _ in range(70):
        x, y = rng.randint(560, 1040), rng.randint(90, 360)
        w, h = rng.randint(18, 30), rng.randint(40, 60)
        draw.rectangle([x, y, x + w, y + h], fill=rng.choice(BOOK_COLOURS))
    # Birds and paint splashes.
    for _ in range(8):
        x, y = rng.randint(1100, 1500), rng.randint(80, 300)
        draw.arc([x, y, x + 40, y + 24], 200, 340, fill=(40, 40, 60), width=5)
        draw.arc([x + 36, y, x + 76, y + 24], 200, 340, fill=(40, 40, 60), width=5)
    # The floor, a low bookcase and cushions.
    draw.rectangle([0, 720, WIDTH, HEIGHT], fill=(214, 190, 150))
    _shelf(draw, rng, (980, 640, 1500, 880), shelf_colour=(196, 150, 96), rows=2)
    for x, colour in [(160, (214, 108, 62)), (360, (120, 72, 140)), (560, (226, 167, 46))]:
        draw.ellipse([x, 790, x + 170, 870], fill=colour)
    return image


def plant_window():
    """A tall window filled with plants, on shelves and hanging from the ceiling."""
    rng = random.Random(7)
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    _gradient(draw, (0, 0, WIDTH, HEIGHT), (236, 232, 222), (214, 208, 194))
    pane = (300, 60, 1300, 760)
    _gradient(draw, pane, (170, 214, 236), (236, 244, 240))
    _glow(image, (800, 300), 420, (255, 250, 225), strength=150)
    draw = ImageDraw.Draw(image)
    frame = (250, 250, 246)
    draw.rectangle(pane, outline=frame, width=24)
    for x in (633, 966):
        draw.line([(x, pane[1]), (x, pane[3])], fill=frame, width=14)
    # Glass shelves across the window, each with a row of potted plants.
    for shelf_y in (300, 520, 760):
        draw.rectangle([pane[0] - 20, shelf_y, pane[2] + 20, shelf_y + 14], fill=(200, 220, 224))
        x = pane[0] + 30
        while x < pane[2] - 90:
            pot = rng.choice([(196, 98, 60), (226, 210, 190), (80, 110, 130)])
            width = rng.randint(50, 80)
            draw.polygon(
                [
                    (x, shelf_y - 56),
                    (x + width, shelf_y - 56),
                    (x + width - 8, shelf_y),
                    (x + 8, shelf_y),
                ],
                fill=pot,
            )
            for leaf in range(rng.randint(4, 8)):
                dx = rng.randint(-30, width + 30)
                top = shelf_y - 56 - rng.randint(40, 120)
                green = (40 + leaf * 8, rng.randint(110, 170), rng.randint(60, 100))
                draw.ellipse([x + dx - 20, top, x + dx + 20, shelf_y - 50], fill=green)
            x += width + rng.randint(30, 70)
    # Trailing plants hanging from the ceiling.
    for x in (180, 1420):
        draw.line([(x, 0), (x, 160)], fill=(120, 110, 100), width=3)
        draw.ellipse([x - 60, 150, x + 60, 230], fill=(226, 210, 190))
        for strand in range(6):
            sx = x - 50 + strand * 20
            for y in range(220, 220 + rng.randint(180, 420), 26):
                draw.ellipse([sx - 10, y, sx + 10, y + 20], fill=(60, 140 + strand * 10, 80))
    # A reading table under the window.
    draw.rectangle([200, 790, 1400, 820], fill=(150, 108, 74))
    draw.rectangle([240, 820, 270, HEIGHT], fill=(120, 82, 54))
    draw.rectangle([1330, 820, 1360, HEIGHT], fill=(120, 82, 54))
    return image


def returns_trolley():
    """A returns trolley piled with books next to the issue desk."""
    rng = random.Random(8)
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    _gradient(draw, (0, 0, WIDTH, 640), (226, 232, 236), (204, 212, 218))
    _gradient(draw, (0, 640, WIDTH, HEIGHT), (110, 116, 124), (80, 86, 94))
    draw.rectangle([900, 380, 1560, 660], fill=(60, 96, 130))
    draw.rectangle([880, 360, 1580, 390], fill=(220, 224, 228))
    _shelf(draw, rng, (300, 360, 800, 760), shelf_colour=(90, 94, 100), rows=3)
    for x in (330, 770):
        draw.ellipse([x - 24, 760, x + 24, 808], fill=(30, 30, 34))
    return image


def jpeg_bytes(image, quality=85):
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, optimize=True, progressive=True)
    return buffer.getvalue()
