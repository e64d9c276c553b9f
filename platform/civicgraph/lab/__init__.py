"""The innovation lab: ideas, challenges, proposals, evaluation, pilots, sessions and webhooks."""
