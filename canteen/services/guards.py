"""Refusals of changes to frozen records (closed months, signed deliveries, approved or published
menus). Each refusal is written to the audit log in the service (``logistics.audit.refused``), so
every way in — a view, a form, a task, the shell — leaves the same trace."""
from logistics.audit import refused

__all__ = ["refused"]
