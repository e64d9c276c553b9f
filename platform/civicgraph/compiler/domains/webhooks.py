"""Webhooks in the model: subscriptions, the outbox of events to deliver and each delivery
attempt.

Who sees what is each type's ``guard``: a subscription is seen by the organisation it was made
for, the person or client who made it and admins; its events and their delivery attempts by the
same callers and by lab staff, whose ``labOutbox`` shows what the lab sent about a record. The
subscription's signing secret is never a field: ``subscribeWebhook`` shows it once.

A subscription's events and an outbox event's type are the lab's ``WebhookEvent`` enum, which
the lab builds from its lifecycles' table (``lab.service.lifecycles.WEBHOOK_EVENTS``): they are
stored as the codes the deliveries carry (``challenge.opened``) and served as the enum's names
(``CHALLENGE_OPENED``, ``api.enums.member_name``).
"""

from __future__ import annotations

from civicgraph.compiler.model import _COMMON, DATETIME, FLOAT, INT, NodeType, Prop, Rel, RelFilter

OUTBOX_STATUSES: dict[str, str] = {
    "PENDING": "Waiting for its next delivery attempt (retried with backoff until delivered).",
    "DELIVERED": "The receiver answered 2xx.",
    "CANCELLED": "Never sent: its subscription was removed before it was delivered.",
}
"""Where an outbox event is; the outbox statements write these codes."""

WEBHOOK_EVENT = "WebhookEvent"


def _event_name(code: str) -> str:
    """A stored event code as its enum name, in Cypher (``challenge.opened`` ->
    ``CHALLENGE_OPENED``: the codes are lower-case words joined by dots)."""
    return "toUpper(replace(" + code + ", '.', '_'))"


_OWNER_SEES = ("EXISTS { (:Organisation {id: $callerOrganisation})-[:SUBSCRIBES]->({s}) } "
               "OR {s}.createdBy = $callerPerson OR {s}.createdBy = $callerClient")
"""The subscription ``{s}``'s organisation and maker (a person, or a client acting alone)."""

WEBHOOK_SUBSCRIPTION = NodeType(
    "WebhookSubscription", "WebhookSubscription",
    (*_COMMON,
     Prop("url", required=True, order=True, read_only=True,
          description="Where the events are POSTed, signed with the subscription's secret."),
     Prop("events", many=True, required=True, filter=False, read_only=True,
          enum=WEBHOOK_EVENT,
          expr="[x IN coalesce({v}.events, []) | " + _event_name("x") + "]",
          description="The events it receives."),
     Prop("active", "Boolean", required=True, filter=False, read_only=True,
          expr="coalesce({v}.active, false)")),
    (Rel("organisation", "SUBSCRIBES", "in", "Organisation", many=False,
         description="The organisation it was made for, if any."),
     Rel("outbox", "TO", "in", "OutboxEvent", connection=True, order=("createdAt",),
         description="The events queued for it, oldest first.")),
    default_order=("createdAt",),
    guard="($admin OR " + _OWNER_SEES.replace("{s}", "{v}") + ")",
    description="A receiver of the lab's events.",
)

OUTBOX_EVENT = NodeType(
    "OutboxEvent", "OutboxEvent",
    (*_COMMON,
     Prop("eventType", required=True, filter=False, read_only=True, enum=WEBHOOK_EVENT,
          expr=_event_name("{v}.eventType"), description="Which event it is."),
     Prop("status", required=True, order=True, read_only=True,
          choices=tuple(OUTBOX_STATUSES), meanings=tuple(OUTBOX_STATUSES.values()),
          description="Whether it has been delivered."),
     Prop("attempts", INT, required=True, read_only=True),
     Prop("nextAttemptAt", DATETIME, order=True, read_only=True,
          description="When a pending event is tried next."),
     Prop("deliveredAt", DATETIME, order=True, read_only=True),
     Prop("payload", read_only=True, filter=False,
          description="The signed JSON body sent to the receiver.")),
    (Rel("subscription", "TO", "out", "WebhookSubscription", many=False,
         description="The subscription it is delivered to (if you may see it)."),
     Rel("deliveries", "OF", "in", "WebhookDelivery", connection=True, order=("attempt",),
         description="Every delivery attempt, first first.")),
    (RelFilter("record", "ID", "EXISTS { ({v})-[:ABOUT]->({id: {p}}) }",
               "About the lab record with this id."),),
    default_order=("createdAt",),
    guard=("($staff OR EXISTS { ({v})-[:TO]->({v}_ws:WebhookSubscription) WHERE "
           + _OWNER_SEES.replace("{s}", "{v}_ws") + " })"),
    description="One event queued for one subscription, with its delivery state.",
)

WEBHOOK_DELIVERY = NodeType(
    "WebhookDelivery", "WebhookDelivery",
    (*_COMMON,
     Prop("attempt", INT, required=True, order=True, read_only=True),
     Prop("statusCode", INT, read_only=True,
          description="The receiver's HTTP status (none when it could not be reached)."),
     Prop("error", read_only=True, filter=False),
     Prop("durationMs", FLOAT, read_only=True),
     Prop("at", DATETIME, required=True, order=True, read_only=True)),
    (Rel("event", "OF", "out", "OutboxEvent", many=False),),
    default_order=("attempt",),
    guard=("($staff OR EXISTS { ({v})-[:OF]->(:OutboxEvent)-[:TO]->"
           "({v}_ws:WebhookSubscription) WHERE " + _OWNER_SEES.replace("{s}", "{v}_ws") + " })"),
    description="One attempt to deliver an outbox event.",
)

TYPES: tuple[NodeType, ...] = (WEBHOOK_SUBSCRIPTION, OUTBOX_EVENT, WEBHOOK_DELIVERY)
