// GraphQL:
//   query Partners($id: ID!, $after: String) {
//     organisation(id: $id) { name
//       partners(first: 2, after: $after, orderBy: [{field: NAME}]) { totalCount
//         pageInfo { hasNextPage endCursor }
//         edges { cursor since agreement node { name } } } }
//   }
// Variables: {"after": "~[1,\"3aeaa01038ebb375\",[\"00000000-0000-0000-0000-00000000000a\",\"Partner B\",\"00000000-0000-0000-0000-00000000000b\"]]", "id": "00000000-0000-0000-0000-00000000000a"}
// Caller: anonymous
// Parameters: {"p0": "00000000-0000-0000-0000-00000000000a", "p1": "3aeaa01038ebb375", "p2": 2, "p3": null, "p4": "00000000-0000-0000-0000-00000000000a", "p5": "Partner B", "p6": "00000000-0000-0000-0000-00000000000b"}
MATCH (n:Organisation {id: $p0})
WHERE NOT n:Unpublished
RETURN n {`name`: n.name, `partners`: head(COLLECT { UNWIND [COLLECT {
      MATCH (n)-[n2:PARTNERS_WITH]-(n1:Organisation)
      WHERE NOT n1:Unpublished
      WITH n1, n2 ORDER BY n1.name ASC, n1.id ASC
      RETURN [n1, n2, [n1.name, n1.id], '~[1,"' + $p1 + '",[' + CASE WHEN n.id IS NULL THEN 'null' WHEN n.id IS :: STRING THEN '"' + replace(replace(n.id, '\\', '\\\\'), '"', '\\"') + '"' WHEN n.id IS :: DATE THEN '{"d":"' + toString(n.id) + '"}' WHEN n.id IS :: ZONED DATETIME OR n.id IS :: LOCAL DATETIME THEN '{"t":"' + toString(n.id) + '"}' ELSE toString(n.id) END + ',' + CASE WHEN n1.name IS NULL THEN 'null' WHEN n1.name IS :: STRING THEN '"' + replace(replace(n1.name, '\\', '\\\\'), '"', '\\"') + '"' WHEN n1.name IS :: DATE THEN '{"d":"' + toString(n1.name) + '"}' WHEN n1.name IS :: ZONED DATETIME OR n1.name IS :: LOCAL DATETIME THEN '{"t":"' + toString(n1.name) + '"}' ELSE toString(n1.name) END + ',' + CASE WHEN n1.id IS NULL THEN 'null' WHEN n1.id IS :: STRING THEN '"' + replace(replace(n1.id, '\\', '\\\\'), '"', '\\"') + '"' WHEN n1.id IS :: DATE THEN '{"d":"' + toString(n1.id) + '"}' WHEN n1.id IS :: ZONED DATETIME OR n1.id IS :: LOCAL DATETIME THEN '{"t":"' + toString(n1.id) + '"}' ELSE toString(n1.id) END + ']]'] }] AS rows_n1
    WITH rows_n1, size(rows_n1) AS stop_n1, size([r_n1 IN rows_n1
    WHERE NOT (r_n1[2][0] >= $p5 AND (r_n1[2][0] > $p5 OR (r_n1[2][0] = $p5 AND r_n1[2][1] > $p6)))]) AS start_n1
    WITH rows_n1, stop_n1, CASE WHEN $p3 IS NULL THEN start_n1 WHEN stop_n1 - $p3 < 0 THEN 0 ELSE stop_n1 - $p3 END AS lo_n1, CASE WHEN $p3 IS NULL THEN start_n1 + $p2 ELSE stop_n1 END AS hi_n1
    WITH rows_n1, lo_n1, CASE WHEN hi_n1 > stop_n1 THEN stop_n1 ELSE hi_n1 END AS hi_n1
    RETURN CASE WHEN $p4 = n.id THEN {`totalCount`: size(rows_n1), `pageInfo`: {`hasNextPage`: hi_n1 < size(rows_n1), `endCursor`: CASE WHEN hi_n1 > lo_n1 THEN rows_n1[hi_n1 - 1][3] END}, `edges`: COLLECT { UNWIND range(lo_n1, hi_n1 - 1) AS i_n1
        WITH rows_n1[i_n1][0] AS n1, rows_n1[i_n1][1] AS n2, i_n1
        RETURN {`cursor`: rows_n1[i_n1][3], `since`: toString(n2.since), `agreement`: n2.agreement, `node`: n1 {`name`: n1.name}} }} ELSE {`__refusedCursor`: true} END })} AS item
