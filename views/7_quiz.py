"""Teaching mode: quiz on the teaching cases, scored option by option against the engine."""

from ui.layout import page_footer, page_header
from ui.quiz import quiz

page_header("Quiz")
quiz()
page_footer()
