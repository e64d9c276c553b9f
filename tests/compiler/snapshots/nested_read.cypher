// GraphQL:
//   {
//     organisations(first: 2) {
//       totalCount
//       edges { cursor node { id name
//         partners(first: 3) { nodes { name
//           vacancies(first: 5) { nodes { title postedAt
//             skills { nodes { uri name } } } } } } } }
//     }
//   }
// Caller: anonymous
// Parameters: {"p0": 3, "p1": 2, "p2": 3, "p3": 5, "p4": 20}
CALL () {
  MATCH (n:Organisation)
  WITH count(n) AS labelled OPTIONAL MATCH (u:Organisation:Unpublished)
  WITH labelled, count(u) AS hidden
  RETURN labelled - hidden AS total }
CALL () {
  MATCH (n:Organisation)
  WHERE n.name IS NOT NULL AND NOT n:Unpublished
  WITH n ORDER BY n.name ASC, n.id ASC LIMIT $p0
  WITH collect(n) AS page_rows
  CALL (page_rows) { UNWIND page_rows[..$p1] AS n
    RETURN collect({`__keys`: [n.name, n.id], `edges`: {`node`: n {`id`: n.id, `name`: n.name, `partners`: {`nodes`: COLLECT {
              MATCH (n)-[:PARTNERS_WITH]-(n1:Organisation)
              WHERE NOT n1:Unpublished
              WITH n1 ORDER BY n1.name ASC, n1.id ASC LIMIT $p2
              RETURN n1 {`name`: n1.name, `vacancies`: {`nodes`: COLLECT {
                    MATCH (n1)<-[:OFFERED_BY]-(n3:Vacancy)
                    WHERE NOT n3:Unpublished
                    WITH n3 ORDER BY n3.title ASC, n3.id ASC LIMIT $p3
                    RETURN n3 {`title`: n3.title, `postedAt`: toString(n3.postedAt), `skills`: {`nodes`: COLLECT {
                          MATCH (n3)-[:REQUIRES]->(n5:Skill)
                          WITH n5 ORDER BY n5.name ASC, n5.id ASC LIMIT $p4
                          RETURN n5 {`uri`: n5.uri, `name`: n5.name} }}} }}} }}}}}) AS shown }
  CALL (page_rows) { UNWIND page_rows[$p1..] AS n
    RETURN collect({`__keys`: [n.name, n.id]}) AS over }
  RETURN shown + over AS items }
RETURN total, items, null AS other
