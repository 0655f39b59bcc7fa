"""The second confirmation a project with a single account gives when it approves its own sheet."""

CONFIRMED = "已由总包项目负责人核对"
