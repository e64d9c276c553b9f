// GraphQL:
//   { organisations(last: 2) { totalCount nodes { name } } }
// Caller: anonymous
// Parameters: {"admin": false, "callerClient": null, "callerOrganisation": null, "callerPerson": null, "callerPlatform": null, "challengePublic": ["OPEN", "EVALUATION", "DECIDED", "CLOSED"], "expert": false, "p0": 3, "proposalSent": ["SUBMITTED", "SHORTLISTED", "SELECTED", "REJECTED", "WITHDRAWN"], "staff": false}
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
