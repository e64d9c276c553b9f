// GraphQL:
//   { vacancies(first: 5) { nodes { title organisation { name } } } }
// Caller: client partner-client
// Parameters: {"admin": false, "callerClient": "partner-client", "callerPlatform": null, "p0": 0, "p1": 5}
CALL () {
  MATCH (n:Vacancy)
  WHERE ($admin OR NOT EXISTS { (n)-[:SOURCED_FROM]->(:PartnerPlatform) } OR EXISTS { (n)-[:SOURCED_FROM]->(vp:PartnerPlatform) WHERE vp.mode = 'PRODUCTION' OR vp.id = $callerPlatform OR vp.clientId = $callerClient })
  RETURN count(n) AS total }
CALL () {
  MATCH (n:Vacancy)
  WHERE n.title IS NOT NULL AND ($admin OR NOT EXISTS { (n)-[:SOURCED_FROM]->(:PartnerPlatform) } OR EXISTS { (n)-[:SOURCED_FROM]->(vp:PartnerPlatform) WHERE vp.mode = 'PRODUCTION' OR vp.id = $callerPlatform OR vp.clientId = $callerClient })
  WITH n ORDER BY n.title ASC, n.id ASC SKIP $p0 LIMIT $p1
  RETURN collect(n {`title`: n.title, `organisation`: head(COLLECT {
      MATCH (n)-[:OFFERED_BY]->(n1:Organisation)
      WHERE ($admin OR NOT EXISTS { (n1)-[:SOURCED_FROM]->(:PartnerPlatform) } OR EXISTS { (n1)-[:SOURCED_FROM]->(vp:PartnerPlatform) WHERE vp.mode = 'PRODUCTION' OR vp.id = $callerPlatform OR vp.clientId = $callerClient })
      RETURN n1 {`name`: n1.name} LIMIT 1 })}) AS items }
RETURN total, items
