"""【导出到岗表】 of 关键岗位到岗 (attendance.key_posts)."""

from __future__ import annotations

from jmzhgd.jobs.export_views import export_view

from .key_posts import KEY_POSTS_EXPORT

key_posts_export = export_view(
    KEY_POSTS_EXPORT, action="attendance.key_posts_export", back="projects:overview"
)
