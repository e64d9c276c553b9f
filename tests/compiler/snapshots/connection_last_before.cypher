// GraphQL:
//   query Back($before: String) {
//     organisations(last: 3, before: $before, orderBy: [{field: REGION, direction: DESC}]) {
//       pageInfo { hasPreviousPage hasNextPage }
//       nodes { name region }
//     }
//   }
// Variables: {"before": "WzEsIjZhNzBkNTczNGVlZWM0MWMiLFsiTm9ydGgiLCIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMG0iXV0"}
// Caller: anonymous
// Parameters: {"p0": "North", "p1": "00000000-0000-0000-0000-00000000000m", "p2": 4, "p3": 3}
CALL () {
  MATCH (n:Organisation)
  WHERE n.region IS NOT NULL AND NOT n:Unpublished AND n.region <= $p0 AND (n.region < $p0 OR (n.region = $p0 AND n.id >= $p1))
  WITH n LIMIT 1
  RETURN count(n) > 0 AS other }
CALL () {
  MATCH (n:Organisation)
  WHERE n.region IS NOT NULL AND NOT n:Unpublished AND n.region >= $p0 AND (n.region > $p0 OR (n.region = $p0 AND n.id < $p1))
  WITH n ORDER BY n.region ASC, n.id DESC LIMIT $p2
  WITH collect(n) AS page_rows
  CALL (page_rows) { UNWIND page_rows[..$p3] AS n
    RETURN collect({`__keys`: [n.region, n.id], `nodes`: n {`name`: n.name, `region`: n.region}}) AS shown }
  CALL (page_rows) { UNWIND page_rows[$p3..] AS n
    RETURN collect({`__keys`: [n.region, n.id]}) AS over }
  RETURN shown + over AS items }
RETURN null AS total, items, other AS other
