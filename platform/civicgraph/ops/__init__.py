"""Running the platform's processes locally: used by `make run` and by the test session."""
