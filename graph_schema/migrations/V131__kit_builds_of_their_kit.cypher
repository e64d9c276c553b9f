// A kit's builds hang from its DataKit node, as its releases do (HAS_RELEASE, V040), so that
// `kits { builds }` is a nested connection compiled into the catalogue's one statement rather
// than one statement per kit. New builds are created with the relationship
// (hackathon_kits/cypher.py, create_build); this links the builds made before it, creating
// the node of a kit that was asked for but never started. The build's `kit` stays.
MATCH (b:KitBuild) WHERE NOT EXISTS { (:DataKit)-[:HAS_BUILD]->(b) }
MERGE (k:DataKit {name: b.kit})
  ON CREATE SET k.id = randomUUID(), k.createdAt = datetime(), k.updatedAt = datetime(), k.version = 1
MERGE (k)-[:HAS_BUILD]->(b);
