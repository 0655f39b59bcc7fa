"""Attendance: devices, raw punches (append-only facts) and daily summaries (derived, rebuildable).

docs/architecture.md pattern 6: a punch records what a device or client said, with its source; nothing edits
it afterwards except the anomaly workflow's resolution fields. Daily summaries are computed from
punches and can be rebuilt from them at any time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from enterprises.models import ProjectScopedQuerySet
from jmzhgd.core.codes import AttendType, Direction
from jmzhgd.core.pii import DigestField, EncryptedTextField, MaskedIdField


class Device(models.Model):
    """考勤设备 of a project (docs/requirements.md §8)."""

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="devices"
    )
    serial_number = models.CharField("设备序列号", max_length=64, unique=True)
    vendor = models.CharField("设备厂商", max_length=100, blank=True)
    name = models.CharField("设备名称", max_length=100, blank=True)
    direction = models.CharField(
        "进出方向", max_length=2, choices=Direction.choices, blank=True, help_text="留空表示双向"
    )
    location = models.CharField("安装位置", max_length=100, blank=True)
    is_active = models.BooleanField("启用", default=True)
    last_seen_at = models.DateTimeField("最后在线", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "考勤设备"
        ordering = ["project", "serial_number"]

    def __str__(self) -> str:
        return self.name or self.serial_number


class PunchSource(models.TextChoices):
    DEVICE = "device", "考勤设备"
    API = "api", "接口客户端"
    MANUAL = "manual", "人工补录"
    MOBILE = "mobile", "移动考勤"


class AnomalyStatus(models.TextChoices):
    OPEN = "open", "待处理"
    RESOLVED = "resolved", "已关联人员"
    DISMISSED = "dismissed", "已忽略"


def unconstrained_reference(
    to, verbose_name: str, related_name: str, *, optional=False, on_delete=models.PROTECT
):
    """A reference without a foreign-key constraint or an index of its own in the database: the
    punch and summary tables take tens of thousands of rows a second (see Punch for why, and what
    keeps the references sound). on_delete still guards every ORM delete."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        null=optional,
        blank=optional,
        on_delete=on_delete,
        related_name=related_name,
        db_index=False,
        db_constraint=False,
    )


