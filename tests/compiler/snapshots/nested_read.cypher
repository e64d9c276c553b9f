// GraphQL:
//   {
//     organisations(first: 2) {
//       totalCount
//       edges { cursor node { id name
//         partners(first: 3) { name
//           vacancies(first: 5) { title postedAt
//             skills { uri name } } } } }
//     }
//   }
// Caller: anonymous
// Parameters: {"p0": 3, "p1": 20, "p2": 5, "p3": 3}
CALL () {
  MATCH (n:Organisation)
  WITH count(n) AS labelled OPTIONAL MATCH (u:Organisation:Unpublished)
  WITH labelled, count(u) AS hidden
  RETURN labelled - hidden AS total }
CALL () {
  MATCH (n:Organisation)
  WHERE n.name IS NOT NULL AND NOT n:Unpublished
  WITH n ORDER BY n.name ASC, n.id ASC LIMIT $p0
  RETURN collect({`__keys`: [n.name, n.id], `edges`: {`node`: n {`id`: n.id, `name`: n.name, `partners`: COLLECT {
          MATCH (n)-[:PARTNERS_WITH]-(n1:Organisation)
          WHERE NOT n1:Unpublished
          WITH n1 ORDER BY n1.name ASC, n1.id ASC LIMIT $p3
          RETURN n1 {`name`: n1.name, `vacancies`: COLLECT {
              MATCH (n1)<-[:OFFERED_BY]-(n2:Vacancy)
              WHERE NOT n2:Unpublished
              WITH n2 ORDER BY n2.title ASC, n2.id ASC LIMIT $p2
              RETURN n2 {`title`: n2.title, `postedAt`: toString(n2.postedAt), `skills`: COLLECT {
                  MATCH (n2)-[:REQUIRES]->(n3:Skill)
                  WITH n3 ORDER BY n3.name ASC, n3.id ASC LIMIT $p1
                  RETURN n3 {`uri`: n3.uri, `name`: n3.name} }} }} }}}}) AS items }
RETURN total, items, null AS other
