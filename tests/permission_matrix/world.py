"""The world the matrix runs in: two projects with their accounts and a city-wide supervisor.

`objects_for(project)` builds, inside one project, one object of each kind a URL may name, and
returns the URL kwargs for them. Each app's expectations module adds its kinds in `KWARGS`.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests import factories


@dataclass
class World:
    project_a: object
    project_b: object
    own: object  # project A's account
    other: object  # project B's account
    supervisor: object


def build_world() -> World:
    project_a = factories.ProjectFactory(name="矩阵项目A")
    project_b = factories.ProjectFactory(name="矩阵项目B")
    return World(
        project_a=project_a,
        project_b=project_b,
        own=factories.ProjectUserFactory(project=project_a),
        other=factories.ProjectUserFactory(project=project_b),
        supervisor=factories.SupervisorFactory(),
    )
