"""Words read again apart from the page: each cropped, enlarged and set on white of its
own, one under another on one sheet, so one Tesseract run reads them all.

Tesseract reads a word alone better than inside its line when the line misled it (its
neighbours, a line above run into it): enlarged twice, its letters stand apart, and white
around it leaves nothing to join it to. The page's words to read again go to one run (a
page costs one more run at most), and each reading is told to its word by the band of the
sheet it falls in."""

from __future__ import annotations

from PIL import Image

SCALE = 2  # the enlargement of a word read again
_MARGIN = 0.5  # white around each word, in the height of the tallest crop


def read_apart(image: Image.Image, boxes: list[tuple[int, int, int, int]], read) -> list[list[dict]]:
    """For each box (page pixels: x0, top, x1, bottom), the words `read(sheet)` found in
    it, their boxes given back in page pixels. `read` gives lines in `ocr._Hocr`'s shape."""
    crops = []
    for x0, top, x1, bottom in boxes:
        crop = image.crop((max(x0, 0), max(top, 0), min(x1, image.width), min(bottom, image.height))).convert("L")
        crops.append(crop.resize((max(crop.width * SCALE, 1), max(crop.height * SCALE, 1)), Image.LANCZOS))
    if not crops:
        return []
    margin = int(_MARGIN * max(c.height for c in crops)) + 4
    sheet = Image.new("L", (max(c.width for c in crops) + 2 * margin, sum(c.height + margin for c in crops) + margin), 255)
    bands, y = [], margin
    for crop in crops:
        sheet.paste(crop, (margin, y))
        bands.append((y, y + crop.height))
        y += crop.height + margin
    found: list[list[dict]] = [[] for _ in crops]
    for line in read(sheet):
        for word in line["words"]:
            middle = (word["bbox"][1] + word["bbox"][3]) / 2
            for k, (top, bottom) in enumerate(bands):
                if top <= middle <= bottom:
                    x0, y0 = max(boxes[k][0], 0), max(boxes[k][1], 0)
                    a, b, c, d = word["bbox"]
                    box = [x0 + (a - margin) / SCALE, y0 + (b - top) / SCALE, x0 + (c - margin) / SCALE, y0 + (d - top) / SCALE]
                    found[k].append({**word, "bbox": box})
    for words in found:
        words.sort(key=lambda w: w["bbox"][0])
    return found
