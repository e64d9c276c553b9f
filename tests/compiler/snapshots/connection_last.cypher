// GraphQL:
//   { organisations(last: 2) { totalCount nodes { name } } }
// Caller: anonymous
// Parameters: {"admin": false, "callerClient": null, "callerPlatform": null, "p0": 0, "p1": 2}
CALL () {
  MATCH (n:Organisation)
  WHERE ($admin OR NOT EXISTS { (n)-[:SOURCED_FROM]->(:PartnerPlatform) } OR EXISTS { (n)-[:SOURCED_FROM]->(vp:PartnerPlatform) WHERE vp.mode = 'PRODUCTION' OR vp.id = $callerPlatform OR vp.clientId = $callerClient })
  RETURN count(n) AS total }
CALL () {
  MATCH (n:Organisation)
  WHERE n.name IS NOT NULL AND ($admin OR NOT EXISTS { (n)-[:SOURCED_FROM]->(:PartnerPlatform) } OR EXISTS { (n)-[:SOURCED_FROM]->(vp:PartnerPlatform) WHERE vp.mode = 'PRODUCTION' OR vp.id = $callerPlatform OR vp.clientId = $callerClient })
  WITH n ORDER BY n.name DESC, n.id DESC SKIP $p0 LIMIT $p1
  RETURN collect(n {`name`: n.name}) AS items }
RETURN total, items
