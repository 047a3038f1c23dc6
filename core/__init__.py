"""Cross-cutting helpers every app may import (no models, no project app): Markdown to safe HTML,
strict query parameters, CSV formula neutralisation, permission-aware snippet choosers."""
