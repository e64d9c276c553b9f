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
  WITH collect(n) AS page_rows UNWIND range(0, size(page_rows) - 1) AS page_i
  WITH page_rows[page_i] AS n, page_i
  RETURN collect(CASE WHEN page_i < $p1 THEN {`__keys`: [n.name, n.id], `nodes`: n {`name`: n.name}} ELSE {`__keys`: [n.name, n.id]} END) AS items }
RETURN total, items, null AS other
