// GraphQL:
//   query Cross { challenges(first: 10, orderBy: [{field: TITLE}]) { nodes {
//     id title proposals(first: 5, orderBy: [{field: TITLE}]) { nodes { id title proposer {
//       id name partners(first: 5) { nodes { id name vacancies(first: 5) { nodes { id title } } } }
//     } } } } } }
// Caller: client console
// Parameters: {"callerOrganisation": null, "callerPerson": null, "challengePublic": ["OPEN", "EVALUATION", "DECIDED", "CLOSED"], "expert": false, "p0": 11, "p1": 10, "p2": 5, "p3": 5, "p4": 5, "proposalSent": ["SUBMITTED", "SHORTLISTED", "SELECTED", "REJECTED", "WITHDRAWN"], "staff": true}
CALL () {
  MATCH (n:Challenge)
  WHERE n.title IS NOT NULL AND ($staff OR n.status IN $challengePublic)
  WITH n ORDER BY n.title ASC, n.id ASC LIMIT $p0
  WITH collect(n) AS page_rows
  CALL (page_rows) { UNWIND page_rows[..$p1] AS n
    RETURN collect({`__keys`: [n.title, n.id], `nodes`: apoc.convert.toJson(n {`id`: n.id, `title`: n.title, `proposals`: {`nodes`: COLLECT {
            MATCH (n)<-[:RESPONDS_TO]-(n1:Proposal)
            WHERE CASE WHEN ($staff OR $expert) AND n1.status IN $proposalSent THEN true ELSE EXISTS { (n1)-[:SUBMITTED_BY]->(:Organisation {id: $callerOrganisation}) } OR EXISTS { (n1)-[:SUBMITTED_BY]->(:Team)<-[:MEMBER_OF]-(:Person {id: $callerPerson}) } OR (n1.status IN $proposalSent AND EXISTS { (n1)-[:RESPONDS_TO]->(:Challenge)<-[:JUDGED_AS]-(:Session) }) END
            WITH n1 ORDER BY n1.title ASC, n1.id ASC LIMIT $p2
            RETURN n1 {`id`: n1.id, `title`: n1.title, `proposer`: head(COLLECT {
                MATCH (n1)-[:SUBMITTED_BY]->(n3:Organisation)
                RETURN n3 {`id`: n3.id, `name`: n3.name, `partners`: {`nodes`: COLLECT {
                      MATCH (n3)-[:PARTNERS_WITH]-(n4:Organisation)
                      WITH n4 ORDER BY n4.name ASC, n4.id ASC LIMIT $p3
                      RETURN n4 {`id`: n4.id, `name`: n4.name, `vacancies`: {`nodes`: COLLECT {
                            MATCH (n4)<-[:OFFERED_BY]-(n6:Vacancy)
                            WITH n6 ORDER BY n6.title ASC, n6.id ASC LIMIT $p4
                            RETURN n6 {`id`: n6.id, `title`: n6.title} }}} }}} LIMIT 1 })} }}})}) AS shown }
  CALL (page_rows) { UNWIND page_rows[$p1..] AS n
    RETURN collect({`__keys`: [n.title, n.id]}) AS over }
  RETURN shown + over AS items }
RETURN null AS total, items, null AS other
