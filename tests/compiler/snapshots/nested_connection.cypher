// GraphQL:
//   query Partners($id: ID!, $after: String) {
//     organisation(id: $id) { name
//       partners(first: 2, after: $after, orderBy: [{field: NAME}]) { totalCount
//         pageInfo { hasNextPage endCursor }
//         edges { cursor since agreement node { name } } } }
//   }
// Variables: {"after": "n:1", "id": "00000000-0000-0000-0000-00000000000a"}
// Caller: anonymous
// Parameters: {"p0": "00000000-0000-0000-0000-00000000000a", "p1": 2, "p2": 2, "p3": null, "p4": null}
MATCH (n:Organisation {id: $p0})
WHERE NOT n:Unpublished
RETURN n {`name`: n.name, `partners`: head(COLLECT { UNWIND [COLLECT {
      MATCH (n)-[n2:PARTNERS_WITH]-(n1:Organisation)
      WHERE NOT n1:Unpublished
      WITH n1, n2 ORDER BY n1.name ASC, n1.id ASC
      RETURN [n1, n2] }] AS rows_n1
    WITH rows_n1, coalesce($p4, size(rows_n1)) AS stop_n1
    WITH rows_n1, CASE WHEN $p3 IS NULL THEN $p2 WHEN stop_n1 - $p3 < 0 THEN 0 ELSE stop_n1 - $p3 END AS lo_n1, CASE WHEN $p3 IS NULL THEN $p2 + $p1 ELSE stop_n1 END AS hi_n1
    WITH rows_n1, lo_n1, CASE WHEN hi_n1 > size(rows_n1) THEN size(rows_n1) ELSE hi_n1 END AS hi_n1
    RETURN {`totalCount`: size(rows_n1), `pageInfo`: {`hasNextPage`: hi_n1 < size(rows_n1), `endCursor`: CASE WHEN hi_n1 > lo_n1 THEN 'n:' + toString(hi_n1 - 1) END}, `edges`: COLLECT { UNWIND range(lo_n1, hi_n1 - 1) AS i_n1
        WITH rows_n1[i_n1][0] AS n1, rows_n1[i_n1][1] AS n2, i_n1
        RETURN {`cursor`: 'n:' + toString(i_n1), `since`: toString(n2.since), `agreement`: n2.agreement, `node`: n1 {`name`: n1.name}} }} })} AS item
