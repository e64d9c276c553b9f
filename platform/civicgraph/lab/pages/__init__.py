"""The lab's console pages: public, staff and expert views over the lab's services."""

from flask import Blueprint

from civicgraph.lab.pages import (
    editor,
    expert,
    hackathons,
    hooks,
    participate,
    public,
    sessions,
    staff,
    staff_pilots,
)

# No routes: it carries the lab pages' template folder onto the app (the console registers it).
templates = Blueprint("lab_pages", __name__, template_folder="templates")

# In the order their routes go on the console's blueprint.
PAGES = (public, participate, sessions, hackathons, staff, staff_pilots, editor, hooks, expert)

__all__ = ["PAGES", "templates"]
