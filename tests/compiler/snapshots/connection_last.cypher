// GraphQL:
//   { organisations(last: 2) { totalCount nodes { name } } }
// Caller: anonymous
// Parameters: {"p0": 3, "p1": 2}
CALL () {
  MATCH (n:Organisation)
  WITH count(n) AS labelled OPTIONAL MATCH (u:Organisation:Unpublished)
  WITH labelled, count(u) AS hidden
  RETURN labelled - hidden AS total }
CALL () {
  MATCH (n:Organisation)
  WHERE n.name IS NOT NULL AND NOT n:Unpublished
  WITH n ORDER BY n.name DESC, n.id DESC LIMIT $p0
  WITH collect(n) AS page_rows
  CALL (page_rows) { UNWIND page_rows[..$p1] AS n
    RETURN collect({`__keys`: [n.name, n.id], `nodes`: n {`name`: n.name}}) AS shown }
  CALL (page_rows) { UNWIND page_rows[$p1..] AS n
    RETURN collect({`__keys`: [n.name, n.id]}) AS over }
  RETURN shown + over AS items }
RETURN total, items, null AS other
