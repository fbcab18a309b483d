"""What a recipient would see: templates filled in and shaped as Notify shapes them.

Placeholders, SMS text, email subject and HTML, typography, sanitising, and letter PDFs.
``messages`` is the one module the API handlers import from. Pure functions over text: may
import ``domain`` only.
"""
