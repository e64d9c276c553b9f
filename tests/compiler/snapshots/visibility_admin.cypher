// GraphQL:
//   { vacancies(first: 5) { nodes { title organisation { name } } } }
// Caller: client console
// Parameters: {"p0": 6, "p1": 5}
CALL () {
  MATCH (n:Vacancy)
  WHERE n.title IS NOT NULL
  WITH n ORDER BY n.title ASC, n.id ASC LIMIT $p0
  WITH collect(n) AS page_rows
  CALL (page_rows) { UNWIND page_rows[..$p1] AS n
    RETURN collect({`__keys`: [n.title, n.id], `nodes`: n {`title`: n.title, `organisation`: head(COLLECT {
          MATCH (n)-[:OFFERED_BY]->(n1:Organisation)
          RETURN n1 {`name`: n1.name} LIMIT 1 })}}) AS shown }
  CALL (page_rows) { UNWIND page_rows[$p1..] AS n
    RETURN collect({`__keys`: [n.title, n.id]}) AS over }
  RETURN shown + over AS items }
RETURN null AS total, items, null AS other
