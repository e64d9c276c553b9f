// GraphQL:
//   { vacancies(first: 5) { nodes { title organisation { name } } } }
// Caller: client partner-client
// Parameters: {"callerClient": "partner-client", "p0": 6, "p1": 5}
CALL () {
  MATCH (n:Vacancy)
  WHERE n.title IS NOT NULL AND (NOT n:Unpublished OR EXISTS { (n)-[:SOURCED_FROM]->(vp:PartnerPlatform) WHERE vp.clientId = $callerClient })
  WITH n ORDER BY n.title ASC, n.id ASC LIMIT $p0
  WITH collect(n) AS page_rows
  CALL (page_rows) { UNWIND page_rows[..$p1] AS n
    RETURN collect({`__keys`: [n.title, n.id], `nodes`: n {`title`: n.title, `organisation`: head(COLLECT {
          MATCH (n)-[:OFFERED_BY]->(n1:Organisation)
          WHERE (NOT n1:Unpublished OR EXISTS { (n1)-[:SOURCED_FROM]->(vp:PartnerPlatform) WHERE vp.clientId = $callerClient })
          RETURN n1 {`name`: n1.name} LIMIT 1 })}}) AS shown }
  CALL (page_rows) { UNWIND page_rows[$p1..] AS n
    RETURN collect({`__keys`: [n.title, n.id]}) AS over }
  RETURN shown + over AS items }
RETURN null AS total, items, null AS other
