"""Read: a PDF file in, `ExtractedPdf` out (pages of words with font, size, weight and box, and link annotations)."""
