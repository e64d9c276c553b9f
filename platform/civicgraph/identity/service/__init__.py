"""What identity does: validate, authorise, call its Cypher, raise typed errors."""