class Punch(models.Model):
    """One raw punch. Matched to a roster entry when the person is on the project's roster that day;
    otherwise kept as 异常考勤 (never dropped)."""

    # This table takes tens of thousands of rows a second (bench/README.md), so what each row costs
    # on insert is kept small:
    # - Indexes are few: every page, export and recomputation reads a project's punches by day or
    #   time (the two indexes that lead with the project serve them); nothing looks punches up by
    #   person, roster entry or device alone. (Deleting a person in the admin scans the table for
    #   PROTECT's check: a rare, deliberate act.)
    # - The four references are not foreign-key constraints in the database (db_constraint=False).
    #   A constraint check locks the referenced row for every punch: 400 lookups per batch of 100,
    #   a third of the INSERT's time, and every batch of a project locking the same project and
    #   device rows. The references stay sound because the ingest reads them from the database in
    #   the same transaction, the platform never deletes a project, person, roster entry or device
    #   (it deactivates or exits them), and on_delete=PROTECT still refuses any ORM delete (the
    #   Django admin's included) of a row that punches refer to (tests/attendance/test_punch_store.py).
    project = unconstrained_reference("projects.Project", "项目", "punches")
    person = unconstrained_reference("workforce.Person", "人员", "punches", optional=True)
    roster_entry = unconstrained_reference("workforce.RosterEntry", "花名册记录", "punches", optional=True)
    # The number as sent, kept for anomalies only (resolving one needs it). A matched punch's number
    # is its person's (same digest), so it is not stored a second time: fewer copies of ID numbers,
    # and a third less to write per punch. Digest and mask are kept for every punch.
    id_number = EncryptedTextField("证件号码", blank=True)
    # Looked up with the project and time (unique_punch_fact_by_time), never alone: no index of its own.
    id_number_digest = DigestField(source="id_number", db_index=False, keep_when_source_blank=True)
    id_number_masked = MaskedIdField(source="id_number", keep_when_source_blank=True)
    name_as_sent = models.CharField("上报姓名", max_length=50, blank=True)
    punched_at = models.DateTimeField("打卡时间")
    work_date = models.DateField("考勤日期")  # punched_at's date in Asia/Shanghai
    direction = models.CharField("方向", max_length=2, choices=Direction.choices)
    attend_type = models.CharField(
        "通行方式", max_length=3, choices=AttendType.choices, default=AttendType.FACE
    )
    device = unconstrained_reference(Device, "设备", "punches", optional=True)
    device_sn = models.CharField("设备序列号", max_length=64, blank=True)
    record_id = models.CharField("设备记录号", max_length=64, blank=True)
    source = models.CharField("来源", max_length=8, choices=PunchSource.choices, default=PunchSource.DEVICE)
    source_label = models.CharField("来源说明", max_length=100, blank=True)  # API client / user who sent it
    photo = models.ImageField("抓拍照片", upload_to="attendance/photos/%Y/%m/", blank=True)
    lat = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    is_anomaly = models.BooleanField("异常考勤", default=False)
    anomaly_reason = models.CharField("异常原因", max_length=200, blank=True)
    anomaly_status = models.CharField(
        "异常处理状态", max_length=10, choices=AnomalyStatus.choices, blank=True
    )
    resolution_note = models.CharField("处理说明", max_length=200, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,  # the partial index below: only resolved anomalies have one
    )
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)
    received_at = models.DateTimeField("接收时间", auto_now_add=True)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "考勤记录"
        ordering = ["-punched_at", "-id"]
        # On PostgreSQL the table is partitioned by month on work_date (attendance.partitions), and
        # every unique key of a partitioned table must contain the partition key: both keys end
        # with work_date.
        constraints = [
            # Resending the same punch stores nothing new: by the device's own record id (unique
            # within a day: a resend carries the same time, hence the same day, so it is still a
            # duplicate; a device that reuses its record ids on another day stores both) …
            models.UniqueConstraint(
                fields=["device_sn", "record_id", "work_date"],
                condition=~models.Q(record_id=""),
                name="unique_device_record",
            ),
            # … or, without one, by who/when/which way. work_date is punched_at's date, so adding
            # it refuses exactly the same duplicates.
            # Time before digest: a day's punches then sit together in the index (an upload inserts
            # into a few neighbouring pages rather than a hundred scattered ones); the key is the same.
            models.UniqueConstraint(
                fields=["project", "punched_at", "id_number_digest", "direction", "work_date"],
                name="unique_punch_fact_by_time",
            ),
        ]
        indexes = [
            # Project pages, exports and the project's side of every foreign-key check.
            models.Index(fields=["project", "work_date"]),
            # 异常考勤 lists: partial, so the matched punches (nearly all) are not in it.
            models.Index(
                fields=["project", "anomaly_status"],
                condition=models.Q(is_anomaly=True),
                name="punch_anomalies",
            ),
            # Deleting a user sets resolved_by to NULL: found without a scan, and costs no write for
            # the punches nobody resolved.
            models.Index(
                fields=["resolved_by"],
                condition=models.Q(resolved_by__isnull=False),
                name="punch_resolved_by",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_as_sent or self.id_number_masked} {self.punched_at:%Y-%m-%d %H:%M}"


class DailySummary(models.Model):
    """Per person, per project, per day: derived from punches (rebuildable), updated on ingest."""

    # Written by every punch upload (half of them inserts: a person's first punch of the day), so,
    # as for Punch, the references are not database constraints: the checks ran at COMMIT, locked
    # the same project row from every concurrent upload and took a fifth of the database's time
    # per batch. The rows are derived (rebuild_attendance_summaries recreates them) and written
    # from ids read in the same transaction; CASCADE still applies to ORM deletes. Every read
    # starts from the project, which leads the unique index below: neither reference needs its own.
    # Every read is by project first; only an admin's person delete scans. Derived data: a summary
    # goes with its project or person.
    project = unconstrained_reference("projects.Project", "项目", "daily_summaries", on_delete=models.CASCADE)
    person = unconstrained_reference("workforce.Person", "人员", "daily_summaries", on_delete=models.CASCADE)
    work_date = models.DateField("考勤日期")
    # The four extremes of the day's counted punches. first_in and last_out are derived from them,
    # and keeping them lets an upload merge its punches into the row (earliest of the earliest,
    # sum of the counts) instead of re-reading the day's punches; merges commute, so two uploads
    # for the same person-day at once both count (attendance.summaries).
    earliest_entry = models.DateTimeField("最早入场打卡", null=True, blank=True)
    earliest_punch = models.DateTimeField("最早打卡", null=True, blank=True)
    latest_exit = models.DateTimeField("最晚出场打卡", null=True, blank=True)
    latest_punch = models.DateTimeField("最晚打卡", null=True, blank=True)
    first_in = models.DateTimeField("首次进场", null=True, blank=True)
    last_out = models.DateTimeField("最后出场", null=True, blank=True)
    punch_count = models.PositiveIntegerField("打卡次数", default=0)
    hours = models.DecimalField("工时", max_digits=5, decimal_places=2, default=0)
    is_present = models.BooleanField("计为出勤", default=False)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "每日考勤汇总"
        ordering = ["project", "work_date", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "person", "work_date"], name="one_summary_per_person_day"
            ),
        ]
        indexes = [models.Index(fields=["project", "work_date"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.work_date}"


class FenceCheck(models.TextChoices):
    INSIDE = "inside", "围栏内"
    OUTSIDE = "outside", "围栏外"
    INACCURATE = "inaccurate", "定位精度不足"
    NO_FENCE = "no_fence", "项目未设置围栏"


class FenceReview(models.TextChoices):
    COUNTED = "counted", "已计入"
    PENDING = "pending", "待处理"
    ACCEPTED = "accepted", "已认可"
    REJECTED = "rejected", "已驳回"


class FencePunch(models.Model):
    """A 移动考勤 punch sent from a phone with its position (docs/geofence.md). Inside the project's
    电子围栏 it is ingested at once as a Punch (`punch_id`); outside it, or with a poor accuracy, it
    waits here as 异常考勤 until the project accepts it (then it is ingested) or rejects it. The
    month grid reads Punches only, so it counts exactly the punches counted or accepted."""

    project = models.ForeignKey(
        "projects.Project", verbose_name="项目", on_delete=models.PROTECT, related_name="fence_punches"
    )
    # Made on the phone: a resend of the same record is answered as the first time (docs/geofence.md).
    client_uuid = models.UUIDField("记录ID")
    content_digest = models.CharField("内容摘要", max_length=64)
    roster_entry = models.ForeignKey(
        "workforce.RosterEntry", verbose_name="花名册记录", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "workforce.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="+"
    )
    punched_at = models.DateTimeField("打卡时间")
    work_date = models.DateField("考勤日期")
    direction = models.CharField("方向", max_length=2, choices=Direction.choices)
    lat = models.DecimalField("纬度", max_digits=9, decimal_places=6)
    lng = models.DecimalField("经度", max_digits=9, decimal_places=6)
    accuracy_m = models.PositiveIntegerField("定位精度（米）")
    distance_m = models.PositiveIntegerField("距围栏（米）", null=True, blank=True)
    fence_check = models.CharField("围栏判定", max_length=10, choices=FenceCheck.choices)
    review = models.CharField("处理状态", max_length=10, choices=FenceReview.choices)
    review_reason = models.CharField("处理说明", max_length=200, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("处理时间", null=True, blank=True)
    photo = models.ImageField("现场照片", upload_to="attendance/fence/%Y/%m/", blank=True)
    # The Punch it became (Punch is partitioned by month on PostgreSQL: a plain id, no constraint).
    punch_id = models.BigIntegerField("考勤记录", null=True, blank=True)
    source_label = models.CharField("来源说明", max_length=100, blank=True)
    received_at = models.DateTimeField("接收时间", auto_now_add=True)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "移动考勤"
        ordering = ["-punched_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "client_uuid"], name="unique_fence_punch_uuid"),
        ]
        indexes = [models.Index(fields=["project", "review"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.punched_at:%Y-%m-%d %H:%M}"
