"""What every domain stands on: settings-free building blocks with no domain knowledge."""
