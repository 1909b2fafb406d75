"""民生实事项目, one module per use case: the year, proposals (submit, merge, reply),
screening (candidates, decline, approve, export), the vote (selection, run-off,
adoption at certification), implementation (progress, inspections) and the
year-end evaluation; `read` builds what the pages show.

The certified result reaches the projects through `apply_certified_result`
(voting.actions.projects.adopt), called inside the certification's last
transaction, so "certified" and "adopted" commit together.
"""
from voting.actions.projects.adopt import apply_certified_result

__all__ = ["apply_certified_result"]
