// V001 reserved a unique id for a Dataset label that nothing writes (a kit's datasets are
// described by its spec, not stored as nodes), so the constraint and its backing index only cost
// upkeep. The index vacancy_status, created by both V004 and V060 with IF NOT EXISTS under one
// name, exists once in the graph (the second statement is a no-op): there is nothing to drop.
DROP CONSTRAINT dataset_id IF EXISTS;
