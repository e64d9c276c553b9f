// GraphQL:
//   query Cross { challenges(first: 10, orderBy: [{field: TITLE}]) { nodes {
//     id title proposals(first: 5, orderBy: [{field: TITLE}]) { nodes { id title proposer {
//       id name partners(first: 5) { id name vacancies(first: 5) { id title } } } } } } } }
// Caller: client console
// Parameters: {"callerOrganisation": null, "challengePublic": ["OPEN", "EVALUATION", "DECIDED", "CLOSED"], "expert": false, "p0": 11, "p1": 5, "p2": 0, "p3": null, "p4": null, "p5": 5, "p6": 5, "proposalSent": ["SUBMITTED", "SHORTLISTED", "SELECTED", "REJECTED", "WITHDRAWN"], "staff": true}
CALL () {
  MATCH (n:Challenge)
  WHERE n.title IS NOT NULL AND ($staff OR n.status IN $challengePublic)
  WITH n ORDER BY n.title ASC, n.id ASC LIMIT $p0
  RETURN collect({`__keys`: [n.title, n.id], `nodes`: n {`id`: n.id, `title`: n.title, `proposals`: head(COLLECT { UNWIND [COLLECT {
          MATCH (n)<-[n2:RESPONDS_TO]-(n1:Proposal)
          WHERE ((($staff OR $expert) AND n1.status IN $proposalSent) OR EXISTS { (n1)-[:SUBMITTED_BY]->(:Organisation {id: $callerOrganisation}) })
          WITH n1, n2 ORDER BY n1.title ASC, n1.id ASC
          RETURN [n1, n2] }] AS rows_n1
        WITH rows_n1, coalesce($p4, size(rows_n1)) AS stop_n1
        WITH rows_n1, CASE WHEN $p3 IS NULL THEN $p2 WHEN stop_n1 - $p3 < 0 THEN 0 ELSE stop_n1 - $p3 END AS lo_n1, CASE WHEN $p3 IS NULL THEN $p2 + $p1 ELSE stop_n1 END AS hi_n1
        WITH rows_n1, lo_n1, CASE WHEN hi_n1 > size(rows_n1) THEN size(rows_n1) ELSE hi_n1 END AS hi_n1
        RETURN {`nodes`: COLLECT { UNWIND range(lo_n1, hi_n1 - 1) AS i_n1
            WITH rows_n1[i_n1][0] AS n1, rows_n1[i_n1][1] AS n2, i_n1
            RETURN n1 {`id`: n1.id, `title`: n1.title, `proposer`: head(COLLECT {
                MATCH (n1)-[:SUBMITTED_BY]->(n3:Organisation)
                RETURN n3 {`id`: n3.id, `name`: n3.name, `partners`: COLLECT {
                    MATCH (n3)-[:PARTNERS_WITH]-(n4:Organisation)
                    WITH n4 ORDER BY n4.name ASC, n4.id ASC LIMIT $p6
                    RETURN n4 {`id`: n4.id, `name`: n4.name, `vacancies`: COLLECT {
                        MATCH (n4)<-[:OFFERED_BY]-(n5:Vacancy)
                        WITH n5 ORDER BY n5.title ASC, n5.id ASC LIMIT $p5
                        RETURN n5 {`id`: n5.id, `title`: n5.title} }} }} LIMIT 1 })} }} })}}) AS items }
RETURN null AS total, items, null AS other
