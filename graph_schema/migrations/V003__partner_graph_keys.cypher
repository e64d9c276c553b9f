// Natural keys of the partner graph's vocabulary (docs/graph-model.md): a field by its code, a
// skill and an occupation by their ESCO-style URI, a person by e-mail when one is given. Writes
// MERGE on these keys, so the constraints keep concurrent upserts from making duplicates.
CREATE CONSTRAINT field_code IF NOT EXISTS FOR (n:Field) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT skill_uri IF NOT EXISTS FOR (n:Skill) REQUIRE n.uri IS UNIQUE;
CREATE CONSTRAINT occupation_uri IF NOT EXISTS FOR (n:Occupation) REQUIRE n.uri IS UNIQUE;
CREATE CONSTRAINT person_email IF NOT EXISTS FOR (n:Person) REQUIRE n.email IS UNIQUE;
