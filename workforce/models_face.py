"""人证比对 records (docs/face-match.md): one comparison of a person's photo with his ID card's photo, made
for one project, with the method, the score and the threshold it was judged by, and the clerk's word."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from enterprises.models import ProjectScopedQuerySet


class FaceMatchStatus(models.TextChoices):
    PASSED = "passed", "比对通过"
    PENDING = "pending", "待人工确认"
    CONFIRMED = "confirmed", "已确认是本人"
    REJECTED = "rejected", "已确认不是本人"


class FaceMatchMethod(models.TextChoices):
    MANUAL = "manual", "人工核对"
    LOCAL = "local", "本地人脸模型"


class FaceMatch(models.Model):
    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="face_matches"
    )
    person = models.ForeignKey(
        "workforce.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="face_matches"
    )
    method = models.CharField("比对方式", max_length=16, choices=FaceMatchMethod.choices)
    score = models.FloatField("相似度", null=True, blank=True)
    threshold = models.FloatField("阈值", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    # The images compared: a new photo or card photo makes this record stale (a new comparison is due).
    photo_name = models.CharField("人员照片文件", max_length=200)
    card_photo_name = models.CharField("身份证照片文件", max_length=200)
    status = models.CharField("结果", max_length=16, choices=FaceMatchStatus.choices, db_index=True)
    reason = models.CharField("确认理由", max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True, on_delete=models.PROTECT
    )
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)
    created_at = models.DateTimeField("比对时间", auto_now_add=True)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "人证比对"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "person", "-created_at"], name="face_match_latest")]

    def __str__(self) -> str:
        return f"人证比对：{self.person}（{self.get_status_display()}）"

    @property
    def needs_clerk(self) -> bool:
        return self.status == FaceMatchStatus.PENDING

    @property
    def score_label(self) -> str:
        if self.score is None:
            return "—"
        return f"{self.score:.2f}（阈值 {self.threshold:.2f}）"

    def is_for(self, person) -> bool:
        return self.photo_name == person.photo.name and self.card_photo_name == person.id_front_image.name
