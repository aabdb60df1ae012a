"""PDF forms (CN-NTVĐ, 1-KNĐ … 16-KNĐ) and the complete dossier, rendered with WeasyPrint in the background.

Where to look: `registry.py` (which forms exist, their template versions and the case states they apply to),
`builders/` (one function per form, grouped by stage: the case's data as the template reads it), `render.py`
(HTML → PDF), `dossier.py` (the complete dossier: cover, contents, forms and scans, outline, footer with QR code),
`services.py` (requests, numbering, downloads), `generation.py` (the background job) and `tasks.py` (the Django
Tasks entry point).
"""
