"""The permission matrix (docs/architecture.md §5; issue: every URL, four personas).

Every named URL pattern of the site must have an expectation in one of the modules of
`tests/permission_matrix/expectations/` — one module per app, so features add theirs without
touching a shared file. `tests/test_permission_matrix.py` walks the URL resolver and fails on any
pattern without an expectation.
"""
