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
// Parameters: {"admin": false, "callerClient": null, "callerPlatform": null, "p0": 0, "p1": 2, "p2": 20, "p3": 5, "p4": 3}
CALL () {
  MATCH (n:Organisation)
  WHERE ($admin OR NOT EXISTS { (n)-[:SOURCED_FROM]->(:PartnerPlatform) } OR EXISTS { (n)-[:SOURCED_FROM]->(vp:PartnerPlatform) WHERE vp.mode = 'PRODUCTION' OR vp.id = $callerPlatform OR vp.clientId = $callerClient })
  RETURN count(n) AS total }
CALL () {
  MATCH (n:Organisation)
  WHERE n.name IS NOT NULL AND ($admin OR NOT EXISTS { (n)-[:SOURCED_FROM]->(:PartnerPlatform) } OR EXISTS { (n)-[:SOURCED_FROM]->(vp:PartnerPlatform) WHERE vp.mode = 'PRODUCTION' OR vp.id = $callerPlatform OR vp.clientId = $callerClient })
  WITH n ORDER BY n.name ASC, n.id ASC SKIP $p0 LIMIT $p1
  RETURN collect(n {`id`: n.id, `name`: n.name, `partners`: COLLECT {
      MATCH (n)-[:PARTNERS_WITH]-(n1:Organisation)
      WHERE ($admin OR NOT EXISTS { (n1)-[:SOURCED_FROM]->(:PartnerPlatform) } OR EXISTS { (n1)-[:SOURCED_FROM]->(vp:PartnerPlatform) WHERE vp.mode = 'PRODUCTION' OR vp.id = $callerPlatform OR vp.clientId = $callerClient })
      WITH n1 ORDER BY n1.name ASC, n1.id ASC LIMIT $p4
      RETURN n1 {`name`: n1.name, `vacancies`: COLLECT {
          MATCH (n1)<-[:OFFERED_BY]-(n2:Vacancy)
          WHERE ($admin OR NOT EXISTS { (n2)-[:SOURCED_FROM]->(:PartnerPlatform) } OR EXISTS { (n2)-[:SOURCED_FROM]->(vp:PartnerPlatform) WHERE vp.mode = 'PRODUCTION' OR vp.id = $callerPlatform OR vp.clientId = $callerClient })
          WITH n2 ORDER BY n2.title ASC, n2.id ASC LIMIT $p3
          RETURN n2 {`title`: n2.title, `postedAt`: toString(n2.postedAt), `skills`: COLLECT {
              MATCH (n2)-[:REQUIRES]->(n3:Skill)
              WITH n3 ORDER BY n3.name ASC, n3.id ASC LIMIT $p2
              RETURN n3 {`uri`: n3.uri, `name`: n3.name} }} }} }}) AS items }
RETURN total, items
