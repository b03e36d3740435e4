"""Putting results where readers use them: EPUB metadata and Calibre tags."""
