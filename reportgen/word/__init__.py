"""Word and pictures: the only layer that imports docxtpl, python-docx and Pillow."""
