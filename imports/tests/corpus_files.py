"""Test helper: the fixtures corpus (imports/tests/corpus/) in each format a département sends.

Markdown files become DOCX through pandoc; plain-text files become a Word document written
paragraph by paragraph (« - » lines as bulleted paragraphs), as a secretariat would type it; a
PDF is LibreOffice's rendering of that DOCX.
"""

import io
import json
import os
import subprocess
import tempfile
from pathlib import Path

import docx

from publishing.docx.pandoc import run_pandoc

CORPUS = Path(__file__).parent / "corpus"


def manifest() -> dict:
    """Each document of the corpus: its formats and the counts the reader must find exactly."""
    return json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))


def docx_bytes(path: Path) -> bytes:
    """The document as a DOCX file."""
    if path.suffix == ".md":
        return run_pandoc(args=["--from=gfm", "--to=docx", "--output=-", str(path)])
    document = docx.Document()
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("- "):
            document.add_paragraph(line[2:], style="List Bullet")
        elif line.strip():
            document.add_paragraph(line)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def pdf_bytes(docx_data: bytes, directory: Path) -> bytes:
    """LibreOffice's PDF of a DOCX (its own profile directory, bounded in time)."""
    source = directory / "document.docx"
    source.write_bytes(docx_data)
    profile = tempfile.mkdtemp(prefix="lo-parse-")
    subprocess.run(
        [
            "/usr/bin/soffice",
            "--headless",
            f"-env:UserInstallation=file://{profile}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(directory),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
        env={**os.environ, "HOME": profile},
    )
    return (directory / "document.pdf").read_bytes()
