"""The lab's console pages: public, staff and expert views over the lab's services."""

from flask import Blueprint

from civicgraph.lab.pages import expert, public, staff

# No routes: it carries the lab pages' template folder onto the app (the console registers it).
templates = Blueprint("lab_pages", __name__, template_folder="templates")

__all__ = ["expert", "public", "staff", "templates"]
