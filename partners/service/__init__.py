"""What the partners domain does: onboarding, syncs, pushes and career matching."""
