from ..spec import PROJECT_PAGE, SUPERVISOR_PAGE

EXPECTATIONS = {
    "projects:dashboard": SUPERVISOR_PAGE,
    "projects:list": SUPERVISOR_PAGE,
    "projects:overview": PROJECT_PAGE,
    "projects:card": PROJECT_PAGE,
}

KWARGS = {}
