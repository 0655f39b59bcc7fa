"""Legal holds (诉讼保全): a project whose records a dispute needs is kept whole, whatever the
retention table says (docs/retention.md §3). A supervisor sets a hold with a reason and ends it with
a reason; both are audited. A hold is never deleted: the rows are the history of the holds."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class LegalHoldQuerySet(models.QuerySet):
    def active(self) -> LegalHoldQuerySet:
        return self.filter(ended_at__isnull=True)

    def visible_to(self, user) -> LegalHoldQuerySet:
        """Holds of the projects `user` may see (docs/architecture.md pattern 1)."""
        from projects.models import Project

        return self.filter(project__in=Project.objects.visible_to(user))


class LegalHold(models.Model):
    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="legal_holds"
    )
    reason = models.CharField("保全原因", max_length=500)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="设置人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    set_at = models.DateTimeField("设置时间", auto_now_add=True)
    ended_at = models.DateTimeField("解除时间", null=True, blank=True)
    end_reason = models.CharField("解除原因", max_length=500, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="解除人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "法律保全"
        ordering = ["-set_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(ended_at__isnull=True),
                name="one_active_hold_per_project",
                violation_error_message="该项目已有生效中的保全。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} 保全（{'生效中' if self.is_active else '已解除'}）"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None
