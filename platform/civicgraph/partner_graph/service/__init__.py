"""What the partner graph does: validate, authorise, call its Cypher."""
