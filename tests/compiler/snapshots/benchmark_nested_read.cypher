// GraphQL:
//   query Nested { organisations(first: 10, orderBy: [{field: NAME}]) { edges { node {
//     id name partners(first: 5) { nodes { id name vacancies(first: 5) { nodes { id title
//       skills(first: 5) { nodes { name } } } } } }
//   } } } }
// Caller: anonymous
// Parameters: {"p0": 11, "p1": 10, "p2": 5, "p3": 5, "p4": 5}
CALL () {
  MATCH (n:Organisation)
  WHERE n.name IS NOT NULL AND NOT n:Unpublished
  WITH n ORDER BY n.name ASC, n.id ASC LIMIT $p0
  WITH collect(n) AS page_rows
  CALL (page_rows) { UNWIND page_rows[..$p1] AS n
    RETURN collect({`__keys`: [n.name, n.id], `edges`: {`node`: apoc.convert.toJson(n {`id`: n.id, `name`: n.name, `partners`: {`nodes`: COLLECT {
              MATCH (n)-[:PARTNERS_WITH]-(n1:Organisation)
              WHERE NOT n1:Unpublished
              WITH n1 ORDER BY n1.name ASC, n1.id ASC LIMIT $p2
              RETURN n1 {`id`: n1.id, `name`: n1.name, `vacancies`: {`nodes`: COLLECT {
                    MATCH (n1)<-[:OFFERED_BY]-(n3:Vacancy)
                    WHERE NOT n3:Unpublished
                    WITH n3 ORDER BY n3.title ASC, n3.id ASC LIMIT $p3
                    RETURN n3 {`id`: n3.id, `title`: n3.title, `skills`: {`nodes`: COLLECT {
                          MATCH (n3)-[:REQUIRES]->(n5:Skill)
                          WITH n5 ORDER BY n5.name ASC, n5.id ASC LIMIT $p4
                          RETURN n5 {`name`: n5.name} }}} }}} }}})}}) AS shown }
  CALL (page_rows) { UNWIND page_rows[$p1..] AS n
    RETURN collect({`__keys`: [n.name, n.id]}) AS over }
  RETURN shown + over AS items }
RETURN null AS total, items, null AS other
