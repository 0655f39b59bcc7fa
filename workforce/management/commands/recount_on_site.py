"""Recompute the per-project on-site counts from the roster rows.

    manage.py recount_on_site [--project ID]

The database keeps the counts itself (triggers, workforce migration 0007_project_site_counts); run this after a manual
repair that bypassed them. It prints each correction and changes nothing that is already right.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from projects.models import Project
from workforce.site_counts import recount_on_site


class Command(BaseCommand):
    help = "按花名册重新统计各项目在场人数，修正与记录不符的统计值（可指定项目）。"

    def add_arguments(self, parser):
        parser.add_argument("--project", type=int, help="项目ID（默认全部项目）")

    def handle(self, *args, project=None, **options):
        if project is not None and not Project.objects.filter(pk=project).exists():
            raise CommandError(f"项目不存在：{project}")
        checked, corrections = recount_on_site(project)
        names = dict(
            Project.objects.filter(pk__in=[c.project_id for c in corrections]).values_list("pk", "name")
        )
        for c in corrections:
            self.stdout.write(
                f"项目 {c.project_id}（{names.get(c.project_id, '')}）：在场人数 {c.stored} → {c.counted}"
            )
        summary = f"已核对 {checked} 个项目的在场人数，修正 {len(corrections)} 个。"
        self.stdout.write(self.style.SUCCESS(summary) if corrections else summary)
