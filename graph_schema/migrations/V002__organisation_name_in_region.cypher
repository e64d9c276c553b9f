// Two organisations may share a name only in different regions. The key is the name and region,
// case-folded and trimmed, computed by the service; the constraint makes the rule hold under
// concurrent registrations, which a read-then-write check would not.
CREATE CONSTRAINT organisation_name_key IF NOT EXISTS FOR (n:Organisation) REQUIRE n.nameKey IS UNIQUE;
CREATE INDEX organisation_name IF NOT EXISTS FOR (n:Organisation) ON (n.name);
