"""Pure decision engine for cervical insufficiency in pregnancy (no Streamlit).

Public API: :func:`evaluate`, :func:`evaluate_case`, :func:`parse_case`, :class:`Case`,
:class:`Assessment`, :class:`CaseValidationError`, :func:`knowledge`.
"""

from .case import Case, case_to_dict, parse_case
from .engine import Assessment, AssessmentResult, OptionResult, evaluate, evaluate_case, validation_errors
from .errors import CaseValidationError, FieldError, KnowledgeError
from .kb import ASSESSMENT_IDS, OPTION_IDS, PLACEMENT_OPTIONS, PROFILES, STATUSES, knowledge

__all__ = [
    "ASSESSMENT_IDS", "OPTION_IDS", "PLACEMENT_OPTIONS", "PROFILES", "STATUSES", "Assessment", "AssessmentResult",
    "Case", "CaseValidationError", "FieldError", "KnowledgeError", "OptionResult", "case_to_dict", "evaluate",
    "evaluate_case", "knowledge", "parse_case", "validation_errors",
]
