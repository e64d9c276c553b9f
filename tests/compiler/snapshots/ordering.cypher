// GraphQL:
//   {
//     vacancies(first: 5, orderBy: [{field: SALARY_MAX, direction: DESC}, {field: POSTED_AT}]) {
//       nodes { title salaryMax postedAt
//         organisation { name
//           partners(orderBy: [{field: PARTNER_COUNT, direction: DESC}]) { name } } }
//     }
//   }
// Caller: anonymous
// Parameters: {"admin": false, "callerClient": null, "callerPlatform": null, "p0": 0, "p1": 5, "p2": 20}
CALL () {
  MATCH (n:Vacancy)
  WHERE ($admin OR NOT EXISTS { (n)-[:SOURCED_FROM]->(:PartnerPlatform) } OR EXISTS { (n)-[:SOURCED_FROM]->(vp:PartnerPlatform) WHERE vp.mode = 'PRODUCTION' OR vp.id = $callerPlatform OR vp.clientId = $callerClient })
  RETURN count(n) AS total }
CALL () {
  MATCH (n:Vacancy)
  WHERE ($admin OR NOT EXISTS { (n)-[:SOURCED_FROM]->(:PartnerPlatform) } OR EXISTS { (n)-[:SOURCED_FROM]->(vp:PartnerPlatform) WHERE vp.mode = 'PRODUCTION' OR vp.id = $callerPlatform OR vp.clientId = $callerClient })
  WITH n ORDER BY n.salaryMax DESC, n.postedAt ASC, n.id ASC SKIP $p0 LIMIT $p1
  RETURN collect(n {`title`: n.title, `salaryMax`: n.salaryMax, `postedAt`: toString(n.postedAt), `organisation`: head(COLLECT {
      MATCH (n)-[:OFFERED_BY]->(n1:Organisation)
      WHERE ($admin OR NOT EXISTS { (n1)-[:SOURCED_FROM]->(:PartnerPlatform) } OR EXISTS { (n1)-[:SOURCED_FROM]->(vp:PartnerPlatform) WHERE vp.mode = 'PRODUCTION' OR vp.id = $callerPlatform OR vp.clientId = $callerClient })
      RETURN n1 {`name`: n1.name, `partners`: COLLECT {
          MATCH (n1)-[:PARTNERS_WITH]-(n2:Organisation)
          WHERE ($admin OR NOT EXISTS { (n2)-[:SOURCED_FROM]->(:PartnerPlatform) } OR EXISTS { (n2)-[:SOURCED_FROM]->(vp:PartnerPlatform) WHERE vp.mode = 'PRODUCTION' OR vp.id = $callerPlatform OR vp.clientId = $callerClient })
          WITH n2 ORDER BY n2.partnerCount DESC, n2.id ASC LIMIT $p2
          RETURN n2 {`name`: n2.name} }} LIMIT 1 })}) AS items }
RETURN total, items
