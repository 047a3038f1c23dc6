"""DOCX export of a charter version: Markdown from the frozen snapshot, converted by pandoc."""
