"""Layout: `PageText` pages in, `PageLayout` pages out (running furniture dropped, regions cut and put in reading order)."""
