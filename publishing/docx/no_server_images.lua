-- Every DOCX export (publishing/docx/export.py: pandoc_docx): an image is embedded only when
-- its data is in the document itself (a data: URI, e.g. the annual report's charts). Any other
-- image (local path, file://, http://), however it was written (Markdown, reference, YAML
-- metadata), becomes its alternative text: pandoc never reads it, even without --sandbox.
function Image(image)
  if image.src:sub(1, 5) ~= "data:" then
    return image.caption
  end
end
