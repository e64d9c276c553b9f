// GraphQL:
//   {
//     vacancies(first: 5, orderBy: [{field: SALARY_MAX, direction: DESC}, {field: POSTED_AT}]) {
//       nodes { title salaryMax postedAt
//         organisation { name
//           partners(orderBy: [{field: PARTNER_COUNT, direction: DESC}]) { nodes { name } } } }
//     }
//   }
// Caller: anonymous
// Parameters: {"p0": 6, "p1": 5, "p2": 20}
CALL () {
  MATCH (n:Vacancy)
  WHERE NOT n:Unpublished
  WITH n ORDER BY n.salaryMax DESC, n.postedAt ASC, n.id ASC LIMIT $p0
  WITH collect(n) AS page_rows
  CALL (page_rows) { UNWIND page_rows[..$p1] AS n
    RETURN collect({`__keys`: [n.salaryMax, n.postedAt, n.id], `nodes`: n {`title`: n.title, `salaryMax`: toInteger(n.salaryMax), `postedAt`: toString(n.postedAt), `organisation`: head(COLLECT {
          MATCH (n)-[:OFFERED_BY]->(n1:Organisation)
          WHERE NOT n1:Unpublished
          RETURN n1 {`name`: n1.name, `partners`: {`nodes`: COLLECT {
                MATCH (n1)-[:PARTNERS_WITH]-(n2:Organisation)
                WHERE NOT n2:Unpublished
                WITH n2 ORDER BY COUNT { (n2)-[:PARTNERS_WITH]-(n2_partnerCount:Organisation)
                  WHERE NOT n2_partnerCount:Unpublished } DESC, n2.id ASC LIMIT $p2
                RETURN n2 {`name`: n2.name} }}} LIMIT 1 })}}) AS shown }
  CALL (page_rows) { UNWIND page_rows[$p1..] AS n
    RETURN collect({`__keys`: [n.salaryMax, n.postedAt, n.id]}) AS over }
  RETURN shown + over AS items }
RETURN null AS total, items, null AS other
