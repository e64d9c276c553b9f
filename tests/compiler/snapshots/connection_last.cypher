// GraphQL:
//   { organisations(last: 2) { totalCount nodes { name } } }
// Caller: anonymous
// Parameters: {"p0": 3}
CALL () {
  MATCH (n:Organisation)
  WITH count(n) AS labelled OPTIONAL MATCH (u:Organisation:Unpublished)
  WITH labelled, count(u) AS hidden
  RETURN labelled - hidden AS total }
CALL () {
  MATCH (n:Organisation)
  WHERE n.name IS NOT NULL AND NOT n:Unpublished
  WITH n ORDER BY n.name DESC, n.id DESC LIMIT $p0
  RETURN collect({`__keys`: [n.name, n.id], `nodes`: n {`name`: n.name}}) AS items }
RETURN total, items, null AS other
