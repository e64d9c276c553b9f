"""Hackathon kits in the model: each build of a kit and each release it published.

A kit itself is its reviewed spec file (``hackathon_kits/specs``), not a record of the graph, so
the catalogue type ``DataKit`` stays the kits domain's own; its ``releases`` and ``builds`` are
connections of the types declared here, compiled like any other read.

Who sees what is each type's ``guard``: a release of a kit is public, as the catalogue always
was; a build is its maintainers' business: lab staff and admins, the client or person who asked
for it and the organisation they acted for.

The closed sets are the tables the build service writes (``BUILD_STATES``, ``BUILD_STAGES``); a
release's number (1, 2, ... per kit, the number in its download URL) is ``number``, because
``version`` is every record's optimistic-concurrency counter.
"""

from __future__ import annotations

from civicgraph.compiler.model import _COMMON, DATETIME, FLOAT, INT, NodeType, Prop, Rel

BUILD_STATES: dict[str, str] = {
    "QUEUED": "Asked for; no worker has started it.",
    "RUNNING": "A worker is building it.",
    "SUCCEEDED": "Finished: a release was published, or matched an earlier one.",
    "FAILED": "Stopped with an error; nothing was published (see error).",
    "REFUSED": "Refused by disclosure control; nothing was published (see error).",
    "SKIPPED": "Another build of the kit was running and publishes instead.",
    "LOST": "Its worker stopped answering before it finished; nothing was published.",
}
"""Where a build is. ``LOST`` is never stored: a RUNNING build whose heartbeat is older than its
lease reads as LOST (``LOST_WHEN``)."""

BUILD_STAGES: dict[str, str] = {
    "WAITING": "Waiting for a worker.",
    "CHECKING": "Checking the spec (its queries must only read).",
    "COUNTING": "Counting each dataset's rows.",
    "STREAMING": "Streaming rows into the data files, with disclosure control.",
    "DOCUMENTING": "Writing the README, data dictionary and datapackage.json.",
    "VALIDATING": "Validating the package with Frictionless.",
    "ZIPPING": "Zipping the package with a sha256 manifest.",
    "PUBLISHING": "Recording the release.",
    "PUBLISHED": "Published a new release (releaseNumber).",
    "UNCHANGED": "The bytes equal an earlier release's (releaseNumber); nothing new published.",
    "ANOTHER_BUILD": "Another build of this kit is running; it will publish.",
    "DISCLOSURE_REFUSED": "Refused by disclosure control (see error).",
    "FAILED": "Failed; nothing was published (see error).",
    "QUEUE_DOWN": "Not started: the task queue was down; build again.",
    "LOST": "The worker stopped answering; nothing was published; build again.",
}
"""What a build is doing, or why it ended."""

FINISHED = ("SUCCEEDED", "FAILED", "REFUSED", "SKIPPED")
"""The stored states a build ends in."""

LOST_WHEN = ("({v}.state = 'RUNNING' AND {v}.heartbeatAt + duration({seconds: {v}.leaseSeconds})"
             " < datetime())")
"""A running build whose worker's lease has lapsed without a heartbeat."""


def _lost_or(stored: str) -> str:
    return "CASE WHEN " + LOST_WHEN + " THEN 'LOST' ELSE {v}." + stored + " END"


KIT_BUILD = NodeType(
    "KitBuild", "KitBuild",
    (*_COMMON,
     Prop("kit", required=True, order=True, read_only=True, description="The kit's name."),
     Prop("state", required=True, read_only=True, filter=False, expr=_lost_or("state"),
          choices=tuple(BUILD_STATES), meanings=tuple(BUILD_STATES.values()),
          description="Where the build is."),
     Prop("percent", FLOAT, required=True, read_only=True),
     Prop("stage", read_only=True, filter=False, expr=_lost_or("stage"),
          choices=tuple(BUILD_STAGES), meanings=tuple(BUILD_STAGES.values()),
          description="What the build is doing, or why it ended."),
     Prop("error", read_only=True, filter=False),
     Prop("releaseNumber", INT, read_only=True,
          description="The number of the release it published (or matched)."),
     Prop("unchanged", "Boolean", read_only=True, filter=False,
          description="True when the bytes equal an earlier release's."),
     Prop("requestedAt", DATETIME, order=True, read_only=True),
     Prop("startedAt", DATETIME, order=True, read_only=True),
     Prop("finishedAt", DATETIME, order=True, read_only=True)),
    (Rel("release", "PRODUCED", "out", "KitRelease", many=False,
         description="The release it published or matched, once it succeeded."),),
    default_order=("requestedAt",),
    guard=("($staff OR ({v}.requestedByClient IS NOT NULL "
           "AND {v}.requestedByClient = $callerClient) "
           "OR ({v}.requestedByPerson IS NOT NULL AND {v}.requestedByPerson = $callerPerson) "
           "OR ({v}.requestedFor IS NOT NULL AND {v}.requestedFor = $callerOrganisation))"),
    description="One build of a kit, with its progress; seen by lab staff, admins and who "
                "asked for it.",
)

KIT_RELEASE = NodeType(
    "KitRelease", "KitRelease",
    (*_COMMON,
     Prop("kit", required=True, order=True, read_only=True, description="The kit's name."),
     Prop("number", INT, required=True, order=True, read_only=True,
          description="The release number: 1, 2, ... per kit, as in its download URL."),
     Prop("sha256", required=True, read_only=True, description="sha256 of the zip."),
     Prop("bytes", FLOAT, required=True, read_only=True, description="Size of the zip."),
     Prop("rows", required=True, read_only=True, filter=False, expr="{v}.rowsJson",
          description="Rows per resource, as a JSON object."),
     Prop("specHash", required=True, read_only=True,
          description="sha256 of the spec it was built from."),
     Prop("snapshotAt", DATETIME, required=True, order=True, read_only=True,
          description="When the build began reading."),
     Prop("builtAt", DATETIME, required=True, order=True, read_only=True),
     Prop("buildSeconds", FLOAT, read_only=True),
     Prop("downloads", INT, required=True, order=True, read_only=True),
     Prop("disclosureReport", required=True, read_only=True, filter=False,
          expr="{v}.disclosureJson",
          description="What was suppressed and why, as a JSON object."),
     Prop("downloadUrl", required=True, read_only=True, filter=False,
          expr="'/kits/' + {v}.kit + '/releases/' + toString({v}.number) + '/download'",
          description="Where its zip is served (the same URL for ever).")),
    (),
    default_order=("number",),
    description="An immutable published release of a kit: its zip never changes once recorded.",
)

TYPES: tuple[NodeType, ...] = (KIT_BUILD, KIT_RELEASE)
