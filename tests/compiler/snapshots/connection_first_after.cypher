// GraphQL:
//   query Page($after: String) {
//     organisations(first: 2, after: $after) {
//       totalCount
//       pageInfo { hasNextPage endCursor }
//       edges { cursor node { name } }
//     }
//   }
// Variables: {"after": "WzEsImVlZTFkYjY4YzIxMWNlNzciLFsiT3JnIEIiLCIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMGIiXV0"}
// Caller: anonymous
// Parameters: {"p0": "Org B", "p1": "00000000-0000-0000-0000-00000000000b", "p2": 3, "p3": 2}
CALL () {
  MATCH (n:Organisation)
  WITH count(n) AS labelled OPTIONAL MATCH (u:Organisation:Unpublished)
  WITH labelled, count(u) AS hidden
  RETURN labelled - hidden AS total }
CALL () {
  MATCH (n:Organisation)
  WHERE n.name IS NOT NULL AND NOT n:Unpublished AND n.name >= $p0 AND (n.name > $p0 OR (n.name = $p0 AND n.id > $p1))
  WITH n ORDER BY n.name ASC, n.id ASC LIMIT $p2
  WITH collect(n) AS page_rows
  CALL (page_rows) { UNWIND page_rows[..$p3] AS n
    RETURN collect({`__keys`: [n.name, n.id], `edges`: {`node`: n {`name`: n.name}}}) AS shown }
  CALL (page_rows) { UNWIND page_rows[$p3..] AS n
    RETURN collect({`__keys`: [n.name, n.id]}) AS over }
  RETURN shown + over AS items }
RETURN total, items, null AS other
