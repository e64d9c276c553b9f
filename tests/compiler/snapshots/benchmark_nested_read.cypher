// GraphQL:
//   query Nested { organisations(first: 10, orderBy: [{field: NAME}]) { edges { node {
//     id name partners(first: 5) { id name vacancies(first: 5) { id title skills(first: 5) { name } } }
//   } } } }
// Caller: anonymous
// Parameters: {"p0": 11, "p1": 5, "p2": 5, "p3": 5}
CALL () {
  MATCH (n:Organisation)
  WHERE n.name IS NOT NULL AND NOT n:Unpublished
  WITH n ORDER BY n.name ASC, n.id ASC LIMIT $p0
  RETURN collect({`__keys`: [n.name, n.id], `edges`: {`node`: n {`id`: n.id, `name`: n.name, `partners`: COLLECT {
          MATCH (n)-[:PARTNERS_WITH]-(n1:Organisation)
          WHERE NOT n1:Unpublished
          WITH n1 ORDER BY n1.name ASC, n1.id ASC LIMIT $p3
          RETURN n1 {`id`: n1.id, `name`: n1.name, `vacancies`: COLLECT {
              MATCH (n1)<-[:OFFERED_BY]-(n2:Vacancy)
              WHERE NOT n2:Unpublished
              WITH n2 ORDER BY n2.title ASC, n2.id ASC LIMIT $p2
              RETURN n2 {`id`: n2.id, `title`: n2.title, `skills`: COLLECT {
                  MATCH (n2)-[:REQUIRES]->(n3:Skill)
                  WITH n3 ORDER BY n3.name ASC, n3.id ASC LIMIT $p1
                  RETURN n3 {`name`: n3.name} }} }} }}}}) AS items }
RETURN null AS total, items, null AS other
