"""The commands of each domain: validate, authorise, call a repository, raise typed errors."""
