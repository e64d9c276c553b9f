// GraphQL:
//   query Filtered($region: String!, $skills: [String!]) {
//     organisations(first: 10, where: {
//         region: {eq: $region}, kind: {in: [EMPLOYER, TRAINING_PROVIDER]},
//         name: {startsWith: "North"},
//         capableIn: {fields: ["employment-services"], skills: $skills},
//         hasVacancies: false}) {
//       nodes { name
//         vacancies(where: {status: {eq: OPEN}, salaryMin: {gte: 25000}}) { nodes { title } } }
//     }
//   }
// Variables: {"region": "North' OR true //", "skills": ["http://data.europa.eu/esco/skill/python"]}
// Caller: anonymous
// Parameters: {"p0": {"fields": ["employment-services"], "skills": ["http://data.europa.eu/esco/skill/python"]}, "p1": false, "p2": ["EMPLOYER", "TRAINING_PROVIDER"], "p3": "North", "p4": "North' OR true //", "p5": 11, "p6": 10, "p7": 25000, "p8": "OPEN", "p9": 20}
CALL () {
  MATCH (n:Organisation)
  WHERE n.name IS NOT NULL AND NOT n:Unpublished AND (EXISTS { (n)-[:IN_FIELD]->(f:Field) WHERE f.code IN $p0.fields } OR EXISTS { (n)-[:HAS_SKILL]->(s:Skill) WHERE s.uri IN $p0.skills }) AND EXISTS { (n)<-[:OFFERED_BY]-(n_r:Vacancy) WHERE NOT n_r:Unpublished } = $p1 AND n.kind IN $p2 AND n.name STARTS WITH $p3 AND n.region = $p4
  WITH n ORDER BY n.name ASC, n.id ASC LIMIT $p5
  WITH collect(n) AS page_rows
  CALL (page_rows) { UNWIND page_rows[..$p6] AS n
    RETURN collect({`__keys`: [n.name, n.id], `nodes`: n {`name`: n.name, `vacancies`: {`nodes`: COLLECT {
            MATCH (n)<-[:OFFERED_BY]-(n1:Vacancy)
            WHERE NOT n1:Unpublished AND n1.salaryMin >= $p7 AND n1.status = $p8
            WITH n1 ORDER BY n1.title ASC, n1.id ASC LIMIT $p9
            RETURN n1 {`title`: n1.title} }}}}) AS shown }
  CALL (page_rows) { UNWIND page_rows[$p6..] AS n
    RETURN collect({`__keys`: [n.name, n.id]}) AS over }
  RETURN shown + over AS items }
RETURN null AS total, items, null AS other
