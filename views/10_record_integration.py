"""Reference: the record-system integration (CDS Hooks service status and feedback counts per card)."""

from ui.ehr import integration_page
from ui.layout import page_footer, page_header

page_header("Record integration")
integration_page()
page_footer()
