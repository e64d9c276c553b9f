"""The partner graph: organisations, partnerships, offers and taxonomies."""
