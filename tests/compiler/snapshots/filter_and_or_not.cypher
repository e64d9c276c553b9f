// GraphQL:
//   query Filtered($region: String!, $skills: [String!]) {
//     organisations(first: 10, where: {
//         region: {eq: $region}, kind: {in: [EMPLOYER, TRAINING_PROVIDER]},
//         name: {startsWith: "North"},
//         capableIn: {fields: ["employment-services"], skills: $skills},
//         hasVacancies: false}) {
//       nodes { name
//         vacancies(where: {status: {eq: OPEN}, salaryMin: {gte: 25000}}) { title } }
//     }
//   }
// Variables: {"region": "North' OR true //", "skills": ["http://data.europa.eu/esco/skill/python"]}
// Caller: anonymous
// Parameters: {"admin": false, "callerClient": null, "callerPlatform": null, "p0": {"fields": ["employment-services"], "skills": ["http://data.europa.eu/esco/skill/python"]}, "p1": false, "p2": ["EMPLOYER", "TRAINING_PROVIDER"], "p3": "North", "p4": "North' OR true //", "p5": 0, "p6": 10, "p7": 25000, "p8": "OPEN", "p9": 20}
CALL () {
  MATCH (n:Organisation)
  WHERE ($admin OR NOT EXISTS { (n)-[:SOURCED_FROM]->(:PartnerPlatform) } OR EXISTS { (n)-[:SOURCED_FROM]->(vp:PartnerPlatform) WHERE vp.mode = 'PRODUCTION' OR vp.id = $callerPlatform OR vp.clientId = $callerClient }) AND (EXISTS { (n)-[:IN_FIELD]->(f:Field) WHERE f.code IN $p0.fields } OR EXISTS { (n)-[:HAS_SKILL]->(s:Skill) WHERE s.uri IN $p0.skills }) AND EXISTS { (n)<-[:OFFERED_BY]-(:Vacancy) } = $p1 AND n.kind IN $p2 AND n.name STARTS WITH $p3 AND n.region = $p4
  RETURN count(n) AS total }
CALL () {
  MATCH (n:Organisation)
  WHERE n.name IS NOT NULL AND ($admin OR NOT EXISTS { (n)-[:SOURCED_FROM]->(:PartnerPlatform) } OR EXISTS { (n)-[:SOURCED_FROM]->(vp:PartnerPlatform) WHERE vp.mode = 'PRODUCTION' OR vp.id = $callerPlatform OR vp.clientId = $callerClient }) AND (EXISTS { (n)-[:IN_FIELD]->(f:Field) WHERE f.code IN $p0.fields } OR EXISTS { (n)-[:HAS_SKILL]->(s:Skill) WHERE s.uri IN $p0.skills }) AND EXISTS { (n)<-[:OFFERED_BY]-(:Vacancy) } = $p1 AND n.kind IN $p2 AND n.name STARTS WITH $p3 AND n.region = $p4
  WITH n ORDER BY n.name ASC, n.id ASC SKIP $p5 LIMIT $p6
  RETURN collect(n {`name`: n.name, `vacancies`: COLLECT {
      MATCH (n)<-[:OFFERED_BY]-(n1:Vacancy)
      WHERE ($admin OR NOT EXISTS { (n1)-[:SOURCED_FROM]->(:PartnerPlatform) } OR EXISTS { (n1)-[:SOURCED_FROM]->(vp:PartnerPlatform) WHERE vp.mode = 'PRODUCTION' OR vp.id = $callerPlatform OR vp.clientId = $callerClient }) AND n1.salaryMin >= $p7 AND n1.status = $p8
      WITH n1 ORDER BY n1.title ASC, n1.id ASC LIMIT $p9
      RETURN n1 {`title`: n1.title} }}) AS items }
RETURN total, items
